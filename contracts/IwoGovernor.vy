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

        Proposal life: Pending (until voting opens) -> Active -> Defeated or
        Succeeded -> Queued (earliest execution = queue time + timelock) ->
        Executed, or Expired when the execution window passes (also for a
        Succeeded proposal that is never queued within the window). A
        proposer may cancel while the proposal is Pending.

        Snapshot rule. Each proposal takes its snapshot at `created - 1`
        (the state at the end of the block before it). A member may vote on
        it when they held a card at the snapshot and their dues covered the
        snapshot: `paid_through + dues_grace >= snapshot`, using the grace in
        force when the proposal was made. Payments only move `paid_through`
        forward, so a vote right, once held, is never lost: lapsing, resigning
        or being revoked after the snapshot changes nothing for that proposal.
        Arrears paid later DO restore the right to vote on a proposal whose
        snapshot the payment covers (the member has then paid the dues of the
        period in which the proposal was made). Admissions after the snapshot
        never count, and the quorum base is the number of cards at the
        snapshot.

        Gas layout (see ../shared/GAS-NOTES.md): a proposal is one packed
        slot (snapshot, vote window, tallies, flags, proposer, settings
        version), a member is one packed slot, who-voted is a bitmap of 256
        members per slot, and the actions hash lives in a per-member slot that
        is allocated at admission and reused (a member has at most one live
        proposal).
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

# @dev The membership card is only told to emit mints and burns.
from interfaces import ICard

# @dev Audited recovery with the high-s and zero-address checks.
from snekmate.utils import ecdsa


struct Action:
    target: address
    value: uint256
    data: Bytes[MAX_CALLDATA]


struct Settings:
    voting_delay: uint256
    voting_period: uint256
    timelock_delay: uint256
    execution_window: uint256
    quorum_bps: uint256
    constitutional_bps: uint256
    dues_grace: uint256


flag ProposalState:
    PENDING
    ACTIVE
    CANCELED
    DEFEATED
    SUCCEEDED
    QUEUED
    EXPIRED
    EXECUTED

MAX_ACTIONS: public(constant(uint256)) = 8
MAX_CALLDATA: public(constant(uint256)) = 512
MAX_DESCRIPTION: public(constant(uint256)) = 2048
MAX_REASON: public(constant(uint256)) = 512
MAX_FOUNDERS: public(constant(uint256)) = 64
MAX_MEMBERS: public(constant(uint256)) = 16_777_215
MAX_SETTINGS_VERSION: constant(uint256) = 65_535
MAX_DURATION: public(constant(uint256)) = 365 * 86_400
MAX_PREPAID: public(constant(uint256)) = 100 * 365 * 86_400
BPS: constant(uint256) = 10_000
SUPPORT_AGAINST: constant(uint8) = 0
SUPPORT_FOR: constant(uint8) = 1
SUPPORT_ABSTAIN: constant(uint8) = 2

# EIP-712 (see docs in README: "Signed votes").
EIP712_NAME: constant(String[3]) = "iwo"
EIP712_VERSION: constant(String[1]) = "1"
_DOMAIN_TYPEHASH: constant(bytes32) = keccak256(
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
)
BALLOT_TYPEHASH: public(constant(bytes32)) = keccak256(
    "Ballot(uint256 proposalId,uint8 support,address voter,uint256 expiry,string reason)"
)
_NAME_HASH: constant(bytes32) = keccak256(EIP712_NAME)
_VERSION_HASH: constant(bytes32) = keccak256(EIP712_VERSION)

# Bit layout of a packed proposal ("core") slot.
_M24: constant(uint256) = 2**24 - 1
_M32: constant(uint256) = 2**32 - 1
_M40: constant(uint256) = 2**40 - 1
_OFF_B: constant(uint256) = 40  # vote start offset from snapshot; eta offset once queued
_OFF_END: constant(uint256) = 72  # vote end offset from snapshot
_OFF_TALLY: constant(uint256) = 104  # against, for, abstain: 24 bits each
_OFF_FLAGS: constant(uint256) = 176
_OFF_PROPOSER: constant(uint256) = 184
_OFF_VERSION: constant(uint256) = 216
_F_CANCELED: constant(uint256) = 1
_F_QUEUED: constant(uint256) = 2
_F_EXECUTED: constant(uint256) = 4
_F_CONSTITUTIONAL: constant(uint256) = 8

# Bit layout of a packed member slot.
_OFF_JOINED: constant(uint256) = 32
_OFF_LEFT: constant(uint256) = 72
_OFF_PAID: constant(uint256) = 112
_OFF_TERMS: constant(uint256) = 152

# Bit layout of a packed settings word (the global word adds the counter).
_OFF_S_PERIOD: constant(uint256) = 32
_OFF_S_TIMELOCK: constant(uint256) = 64
_OFF_S_WINDOW: constant(uint256) = 96
_OFF_S_QUORUM: constant(uint256) = 128
_OFF_S_CONST: constant(uint256) = 144
_OFF_S_GRACE: constant(uint256) = 160
_OFF_G_VERSION: constant(uint256) = 192
_OFF_G_COUNT: constant(uint256) = 208

