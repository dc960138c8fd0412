# pragma version ~=0.4.3
"""
@title iwo proposals: life, votes, counting, timelock and execution
@custom:contract-name proposals
@license GNU Affero General Public License v3.0 only
@notice A proposal is a list of actions (calls this governor makes if it
        passes) plus a description. Its life: Pending (until voting opens)
        -> Active -> Defeated or Succeeded -> Queued (earliest execution =
        queue time + timelock) -> Executed, or Expired when the execution
        window passes (also for a Succeeded proposal never queued within the
        window). The proposer may cancel while it is Pending.

        Snapshot rule. A proposal's snapshot is `created - 1` (the state at
        the end of the block before it). A member may vote on it when they
        held a card at the snapshot and their dues covered it:
        `paid_through + dues_grace >= snapshot`, with the grace in force when
        the proposal was made (roll.vy, `_eligibility`). Payments only move
        `paid_through` forward, so a vote right, once held, is never lost.
        Arrears paid later DO restore the right to vote on a proposal whose
        snapshot the payment covers. Admissions after the snapshot never
        count, and the quorum base is the number of cards at the snapshot,
        members in arrears included (they may vote once they pay).

        Counting. One member, one vote: For, Against or Abstain. A proposal
        passes when For + Against + Abstain reaches the quorum share of the
        quorum base, For > Against, and, for a constitutional proposal, For
        reaches the constitutional share of For + Against; shares are met
        when, rounded half up to the basis point, they are at least the
        setting (settings.vy, `_reaches`). Constitutional: any action that
        calls this governor other than to admit a member, or that carries the
        selector of the treasury's `set_dues` or the card's `set_base_uri`.
@custom:security Anyone may queue a succeeded proposal and execute a queued
                 one after its timelock, with exactly the actions that were
                 voted (their hash is stored). Execution is non-reentrant;
                 while it runs, `executing_proposal()` names it (the
                 treasury moves money only then). Members propose (in good
                 standing, one live proposal each), vote and cancel their
                 own pending proposal.
"""

# @dev Membership, standing at a snapshot, member counts at a time, the
#      member's proposal slot and the card address.
from . import roll

# @dev The settings a proposal is made under and the proposal counter.
from . import settings

uses: roll
uses: settings


# @dev One call the governor makes when the proposal is executed.
struct Action:
    target: address
    value: uint256
    data: Bytes[MAX_CALLDATA]


flag ProposalState:
    PENDING
    ACTIVE
    CANCELED
    DEFEATED
    SUCCEEDED
    QUEUED
    EXPIRED
    EXECUTED


# @dev Everything about a proposal, for people and programs (`proposal`).
struct ProposalView:
    state: ProposalState
    proposer_index: uint256
    snapshot: uint256
    vote_start: uint256
    vote_end: uint256
    # 0 until queued
    eta: uint256
    # queue-by time before queueing, execute-by time after
    execution_deadline: uint256
    votes_for: uint256
    votes_against: uint256
    votes_abstain: uint256
    constitutional: bool
    settings_version: uint256
    # members at the snapshot
    quorum_base: uint256
    # participating votes needed (at least 1)
    quorum_votes: uint256


MAX_ACTIONS: public(constant(uint256)) = 8
MAX_CALLDATA: public(constant(uint256)) = 512
MAX_DESCRIPTION: public(constant(uint256)) = 2048
MAX_REASON: public(constant(uint256)) = 512
MAX_PROPOSALS: constant(uint256) = settings.PROPOSAL_COUNT_MASK
SUPPORT_AGAINST: constant(uint8) = 0
SUPPORT_FOR: constant(uint8) = 1
SUPPORT_ABSTAIN: constant(uint8) = 2

