# pragma version ~=0.4.3
"""
@title iwo membership roll: members, terms, dues paid-through, counts at a time
@custom:contract-name roll
@license GNU Affero General Public License v3.0 only
@notice Who is a member, since when, until when their dues are paid, and
        who was a member at any past time. This is the membership of the
        collective; the card (IwoCard) only shows it to wallets: the roll
        mints a card on admission and burns it when a member leaves.

        A member keeps one roll index for life (given at the first
        admission, kept on re-admission), so a vote cast by index is never
        counted twice. Leaving ends a term; a re-admission starts a new one
        and files the finished term (join, leave and paid-through times) for
        lookups at past times. The member count is checkpointed at every
        change, so the count at any past time is a binary search.

        Standing. A member is in good standing when `paid_through + grace >=
        now` (the grace in force now). For a proposal, eligibility is judged
        at its snapshot with the grace of its settings version
        (`_eligibility`).
@custom:security Admissions and revocations only by vote (`msg.sender ==
                 self`, i.e. an action of an executed proposal); a member
                 may resign; only the treasury credits dues (after receiving
                 them). The card is told to mint and burn and trusted to do
                 nothing else (it is our own locked code).
"""

# @dev The card is only told to emit mints and burns.
from interfaces import ICard

# @dev Grace of the current settings (standing now) and of a past version
#      (standing at a proposal's snapshot).
from . import settings

uses: settings


# @dev Outcome of the snapshot rule for one account on one proposal.
flag Eligibility:
    ELIGIBLE
    NO_CARD_AT_SNAPSHOT
    DUES_NOT_COVERING_SNAPSHOT


# @dev A member's roll entry, for people and programs (`member`).
struct MemberView:
    is_member: bool
    index: uint256
    joined: uint256
    left: uint256
    paid_through: uint256
    past_terms: uint256
    in_good_standing: bool


MAX_FOUNDERS: public(constant(uint256)) = 64
MAX_MEMBERS: public(constant(uint256)) = COUNT_MASK
MAX_PREPAID: public(constant(uint256)) = 100 * 365 * 86_400

TIME_BITS: constant(uint256) = 40
TIME_MASK: constant(uint256) = 2**TIME_BITS - 1

# A member word, one per account ever admitted (zero: never admitted):
#
#   255      168 167       152 151          112 111         72 71          32 31         0
#  +------------+-------------+----------------+-------------+--------------+------------+
#  |   unused   | past terms  |  paid through  |    left     |    joined    |   index    |
#  |            |   16 bits   |    40 bits     |   40 bits   |   40 bits    |  32 bits   |
#  +------------+-------------+----------------+-------------+--------------+------------+
#
# joined, left and paid through are those of the current (or latest) term;
# left is 0 while the account is a member. Timestamps are 40 bits (until year
# 36,812).
INDEX_OFFSET: constant(uint256) = 0
INDEX_BITS: constant(uint256) = 32
INDEX_MASK: constant(uint256) = 2**INDEX_BITS - 1
JOINED_OFFSET: constant(uint256) = 32
LEFT_OFFSET: constant(uint256) = 72
PAID_OFFSET: constant(uint256) = 112
TERMS_OFFSET: constant(uint256) = 152
TERMS_BITS: constant(uint256) = 16
TERMS_MASK: constant(uint256) = 2**TERMS_BITS - 1
MAX_TERMS: constant(uint256) = TERMS_MASK

# A past term word (one per finished term of an account):
#
#   255      120 119           80 79           40 39            0
#  +------------+----------------+--------------+---------------+
#  |   unused   |  paid through  |     left     |    joined     |
#  |            |    40 bits     |   40 bits    |    40 bits    |
#  +------------+----------------+--------------+---------------+
TERM_JOINED_OFFSET: constant(uint256) = 0
TERM_LEFT_OFFSET: constant(uint256) = 40
TERM_PAID_OFFSET: constant(uint256) = 80