# Member-proposal slot: keccak(actions) with the low 32 bits replaced by the id.
_SLOT_ALLOCATED: constant(uint256) = 2**32

# Selectors that decide whether an action is constitutional.
_SEL_ADMIT: constant(bytes4) = method_id("admit_member(address)", output_type=bytes4)
_SEL_SET_DUES: constant(bytes4) = method_id("set_dues(address,uint256,uint256)", output_type=bytes4)
_SEL_SET_BASE_URI: constant(bytes4) = method_id("set_base_uri(string)", output_type=bytes4)
_SEL_CARD_MINT: constant(bytes4) = method_id("mint(address)", output_type=bytes4)
_SEL_CARD_BURN: constant(bytes4) = method_id("burn(address)", output_type=bytes4)

_SUPPORTED_INTERFACES: constant(bytes4[1]) = [
    0x01FFC9A7,  # ERC-165
]

card: public(address)
treasury: public(address)

# current settings (bits 0..191), settings version (192..207), proposal count (208..239)
_global: uint256
# settings in force at each version
_settings_at: HashMap[uint256, uint256]
# proposal id -> packed core slot
_core: HashMap[uint256, uint256]
# member index -> actions hash of their latest proposal, low 32 bits = its id
_member_proposal: HashMap[uint256, uint256]
# proposal id -> word (index >> 8) -> who-voted bits
_voted: HashMap[uint256, HashMap[uint256, uint256]]
# account -> index 0..31 | joined 32..71 | left 72..111 | paid_through 112..151 | past terms 152..167
_member: HashMap[address, uint256]
# account -> k -> joined | left << 40 | paid_through << 80 of the k-th finished term
_past_term: HashMap[address, HashMap[uint256, uint256]]
# member count checkpoints, four per slot: (timestamp 40 | count 24) each
_checkpoints: HashMap[uint256, uint256]
# next index 0..31 | count 32..55 | checkpoint count 56..95
_roll: uint256
# id of the proposal whose actions are running
_executing: transient (uint256)


# Everything else about a proposal follows from this log and the settings
# version in force at its block (`proposal(id)` returns it all): snapshot =
# block time - 1, vote start = block time + voting delay, vote end = vote
# start + voting period, actions hash = keccak256(abi_encode(actions)).
# Not repeated here to keep proposing cheap.
event ProposalCreated:
    proposal_id: indexed(uint256)
    proposer: indexed(address)
    actions: DynArray[Action, MAX_ACTIONS]
    description: String[MAX_DESCRIPTION]


event VoteCast:
    voter: indexed(address)
    proposal_id: indexed(uint256)
    support: uint8


event VoteReason:
    voter: indexed(address)
    proposal_id: indexed(uint256)
    reason: String[MAX_REASON]


event ProposalCanceled:
    proposal_id: indexed(uint256)


event ProposalQueued:
    proposal_id: indexed(uint256)
    eta: uint256
    votes_for: uint256
    votes_against: uint256
    votes_abstain: uint256
    quorum_base: uint256


event ProposalExecuted:
    proposal_id: indexed(uint256)
    executor: indexed(address)


event MemberAdmitted:
    member: indexed(address)
    index: uint256
    paid_through: uint256
    member_count: uint256


event MemberLeft:
    member: indexed(address)
    resigned: bool
    member_count: uint256


event DuesCredited:
    member: indexed(address)
    paid_through_before: uint256
    paid_through_after: uint256


event SettingsChanged:
    version: indexed(uint256)
    old_settings: Settings
    new_settings: Settings


@deploy
def __init__():
    """
    @notice Locks the implementation: clones are initialised, this is not.
            A non-zero card is the "initialised" mark (no extra slot).
    """
    self.card = self


@external
def initialize(
    card: address,
    treasury: address,
    founders: DynArray[address, MAX_FOUNDERS],
    settings: Settings,
):
    """
    @notice Wires a fresh clone to its card and treasury, sets the first
            settings and admits the founders. Callable once.
    @param card The collective's membership card.
    @param treasury The collective's treasury.
    @param founders The founding members (at least one, no duplicates).
    @param settings The first voting settings (version 0).
    """
    assert self.card == empty(address), "governor: already initialized"
    assert card != empty(address), "governor: zero card"
    assert treasury != empty(address), "governor: zero treasury"
    assert len(founders) > 0, "governor: no founders"
    self.card = card
    self.treasury = treasury
    packed: uint256 = self._pack_settings(settings)
    self._settings_at[0] = packed
    self._global = packed
    log SettingsChanged(version=0, old_settings=empty(Settings), new_settings=settings)
    for founder: address in founders:
        self._admit(founder)