# A proposal word, one storage slot per proposal (zero: no such proposal):
#
#   255   246 245      230 229          198 197   190 189      166 165      142 141      118
#  +---------+------------+----------------+---------+------------+------------+------------+
#  | unused  |  version   | proposer index |  flags  |  abstain   |    for     |  against   |
#  | 10 bits |  16 bits   |    32 bits     |  8 bits |  24 bits   |  24 bits   |  24 bits   |
#  +---------+------------+----------------+---------+------------+------------+------------+
#   117          91 90           65 64           40 39             0
#  +---------------+---------------+---------------+----------------+
#  |  eta offset   |  end offset   | start offset  |    snapshot    |
#  |    27 bits    |    26 bits    |    25 bits    |    40 bits     |
#  +---------------+---------------+---------------+----------------+
#
# snapshot: creation time - 1. The three offsets are seconds after the
# snapshot: vote start (1 + voting delay), vote end (vote start + voting
# period) and eta (queue time + timelock; 0 until queued). Every duration is
# at most settings.MAX_DURATION (365 days < 2**25 s), and a proposal is
# queued before vote end + execution window, so: start <= 1 + 1 year < 2**25,
# end <= 1 + 2 years < 2**26, eta <= 1 + 4 years < 2**27. Tallies count
# distinct members (< 2**24) and sit at TALLY_OFFSET + TALLY_BITS * support.
# version: the settings version in force at creation; proposer index: the
# proposer's roll index.
SNAPSHOT_OFFSET: constant(uint256) = 0
SNAPSHOT_BITS: constant(uint256) = 40
SNAPSHOT_MASK: constant(uint256) = 2**SNAPSHOT_BITS - 1
START_OFFSET: constant(uint256) = 40
START_BITS: constant(uint256) = 25
START_MASK: constant(uint256) = 2**START_BITS - 1
END_OFFSET: constant(uint256) = 65
END_BITS: constant(uint256) = 26
END_MASK: constant(uint256) = 2**END_BITS - 1
ETA_OFFSET: constant(uint256) = 91
ETA_BITS: constant(uint256) = 27
ETA_MASK: constant(uint256) = 2**ETA_BITS - 1
TALLY_OFFSET: constant(uint256) = 118
TALLY_BITS: constant(uint256) = 24
TALLY_MASK: constant(uint256) = 2**TALLY_BITS - 1
AGAINST_OFFSET: constant(uint256) = TALLY_OFFSET
FOR_OFFSET: constant(uint256) = TALLY_OFFSET + TALLY_BITS
ABSTAIN_OFFSET: constant(uint256) = TALLY_OFFSET + 2 * TALLY_BITS
FLAGS_OFFSET: constant(uint256) = 190
FLAGS_BITS: constant(uint256) = 8
FLAGS_MASK: constant(uint256) = 2**FLAGS_BITS - 1
PROPOSER_OFFSET: constant(uint256) = 198
PROPOSER_BITS: constant(uint256) = 32
PROPOSER_MASK: constant(uint256) = 2**PROPOSER_BITS - 1
VERSION_OFFSET: constant(uint256) = 230
VERSION_BITS: constant(uint256) = 16
VERSION_MASK: constant(uint256) = 2**VERSION_BITS - 1
# the flags field
CANCELED: constant(uint256) = 1
QUEUED: constant(uint256) = 2
EXECUTED: constant(uint256) = 4
CONSTITUTIONAL: constant(uint256) = 8

# Who voted: one bit per roll index, 256 members per word, one word per
# (proposal, index // 256) at the key proposal id << VOTED_ID_OFFSET |
# index // 256 (ids < 2**32 and index // 256 < 2**24: keys never collide).
VOTED_ID_OFFSET: constant(uint256) = 24
MEMBERS_PER_WORD: constant(uint256) = 256

# Selectors that decide whether an action is constitutional.
SEL_ADMIT: constant(bytes4) = method_id("admit_member(address)", output_type=bytes4)
SEL_SET_DUES: constant(bytes4) = method_id("set_dues(address,uint256,uint256)", output_type=bytes4)
SEL_SET_BASE_URI: constant(bytes4) = method_id("set_base_uri(string)", output_type=bytes4)
SEL_CARD_MINT: constant(bytes4) = method_id("mint(address)", output_type=bytes4)
SEL_CARD_BURN: constant(bytes4) = method_id("burn(address)", output_type=bytes4)