# The roll word:
#
#   255             96 95                 56 55           32 31            0
#  +------------------+---------------------+---------------+---------------+
#  |      unused      |  checkpoint count   | member count  |  next index   |
#  |                  |       40 bits       |    24 bits    |    32 bits    |
#  +------------------+---------------------+---------------+---------------+
NEXT_INDEX_OFFSET: constant(uint256) = 0
COUNT_OFFSET: constant(uint256) = 32
COUNT_BITS: constant(uint256) = 24
COUNT_MASK: constant(uint256) = 2**COUNT_BITS - 1
CHECKPOINTS_WRITTEN_OFFSET: constant(uint256) = 56
CHECKPOINTS_WRITTEN_BITS: constant(uint256) = 40
CHECKPOINTS_WRITTEN_MASK: constant(uint256) = 2**CHECKPOINTS_WRITTEN_BITS - 1

# A checkpoint word holds four checkpoints of 64 bits, checkpoint i in
# word i // 4 at bits 64 * (i % 4):
#
#   63                40 39                 0
#  +--------------------+--------------------+
#  |    member count    |     timestamp      |
#  |      24 bits       |      40 bits       |
#  +--------------------+--------------------+
CHECKPOINT_BITS: constant(uint256) = 64
CHECKPOINT_MASK: constant(uint256) = 2**CHECKPOINT_BITS - 1
CHECKPOINTS_PER_WORD: constant(uint256) = 4
CHECKPOINT_MEMBERS_OFFSET: constant(uint256) = 40

# A member's proposal slot, one per roll index, allocated (made non-zero) at
# the first admission and rewritten by each proposal the member makes (a
# member has at most one live proposal). It belongs to the member, so the
# first proposal pays for rewriting a slot, not for a fresh one (~17,000 gas);
# proposals.vy writes it.
#
#   255                                                        32 31            0
#  +------------------------------------------------------------+---------------+
#  |  high 224 bits of keccak256(abi_encode(actions))            |  proposal id  |
#  |  of the member's latest proposal                            |    32 bits    |
#  +------------------------------------------------------------+---------------+
#
# A fresh slot holds SLOT_ALLOCATED (hash bits 0...01, id 0: no proposal yet).
SLOT_ID_BITS: constant(uint256) = 32
SLOT_ID_MASK: constant(uint256) = 2**SLOT_ID_BITS - 1
SLOT_HASH_MASK: constant(uint256) = ~SLOT_ID_MASK
SLOT_ALLOCATED: constant(uint256) = 1 << SLOT_ID_BITS

# @dev The membership card (zero until `initialize`; this contract itself in
#      the locked implementation, so a non-zero card marks "initialised").
card: public(address)
# @dev The treasury, the only caller of `credit_dues`.
treasury: public(address)

# @dev account -> member word (layout above)
_member: HashMap[address, uint256]
# @dev account -> k -> past term word of its k-th finished term
_past_term: HashMap[address, HashMap[uint256, uint256]]
# @dev i // 4 -> checkpoint word (layout above)
_checkpoints: HashMap[uint256, uint256]
# @dev the roll word (layout above)
_roll: uint256
# @dev roll index -> the member's proposal slot (layout above)
_proposal_slot: HashMap[uint256, uint256]


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
def credit_dues(member: address, seconds: uint256) -> uint256:
    """
    @notice Extends a member's paid-through time. Only the treasury calls
            this, after it has received the dues.
    @param member The member whose dues were paid.
    @param seconds Whole periods paid, in seconds.
    @return uint256 The new paid-through time.
    """
    assert msg.sender == self.treasury, "governor: only the treasury"
    word: uint256 = self._member[member]
    # inline field reads (named offsets): every dues payment runs this
    assert (word != 0 and (word >> LEFT_OFFSET) & TIME_MASK == 0), "governor: not a member"
    before: uint256 = (word >> PAID_OFFSET) & TIME_MASK
    after: uint256 = before + seconds
    assert after <= block.timestamp + MAX_PREPAID, "governor: prepaid too far ahead"
    self._member[member] = (word & ~(TIME_MASK << PAID_OFFSET)) | after << PAID_OFFSET
    log DuesCredited(member=member, paid_through_before=before, paid_through_after=after)
    return after


@view
@external
def is_member(account: address) -> bool:
    """
    @notice Whether `account` holds a card now.
    @param account The account.
    @return bool True for a current member.
    """
    return self._is_current(self._member[account])


@view
@external
def in_good_standing(account: address) -> bool:
    """
    @notice Whether `account` is a member whose dues are paid through
            now minus the current grace.
    @param account The account.
    @return bool True for a member in good standing.
    """
    return self._in_good_standing(self._member[account])