@external
def propose(
    actions: DynArray[Action, MAX_ACTIONS], description: String[MAX_DESCRIPTION]
) -> uint256:
    """
    @notice Creates a proposal. An empty action list makes a signal-only
            proposal. The caller must be a member in good standing with no
            other live proposal.
    @param actions Calls to make if the proposal passes.
    @param description What the proposal is about (kept in the event only).
    @return uint256 The sequential proposal id.
    """
    g: uint256 = self._global
    rec: uint256 = self._member[msg.sender]
    assert rec != 0 and ((rec >> _OFF_LEFT) & _M40) == 0, "governor: not a member"
    # 40-bit + 32-bit fields: the unchecked sums below cannot overflow
    assert (
        unsafe_add((rec >> _OFF_PAID) & _M40, (g >> _OFF_S_GRACE) & _M32) >= block.timestamp
    ), "governor: dues in arrears"
    index: uint256 = rec & _M32
    previous: uint256 = self._member_proposal[index] & _M32
    if previous != 0:
        assert not self._is_live(previous), "governor: proposer has a live proposal"

    constitutional: bool = False
    for action: Action in actions:
        assert action.target != empty(address), "governor: zero target"
        if self._is_constitutional(action):
            constitutional = True
    proposal_id: uint256 = unsafe_add(g >> _OFF_G_COUNT, 1)
    assert proposal_id <= _M32, "governor: proposal ids exhausted"
    snapshot: uint256 = unsafe_sub(block.timestamp, 1)
    start_offset: uint256 = unsafe_add(g & _M32, 1)
    end_offset: uint256 = unsafe_add(start_offset, (g >> _OFF_S_PERIOD) & _M32)
    version: uint256 = ((g >> _OFF_G_VERSION) & 65_535)
    flags: uint256 = 0
    if constitutional:
        flags = _F_CONSTITUTIONAL
    self._core[proposal_id] = (
        snapshot
        | start_offset << _OFF_B
        | end_offset << _OFF_END
        | flags << _OFF_FLAGS
        | index << _OFF_PROPOSER
        | version << _OFF_VERSION
    )
    actions_hash: bytes32 = keccak256(abi_encode(actions))
    self._member_proposal[index] = (convert(actions_hash, uint256) & ~_M32) | proposal_id
    self._global = unsafe_add(g, 1 << _OFF_G_COUNT)
    log ProposalCreated(
        proposal_id=proposal_id,
        proposer=msg.sender,
        actions=actions,
        description=description,
    )
    return proposal_id


@external
def cast_vote(proposal_id: uint256, support: uint8):
    """
    @notice Votes on an active proposal: 0 Against, 1 For, 2 Abstain.
    @param proposal_id The proposal.
    @param support The choice.
    """
    self._cast(msg.sender, proposal_id, support)


@external
def cast_vote_with_reason(proposal_id: uint256, support: uint8, reason: String[MAX_REASON]):
    """
    @notice Votes with a reason that is logged with the vote.
    @param proposal_id The proposal.
    @param support 0 Against, 1 For, 2 Abstain.
    @param reason Free text, logged.
    """
    self._cast(msg.sender, proposal_id, support)
    if len(reason) > 0:
        log VoteReason(voter=msg.sender, proposal_id=proposal_id, reason=reason)


@external
def cast_vote_by_sig(
    proposal_id: uint256,
    support: uint8,
    voter: address,
    expiry: uint256,
    reason: String[MAX_REASON],
    signature: Bytes[65],
):
    """
    @notice Relays a vote signed by `voter` (EIP-712 typed data `Ballot`,
            see `ballot_digest`). Anyone may relay; the voter needs no ETH.
            The signature binds proposal, support, voter, expiry, reason,
            chain id and this contract; the who-voted bit makes it single-use.
    @param proposal_id The proposal.
    @param support 0 Against, 1 For, 2 Abstain.
    @param voter The member who signed.
    @param expiry Last timestamp at which the signature may be used.
    @param reason The signed reason ("" for none).
    @param signature 65 bytes r | s | v.
    """
    assert block.timestamp <= expiry, "governor: signature expired"
    assert len(signature) == 65, "governor: bad signature length"
    digest: bytes32 = self._ballot_digest(proposal_id, support, voter, expiry, reason)
    assert ecdsa._recover_sig(digest, signature) == voter, "governor: wrong signer"
    self._cast(voter, proposal_id, support)
    if len(reason) > 0:
        log VoteReason(voter=voter, proposal_id=proposal_id, reason=reason)


@external
def cancel(proposal_id: uint256):
    """
    @notice The proposer withdraws a proposal before voting opens.
    @param proposal_id The proposal.
    """
    core: uint256 = self._core[proposal_id]
    assert core != 0, "governor: unknown proposal"
    rec: uint256 = self._member[msg.sender]
    assert rec != 0 and rec & _M32 == ((core >> _OFF_PROPOSER) & _M32), "governor: not the proposer"
    assert self._state(core) == ProposalState.PENDING, "governor: voting already open"
    self._core[proposal_id] = core | (_F_CANCELED << _OFF_FLAGS)
    log ProposalCanceled(proposal_id=proposal_id)


@external
def queue(proposal_id: uint256):
    """
    @notice Queues a succeeded proposal; it becomes executable after the
            timelock of the settings it was made under.
    @param proposal_id The proposal.
    """
    core: uint256 = self._core[proposal_id]
    assert core != 0, "governor: unknown proposal"
    assert self._state(core) == ProposalState.SUCCEEDED, "governor: proposal not succeeded"
    settings: uint256 = self._settings_at[((core >> _OFF_VERSION) & 65_535)]
    snapshot: uint256 = core & _M40
    eta: uint256 = block.timestamp + ((settings >> _OFF_S_TIMELOCK) & _M32)
    self._core[proposal_id] = (
        (core & ~(_M32 << _OFF_B)) | ((eta - snapshot) << _OFF_B) | (_F_QUEUED << _OFF_FLAGS)
    )
    log ProposalQueued(
        proposal_id=proposal_id,
        eta=eta,
        votes_for=((core >> (_OFF_TALLY + 24)) & _M24),
        votes_against=((core >> _OFF_TALLY) & _M24),
        votes_abstain=((core >> (_OFF_TALLY + 48)) & _M24),
        quorum_base=self._count_at(snapshot),
    )


