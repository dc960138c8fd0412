# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title iwo governor: membership roll, one-member-one-vote proposals, timelock
@custom:contract-name IwoGovernor
@license GNU Affero General Public License v3.0 only
@notice The governor of one worker collective. It keeps the membership roll
        (who holds a card, since when, paid-through time of their dues), lets
        members in good standing propose lists of actions and vote on them
        (For / Against / Abstain, directly or by a relayed EIP-712 signature),
        and executes passed proposals after a built-in timelock.

        This file only composes the modules under governor/, each one concept
        with its own storage:

          governor/settings.vy   voting settings: validation, packing, one
                                 word per version (+ the proposal counter)
          governor/roll.vy       the membership roll: members, terms, dues
                                 paid-through, member counts at any time,
                                 standing at a snapshot, card mint/burn
          governor/proposals.vy  proposals: life, votes, counting, timelock,
                                 execution
          governor/ballots.vy    EIP-712 signed ballots relayed by anyone

        Gas layout. A proposal is one storage slot (snapshot, vote window,
        eta, tallies, flags, proposer, settings version); a member is one
        slot; who-voted is a bitmap of 256 members per slot; the actions hash
        lives in a per-member slot allocated at admission and reused (a
        member has at most one live proposal); the settings in force share a
        slot with the proposal counter. Each packed word's bit layout is drawn
        above its declaration, with a named offset, width and getter per
        field; the hottest paths (propose, voting, state) read fields inline
        with those named constants, because a getter call costs ~40 gas.
@custom:security Trust model. After `initialize` nobody holds any power
                 outside the vote: every function that changes settings,
                 admits or revokes members can only be called by this
                 contract itself, i.e. as an action of an executed proposal.
                 Members may resign, pay (through the treasury), propose,
                 vote and cancel their own pending proposal. Anyone may relay
                 a signed vote, queue a succeeded proposal and execute a
                 queued one once its timelock has elapsed, with exactly the
                 actions that were voted. The implementation contract is
                 locked in its constructor; clones are initialised once, in
                 the same transaction that creates them (see IwoFactory).
                 Trusted: the card and treasury addresses given at
                 initialisation (created by the factory together with this
                 contract).
"""

from ethereum.ercs import IERC165

# @dev What the card and the treasury call on the governor.
from interfaces import IGovernor

# @dev Imported under another name: `settings` is the name of its exported view.
from governor import settings as voting_settings
from governor import roll
from governor import proposals
from governor import ballots

implements: IERC165
implements: IGovernor

initializes: voting_settings
initializes: roll[settings := voting_settings]
initializes: proposals[roll := roll, settings := voting_settings]
initializes: ballots[proposals := proposals]

exports: (
    voting_settings.update_settings,
    voting_settings.settings,
    voting_settings.settings_version,
    voting_settings.settings_at,
    voting_settings.MAX_DURATION,
    roll.card,
    roll.treasury,
    roll.admit_member,
    roll.revoke_member,
    roll.resign,
    roll.credit_dues,
    roll.is_member,
    roll.in_good_standing,
    roll.member,
    roll.paid_through,
    roll.member_count,
    roll.member_count_at,
    roll.was_member_at,
    roll.roll_size,
    roll.roll_index,
    roll.eligible_at,
    roll.eligible_index_at,
    roll.MAX_FOUNDERS,
    roll.MAX_MEMBERS,
    roll.MAX_PREPAID,
    proposals.propose,
    proposals.cast_vote,
    proposals.cast_vote_with_reason,
    proposals.cancel,
    proposals.queue,
    proposals.execute,
    proposals.state,
    proposals.proposal,
    proposals.has_voted,
    proposals.can_vote,
    proposals.eligibility,
    proposals.proposal_count,
    proposals.executing_proposal,
    proposals.MAX_ACTIONS,
    proposals.MAX_CALLDATA,
    proposals.MAX_DESCRIPTION,
    proposals.MAX_REASON,
    ballots.cast_vote_by_sig,
    ballots.ballot_digest,
    ballots.DOMAIN_SEPARATOR,
    ballots.eip712Domain,
    ballots.BALLOT_TYPEHASH,
)

SUPPORTED_INTERFACES: constant(bytes4[1]) = [
    0x01FFC9A7,  # ERC-165
]


@deploy
def __init__():
    """
    @notice Locks the implementation: clones are initialised, this is not.
            A non-zero card is the "initialised" mark (no extra slot).
    """
    roll._lock()


@external
def initialize(
    card: address,
    treasury: address,
    founders: DynArray[address, roll.MAX_FOUNDERS],
    settings: voting_settings.Settings,
):
    """
    @notice Wires a fresh clone to its card and treasury, sets the first
            settings and admits the founders. Callable once.
    @param card The collective's membership card.
    @param treasury The collective's treasury.
    @param founders The founding members (at least one, no duplicates).
    @param settings The first voting settings (version 0).
    """
    assert roll.card == empty(address), "governor: already initialized"
    roll._wire(card, treasury)
    assert len(founders) > 0, "governor: no founders"
    voting_settings._init(settings)
    for founder: address in founders:
        roll._admit(founder)


@view
@external
def initialized() -> bool:
    """
    @notice Whether this governor is wired (always true for the implementation).
    @return bool True once initialised.
    """
    return roll.card != empty(address)


@view
@external
def supportsInterface(interface_id: bytes4) -> bool:
    """
    @notice ERC-165.
    @param interface_id An interface id.
    @return bool True for ERC-165 itself.
    """
    return interface_id in SUPPORTED_INTERFACES