@view
@external
def member(account: address) -> MemberView:
    """
    @notice A member's roll entry (all zero/false for an account never admitted).
    @param account The account.
    @return MemberView Member now, roll index, joined, left (0 while a
            member), paid-through of the current or latest term, number of
            finished terms, and good standing now.
    """
    word: uint256 = self._member[account]
    return MemberView(
        is_member=self._is_current(word),
        index=self._index(word),
        joined=self._joined(word),
        left=self._left(word),
        paid_through=self._paid_through(word),
        past_terms=self._past_terms(word),
        in_good_standing=self._in_good_standing(word),
    )


@view
@external
def paid_through(account: address) -> uint256:
    """
    @notice Time until which `account`'s dues are paid (current or latest term).
    @param account The account.
    @return uint256 The paid-through timestamp (0 if never admitted).
    """
    return self._paid_through(self._member[account])


@view
@external
def member_count() -> uint256:
    """
    @notice Number of cards now.
    @return uint256 The member count.
    """
    return self._count(self._roll)


@view
@external
def member_count_at(timestamp: uint256) -> uint256:
    """
    @notice Number of cards at the end of `timestamp` (O(log n) lookup).
    @param timestamp The time.
    @return uint256 The member count then.
    """
    return self._count_at(timestamp)


@view
@external
def was_member_at(account: address, timestamp: uint256) -> bool:
    """
    @notice Whether `account` held a card at the end of `timestamp`
            (O(log terms) lookup).
    @param account The account.
    @param timestamp The time.
    @return bool True if it held a card then.
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
    return self._next_index(self._roll)


@view
@external
def roll_index(account: address) -> uint256:
    """
    @notice The roll index of `account` (fixed at its first admission).
    @param account Someone who was admitted at least once.
    @return uint256 The index.
    """
    word: uint256 = self._member[account]
    assert word != 0, "governor: never a member"
    return self._index(word)


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
    term: uint256 = self._term_at(account, self._member[account], timestamp)
    if term == 0:
        return False
    return self._term_paid_through(term) + settings._dues_grace(settings._current) >= timestamp


@view
@external
def eligible_index_at(account: address, timestamp: uint256) -> uint256:
    """
    @notice `eligible_at` and `roll_index` in one call, for the hot paths of
            the collective's other contracts (a mutual-aid ballot).
    @dev One plus the roll index, so that 0 can mean "not eligible" (index
         0 is a member like any other).
    @param account The account.
    @param timestamp The snapshot time.
    @return uint256 1 + `account`'s roll index when it held a card at
            `timestamp` and its dues covered that time, else 0.
    """
    word: uint256 = self._member[account]
    term: uint256 = self._term_at(account, word, timestamp)
    if term == 0:
        return 0
    if self._term_paid_through(term) + settings._dues_grace(settings._current) < timestamp:
        return 0
    return self._index(word) + 1


@internal
def _wire(card: address, treasury: address):
    """
    @notice Records the card and the treasury. Called once, by `initialize`.
    @param card The collective's card.
    @param treasury The collective's treasury.
    """
    assert card != empty(address), "governor: zero card"
    assert treasury != empty(address), "governor: zero treasury"
    self.card = card
    self.treasury = treasury


@internal
def _lock():
    """
    @notice Marks the implementation contract as initialised (its
            constructor calls this), so nobody can initialise it.
    """
    self.card = self


@internal
def _admit(account: address):
    """
    @notice Admits `account` (first admission or re-admission), mints its
            card and records the new member count.
    @dev A re-admission keeps the index (votes already cast by the member
         stay counted once) and files the finished term. The finished term
         keeps its paid-through: standing at a snapshot within it is judged
         by it, so re-admission (a fresh, paid-up term) waives nothing for
         proposals made while the member was in arrears. Time already paid
         for carries over to the new term. A first admission also allocates
         the member's proposal slot (proposals.vy), so that the first
         proposal rewrites a non-zero slot (cheaper than a zero one).
    @param account The new member.
    """
    assert account != empty(address), "governor: zero address"
    word: uint256 = self._member[account]
    assert word == 0 or self._left(word) != 0, "governor: already a member"
    roll: uint256 = self._roll
    count: uint256 = self._count(roll) + 1
    assert count <= MAX_MEMBERS, "governor: roll full"
    index: uint256 = 0
    terms: uint256 = 0
    paid: uint256 = block.timestamp
    if word == 0:
        index = self._next_index(roll)
        self._roll = roll + (1 << NEXT_INDEX_OFFSET)
        self._proposal_slot[index] = SLOT_ALLOCATED
    else:
        index = self._index(word)
        terms = self._past_terms(word)
        assert terms < MAX_TERMS, "governor: too many terms"
        self._past_term[account][terms] = (
            self._joined(word) << TERM_JOINED_OFFSET
            | self._left(word) << TERM_LEFT_OFFSET
            | self._paid_through(word) << TERM_PAID_OFFSET
        )
        terms += 1
        paid = max(paid, self._paid_through(word))
    self._member[account] = (
        index << INDEX_OFFSET
        | block.timestamp << JOINED_OFFSET
        | paid << PAID_OFFSET
        | terms << TERMS_OFFSET
    )
    self._write_count(count)
    extcall ICard(self.card).mint(account)
    log MemberAdmitted(member=account, index=index, paid_through=paid, member_count=count)


@internal
def _remove(account: address, resigned: bool):
    """
    @notice Ends the current term of a member, burns its card and records
            the new member count.
    @param account The member.
    @param resigned True when the member resigned, False when revoked.
    """
    word: uint256 = self._member[account]
    assert self._is_current(word), "governor: not a member"
    self._member[account] = word | block.timestamp << LEFT_OFFSET
    count: uint256 = self._count(self._roll) - 1
    self._write_count(count)
    extcall ICard(self.card).burn(account)
    log MemberLeft(member=account, resigned=resigned, member_count=count)


@internal
def _write_count(count: uint256):
    """
    @notice Records the member count at this timestamp: a new checkpoint, or
            the last one rewritten when it is from the same timestamp.
    @param count The member count from now on.
    """
    roll: uint256 = self._roll
    # inline field reads (named offsets): every admission and departure runs this
    n: uint256 = (roll >> CHECKPOINTS_WRITTEN_OFFSET) & CHECKPOINTS_WRITTEN_MASK
    entry: uint256 = block.timestamp | count << CHECKPOINT_MEMBERS_OFFSET
    i: uint256 = n
    if n > 0 and self._checkpoint_time(self._checkpoint(n - 1)) == block.timestamp:
        i = n - 1
    else:
        n += 1
    bit_offset: uint256 = (i % CHECKPOINTS_PER_WORD) * CHECKPOINT_BITS
    slot: uint256 = i // CHECKPOINTS_PER_WORD
    word: uint256 = self._checkpoints[slot]
    self._checkpoints[slot] = (word & ~(CHECKPOINT_MASK << bit_offset)) | (entry << bit_offset)
    self._roll = (
        roll & (INDEX_MASK << NEXT_INDEX_OFFSET)
        | count << COUNT_OFFSET
        | n << CHECKPOINTS_WRITTEN_OFFSET
    )


@view
@internal
def _eligibility(
    account: address, word: uint256, snapshot: uint256, version: uint256
) -> Eligibility:
    """
    @notice The snapshot rule: did `account` hold a card at the end of
            `snapshot`, and did its dues (plus the grace of settings version
            `version`) cover that time?
    @dev The usual case, the current (or latest) term covering the snapshot,
         needs no other storage read; the grace is read only when the member
         was behind at the snapshot.
    @param account The account.
    @param word Its member word.
    @param snapshot The proposal's snapshot time.
    @param version The proposal's settings version.
    @return Eligibility ELIGIBLE, NO_CARD_AT_SNAPSHOT or DUES_NOT_COVERING_SNAPSHOT.
    """
    paid: uint256 = 0
    if word != 0 and (word >> JOINED_OFFSET) & TIME_MASK <= snapshot:
        # inline field reads: the vote path calls this once per vote
        left: uint256 = (word >> LEFT_OFFSET) & TIME_MASK
        if left != 0 and snapshot >= left:
            return Eligibility.NO_CARD_AT_SNAPSHOT
        paid = (word >> PAID_OFFSET) & TIME_MASK
    else:
        term: uint256 = self._past_term_at(account, word, snapshot)
        if term == 0:
            return Eligibility.NO_CARD_AT_SNAPSHOT
        paid = self._term_paid_through(term)
    if paid >= snapshot:
        return Eligibility.ELIGIBLE
    # 40-bit time plus 32-bit grace: no overflow
    if unsafe_add(paid, settings._dues_grace(settings._history[version])) >= snapshot:
        return Eligibility.ELIGIBLE
    return Eligibility.DUES_NOT_COVERING_SNAPSHOT


@view
@internal
def _in_good_standing(word: uint256) -> bool:
    """
    @notice Whether a member word is a current member whose dues plus the
            current grace reach now.
    @param word A member word.
    @return bool True in good standing.
    """
    if not self._is_current(word):
        return False
    return self._paid_through(word) + settings._dues_grace(settings._current) >= block.timestamp


@view
@internal
def _held_at(account: address, word: uint256, timestamp: uint256) -> bool:
    """
    @notice Whether `account` held a card at the end of `timestamp`.
    @param account The account.
    @param word Its member word.
    @param timestamp The time.
    @return bool True if it held a card then.
    """
    return self._term_at(account, word, timestamp) != 0


@view
@internal
def _term_at(account: address, word: uint256, timestamp: uint256) -> uint256:
    """
    @notice The term of `account` covering the end of `timestamp`, as a past
            term word (for the current term, one made from the member word).
    @param account The account.
    @param word Its member word.
    @param timestamp The time.
    @return uint256 A past term word, or 0 if no term covers that time.
    """
    if word == 0:
        return 0
    joined: uint256 = self._joined(word)
    if joined <= timestamp:
        left: uint256 = self._left(word)
        if left != 0 and timestamp >= left:
            return 0
        return (
            joined << TERM_JOINED_OFFSET
            | left << TERM_LEFT_OFFSET
            | self._paid_through(word) << TERM_PAID_OFFSET
        )
    return self._past_term_at(account, word, timestamp)


@view
@internal
def _past_term_at(account: address, word: uint256, timestamp: uint256) -> uint256:
    """
    @notice The finished term of `account` covering the end of `timestamp`
            (binary search over its past terms, which are in time order).
    @param account The account.
    @param word Its member word (gives the number of past terms).
    @param timestamp The time.
    @return uint256 The past term word, or 0 if no finished term covers that time.
    """
    low: uint256 = 0
    high: uint256 = self._past_terms(word)
    for _: uint256 in range(TERMS_BITS):
        if low >= high:
            break
        mid: uint256 = (low + high) // 2
        if self._term_joined(self._past_term[account][mid]) <= timestamp:
            low = mid + 1
        else:
            high = mid
    if low == 0:
        return 0
    term: uint256 = self._past_term[account][low - 1]
    if timestamp < self._term_left(term):
        return term
    return 0


@view
@internal
def _count_at(timestamp: uint256) -> uint256:
    """
    @notice The member count at the end of `timestamp` (binary search over
            the checkpoints; the latest one is checked first).
    @dev Counting a proposal's quorum runs this (queue): the checkpoint
         fields are read inline with the named constants of
         `_checkpoint_time` and `_checkpoint_members`.
    @param timestamp The time.
    @return uint256 The member count then (0 before the first admission).
    """
    # inline field read (named offsets): counting a proposal's vote runs this
    n: uint256 = (self._roll >> CHECKPOINTS_WRITTEN_OFFSET) & CHECKPOINTS_WRITTEN_MASK
    if n == 0:
        return 0
    last: uint256 = self._checkpoint(n - 1)
    if last & TIME_MASK <= timestamp:
        return last >> CHECKPOINT_MEMBERS_OFFSET
    low: uint256 = 0
    high: uint256 = n - 1
    for _: uint256 in range(TIME_BITS):
        if low >= high:
            break
        mid: uint256 = (low + high) // 2
        if self._checkpoint(mid) & TIME_MASK <= timestamp:
            low = mid + 1
        else:
            high = mid
    if low == 0:
        return 0
    return self._checkpoint(low - 1) >> CHECKPOINT_MEMBERS_OFFSET


@view
@internal
def _checkpoint(i: uint256) -> uint256:
    """
    @notice The i-th member count checkpoint (timestamp | count << 40).
    @param i The checkpoint number, from 0.
    @return uint256 The 64-bit checkpoint (timestamp, member count).
    """
    return (
        self._checkpoints[i // CHECKPOINTS_PER_WORD]
        >> ((i % CHECKPOINTS_PER_WORD) * CHECKPOINT_BITS)
    ) & CHECKPOINT_MASK


@pure
@internal
def _checkpoint_time(checkpoint: uint256) -> uint256:
    """
    @notice When a member count checkpoint was written.
    @param checkpoint A checkpoint (see `_checkpoint`).
    @return uint256 Its timestamp.
    """
    return checkpoint & TIME_MASK


@pure
@internal
def _checkpoint_members(checkpoint: uint256) -> uint256:
    """
    @notice The member count a checkpoint records.
    @param checkpoint A checkpoint (see `_checkpoint`).
    @return uint256 The member count from its timestamp on.
    """
    return (checkpoint >> CHECKPOINT_MEMBERS_OFFSET) & COUNT_MASK


@pure
@internal
def _is_current(word: uint256) -> bool:
    """
    @notice Whether a member word is a member now (admitted and not left).
    @param word A member word.
    @return bool True for a current member.
    """
    return word != 0 and self._left(word) == 0


@pure
@internal
def _index(word: uint256) -> uint256:
    """
    @notice The lifelong roll index in a member word.
    @param word A member word.
    @return uint256 The index.
    """
    return (word >> INDEX_OFFSET) & INDEX_MASK


@pure
@internal
def _joined(word: uint256) -> uint256:
    """
    @notice When the current (or latest) term began.
    @param word A member word.
    @return uint256 The admission time.
    """
    return (word >> JOINED_OFFSET) & TIME_MASK


@pure
@internal
def _left(word: uint256) -> uint256:
    """
    @notice When the latest term ended (0 while a member).
    @param word A member word.
    @return uint256 The leaving time or 0.
    """
    return (word >> LEFT_OFFSET) & TIME_MASK


@pure
@internal
def _paid_through(word: uint256) -> uint256:
    """
    @notice Until when the dues of the current (or latest) term are paid.
    @param word A member word.
    @return uint256 The paid-through time.
    """
    return (word >> PAID_OFFSET) & TIME_MASK


@pure
@internal
def _past_terms(word: uint256) -> uint256:
    """
    @notice The number of finished terms filed for the account.
    @param word A member word.
    @return uint256 The number of past terms.
    """
    return (word >> TERMS_OFFSET) & TERMS_MASK


@pure
@internal
def _term_joined(term: uint256) -> uint256:
    """
    @notice When a past term began.
    @param term A past term word.
    @return uint256 The admission time.
    """
    return (term >> TERM_JOINED_OFFSET) & TIME_MASK


@pure
@internal
def _term_left(term: uint256) -> uint256:
    """
    @notice When a past term ended.
    @param term A past term word.
    @return uint256 The leaving time.
    """
    return (term >> TERM_LEFT_OFFSET) & TIME_MASK


@pure
@internal
def _term_paid_through(term: uint256) -> uint256:
    """
    @notice Until when the dues of a past term were paid when it ended.
    @param term A past term word.
    @return uint256 The paid-through time.
    """
    return (term >> TERM_PAID_OFFSET) & TIME_MASK


@pure
@internal
def _next_index(roll: uint256) -> uint256:
    """
    @notice The index the next first admission gets (= indices issued).
    @param roll The roll word.
    @return uint256 The next index.
    """
    return (roll >> NEXT_INDEX_OFFSET) & INDEX_MASK


@pure
@internal
def _count(roll: uint256) -> uint256:
    """
    @notice The member count now.
    @param roll The roll word.
    @return uint256 The number of cards.
    """
    return (roll >> COUNT_OFFSET) & COUNT_MASK


@pure
@internal
def _checkpoint_count(roll: uint256) -> uint256:
    """
    @notice The number of member count checkpoints written.
    @param roll The roll word.
    @return uint256 The number of checkpoints.
    """
    return (roll >> CHECKPOINTS_WRITTEN_OFFSET) & CHECKPOINTS_WRITTEN_MASK


@pure
@internal
def _slot_proposal_id(slot: uint256) -> uint256:
    """
    @notice The id of the member's latest proposal (0: none yet).
    @param slot A member's proposal slot.
    @return uint256 The proposal id.
    """
    return slot & SLOT_ID_MASK


@pure
@internal
def _slot_hash(slot: uint256) -> uint256:
    """
    @notice The high 224 bits of the actions hash of the member's latest
            proposal, in place (low 32 bits zero).
    @param slot A member's proposal slot.
    @return uint256 The hash bits.
    """
    return slot & SLOT_HASH_MASK