@payable
@external
@nonreentrant
def execute(proposal_id: uint256, actions: DynArray[Action, MAX_ACTIONS]):
    """
    @notice Executes a queued proposal whose timelock has elapsed, with
            exactly the actions voted. `msg.value` must equal the sum of the
            actions' values (treasury funds move through treasury actions).
    @param proposal_id The proposal.
    @param actions The actions, as proposed.
    """
    core: uint256 = self._core[proposal_id]
    assert core != 0, "governor: unknown proposal"
    state: ProposalState = self._state(core)
    assert state == ProposalState.QUEUED, "governor: proposal not queued"
    assert block.timestamp >= (core & _M40) + (
        (core >> _OFF_B) & _M32
    ), "governor: timelock not elapsed"
    slot: uint256 = self._member_proposal[((core >> _OFF_PROPOSER) & _M32)]
    actions_hash: uint256 = convert(keccak256(abi_encode(actions)), uint256)
    assert (
        slot & _M32 == proposal_id and (slot ^ actions_hash) & ~_M32 == 0
    ), "governor: actions mismatch"
    total: uint256 = 0
    for action: Action in actions:
        total += action.value
    assert msg.value == total, "governor: wrong value"

    self._core[proposal_id] = core | (_F_EXECUTED << _OFF_FLAGS)
    self._executing = proposal_id
    for action: Action in actions:
        raw_call(action.target, action.data, value=action.value)
    self._executing = 0
    log ProposalExecuted(proposal_id=proposal_id, executor=msg.sender)


@external
def admit_member(account: address):
    """
    @notice Issues a membership card. Only by vote (an executed proposal).
    @param account The new member.
    """
    assert msg.sender == self, "governor: only by vote"
    self._admit(account)


@external
def revoke_member(account: address):
    """
    @notice Revokes a member's card. Only by vote (constitutional).
    @param account The member.
    """
    assert msg.sender == self, "governor: only by vote"
    self._remove(account, False)


@external
def resign():
    """
    @notice The caller gives up their card. Their votes already cast, and
            their right to vote on proposals made while they were a member,
            stay as they are (snapshot rule).
    """
    self._remove(msg.sender, True)


@external
def update_settings(settings: Settings):
    """
    @notice Changes the voting settings. Only by vote (constitutional).
            Proposals already made keep the settings they were made under.
    @param settings The new settings.
    """
    assert msg.sender == self, "governor: only by vote"
    g: uint256 = self._global
    version: uint256 = (((g >> _OFF_G_VERSION) & 65_535)) + 1
    assert version <= MAX_SETTINGS_VERSION, "governor: too many settings versions"
    packed: uint256 = self._pack_settings(settings)
    self._settings_at[version] = packed
    self._global = packed | version << _OFF_G_VERSION | (g >> _OFF_G_COUNT) << _OFF_G_COUNT
    log SettingsChanged(
        version=version, old_settings=self._unpack_settings(g), new_settings=settings
    )


@external
def credit_dues(member: address, seconds: uint256) -> uint256:
    """
    @notice Extends a member's paid-through time. Only the treasury calls
            this, after it has received the dues.
    @param member The member whose dues were paid.
    @param seconds Whole periods paid, in seconds.
    @return uint256 The new paid-through time.
    """
    assert msg.sender == self.treasury, "governor: only the treasury"
    rec: uint256 = self._member[member]
    assert rec != 0 and ((rec >> _OFF_LEFT) & _M40) == 0, "governor: not a member"
    before: uint256 = ((rec >> _OFF_PAID) & _M40)
    after: uint256 = before + seconds
    assert after <= block.timestamp + MAX_PREPAID, "governor: prepaid too far ahead"
    self._member[member] = (rec & ~(_M40 << _OFF_PAID)) | (after << _OFF_PAID)
    log DuesCredited(member=member, paid_through_before=before, paid_through_after=after)
    return after


@view
@external
def initialized() -> bool:
    """
    @notice Whether this governor is wired (always true for the implementation).
    """
    return self.card != empty(address)


@view
@external
def state(proposal_id: uint256) -> ProposalState:
    """
    @notice The proposal's state now.
    """
    core: uint256 = self._core[proposal_id]
    assert core != 0, "governor: unknown proposal"
    return self._state(core)