# @dev proposal id -> proposal word (layout above)
_proposal: HashMap[uint256, uint256]
# @dev who-voted key (above) -> bits of the members who voted
_voted: HashMap[uint256, uint256]
# @dev id of the proposal whose actions are running (0 otherwise)
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


@external
def propose(
    actions: DynArray[Action, MAX_ACTIONS], description: String[MAX_DESCRIPTION]
) -> uint256:
    """
    @notice Creates a proposal. An empty action list makes a signal-only
            proposal. The caller must be a member in good standing with no
            other live proposal.
    @dev The hottest path after voting: packed fields are read inline with
         the named offsets and masks of their modules instead of through the
         getters (each getter call costs ~40 gas).
    @param actions Calls to make if the proposal passes.
    @param description What the proposal is about (kept in the event only).
    @return uint256 The sequential proposal id.
    """
    current: uint256 = settings._current
    member: uint256 = roll._member[msg.sender]
    assert (
        member != 0 and (member >> roll.LEFT_OFFSET) & roll.TIME_MASK == 0
    ), "governor: not a member"
    # 40-bit time plus 32-bit grace: no overflow
    assert (
        unsafe_add(
            (member >> roll.PAID_OFFSET) & roll.TIME_MASK,
            (current >> settings.GRACE_OFFSET) & settings.DURATION_MASK,
        )
        >= block.timestamp
    ), "governor: dues in arrears"
    index: uint256 = (member >> roll.INDEX_OFFSET) & roll.INDEX_MASK
    previous: uint256 = roll._proposal_slot[index] & roll.SLOT_ID_MASK
    if previous != 0:
        assert not self._is_live(self._proposal[previous]), "governor: proposer has a live proposal"

    flags: uint256 = 0
    for action: Action in actions:
        assert action.target != empty(address), "governor: zero target"
        if self._is_constitutional(action):
            flags = CONSTITUTIONAL
    proposal_id: uint256 = unsafe_add(
        (current >> settings.PROPOSAL_COUNT_OFFSET) & settings.PROPOSAL_COUNT_MASK, 1
    )
    assert proposal_id <= MAX_PROPOSALS, "governor: proposal ids exhausted"
    # durations are at most a year (settings.vy): the offsets fit their fields
    start: uint256 = unsafe_add((current >> settings.DELAY_OFFSET) & settings.DURATION_MASK, 1)
    end: uint256 = unsafe_add(start, (current >> settings.PERIOD_OFFSET) & settings.DURATION_MASK)
    self._proposal[proposal_id] = (
        unsafe_sub(block.timestamp, 1) << SNAPSHOT_OFFSET
        | start << START_OFFSET
        | end << END_OFFSET
        | flags << FLAGS_OFFSET
        | index << PROPOSER_OFFSET
        | ((current >> settings.VERSION_OFFSET) & settings.VERSION_MASK) << VERSION_OFFSET
    )
    actions_hash: uint256 = convert(keccak256(abi_encode(actions)), uint256)
    roll._proposal_slot[index] = (actions_hash & roll.SLOT_HASH_MASK) | proposal_id
    settings._current = unsafe_add(current, settings.ONE_PROPOSAL)
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
    @param reason Free text, logged (nothing is logged for "").
    """
    self._cast(msg.sender, proposal_id, support)
    if len(reason) > 0:
        log VoteReason(voter=msg.sender, proposal_id=proposal_id, reason=reason)


@external
def cancel(proposal_id: uint256):
    """
    @notice The proposer withdraws a proposal before voting opens.
    @dev Refused with the proposal's actual state in every other state:
         "governor: proposal is Active" (or Canceled, Defeated, Succeeded,
         Queued, Expired, Executed).
    @param proposal_id The proposal.
    """
    word: uint256 = self._proposal[proposal_id]
    assert word != 0, "governor: unknown proposal"
    member: uint256 = roll._member[msg.sender]
    assert (
        member != 0 and roll._index(member) == self._proposer_index(word)
    ), "governor: not the proposer"
    state: ProposalState = self._state(word)
    if state != ProposalState.PENDING:
        raise concat("governor: proposal is ", self._state_name(state))
    self._proposal[proposal_id] = word | CANCELED << FLAGS_OFFSET
    log ProposalCanceled(proposal_id=proposal_id)


@external
def queue(proposal_id: uint256):
    """
    @notice Queues a succeeded proposal; it becomes executable after the
            timelock of the settings it was made under. Anyone may queue.
    @param proposal_id The proposal.
    """
    word: uint256 = self._proposal[proposal_id]
    assert word != 0, "governor: unknown proposal"
    assert self._state(word) == ProposalState.SUCCEEDED, "governor: proposal not succeeded"
    # inline field reads (named offsets): getter calls would cost ~40 gas each
    snapshot: uint256 = (word >> SNAPSHOT_OFFSET) & SNAPSHOT_MASK
    terms: uint256 = settings._history[(word >> VERSION_OFFSET) & VERSION_MASK]
    eta: uint256 = block.timestamp + ((terms >> settings.TIMELOCK_OFFSET) & settings.DURATION_MASK)
    # the eta field is zero until now
    self._proposal[proposal_id] = word | (eta - snapshot) << ETA_OFFSET | QUEUED << FLAGS_OFFSET
    log ProposalQueued(
        proposal_id=proposal_id,
        eta=eta,
        votes_for=(word >> FOR_OFFSET) & TALLY_MASK,
        votes_against=(word >> AGAINST_OFFSET) & TALLY_MASK,
        votes_abstain=(word >> ABSTAIN_OFFSET) & TALLY_MASK,
        quorum_base=roll._count_at(snapshot),
    )


@payable
@external
@nonreentrant
def execute(proposal_id: uint256, actions: DynArray[Action, MAX_ACTIONS]):
    """
    @notice Executes a queued proposal whose timelock has elapsed, with
            exactly the actions voted. `msg.value` must equal the sum of the
            actions' values (treasury funds move through treasury actions).
            Anyone may execute.
    @param proposal_id The proposal.
    @param actions The actions, as proposed.
    """
    word: uint256 = self._proposal[proposal_id]
    assert word != 0, "governor: unknown proposal"
    assert self._state(word) == ProposalState.QUEUED, "governor: proposal not queued"
    # inline field reads (named offsets): getter calls would cost ~40 gas each
    assert block.timestamp >= ((word >> SNAPSHOT_OFFSET) & SNAPSHOT_MASK) + (
        (word >> ETA_OFFSET) & ETA_MASK
    ), "governor: timelock not elapsed"
    slot: uint256 = roll._proposal_slot[(word >> PROPOSER_OFFSET) & PROPOSER_MASK]
    actions_hash: uint256 = convert(keccak256(abi_encode(actions)), uint256)
    assert (
        slot & roll.SLOT_ID_MASK == proposal_id and (slot ^ actions_hash) & roll.SLOT_HASH_MASK == 0
    ), "governor: actions mismatch"
    total: uint256 = 0
    for action: Action in actions:
        total += action.value
    assert msg.value == total, "governor: wrong value"

    self._proposal[proposal_id] = word | EXECUTED << FLAGS_OFFSET
    self._executing = proposal_id
    for action: Action in actions:
        raw_call(action.target, action.data, value=action.value)
    self._executing = 0
    log ProposalExecuted(proposal_id=proposal_id, executor=msg.sender)


@view
@external
def state(proposal_id: uint256) -> ProposalState:
    """
    @notice The proposal's state now.
    @param proposal_id The proposal.
    @return ProposalState Its state.
    """
    return self._state(self._known(proposal_id))


@view
@external
def proposal(proposal_id: uint256) -> ProposalView:
    """
    @notice Everything about a proposal: state, times, tallies, quorum.
    @param proposal_id The proposal.
    @return ProposalView Its state; proposer's roll index; snapshot, vote
            start and end; eta (0 until queued); execution deadline (queue-by
            time before queueing, execute-by time after); For, Against and
            Abstain; constitutional or not; settings version; quorum base
            (members at the snapshot) and the participating votes the quorum
            needs.
    """
    word: uint256 = self._known(proposal_id)
    snapshot: uint256 = self._snapshot(word)
    terms: uint256 = settings._history[self._version(word)]
    vote_end: uint256 = snapshot + self._end_offset(word)
    eta: uint256 = self._eta(word)
    deadline_from: uint256 = vote_end
    if self._is_queued(word):
        deadline_from = eta
    base: uint256 = roll._count_at(snapshot)
    return ProposalView(
        state=self._state(word),
        proposer_index=self._proposer_index(word),
        snapshot=snapshot,
        vote_start=snapshot + self._start_offset(word),
        vote_end=vote_end,
        eta=eta,
        execution_deadline=deadline_from + settings._execution_window(terms),
        votes_for=self._votes_for(word),
        votes_against=self._votes_against(word),
        votes_abstain=self._votes_abstain(word),
        constitutional=self._is_constitutional_proposal(word),
        settings_version=self._version(word),
        quorum_base=base,
        quorum_votes=settings._votes_needed(base, settings._quorum_bps(terms)),
    )


@view
@external
def has_voted(proposal_id: uint256, account: address) -> bool:
    """
    @notice Whether `account` has voted on the proposal (directly or by a
            relayed signature).
    @param proposal_id The proposal (reverts "governor: unknown proposal" if none).
    @param account The account.
    @return bool True once its vote is counted.
    """
    self._known(proposal_id)
    member: uint256 = roll._member[account]
    if member == 0:
        return False
    index: uint256 = roll._index(member)
    return self._voted[self._voted_key(proposal_id, index)] & self._voted_bit(index) != 0


@view
@external
def can_vote(proposal_id: uint256, account: address) -> bool:
    """
    @notice Whether `account` is eligible on this proposal by the snapshot
            rule (ignores whether voting is open or they already voted).
    @param proposal_id The proposal.
    @param account The account.
    @return bool True when `eligibility` is ELIGIBLE.
    """
    return self._eligibility(proposal_id, account) == roll.Eligibility.ELIGIBLE


@view
@external
def eligibility(proposal_id: uint256, account: address) -> roll.Eligibility:
    """
    @notice The snapshot rule's verdict for `account` on this proposal
            (ignores whether voting is open or they already voted).
    @param proposal_id The proposal.
    @param account The account.
    @return Eligibility ELIGIBLE, NO_CARD_AT_SNAPSHOT (no card at the end of
            the snapshot second) or DUES_NOT_COVERING_SNAPSHOT (a card, but
            paid-through plus grace before the snapshot: paying the arrears
            makes it ELIGIBLE).
    """
    return self._eligibility(proposal_id, account)


@view
@external
def proposal_count() -> uint256:
    """
    @notice Number of proposals made; ids run from 1 to this.
    @return uint256 The proposal count.
    """
    return settings._proposal_count(settings._current)


@view
@external
def executing_proposal() -> uint256:
    """
    @notice The id of the proposal whose actions are running (0 otherwise).
    @return uint256 The proposal id or 0.
    """
    return self._executing


@internal
def _cast(voter: address, proposal_id: uint256, support: uint8):
    """
    @notice Counts one vote of `voter` (checked: proposal open, voter
            eligible at its snapshot, not voted yet).
    @dev The hottest path: packed fields are read inline with the named
         offsets and masks (each getter call costs ~40 gas). "voting closed"
         is checked before "voting not open" so that a vote on a queued
         proposal is answered "closed".
    @param voter The member voting.
    @param proposal_id The proposal.
    @param support 0 Against, 1 For, 2 Abstain.
    """
    word: uint256 = self._proposal[proposal_id]
    assert word != 0, "governor: unknown proposal"
    assert support <= SUPPORT_ABSTAIN, "governor: invalid support"
    snapshot: uint256 = (word >> SNAPSHOT_OFFSET) & SNAPSHOT_MASK
    assert (word >> FLAGS_OFFSET) & CANCELED == 0, "governor: proposal canceled"
    # 40-bit time plus a 26-bit offset: no overflow
    assert block.timestamp < unsafe_add(
        snapshot, (word >> END_OFFSET) & END_MASK
    ), "governor: voting closed"
    assert block.timestamp >= unsafe_add(
        snapshot, (word >> START_OFFSET) & START_MASK
    ), "governor: voting not open"
    member: uint256 = roll._member[voter]
    eligibility: roll.Eligibility = roll._eligibility(
        voter, member, snapshot, (word >> VERSION_OFFSET) & VERSION_MASK
    )
    assert (
        eligibility != roll.Eligibility.NO_CARD_AT_SNAPSHOT
    ), "governor: not a member at snapshot"
    assert (
        eligibility != roll.Eligibility.DUES_NOT_COVERING_SNAPSHOT
    ), "governor: dues in arrears at snapshot"
    index: uint256 = (member >> roll.INDEX_OFFSET) & roll.INDEX_MASK
    key: uint256 = proposal_id << VOTED_ID_OFFSET | index // MEMBERS_PER_WORD
    voted: uint256 = self._voted[key]
    bit: uint256 = 1 << (index % MEMBERS_PER_WORD)
    assert voted & bit == 0, "governor: already voted"
    self._voted[key] = voted | bit
    # a tally counts distinct members (< 2**24), so it never carries into the next field
    self._proposal[proposal_id] = unsafe_add(
        word, 1 << unsafe_add(TALLY_OFFSET, unsafe_mul(TALLY_BITS, convert(support, uint256)))
    )
    log VoteCast(voter=voter, proposal_id=proposal_id, support=support)


@view
@internal
def _known(proposal_id: uint256) -> uint256:
    """
    @notice The word of an existing proposal.
    @param proposal_id The proposal.
    @return uint256 Its proposal word (reverts "governor: unknown proposal" if none).
    """
    word: uint256 = self._proposal[proposal_id]
    assert word != 0, "governor: unknown proposal"
    return word


@view
@internal
def _eligibility(proposal_id: uint256, account: address) -> roll.Eligibility:
    """
    @notice The snapshot rule for `account` on an existing proposal.
    @param proposal_id The proposal.
    @param account The account.
    @return Eligibility The verdict.
    """
    word: uint256 = self._known(proposal_id)
    return roll._eligibility(
        account, roll._member[account], self._snapshot(word), self._version(word)
    )


@view
@internal
def _state(word: uint256) -> ProposalState:
    """
    @notice The state of a proposal now.
    @param word Its proposal word.
    @return ProposalState The state.
    """
    flags: uint256 = (word >> FLAGS_OFFSET) & FLAGS_MASK
    if flags & EXECUTED != 0:
        return ProposalState.EXECUTED
    if flags & CANCELED != 0:
        return ProposalState.CANCELED
    snapshot: uint256 = (word >> SNAPSHOT_OFFSET) & SNAPSHOT_MASK
    terms: uint256 = 0
    if flags & QUEUED != 0:
        terms = settings._history[(word >> VERSION_OFFSET) & VERSION_MASK]
        if block.timestamp >= snapshot + ((word >> ETA_OFFSET) & ETA_MASK) + (
            (terms >> settings.WINDOW_OFFSET) & settings.DURATION_MASK
        ):
            return ProposalState.EXPIRED
        return ProposalState.QUEUED
    if block.timestamp < snapshot + ((word >> START_OFFSET) & START_MASK):
        return ProposalState.PENDING
    vote_end: uint256 = snapshot + ((word >> END_OFFSET) & END_MASK)
    if block.timestamp < vote_end:
        return ProposalState.ACTIVE
    terms = settings._history[(word >> VERSION_OFFSET) & VERSION_MASK]
    if not self._passed(word, terms):
        return ProposalState.DEFEATED
    if block.timestamp >= vote_end + ((terms >> settings.WINDOW_OFFSET) & settings.DURATION_MASK):
        return ProposalState.EXPIRED
    return ProposalState.SUCCEEDED


@view
@internal
def _passed(word: uint256, terms: uint256) -> bool:
    """
    @notice Whether a closed vote passed: quorum reached, For > Against,
            and for a constitutional proposal the threshold reached.
    @param word The proposal word.
    @param terms The settings word of its version.
    @return bool True when it passed.
    """
    votes_against: uint256 = (word >> AGAINST_OFFSET) & TALLY_MASK
    votes_for: uint256 = (word >> FOR_OFFSET) & TALLY_MASK
    votes_abstain: uint256 = (word >> ABSTAIN_OFFSET) & TALLY_MASK
    base: uint256 = roll._count_at((word >> SNAPSHOT_OFFSET) & SNAPSHOT_MASK)
    if not settings._reaches(
        votes_for + votes_against + votes_abstain,
        base,
        (terms >> settings.QUORUM_OFFSET) & settings.SHARE_MASK,
    ):
        return False
    if votes_for <= votes_against:
        return False
    if (word >> FLAGS_OFFSET) & CONSTITUTIONAL != 0:
        return settings._reaches(
            votes_for,
            votes_for + votes_against,
            (terms >> settings.CONSTITUTIONAL_OFFSET) & settings.SHARE_MASK,
        )
    return True


@view
@internal
def _is_live(word: uint256) -> bool:
    """
    @notice Whether a proposal still blocks its proposer from proposing
            again (Pending, Active, Succeeded or Queued).
    @param word The proposal word.
    @return bool True while live.
    """
    return self._state(word) in (
        ProposalState.PENDING
        | ProposalState.ACTIVE
        | ProposalState.SUCCEEDED
        | ProposalState.QUEUED
    )


@view
@internal
def _is_constitutional(action: Action) -> bool:
    """
    @notice Whether an action makes its proposal constitutional.
    @dev By selector, so no storage is read: any call to this governor
         other than an admission, and any call with the selector of the
         treasury's `set_dues` or the card's `set_base_uri` (on whatever
         target; a look-alike elsewhere only raises the bar it has to pass).
         Reverts for a card mint or burn: cards appear and vanish only with
         the roll (admit, revoke, resign).
    @param action The action.
    @return bool True when constitutional.
    """
    if len(action.data) < 4:
        return action.target == self
    selector: bytes4 = convert(slice(action.data, 0, 4), bytes4)
    if action.target == self:
        return selector != SEL_ADMIT
    if selector == SEL_CARD_MINT or selector == SEL_CARD_BURN:
        assert action.target != roll.card, "governor: cards follow the roll only"
    return selector == SEL_SET_DUES or selector == SEL_SET_BASE_URI


@view
@internal
def _state_name(state: ProposalState) -> String[9]:
    """
    @notice The name of a state, as in revert reasons ("Succeeded").
    @param state A proposal state.
    @return String[9] Its name.
    """
    if state == ProposalState.PENDING:
        return "Pending"
    if state == ProposalState.ACTIVE:
        return "Active"
    if state == ProposalState.CANCELED:
        return "Canceled"
    if state == ProposalState.DEFEATED:
        return "Defeated"
    if state == ProposalState.SUCCEEDED:
        return "Succeeded"
    if state == ProposalState.QUEUED:
        return "Queued"
    if state == ProposalState.EXPIRED:
        return "Expired"
    return "Executed"


@pure
@internal
def _voted_key(proposal_id: uint256, index: uint256) -> uint256:
    """
    @notice The who-voted key of a member's bit on a proposal.
    @param proposal_id The proposal.
    @param index The member's roll index.
    @return uint256 The key in `_voted`.
    """
    return proposal_id << VOTED_ID_OFFSET | index // MEMBERS_PER_WORD


@pure
@internal
def _voted_bit(index: uint256) -> uint256:
    """
    @notice A member's bit in its who-voted word.
    @param index The member's roll index.
    @return uint256 The bit.
    """
    return 1 << (index % MEMBERS_PER_WORD)


@pure
@internal
def _snapshot(word: uint256) -> uint256:
    """
    @notice A proposal's snapshot time (creation time - 1).
    @param word A proposal word.
    @return uint256 The snapshot.
    """
    return (word >> SNAPSHOT_OFFSET) & SNAPSHOT_MASK


@pure
@internal
def _start_offset(word: uint256) -> uint256:
    """
    @notice Seconds from the snapshot to the opening of the vote.
    @param word A proposal word.
    @return uint256 The offset.
    """
    return (word >> START_OFFSET) & START_MASK


@pure
@internal
def _end_offset(word: uint256) -> uint256:
    """
    @notice Seconds from the snapshot to the end of the vote.
    @param word A proposal word.
    @return uint256 The offset.
    """
    return (word >> END_OFFSET) & END_MASK


@pure
@internal
def _eta(word: uint256) -> uint256:
    """
    @notice The earliest execution time of a queued proposal.
    @param word A proposal word.
    @return uint256 The eta, or 0 while not queued.
    """
    offset: uint256 = (word >> ETA_OFFSET) & ETA_MASK
    if offset == 0:
        return 0
    return ((word >> SNAPSHOT_OFFSET) & SNAPSHOT_MASK) + offset


@pure
@internal
def _votes_against(word: uint256) -> uint256:
    """
    @notice The Against tally.
    @param word A proposal word.
    @return uint256 Votes against.
    """
    return (word >> AGAINST_OFFSET) & TALLY_MASK


@pure
@internal
def _votes_for(word: uint256) -> uint256:
    """
    @notice The For tally.
    @param word A proposal word.
    @return uint256 Votes for.
    """
    return (word >> FOR_OFFSET) & TALLY_MASK


@pure
@internal
def _votes_abstain(word: uint256) -> uint256:
    """
    @notice The Abstain tally.
    @param word A proposal word.
    @return uint256 Abstentions.
    """
    return (word >> ABSTAIN_OFFSET) & TALLY_MASK


@pure
@internal
def _flags(word: uint256) -> uint256:
    """
    @notice The flags of a proposal: CANCELED, QUEUED, EXECUTED, CONSTITUTIONAL.
    @param word A proposal word.
    @return uint256 The flag bits.
    """
    return (word >> FLAGS_OFFSET) & FLAGS_MASK


@pure
@internal
def _is_queued(word: uint256) -> bool:
    """
    @notice Whether the proposal was queued (it may since be executed or expired).
    @param word A proposal word.
    @return bool True once queued.
    """
    return self._flags(word) & QUEUED != 0


@pure
@internal
def _is_constitutional_proposal(word: uint256) -> bool:
    """
    @notice Whether the proposal needs the constitutional threshold.
    @param word A proposal word.
    @return bool True when constitutional.
    """
    return self._flags(word) & CONSTITUTIONAL != 0


@pure
@internal
def _proposer_index(word: uint256) -> uint256:
    """
    @notice The proposer's roll index.
    @param word A proposal word.
    @return uint256 The index.
    """
    return (word >> PROPOSER_OFFSET) & PROPOSER_MASK


@pure
@internal
def _version(word: uint256) -> uint256:
    """
    @notice The settings version the proposal was made under.
    @param word A proposal word.
    @return uint256 The version.
    """
    return (word >> VERSION_OFFSET) & VERSION_MASK