@view
@external
def proposal(
    proposal_id: uint256,
) -> (
    uint256, uint256, uint256, uint256, uint256, uint256, uint256, uint256, bool, uint256, uint256
):
    """
    @notice The proposal's stored facts.
    @return (proposer index, snapshot, vote_start, vote_end, eta (0 until queued),
            for, against, abstain, constitutional, settings version,
            quorum base = members at the snapshot)
    """
    core: uint256 = self._core[proposal_id]
    assert core != 0, "governor: unknown proposal"
    snapshot: uint256 = core & _M40
    flags: uint256 = ((core >> _OFF_FLAGS) & 255)
    vote_start: uint256 = 0
    eta: uint256 = 0
    if flags & _F_QUEUED != 0:
        eta = snapshot + ((core >> _OFF_B) & _M32)
        vote_start = snapshot + 1 + (self._settings_at[((core >> _OFF_VERSION) & 65_535)] & _M32)
    else:
        vote_start = snapshot + ((core >> _OFF_B) & _M32)
    return (
        ((core >> _OFF_PROPOSER) & _M32),
        snapshot,
        vote_start,
        snapshot + ((core >> _OFF_END) & _M32),
        eta,
        ((core >> (_OFF_TALLY + 24)) & _M24),
        ((core >> _OFF_TALLY) & _M24),
        ((core >> (_OFF_TALLY + 48)) & _M24),
        flags & _F_CONSTITUTIONAL != 0,
        ((core >> _OFF_VERSION) & 65_535),
        self._count_at(snapshot),
    )


@view
@external
def has_voted(proposal_id: uint256, account: address) -> bool:
    """
    @notice Whether `account` has voted on the proposal.
    """
    rec: uint256 = self._member[account]
    if rec == 0:
        return False
    index: uint256 = rec & _M32
    return (self._voted[proposal_id][index >> 8] >> (index & 255)) & 1 == 1


@view
@external
def can_vote(proposal_id: uint256, account: address) -> bool:
    """
    @notice Whether `account` is eligible on this proposal by the snapshot
            rule (ignores whether voting is open or they already voted).
    """
    core: uint256 = self._core[proposal_id]
    assert core != 0, "governor: unknown proposal"
    return self._eligible(account, self._member[account], core) == 0


@view
@external
def proposal_count() -> uint256:
    """
    @notice Number of proposals made; ids run from 1 to this.
    """
    return self._global >> _OFF_G_COUNT


@view
@external
def settings() -> Settings:
    """
    @notice The settings new proposals are made under.
    """
    return self._unpack_settings(self._global)


@view
@external
def settings_version() -> uint256:
    """
    @notice The current settings version.
    """
    return ((self._global >> _OFF_G_VERSION) & 65_535)


@view
@external
def settings_at(version: uint256) -> Settings:
    """
    @notice The settings of a given version.
    """
    assert version <= (
        (self._global >> _OFF_G_VERSION) & 65_535
    ), "governor: unknown settings version"
    return self._unpack_settings(self._settings_at[version])


@view
@external
def executing_proposal() -> uint256:
    """
    @notice The id of the proposal whose actions are running (0 otherwise).
    """
    return self._executing


@view
@external
def is_member(account: address) -> bool:
    """
    @notice Whether `account` holds a card now.
    """
    rec: uint256 = self._member[account]
    return rec != 0 and ((rec >> _OFF_LEFT) & _M40) == 0


@view
@external
def in_good_standing(account: address) -> bool:
    """
    @notice Whether `account` is a member whose dues are paid through
            now minus the current grace.
    """
    rec: uint256 = self._member[account]
    if rec == 0 or ((rec >> _OFF_LEFT) & _M40) != 0:
        return False
    return ((rec >> _OFF_PAID) & _M40) + ((self._global >> _OFF_S_GRACE) & _M32) >= block.timestamp


@view
@external
def member(account: address) -> (bool, uint256, uint256, uint256, uint256):
    """
    @notice A member's roll entry.
    @return (member now, index, joined, left (0 while a member), paid_through)
    """
    rec: uint256 = self._member[account]
    return (
        rec != 0 and ((rec >> _OFF_LEFT) & _M40) == 0,
        rec & _M32,
        ((rec >> _OFF_JOINED) & _M40),
        ((rec >> _OFF_LEFT) & _M40),
        ((rec >> _OFF_PAID) & _M40),
    )


@view
@external
def paid_through(account: address) -> uint256:
    """
    @notice Time until which `account`'s dues are paid.
    """
    return (self._member[account] >> _OFF_PAID) & _M40


@view
@external
def member_count() -> uint256:
    """
    @notice Number of cards now.
    """
    return ((self._roll >> 32) & _M24)


@view
@external
def member_count_at(timestamp: uint256) -> uint256:
    """
    @notice Number of cards at the end of `timestamp` (O(log n) lookup).
    """
    return self._count_at(timestamp)


@view
@external
def was_member_at(account: address, timestamp: uint256) -> bool:
    """
    @notice Whether `account` held a card at the end of `timestamp`
            (O(log terms) lookup).
    """
    return self._held_at(account, self._member[account], timestamp)


@view
@external
def roll_size() -> uint256:
    """
    @notice Number of roll indices ever issued (0 .. roll_size - 1). An index
            is given at a first admission and kept for life, so sampling an
            index uniformly samples everyone who was ever admitted.
    @return uint256 The number of indices issued.
    """
    return self._roll & _M32


@view
@external
def roll_index(account: address) -> uint256:
    """
    @notice The roll index of `account` (fixed at its first admission).
    @param account Someone who was admitted at least once.
    @return uint256 The index.
    """
    rec: uint256 = self._member[account]
    assert rec != 0, "governor: never a member"
    return rec & _M32


@view
@external
def eligible_at(account: address, timestamp: uint256) -> bool:
    """
    @notice Whether `account` held a card at the end of `timestamp` and its
            dues covered that time (paid-through of that term plus the
            current grace). The standing other contracts of the collective
            (escrow panels, mutual aid) use for a snapshot.
    @param account The account.
    @param timestamp The snapshot time.
    @return bool True when eligible.
    """
    rec: uint256 = self._member[account]
    paid: uint256 = 0
    if rec != 0 and (rec >> _OFF_JOINED) & _M40 <= timestamp:
        left: uint256 = (rec >> _OFF_LEFT) & _M40
        if left != 0 and timestamp >= left:
            return False
        paid = (rec >> _OFF_PAID) & _M40
    else:
        term: uint256 = self._past_term_at(account, rec, timestamp)
        if term == 0:
            return False
        paid = (term >> 80) & _M40
    return paid + ((self._global >> _OFF_S_GRACE) & _M32) >= timestamp


@view
@external
def ballot_digest(
    proposal_id: uint256,
    support: uint8,
    voter: address,
    expiry: uint256,
    reason: String[MAX_REASON],
) -> bytes32:
    """
    @notice The EIP-712 digest a voter signs for `cast_vote_by_sig`.
    """
    return self._ballot_digest(proposal_id, support, voter, expiry, reason)


@view
@external
def DOMAIN_SEPARATOR() -> bytes32:
    """
    @notice The EIP-712 domain separator (computed, so clones and forks
            always get their own).
    """
    return self._domain_separator()


@view
@external
def eip712Domain() -> (
    bytes1, String[3], String[1], uint256, address, bytes32, DynArray[uint256, 1]
):
    """
    @notice EIP-5267 description of the signing domain.
    """
    return (0x0f, EIP712_NAME, EIP712_VERSION, chain.id, self, empty(bytes32), [])


@view
@external
def supportsInterface(interface_id: bytes4) -> bool:
    """
    @notice ERC-165.
    """
    return interface_id in _SUPPORTED_INTERFACES


@internal
def _cast(voter: address, proposal_id: uint256, support: uint8):
    core: uint256 = self._core[proposal_id]
    assert core != 0, "governor: unknown proposal"
    assert support <= SUPPORT_ABSTAIN, "governor: invalid support"
    snapshot: uint256 = core & _M40
    flags: uint256 = ((core >> _OFF_FLAGS) & 255)
    assert flags & _F_CANCELED == 0, "governor: proposal canceled"
    # end first: once queued, the start field holds the eta, and the answer must be "closed"
    assert block.timestamp < unsafe_add(
        snapshot, (core >> _OFF_END) & _M32
    ), "governor: voting closed"
    assert block.timestamp >= unsafe_add(
        snapshot, (core >> _OFF_B) & _M32
    ), "governor: voting not open"
    rec: uint256 = self._member[voter]
    problem: uint256 = self._eligible(voter, rec, core)
    assert problem != 1, "governor: not a member at snapshot"
    assert problem != 2, "governor: dues in arrears at snapshot"
    index: uint256 = rec & _M32
    word: uint256 = self._voted[proposal_id][index >> 8]
    bit: uint256 = 1 << (index & 255)
    assert word & bit == 0, "governor: already voted"
    self._voted[proposal_id][index >> 8] = word | bit
    # a tally counts distinct members (< 2**24), so it never carries into the next field
    self._core[proposal_id] = unsafe_add(
        core, 1 << unsafe_add(_OFF_TALLY, unsafe_mul(24, convert(support, uint256)))
    )
    log VoteCast(voter=voter, proposal_id=proposal_id, support=support)


@view
@internal
def _eligible(account: address, rec: uint256, core: uint256) -> uint256:
    # 0 eligible, 1 no card at the snapshot, 2 dues not covering the snapshot
    snapshot: uint256 = core & _M40
    paid: uint256 = 0
    if rec != 0 and (rec >> _OFF_JOINED) & _M40 <= snapshot:
        # the usual case: the current (or latest) term covers the snapshot
        left: uint256 = (rec >> _OFF_LEFT) & _M40
        if left != 0 and snapshot >= left:
            return 1
        paid = (rec >> _OFF_PAID) & _M40
    else:
        term: uint256 = self._past_term_at(account, rec, snapshot)
        if term == 0:
            return 1
        paid = (term >> 80) & _M40
    if paid >= snapshot:
        return 0
    grace: uint256 = (self._settings_at[(core >> _OFF_VERSION) & 65_535] >> _OFF_S_GRACE) & _M32
    if unsafe_add(paid, grace) >= snapshot:
        return 0
    return 2


@view
@internal
def _held_at(account: address, rec: uint256, timestamp: uint256) -> bool:
    if rec == 0:
        return False
    if (rec >> _OFF_JOINED) & _M40 <= timestamp:
        left: uint256 = (rec >> _OFF_LEFT) & _M40
        return left == 0 or timestamp < left
    return self._past_term_at(account, rec, timestamp) != 0


@view
@internal
def _past_term_at(account: address, rec: uint256, timestamp: uint256) -> uint256:
    # the finished term covering `timestamp` (binary search), or 0
    low: uint256 = 0
    high: uint256 = (rec >> _OFF_TERMS) & 65_535
    for _: uint256 in range(16):
        if low >= high:
            break
        mid: uint256 = (low + high) // 2
        if self._past_term[account][mid] & _M40 <= timestamp:
            low = mid + 1
        else:
            high = mid
    if low == 0:
        return 0
    term: uint256 = self._past_term[account][low - 1]
    if timestamp < (term >> 40) & _M40:
        return term
    return 0


@view
@internal
def _count_at(timestamp: uint256) -> uint256:
    n: uint256 = ((self._roll >> 56) & _M40)
    if n == 0:
        return 0
    last: uint256 = self._checkpoint(n - 1)
    if last & _M40 <= timestamp:
        return last >> 40
    low: uint256 = 0
    high: uint256 = n - 1
    for _: uint256 in range(40):
        if low >= high:
            break
        mid: uint256 = (low + high) // 2
        if self._checkpoint(mid) & _M40 <= timestamp:
            low = mid + 1
        else:
            high = mid
    if low == 0:
        return 0
    return self._checkpoint(low - 1) >> 40


@view
@internal
def _checkpoint(i: uint256) -> uint256:
    return (self._checkpoints[i >> 2] >> ((i & 3) * 64)) & (2**64 - 1)


@internal
def _write_count(count: uint256):
    # Records the member count at this timestamp, in place when the last
    # checkpoint is from the same timestamp.
    roll: uint256 = self._roll
    n: uint256 = ((roll >> 56) & _M40)
    entry: uint256 = block.timestamp | count << 40
    i: uint256 = n
    if n > 0 and self._checkpoint(n - 1) & _M40 == block.timestamp:
        i = n - 1
    else:
        n += 1
    bit_offset: uint256 = (i & 3) * 64
    word: uint256 = self._checkpoints[i >> 2]
    self._checkpoints[i >> 2] = (word & ~((2**64 - 1) << bit_offset)) | (entry << bit_offset)
    self._roll = (roll & _M32) | count << 32 | n << 56


@internal
def _admit(account: address):
    assert account != empty(address), "governor: zero address"
    rec: uint256 = self._member[account]
    assert rec == 0 or ((rec >> _OFF_LEFT) & _M40) != 0, "governor: already a member"
    roll: uint256 = self._roll
    count: uint256 = ((roll >> 32) & _M24) + 1
    assert count <= MAX_MEMBERS, "governor: roll full"
    index: uint256 = 0
    terms: uint256 = 0
    paid: uint256 = block.timestamp
    if rec == 0:
        index = roll & _M32
        self._roll = roll + 1
        self._member_proposal[index] = _SLOT_ALLOCATED
    else:
        # re-admission: keep the index (so votes already cast stay counted
        # once) and file the finished term for history lookups. A finished term
        # keeps its paid-through: standing at a snapshot within it is judged by
        # it, so re-admission (a fresh, paid-up term) waives nothing for
        # proposals made while the member was in arrears.
        index = rec & _M32
        terms = ((rec >> _OFF_TERMS) & 65_535)
        assert terms < 65_535, "governor: too many terms"
        self._past_term[account][terms] = (
            ((rec >> _OFF_JOINED) & _M40)
            | ((rec >> _OFF_LEFT) & _M40) << 40
            | ((rec >> _OFF_PAID) & _M40) << 80
        )
        terms += 1
        # time already paid for carries over to the new term
        paid = max(paid, (rec >> _OFF_PAID) & _M40)
    self._member[account] = (
        index | block.timestamp << _OFF_JOINED | paid << _OFF_PAID | terms << _OFF_TERMS
    )
    self._write_count(count)
    extcall ICard(self.card).mint(account)
    log MemberAdmitted(member=account, index=index, paid_through=paid, member_count=count)


@internal
def _remove(account: address, resigned: bool):
    rec: uint256 = self._member[account]
    assert rec != 0 and ((rec >> _OFF_LEFT) & _M40) == 0, "governor: not a member"
    self._member[account] = rec | block.timestamp << _OFF_LEFT
    count: uint256 = ((self._roll >> 32) & _M24) - 1
    self._write_count(count)
    extcall ICard(self.card).burn(account)
    log MemberLeft(member=account, resigned=resigned, member_count=count)


@view
@internal
def _state(core: uint256) -> ProposalState:
    flags: uint256 = ((core >> _OFF_FLAGS) & 255)
    if flags & _F_EXECUTED != 0:
        return ProposalState.EXECUTED
    if flags & _F_CANCELED != 0:
        return ProposalState.CANCELED
    snapshot: uint256 = core & _M40
    settings: uint256 = 0
    if flags & _F_QUEUED != 0:
        settings = self._settings_at[((core >> _OFF_VERSION) & 65_535)]
        if block.timestamp >= snapshot + ((core >> _OFF_B) & _M32) + (
            (settings >> _OFF_S_WINDOW) & _M32
        ):
            return ProposalState.EXPIRED
        return ProposalState.QUEUED
    if block.timestamp < snapshot + ((core >> _OFF_B) & _M32):
        return ProposalState.PENDING
    vote_end: uint256 = snapshot + ((core >> _OFF_END) & _M32)
    if block.timestamp < vote_end:
        return ProposalState.ACTIVE
    settings = self._settings_at[((core >> _OFF_VERSION) & 65_535)]
    if not self._passed(core, settings):
        return ProposalState.DEFEATED
    if block.timestamp >= vote_end + ((settings >> _OFF_S_WINDOW) & _M32):
        return ProposalState.EXPIRED
    return ProposalState.SUCCEEDED


@view
@internal
def _passed(core: uint256, settings: uint256) -> bool:
    votes_against: uint256 = ((core >> _OFF_TALLY) & _M24)
    votes_for: uint256 = ((core >> (_OFF_TALLY + 24)) & _M24)
    votes_abstain: uint256 = ((core >> (_OFF_TALLY + 48)) & _M24)
    base: uint256 = self._count_at(core & _M40)
    quorum_bps: uint256 = ((settings >> _OFF_S_QUORUM) & 65_535)
    # quorum: at least ceil(base * quorum_bps / BPS) participating votes, and at least one
    if (votes_for + votes_against + votes_abstain) * BPS < base * quorum_bps:
        return False
    if votes_for <= votes_against:
        return False
    if (core >> _OFF_FLAGS) & _F_CONSTITUTIONAL != 0:
        threshold: uint256 = ((settings >> _OFF_S_CONST) & 65_535)
        return votes_for * BPS >= (votes_for + votes_against) * threshold
    return True


@view
@internal
def _is_live(proposal_id: uint256) -> bool:
    state: ProposalState = self._state(self._core[proposal_id])
    return state in (
        ProposalState.PENDING
        | ProposalState.ACTIVE
        | ProposalState.SUCCEEDED
        | ProposalState.QUEUED
    )


@view
@internal
def _is_constitutional(action: Action) -> bool:
    # By selector, so no storage is read: any call to this governor other
    # than an admission, and any call with the selector of the treasury's
    # `set_dues` or the card's `set_base_uri` (on whatever target; a
    # look-alike elsewhere only raises the bar it has to pass).
    if len(action.data) < 4:
        return action.target == self
    selector: bytes4 = convert(slice(action.data, 0, 4), bytes4)
    if action.target == self:
        return selector != _SEL_ADMIT
    if selector == _SEL_CARD_MINT or selector == _SEL_CARD_BURN:
        # cards appear and vanish only with the roll (admit, revoke, resign)
        assert action.target != self.card, "governor: cards follow the roll only"
    return selector == _SEL_SET_DUES or selector == _SEL_SET_BASE_URI


@pure
@internal
def _pack_settings(s: Settings) -> uint256:
    assert s.voting_delay <= MAX_DURATION, "governor: voting delay too long"
    assert s.voting_period > 0, "governor: zero voting period"
    assert s.voting_period <= MAX_DURATION, "governor: voting period too long"
    assert s.timelock_delay <= MAX_DURATION, "governor: timelock too long"
    assert s.execution_window > 0, "governor: zero execution window"
    assert s.execution_window <= MAX_DURATION, "governor: execution window too long"
    assert s.quorum_bps > 0 and s.quorum_bps <= BPS, "governor: quorum out of range"
    assert (
        s.constitutional_bps > BPS // 2 and s.constitutional_bps <= BPS
    ), "governor: threshold out of range"
    assert s.dues_grace <= MAX_DURATION, "governor: grace too long"
    return (
        s.voting_delay
        | s.voting_period << _OFF_S_PERIOD
        | s.timelock_delay << _OFF_S_TIMELOCK
        | s.execution_window << _OFF_S_WINDOW
        | s.quorum_bps << _OFF_S_QUORUM
        | s.constitutional_bps << _OFF_S_CONST
        | s.dues_grace << _OFF_S_GRACE
    )


@pure
@internal
def _unpack_settings(word: uint256) -> Settings:
    return Settings(
        voting_delay=word & _M32,
        voting_period=((word >> _OFF_S_PERIOD) & _M32),
        timelock_delay=((word >> _OFF_S_TIMELOCK) & _M32),
        execution_window=((word >> _OFF_S_WINDOW) & _M32),
        quorum_bps=((word >> _OFF_S_QUORUM) & 65_535),
        constitutional_bps=((word >> _OFF_S_CONST) & 65_535),
        dues_grace=((word >> _OFF_S_GRACE) & _M32),
    )


@view
@internal
def _domain_separator() -> bytes32:
    return keccak256(abi_encode(_DOMAIN_TYPEHASH, _NAME_HASH, _VERSION_HASH, chain.id, self))


@view
@internal
def _ballot_digest(
    proposal_id: uint256,
    support: uint8,
    voter: address,
    expiry: uint256,
    reason: String[MAX_REASON],
) -> bytes32:
    struct_hash: bytes32 = keccak256(
        abi_encode(BALLOT_TYPEHASH, proposal_id, support, voter, expiry, keccak256(reason))
    )
    return keccak256(concat(b"\x19\x01", self._domain_separator(), struct_hash))
