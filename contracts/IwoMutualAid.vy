# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title iwo mutual aid: claims decided fast by members, capped, paid by the month
@custom:contract-name IwoMutualAid
@license GNU Affero General Public License v3.0 only
@notice The safety net of one worker collective. The money is the treasury's
        mutual-aid pool (ring-fenced there: a share of every dues payment,
        earmarked donations, what a vote moves in); this contract decides who
        may take what from it, and when.

        Claims. A member in good standing whose card (with dues covered) is
        at least the waiting period old files a claim: a category (a small
        list the collective enables by vote: 0 illness, 1 lost income,
        2 equipment, 3 legal, 4 other, 5-7 named by the collective), a monthly
        amount and a number of months (a one-off is one month), and the hash
        of the evidence (the evidence stays off-chain: no health data here).
        At most one open claim per member (undecided, or approved with an
        instalment still to withdraw or lapse); an optional deposit is
        returned when the claim is approved or tied and kept in the pool
        when it is denied. A vote may also award a claim to a member directly
        (`award`). Claim ids are `roll index << 16 | the member's claim
        number`; the contract stores each member's latest claim (one word,
        reused), the events keep every claim.

        Decision. A small claim (total <= the auto-approval threshold) is
        approved when its contest window (default 3 days) ends, unless enough
        members objected (at least `min_objections`, or `objection_bps` of
        the members at the snapshot). An objected claim then goes to a vote
        (default 4 days); a larger claim goes to a vote at once. Voters are
        the members eligible at the claim's snapshot (`filed - 1`, the
        governor's `eligible_at`), one member one vote, For or Against; an
        objection is an Against vote cast early; the claimant does not vote.
        For > Against with the quorum met approves; For < Against denies; a
        tie or a missed quorum is "tied" (nothing paid, deposit returned).
        Anyone records the decision with `settle` once it is due.

        Terms are versioned like the governor's settings: version 0 is the
        defaults below (no storage), each vote (`set_terms`) adds a version,
        and every claim keeps the version in force when it was filed.

        Months, throttle and pro-rata. Payouts run in aid months (30 days,
        month k = [k * 30 days, (k + 1) * 30 days) since 1970). An approved
        claim is paid from the month after its approval. A month is opened
        (lazily, by the first call that needs it, or by anyone with
        `open_month`) with demand D = the sum of the monthly amounts of the
        claims running in it, and allowed A = min(D, pool / divisor) (pool
        read at the opening, divisor a term, default 6). A claim of monthly
        amount a receives floor(a * A / D) for that month: exactly a when the
        pool suffices, else its pro-rata cut; the sum over claims never
        exceeds A. `MonthOpened` logs A and D, so "was I cut, and by how
        much?" is answered from events alone.

        Payouts. The claimant pulls (`withdraw`) everything due since their
        last withdrawal in one call, and only while in good standing;
        instalments older than the unclaimed window (default 2 months after
        their month) lapse and stay in the pool. A claim stops when the
        collective ends it by vote (`end_claim`) or when its claimant leaves
        (`stop`, callable by anyone).
@custom:security Who can do what. Anyone: settle a due decision, open the
                 month, stop the claim of someone who left. A member in good
                 standing past the waiting period: file one claim at a time.
                 A member eligible at a claim's snapshot (not its claimant):
                 object or vote once. The claimant: withdraw (in good
                 standing) and take back a returned deposit. Only an
                 executed proposal (`msg.sender == governor` and
                 `executing_proposal() != 0`): change the terms, award or end
                 a claim. Money moves only through the treasury's `pay_aid`
                 (never more than the pool) and, for deposits, to and from
                 this contract. Value-moving entry points are non-reentrant
                 and follow checks-effects-interactions. Every loop is
                 bounded (months by MAX_MONTHS, instalments by the unclaimed
                 window). Trusted: the governor set at initialisation (and
                 the treasury it names), created by the factory together
                 with this contract.
"""

from ethereum.ercs import IERC20

from interfaces import IGovernor
from interfaces import ITreasury
from interfaces import IMutualAid

implements: IMutualAid

AID_MONTH: public(constant(uint256)) = 30 * 86_400
YEAR: public(constant(uint256)) = 365 * 86_400
MAX_MONTHS: public(constant(uint256)) = 36
MAX_UNCLAIMED: public(constant(uint256)) = 2
MIN_DIVISOR: public(constant(uint256)) = 4
MAX_DIVISOR: public(constant(uint256)) = 120
MAX_WAITING: public(constant(uint256)) = 365 * 86_400
MAX_PHASE: public(constant(uint256)) = 14 * 86_400
MAX_AMOUNT: public(constant(uint256)) = 2**72 - 1
MAX_OBJECTIONS: public(constant(uint256)) = 2**24 - 1
MAX_CLAIMS_PER_MEMBER: public(constant(uint256)) = 65_535
MAX_REASON: public(constant(uint256)) = 512
N_CATEGORIES: public(constant(uint256)) = 8
MAX_TERMS_VERSION: constant(uint256) = 65_535
BPS: constant(uint256) = 10_000
SUPPORT_FOR: constant(uint8) = 1
# month records kept: enough for the current month and every unclaimed window
RING: constant(uint256) = 4
MEMO_KEPT: constant(String[40]) = "mutual aid: deposit of a denied claim"

_M4: constant(uint256) = 2**4 - 1
_M6: constant(uint256) = 2**6 - 1
_M8: constant(uint256) = 2**8 - 1
_M16: constant(uint256) = 2**16 - 1
_M21: constant(uint256) = 2**21 - 1
_M24: constant(uint256) = 2**24 - 1
_M32: constant(uint256) = 2**32 - 1
_M40: constant(uint256) = 2**40 - 1
_M72: constant(uint256) = 2**72 - 1
_M80: constant(uint256) = 2**80 - 1
_M112: constant(uint256) = 2**112 - 1
_M128: constant(uint256) = 2**128 - 1
_M160: constant(uint256) = 2**160 - 1

# ------------------------------------------------------------------- global word
#   255    209   208    207             176 175        160 159                       0
#   +--------+-------+-------------------+--------------+---------------------------+
#   | (free) | token | last opened month | terms version|         governor          |
#   |        | asset |       (32)        |     (16)     |          (160)            |
#   +--------+-------+-------------------+--------------+---------------------------+
# "token asset" is set when `asset` is a token, so paying ETH reads no asset slot.
_OFF_G_VERSION: constant(uint256) = 160
_OFF_G_OPENED: constant(uint256) = 176
_G_TOKEN: constant(uint256) = 1 << 208

# ------------------------------------------------------------------- terms word 0
#   255          184 183      176 175      168 167      160 159      152 151      136
#   +--------------+------------+------------+------------+------------+------------+
#   | deposit (72) | categories | unclaimed  |  throttle  | max months | quorum bps |
#   |              |  mask (8)  | months (8) | divisor (8)|    (8)     |    (16)    |
#   +--------------+------------+------------+------------+------------+------------+
#   135       120 119          96 95           64 63           32 31            0
#   +-----------+--------------+---------------+---------------+---------------+
#   | objection |     min      |  vote period  | contest window| waiting period|
#   |  bps (16) |objections(24)|   s (32)      |    s (32)     |    s (32)     |
#   +-----------+--------------+---------------+---------------+---------------+
_OFF_T_CONTEST: constant(uint256) = 32
_OFF_T_VOTE: constant(uint256) = 64
_OFF_T_MIN_OBJ: constant(uint256) = 96
_OFF_T_OBJ_BPS: constant(uint256) = 120
_OFF_T_QUORUM: constant(uint256) = 136
_OFF_T_MAX_MONTHS: constant(uint256) = 152
_OFF_T_DIVISOR: constant(uint256) = 160
_OFF_T_UNCLAIMED: constant(uint256) = 168
_OFF_T_CATEGORIES: constant(uint256) = 176
_OFF_T_DEPOSIT: constant(uint256) = 184

# ------------------------------------------------------------------- terms word 1
#   255      240 239               160 159                80 79                 0
#   +----------+---------------------+--------------------+--------------------+
#   |  (free)  |   member cap (80)   |   claim cap (80)   | auto-approve max   |
#   |          |                     |                    |       (80)         |
#   +----------+---------------------+--------------------+--------------------+
_OFF_T_CLAIM_CAP: constant(uint256) = 80
_OFF_T_MEMBER_CAP: constant(uint256) = 160

# Default terms (version 0, never stored): 30-day wait, 3-day contest window,
# 4-day vote, objected by 3 members or 10 % of them, vote quorum 20 %, at most
# 24 months, monthly payouts at most pool / 6, instalments withdrawable for 2
# months after their month, categories 0-4, no deposit. The amounts are 0:
# no claim can be filed until the collective has voted its caps and its
# auto-approval threshold, in its own currency.
_DEFAULT_T0: constant(uint256) = (
    30 * 86_400
    | (3 * 86_400) << _OFF_T_CONTEST
    | (4 * 86_400) << _OFF_T_VOTE
    | 3 << _OFF_T_MIN_OBJ
    | 1_000 << _OFF_T_OBJ_BPS
    | 2_000 << _OFF_T_QUORUM
    | 24 << _OFF_T_MAX_MONTHS
    | 6 << _OFF_T_DIVISOR
    | 2 << _OFF_T_UNCLAIMED
    | 31 << _OFF_T_CATEGORIES
)
_DEFAULT_T1: constant(uint256) = 0

# ------------------------------------------------------------------- claim word
# The latest claim of each member, keyed by their roll index (reused).
#   255        235 234        214 213     198 197    190 189         166 165        142
#   +------------+------------+-----------+----------+---------------+-------------+
#   | vote period| contest    | claim     | flags (8)| against (24)  |  for (24)   |
#   |  s (21)    | window (21)| number(16)|          |               |             |
#   +------------+------------+-----------+----------+---------------+-------------+
#   141             70 69           30 29           14 13      8 7        4 3       0
#   +-----------------+---------------+---------------+---------+----------+---------+
#   |  monthly (72)   |  filed (40)   | terms version | months  | category | status  |
#   |                 |               |     (16)      |   (6)   |   (4)    |   (4)   |
#   +-----------------+---------------+---------------+---------+----------+---------+
_OFF_C_CATEGORY: constant(uint256) = 4
_OFF_C_MONTHS: constant(uint256) = 8
_OFF_C_VERSION: constant(uint256) = 14
_OFF_C_FILED: constant(uint256) = 30
_OFF_C_MONTHLY: constant(uint256) = 70
_OFF_C_FOR: constant(uint256) = 142
_OFF_C_AGAINST: constant(uint256) = 166
_OFF_C_FLAGS: constant(uint256) = 190
_OFF_C_SEQ: constant(uint256) = 198
_OFF_C_CONTEST: constant(uint256) = 214
_OFF_C_VOTE: constant(uint256) = 235
# stored statuses (the external `ClaimState` adds the phases that end by time)
_S_CONTEST: constant(uint256) = 1
_S_VOTE: constant(uint256) = 2
_S_APPROVED: constant(uint256) = 3
_S_DENIED: constant(uint256) = 4
_S_TIED: constant(uint256) = 5
_S_ENDED: constant(uint256) = 6
# flags
_F_SMALL: constant(uint256) = 1  # within the auto-approval threshold: contest path
_F_DEPOSIT: constant(uint256) = 2  # a deposit is held for this claim

# ------------------------------------------------------------------- payout word
# The latest approved claim of each member and their 12-month cap window,
# keyed by roll index (reused).
#   255      240 239                160 159          120 119             48
#   +----------+--------------------+----------------+-----------------+
#   |  claim   | window total (80)  | window start   |  monthly (72)   |
#   |number(16)|                    |     (40)       |                 |
#   +----------+--------------------+----------------+-----------------+
#   47          40 39          32 31          24 23                     0
#   +-------------+-------------+-------------+-----------------------+
#   |  unclaimed  |   months    | months due  |   first month (24)    |
#   |  months (8) | settled (8) |    (8)      |                       |
#   +-------------+-------------+-------------+-----------------------+
_OFF_P_DUE: constant(uint256) = 24
_OFF_P_SETTLED: constant(uint256) = 32
_OFF_P_UNCLAIMED: constant(uint256) = 40
_OFF_P_MONTHLY: constant(uint256) = 48
_OFF_P_WSTART: constant(uint256) = 120
_OFF_P_WTOTAL: constant(uint256) = 160
_OFF_P_SEQ: constant(uint256) = 240

# ------------------------------------------------------------------- month record
#   255                  144 143                  32 31             0
#   +----------------------+----------------------+----------------+
#   |     demand (112)     |     allowed (112)    |   month (32)   |
#   +----------------------+----------------------+----------------+
_OFF_R_ALLOWED: constant(uint256) = 32
_OFF_R_DEMAND: constant(uint256) = 144

# ------------------------------------------------------------------- schedule
#   255                           128 127                            0
#   +-------------------------------+-------------------------------+
#   | monthly amounts ending (128)  | monthly amounts starting (128)|
#   +-------------------------------+-------------------------------+
_OFF_S_ENDS: constant(uint256) = 128

# claim id = claimant roll index << 16 | their claim number (1, 2, ...)
_ID_SHIFT: constant(uint256) = 16
# ballot key = claim id << 32 | bitmap word (roll indices are 32-bit)
_BALLOT_SHIFT: constant(uint256) = 32

# governor | terms version | last opened month (layout above)
_global: uint256
# the asset claims are paid in (the zero address: ETH), fixed at creation
asset: public(address)
# terms version (>= 1) -> packed terms word 0 / word 1
_terms0: HashMap[uint256, uint256]
_terms1: HashMap[uint256, uint256]
# roll index -> that member's latest claim (claim word)
_claims: HashMap[uint256, uint256]
# roll index -> that member's latest approved claim and cap window (payout word)
_payouts: HashMap[uint256, uint256]
# claim id << 32 | (roll index >> 8) -> who objected or voted (256 members a word;
# one key, one hash per access)
_ballots: HashMap[uint256, uint256]
# month % RING -> month record
_months: HashMap[uint256, uint256]
# month -> monthly amounts starting | ending then
_schedule: HashMap[uint256, uint256]


event TermsChanged:
    version: indexed(uint256)
    proposal_id: indexed(uint256)
    terms: IMutualAid.Terms


event ClaimFiled:
    claim_id: indexed(uint256)
    member: indexed(address)
    category: uint256
    monthly: uint256
    months: uint256
    evidence: bytes32
    terms_version: uint256
    small: bool


event ClaimAwarded:
    claim_id: indexed(uint256)
    proposal_id: indexed(uint256)


# An Against ballot: an objection in the contest window or an Against vote
# (one tally). The tallies are the counts of these two events per claim.
event ClaimObjected:
    claim_id: indexed(uint256)
    member: indexed(address)


# A For vote.
event ClaimSupported:
    claim_id: indexed(uint256)
    member: indexed(address)


event ClaimReason:
    claim_id: indexed(uint256)
    member: indexed(address)
    reason: String[MAX_REASON]


event ClaimDecided:
    claim_id: indexed(uint256)
    outcome: IMutualAid.ClaimState
    votes_for: uint256
    votes_against: uint256
    quorum_base: uint256
    first_month: uint256
    window_total: uint256


event ClaimEnded:
    claim_id: indexed(uint256)
    proposal_id: indexed(uint256)
    months_due: uint256


event MonthOpened:
    month: indexed(uint256)
    pool: uint256
    divisor: uint256
    allowed: uint256
    demand: uint256


event Withdrawn:
    claim_id: indexed(uint256)
    to_month: uint256
    lapsed_months: uint256
    amount: uint256


event DepositReturned:
    claim_id: indexed(uint256)
    member: indexed(address)
    amount: uint256


event DepositKept:
    claim_id: indexed(uint256)
    amount: uint256


@deploy
def __init__():
    """
    @notice Locks the implementation: clones are initialised, this is not.
            A non-zero governor is the "initialised" mark (no extra slot).
    """
    self._global = convert(self, uint256)


@external
def initialize(governor: address, asset: address):
    """
    @notice Wires a fresh clone to its governor and fixes the asset claims
            are paid in. Callable once. The terms start at version 0 (the
            defaults in this code, `terms_at(0)`), so nothing else is stored.
    @param governor The collective's governor.
    @param asset The zero address for ETH, else the ERC-20 token of the dues.
    """
    assert self._global == 0, "aid: already initialized"
    assert governor != empty(address), "aid: zero governor"
    if asset == empty(address):
        self._global = convert(governor, uint256)
    else:
        self._global = convert(governor, uint256) | _G_TOKEN
        self.asset = asset


@payable
@external
@nonreentrant
def file_claim(category: uint256, monthly: uint256, months: uint256, evidence: bytes32) -> uint256:
    """
    @notice Files a claim for `monthly` a month during `months` months (a
            one-off is one month), under the terms in force now. Send the
            deposit of those terms (ETH as value; a token approved first).
    @param category A category enabled by the terms (0..7).
    @param monthly Amount per month, in the aid asset's smallest unit.
    @param months Number of monthly instalments, 1..max_months.
    @param evidence Hash of the off-chain evidence (never the evidence).
    @return uint256 The claim id (claimant roll index << 16 | claim number).
    """
    g: uint256 = self._global
    version: uint256 = (g >> _OFF_G_VERSION) & _M16
    t0: uint256 = self._word0(version)
    t1: uint256 = self._word1(version)
    total: uint256 = self._check_request(t0, t1, category, monthly, months)
    governor: IGovernor = IGovernor(self._governor(g))
    if not staticcall governor.in_good_standing(msg.sender):
        assert staticcall governor.is_member(msg.sender), "aid: not a member"
        raise "aid: dues in arrears"
    assert staticcall governor.eligible_at(
        msg.sender, block.timestamp - (t0 & _M32)
    ), "aid: waiting period not over"
    index: uint256 = staticcall governor.roll_index(msg.sender)
    seq: uint256 = self._next_claim(index, total, t1)
    flags: uint256 = 0
    status: uint256 = _S_VOTE
    if total <= t1 & _M80:
        flags = _F_SMALL
        status = _S_CONTEST
    deposit: uint256 = t0 >> _OFF_T_DEPOSIT
    if deposit == 0:
        assert msg.value == 0, "aid: no deposit due"
    else:
        flags |= _F_DEPOSIT
    self._claims[index] = (
        status
        | category << _OFF_C_CATEGORY
        | months << _OFF_C_MONTHS
        | version << _OFF_C_VERSION
        | block.timestamp << _OFF_C_FILED
        | monthly << _OFF_C_MONTHLY
        | flags << _OFF_C_FLAGS
        | seq << _OFF_C_SEQ
        | ((t0 >> _OFF_T_CONTEST) & _M32) << _OFF_C_CONTEST
        | ((t0 >> _OFF_T_VOTE) & _M32) << _OFF_C_VOTE
    )
    if deposit != 0:
        self._take_deposit(deposit, msg.value)
    claim_id: uint256 = index << _ID_SHIFT | seq
    log ClaimFiled(
        claim_id=claim_id,
        member=msg.sender,
        category=category,
        monthly=monthly,
        months=months,
        evidence=evidence,
        terms_version=version,
        small=flags & _F_SMALL != 0,
    )
    return claim_id


@external
def object(claim_id: uint256, reason: String[MAX_REASON] = ""):
    """
    @notice Objects to a small claim during its contest window (an Against
            vote cast early). Enough objections send the claim to a vote.
    @param claim_id The claim.
    @param reason Optional text, logged.
    """
    index: uint256 = claim_id >> _ID_SHIFT
    c: uint256 = self._claims[index]
    assert c != 0 and (c >> _OFF_C_SEQ) & _M16 == claim_id & _M16, "aid: unknown claim"
    filed: uint256 = (c >> _OFF_C_FILED) & _M40
    # 40-bit time plus a 21-bit duration: the unchecked sum cannot overflow
    assert c & _M4 == _S_CONTEST and block.timestamp < unsafe_add(
        filed, (c >> _OFF_C_CONTEST) & _M21
    ), "aid: not in its contest window"
    self._record_ballot(claim_id, filed)
    # a tally counts distinct members (< 2**24): it never carries into the next field
    self._claims[index] = unsafe_add(c, 1 << _OFF_C_AGAINST)
    log ClaimObjected(claim_id=claim_id, member=msg.sender)
    if len(reason) > 0:
        log ClaimReason(claim_id=claim_id, member=msg.sender, reason=reason)


@external
def vote(claim_id: uint256, support: uint8, reason: String[MAX_REASON] = ""):
    """
    @notice Votes on a claim under vote: 0 Against, 1 For. A larger claim is
            under vote from its filing; an objected small claim from the end
            of its contest window.
    @param claim_id The claim.
    @param support The choice.
    @param reason Optional text, logged.
    """
    index: uint256 = claim_id >> _ID_SHIFT
    c: uint256 = self._claims[index]
    assert c != 0 and (c >> _OFF_C_SEQ) & _M16 == claim_id & _M16, "aid: unknown claim"
    assert support <= SUPPORT_FOR, "aid: invalid support"
    status: uint256 = c & _M4
    filed: uint256 = (c >> _OFF_C_FILED) & _M40
    # 40-bit time plus 21-bit durations: the unchecked sums cannot overflow
    start: uint256 = filed
    if status == _S_CONTEST:
        start = unsafe_add(filed, (c >> _OFF_C_CONTEST) & _M21)
        assert block.timestamp >= start, "aid: contest window open"
        assert self._objected(c), "aid: claim not objected"
        c = (c & ~_M4) | _S_VOTE
    else:
        assert status == _S_VOTE, "aid: claim decided"
        if (c >> _OFF_C_FLAGS) & _F_SMALL != 0:
            start = unsafe_add(filed, (c >> _OFF_C_CONTEST) & _M21)
    assert block.timestamp < unsafe_add(start, (c >> _OFF_C_VOTE) & _M21), "aid: vote closed"
    governor: IGovernor = IGovernor(convert(convert(self._global & _M160, uint160), address))
    # filed is a block time, never 0; one call gives the standing and the roll index
    seat: uint256 = staticcall governor.eligible_index_at(msg.sender, unsafe_sub(filed, 1))
    assert seat != 0, "aid: not eligible at snapshot"
    voter: uint256 = unsafe_sub(seat, 1)
    assert voter != index, "aid: own claim"
    key: uint256 = claim_id << _BALLOT_SHIFT | voter >> 8
    word: uint256 = self._ballots[key]
    bit: uint256 = 1 << (voter & 255)
    assert word & bit == 0, "aid: already voted"
    self._ballots[key] = word | bit
    # a tally counts distinct members (< 2**24): it never carries into the next field
    if support == SUPPORT_FOR:
        self._claims[index] = unsafe_add(c, 1 << _OFF_C_FOR)
        log ClaimSupported(claim_id=claim_id, member=msg.sender)
    else:
        self._claims[index] = unsafe_add(c, 1 << _OFF_C_AGAINST)
        log ClaimObjected(claim_id=claim_id, member=msg.sender)
    if len(reason) > 0:
        log ClaimReason(claim_id=claim_id, member=msg.sender, reason=reason)


@external
@nonreentrant
def settle(claim_id: uint256):
    """
    @notice Records the decision of a claim once it is due: at the end of
            the contest window of a small claim nobody objected to enough
            (approved), at the end of the vote otherwise. Anyone may call it.
    @param claim_id The claim.
    """
    c: uint256 = self._current(claim_id)
    status: uint256 = c & _M4
    start: uint256 = self._vote_start(c)
    if status == _S_CONTEST:
        assert block.timestamp >= start, "aid: contest window open"
        if not self._objected(c):
            self._approve(claim_id, c, 0)
            return
    else:
        assert status == _S_VOTE, "aid: claim decided"
    assert block.timestamp >= start + ((c >> _OFF_C_VOTE) & _M21), "aid: vote open"
    votes_for: uint256 = (c >> _OFF_C_FOR) & _M24
    votes_against: uint256 = (c >> _OFF_C_AGAINST) & _M24
    base: uint256 = staticcall IGovernor(self._governor(self._global)).member_count_at(
        ((c >> _OFF_C_FILED) & _M40) - 1
    )
    t0: uint256 = self._word0((c >> _OFF_C_VERSION) & _M16)
    votes: uint256 = votes_for + votes_against
    carried: bool = votes > 0 and votes * BPS >= base * ((t0 >> _OFF_T_QUORUM) & _M16)
    if carried and votes_for > votes_against:
        self._approve(claim_id, c, base)
        return
    outcome: IMutualAid.ClaimState = IMutualAid.ClaimState.TIED
    stored: uint256 = _S_TIED
    kept: bool = False
    if carried and votes_for < votes_against:
        outcome = IMutualAid.ClaimState.DENIED
        stored = _S_DENIED
        if (c >> _OFF_C_FLAGS) & _F_DEPOSIT != 0:
            kept = True
            c &= ~(_F_DEPOSIT << _OFF_C_FLAGS)
    self._claims[claim_id >> _ID_SHIFT] = (c & ~_M4) | stored
    log ClaimDecided(
        claim_id=claim_id,
        outcome=outcome,
        votes_for=votes_for,
        votes_against=votes_against,
        quorum_base=base,
        first_month=0,
        window_total=0,
    )
    if kept:
        self._keep_deposit(claim_id, t0 >> _OFF_T_DEPOSIT)


@external
@nonreentrant
def withdraw(claim_id: uint256) -> uint256:
    """
    @notice Pays the caller, the claimant, every instalment of their approved
            claim that is due and not yet withdrawn: one per aid month from
            the month after approval, each cut pro-rata when that month's
            demand exceeded its allowance. Instalments older than the
            unclaimed window lapse (they stay in the pool). Only while the
            claimant is a member in good standing.
    @param claim_id The claim.
    @return uint256 The amount paid (0 when every due month was cut to 0).
    """
    index: uint256 = claim_id >> _ID_SHIFT
    p: uint256 = self._payouts[index]
    assert p != 0 and p >> _OFF_P_SEQ == claim_id & _M16, "aid: claim not approved"
    g: uint256 = self._global
    governor: IGovernor = IGovernor(self._governor(g))
    assert staticcall governor.in_good_standing(msg.sender), "aid: not in good standing"
    assert staticcall governor.roll_index(msg.sender) == index, "aid: not the claimant"
    now_month: uint256 = block.timestamp // AID_MONTH
    if (g >> _OFF_G_OPENED) & _M32 != now_month:
        self._open_month(g)
    first: uint256 = p & _M24
    due_end: uint256 = first + ((p >> _OFF_P_DUE) & _M8)
    next_month: uint256 = first + ((p >> _OFF_P_SETTLED) & _M8)
    assert next_month < due_end, "aid: claim fully paid"
    assert next_month <= now_month, "aid: nothing due yet"
    last: uint256 = min(now_month, due_end - 1)
    from_month: uint256 = max(next_month, now_month - ((p >> _OFF_P_UNCLAIMED) & _M8))
    monthly: uint256 = (p >> _OFF_P_MONTHLY) & _M72
    amount: uint256 = 0
    for i: uint256 in range(MAX_UNCLAIMED + 1):
        k: uint256 = from_month + i
        if k > last:
            break
        record: uint256 = self._months[k % RING]
        demand: uint256 = record >> _OFF_R_DEMAND
        if demand != 0:
            # allowed <= demand: exactly `monthly` without a cut, its share with one
            amount += monthly * ((record >> _OFF_R_ALLOWED) & _M112) // demand
    self._payouts[index] = (p & ~(_M8 << _OFF_P_SETTLED)) | (last + 1 - first) << _OFF_P_SETTLED
    if amount != 0:
        extcall ITreasury(staticcall governor.treasury()).pay_aid(
            self._asset(g), msg.sender, amount, claim_id
        )
    log Withdrawn(
        claim_id=claim_id, to_month=last, lapsed_months=from_month - next_month, amount=amount
    )
    return amount


@external
@nonreentrant
def reclaim_deposit(claim_id: uint256):
    """
    @notice Returns the deposit of an approved, ended or tied claim to its
            claimant (who must take it back before filing another claim).
    @param claim_id The claim.
    """
    c: uint256 = self._current(claim_id)
    assert (c >> _OFF_C_FLAGS) & _F_DEPOSIT != 0, "aid: no deposit held"
    status: uint256 = c & _M4
    assert status >= _S_APPROVED and status != _S_DENIED, "aid: claim not decided"
    index: uint256 = claim_id >> _ID_SHIFT
    governor: IGovernor = IGovernor(self._governor(self._global))
    assert staticcall governor.roll_index(msg.sender) == index, "aid: not the claimant"
    self._claims[index] = c & ~(_F_DEPOSIT << _OFF_C_FLAGS)
    amount: uint256 = self._word0((c >> _OFF_C_VERSION) & _M16) >> _OFF_T_DEPOSIT
    self._send(msg.sender, amount)
    log DepositReturned(claim_id=claim_id, member=msg.sender, amount=amount)


@external
def stop(claim_id: uint256, claimant: address):
    """
    @notice Stops an approved claim whose claimant no longer holds a card:
            no instalment after the current month. Anyone may call it.
    @param claim_id The claim.
    @param claimant The claimant's address (checked against the claim).
    """
    governor: IGovernor = IGovernor(self._governor(self._global))
    assert (
        staticcall governor.roll_index(claimant) == claim_id >> _ID_SHIFT
    ), "aid: not the claimant"
    assert not staticcall governor.is_member(claimant), "aid: claimant is a member"
    self._end(claim_id, 0)


@external
def end_claim(claim_id: uint256):
    """
    @notice Ends an approved claim: no instalment after the current month.
            Only as an action of an executed proposal.
    @param claim_id The claim.
    """
    self._end(claim_id, self._only_by_vote())


@external
def award(
    member: address, category: uint256, monthly: uint256, months: uint256, evidence: bytes32
) -> uint256:
    """
    @notice Awards `member` an approved claim, decided by the proposal that
            runs this: no waiting period, contest or deposit, but the
            category list, the caps and the one-open-claim rule apply, and
            payouts follow the same months, throttle and standing rule. Only
            as an action of an executed proposal.
    @param member A member of the collective.
    @param category A category enabled by the current terms.
    @param monthly Amount per month.
    @param months Number of monthly instalments.
    @param evidence Hash of the off-chain reasons.
    @return uint256 The claim id.
    """
    proposal_id: uint256 = self._only_by_vote()
    g: uint256 = self._global
    version: uint256 = (g >> _OFF_G_VERSION) & _M16
    t0: uint256 = self._word0(version)
    t1: uint256 = self._word1(version)
    total: uint256 = self._check_request(t0, t1, category, monthly, months)
    governor: IGovernor = IGovernor(self._governor(g))
    assert staticcall governor.is_member(member), "aid: not a member"
    index: uint256 = staticcall governor.roll_index(member)
    seq: uint256 = self._next_claim(index, total, t1)
    c: uint256 = (
        _S_VOTE
        | category << _OFF_C_CATEGORY
        | months << _OFF_C_MONTHS
        | version << _OFF_C_VERSION
        | block.timestamp << _OFF_C_FILED
        | monthly << _OFF_C_MONTHLY
        | seq << _OFF_C_SEQ
    )
    claim_id: uint256 = index << _ID_SHIFT | seq
    log ClaimFiled(
        claim_id=claim_id,
        member=member,
        category=category,
        monthly=monthly,
        months=months,
        evidence=evidence,
        terms_version=version,
        small=False,
    )
    log ClaimAwarded(claim_id=claim_id, proposal_id=proposal_id)
    self._approve(claim_id, c, 0)
    return claim_id


@external
def set_terms(terms: IMutualAid.Terms):
    """
    @notice Adopts new terms (a new version). Claims already filed keep the
            version they were filed under. Only as an action of an executed
            proposal.
    @param terms The new terms.
    """
    proposal_id: uint256 = self._only_by_vote()
    g: uint256 = self._global
    version: uint256 = ((g >> _OFF_G_VERSION) & _M16) + 1
    assert version <= MAX_TERMS_VERSION, "aid: too many terms versions"
    self._terms0[version] = self._pack0(terms)
    self._terms1[version] = self._pack1(terms)
    self._global = (g & ~(_M16 << _OFF_G_VERSION)) | version << _OFF_G_VERSION
    log TermsChanged(version=version, proposal_id=proposal_id, terms=terms)


@external
def open_month():
    """
    @notice Opens the current aid month (and any skipped before it) if no
            call has yet: fixes its demand and allowance. Anyone may call it;
            withdrawals and decisions do it on their own.
    """
    g: uint256 = self._global
    if (g >> _OFF_G_OPENED) & _M32 != block.timestamp // AID_MONTH:
        self._open_month(g)


# ------------------------------------------------------------------- views


@view
@external
def initialized() -> bool:
    """
    @notice Whether this contract is wired (always true for the implementation).
    @return bool True once initialised.
    """
    return self._global != 0


@view
@external
def governor() -> address:
    """
    @notice The collective's governor.
    @return address The governor.
    """
    return self._governor(self._global)


@view
@external
def treasury() -> address:
    """
    @notice The collective's treasury (as its governor names it).
    @return address The treasury.
    """
    return staticcall IGovernor(self._governor(self._global)).treasury()


@view
@external
def pool() -> uint256:
    """
    @notice The treasury's mutual-aid pool in the aid asset.
    @return uint256 The pool.
    """
    treasury: address = staticcall IGovernor(self._governor(self._global)).treasury()
    return staticcall ITreasury(treasury).pool(self.asset)


@view
@external
def monthly_limit() -> uint256:
    """
    @notice The throttle now: pool / divisor of the current terms, the most
            a month opened now would allow.
    @return uint256 The limit.
    """
    g: uint256 = self._global
    treasury: address = staticcall IGovernor(self._governor(g)).treasury()
    divisor: uint256 = (self._word0((g >> _OFF_G_VERSION) & _M16) >> _OFF_T_DIVISOR) & _M8
    return staticcall ITreasury(treasury).pool(self.asset) // divisor


@view
@external
def terms() -> IMutualAid.Terms:
    """
    @notice The terms new claims are filed under.
    @return Terms The current terms.
    """
    version: uint256 = (self._global >> _OFF_G_VERSION) & _M16
    return self._unpack(self._word0(version), self._word1(version))


@view
@external
def terms_version() -> uint256:
    """
    @notice The current terms version (0: the defaults).
    @return uint256 The version.
    """
    return (self._global >> _OFF_G_VERSION) & _M16


@view
@external
def terms_at(version: uint256) -> IMutualAid.Terms:
    """
    @notice The terms of a given version.
    @param version 0 (defaults) .. terms_version().
    @return Terms The terms.
    """
    assert version <= (self._global >> _OFF_G_VERSION) & _M16, "aid: unknown terms version"
    return self._unpack(self._word0(version), self._word1(version))


@view
@external
def current_month() -> uint256:
    """
    @notice The aid month now (block time // AID_MONTH).
    @return uint256 The month index.
    """
    return block.timestamp // AID_MONTH


@view
@external
def last_opened_month() -> uint256:
    """
    @notice The latest month opened (0 before the first opening).
    @return uint256 The month index.
    """
    return (self._global >> _OFF_G_OPENED) & _M32


@view
@external
def month_record(month: uint256) -> IMutualAid.MonthView:
    """
    @notice A month's allowance and demand, while its record is kept (the
            last RING months up to the latest opened; `MonthOpened` logs
            every one).
    @param month The month index.
    @return MonthView (month, opened, allowed, demand).
    """
    record: uint256 = self._months[month % RING]
    if month == 0 or record & _M32 != month:
        return IMutualAid.MonthView(month=month, opened=False, allowed=0, demand=0)
    return IMutualAid.MonthView(
        month=month,
        opened=True,
        allowed=(record >> _OFF_R_ALLOWED) & _M112,
        demand=record >> _OFF_R_DEMAND,
    )


@view
@external
def claim(claim_id: uint256) -> IMutualAid.ClaimView:
    """
    @notice A claim with its state now (each member's latest claim is
            stored; earlier ones are in the events).
    @param claim_id The claim.
    @return ClaimView The claim.
    """
    c: uint256 = self._current(claim_id)
    p: uint256 = self._payouts[claim_id >> _ID_SHIFT]
    first: uint256 = 0
    due: uint256 = 0
    settled: uint256 = 0
    if p >> _OFF_P_SEQ == claim_id & _M16:
        first = p & _M24
        due = (p >> _OFF_P_DUE) & _M8
        settled = (p >> _OFF_P_SETTLED) & _M8
    filed: uint256 = (c >> _OFF_C_FILED) & _M40
    contest_end: uint256 = 0
    if (c >> _OFF_C_FLAGS) & _F_SMALL != 0:
        contest_end = filed + ((c >> _OFF_C_CONTEST) & _M21)
    return IMutualAid.ClaimView(
        claimant_index=claim_id >> _ID_SHIFT,
        state=self._state(c),
        category=(c >> _OFF_C_CATEGORY) & _M4,
        monthly=(c >> _OFF_C_MONTHLY) & _M72,
        months=(c >> _OFF_C_MONTHS) & _M6,
        terms_version=(c >> _OFF_C_VERSION) & _M16,
        filed=filed,
        snapshot=filed - 1,
        contest_end=contest_end,
        vote_end=self._vote_start(c) + ((c >> _OFF_C_VOTE) & _M21),
        votes_for=(c >> _OFF_C_FOR) & _M24,
        votes_against=(c >> _OFF_C_AGAINST) & _M24,
        small=(c >> _OFF_C_FLAGS) & _F_SMALL != 0,
        deposit_held=(c >> _OFF_C_FLAGS) & _F_DEPOSIT != 0,
        first_month=first,
        months_due=due,
        months_settled=settled,
    )


@view
@external
def state(claim_id: uint256) -> IMutualAid.ClaimState:
    """
    @notice A claim's state now (CONTEST and VOTING end by time; DECIDABLE
            means `settle` can record the decision).
    @param claim_id The claim.
    @return ClaimState The state.
    """
    return self._state(self._current(claim_id))


@view
@external
def objected(claim_id: uint256) -> bool:
    """
    @notice Whether a claim's objections reach the threshold of its terms
            (a small claim so objected is decided by vote).
    @param claim_id The claim.
    @return bool True when objected enough.
    """
    return self._objected(self._current(claim_id))


@view
@external
def withdrawable(claim_id: uint256) -> uint256:
    """
    @notice What `withdraw` would pay now for the instalments of months
            already opened (a month not yet opened counts 0 here; `withdraw`
            opens it). Ignores the claimant's standing.
    @param claim_id The claim.
    @return uint256 The amount.
    """
    p: uint256 = self._payouts[claim_id >> _ID_SHIFT]
    if p == 0 or p >> _OFF_P_SEQ != claim_id & _M16:
        return 0
    now_month: uint256 = block.timestamp // AID_MONTH
    first: uint256 = p & _M24
    next_month: uint256 = first + ((p >> _OFF_P_SETTLED) & _M8)
    due_end: uint256 = first + ((p >> _OFF_P_DUE) & _M8)
    if next_month >= due_end or next_month > now_month:
        return 0
    last: uint256 = min(now_month, due_end - 1)
    from_month: uint256 = max(next_month, now_month - ((p >> _OFF_P_UNCLAIMED) & _M8))
    monthly: uint256 = (p >> _OFF_P_MONTHLY) & _M72
    amount: uint256 = 0
    for i: uint256 in range(MAX_UNCLAIMED + 1):
        k: uint256 = from_month + i
        if k > last:
            break
        record: uint256 = self._months[k % RING]
        demand: uint256 = record >> _OFF_R_DEMAND
        if record & _M32 == k and demand != 0:
            amount += monthly * ((record >> _OFF_R_ALLOWED) & _M112) // demand
    return amount


@view
@external
def member_window(index: uint256) -> IMutualAid.MemberWindow:
    """
    @notice A member's claim count and 12-month cap window.
    @param index The member's roll index (governor `roll_index`).
    @return MemberWindow (claims filed, window start, approved total counted in it).
    """
    p: uint256 = self._payouts[index]
    return IMutualAid.MemberWindow(
        claims=(self._claims[index] >> _OFF_C_SEQ) & _M16,
        window_start=(p >> _OFF_P_WSTART) & _M40,
        window_total=(p >> _OFF_P_WTOTAL) & _M80,
    )


@view
@external
def has_voted(claim_id: uint256, index: uint256) -> bool:
    """
    @notice Whether the member with roll index `index` objected to or voted
            on the claim.
    @param claim_id The claim.
    @param index The member's roll index.
    @return bool True once they did.
    """
    return (self._ballots[claim_id << _BALLOT_SHIFT | index >> 8] >> (index & 255)) & 1 == 1


# ------------------------------------------------------------------- internals


@pure
@internal
def _governor(g: uint256) -> address:
    """
    @notice The governor field of the global word.
    @param g The global word.
    @return address The governor.
    """
    return convert(convert(g & _M160, uint160), address)


@view
@internal
def _asset(g: uint256) -> address:
    """
    @notice The aid asset, read only when the global word says it is a token.
    @param g The global word.
    @return address The asset (the zero address: ETH).
    """
    if g & _G_TOKEN == 0:
        return empty(address)
    return self.asset


@view
@internal
def _word0(version: uint256) -> uint256:
    """
    @notice Terms word 0 of a version (the defaults for version 0, no read).
    @param version The terms version.
    @return uint256 The packed word.
    """
    if version == 0:
        return _DEFAULT_T0
    return self._terms0[version]


@view
@internal
def _word1(version: uint256) -> uint256:
    """
    @notice Terms word 1 of a version (the defaults for version 0, no read).
    @param version The terms version.
    @return uint256 The packed word.
    """
    if version == 0:
        return _DEFAULT_T1
    return self._terms1[version]


@view
@internal
def _current(claim_id: uint256) -> uint256:
    """
    @notice The claim word of `claim_id`; reverts unless it is its member's
            latest claim.
    @param claim_id The claim.
    @return uint256 The packed claim word.
    """
    c: uint256 = self._claims[claim_id >> _ID_SHIFT]
    assert c != 0 and (c >> _OFF_C_SEQ) & _M16 == claim_id & _M16, "aid: unknown claim"
    return c


@view
@internal
def _only_by_vote() -> uint256:
    """
    @notice Reverts unless the governor is executing a proposal.
    @return uint256 The id of the executing proposal.
    """
    governor: address = self._governor(self._global)
    assert msg.sender == governor, "aid: only by vote"
    proposal_id: uint256 = staticcall IGovernor(governor).executing_proposal()
    assert proposal_id != 0, "aid: only by vote"
    return proposal_id


@pure
@internal
def _check_request(
    t0: uint256, t1: uint256, category: uint256, monthly: uint256, months: uint256
) -> uint256:
    """
    @notice Checks a requested claim against the terms' category list,
            duration and per-claim cap.
    @param t0 Terms word 0.
    @param t1 Terms word 1.
    @param category The category.
    @param monthly Amount per month.
    @param months Number of months.
    @return uint256 The claim's total (monthly * months).
    """
    assert category < N_CATEGORIES, "aid: category not enabled"
    assert (t0 >> (_OFF_T_CATEGORIES + category)) & 1 == 1, "aid: category not enabled"
    assert monthly > 0, "aid: zero amount"
    assert months > 0, "aid: zero months"
    assert months <= (t0 >> _OFF_T_MAX_MONTHS) & _M8, "aid: too many months"
    assert monthly <= MAX_AMOUNT, "aid: over the claim cap"
    total: uint256 = monthly * months
    assert total <= (t1 >> _OFF_T_CLAIM_CAP) & _M80, "aid: over the claim cap"
    return total


@view
@internal
def _next_claim(index: uint256, total: uint256, t1: uint256) -> uint256:
    """
    @notice The next claim number of a member, after checking the
            one-open-claim rule, the deposit rule and the member cap of the
            12-month window (approved claims filed within a year of the
            first one in the window).
    @param index The claimant's roll index.
    @param total The new claim's total.
    @param t1 Terms word 1 of the new claim.
    @return uint256 The new claim number.
    """
    c: uint256 = self._claims[index]
    p: uint256 = self._payouts[index]
    seq: uint256 = (c >> _OFF_C_SEQ) & _M16
    if c != 0:
        assert not self._is_open(c, p), "aid: claim already open"
        assert (c >> _OFF_C_FLAGS) & _F_DEPOSIT == 0, "aid: reclaim the deposit first"
    assert seq < MAX_CLAIMS_PER_MEMBER, "aid: too many claims"
    window_total: uint256 = 0
    if block.timestamp < ((p >> _OFF_P_WSTART) & _M40) + YEAR:
        window_total = (p >> _OFF_P_WTOTAL) & _M80
    assert window_total + total <= (t1 >> _OFF_T_MEMBER_CAP) & _M80, "aid: over the member cap"
    return seq + 1


@view
@internal
def _is_open(c: uint256, p: uint256) -> bool:
    """
    @notice Whether a member's latest claim is still open: undecided, or
            approved (or ended) with an instalment still to withdraw or lapse.
    @param c Its claim word.
    @param p The member's payout word.
    @return bool True while open.
    """
    status: uint256 = c & _M4
    if status == _S_CONTEST or status == _S_VOTE:
        return True
    if status != _S_APPROVED and status != _S_ENDED:
        return False
    next_month: uint256 = (p & _M24) + ((p >> _OFF_P_SETTLED) & _M8)
    due_end: uint256 = (p & _M24) + ((p >> _OFF_P_DUE) & _M8)
    # open until the last instalment (month due_end - 1) is withdrawn or lapses
    return next_month < due_end and block.timestamp // AID_MONTH < due_end + (
        (p >> _OFF_P_UNCLAIMED) & _M8
    )


@view
@internal
def _vote_start(c: uint256) -> uint256:
    """
    @notice When a claim's vote opens: at filing for a larger claim, at the
            end of the contest window for a small one.
    @param c The claim word.
    @return uint256 The timestamp.
    """
    filed: uint256 = (c >> _OFF_C_FILED) & _M40
    if (c >> _OFF_C_FLAGS) & _F_SMALL != 0:
        return filed + ((c >> _OFF_C_CONTEST) & _M21)
    return filed


@view
@internal
def _objected(c: uint256) -> bool:
    """
    @notice Whether a claim's objections reach the threshold of its terms:
            at least `min_objections`, or at least `objection_bps` of the
            members at the snapshot (whichever is fewer), and at least one.
    @param c The claim word.
    @return bool True when objected.
    """
    against: uint256 = (c >> _OFF_C_AGAINST) & _M24
    if against == 0 or (c >> _OFF_C_FLAGS) & _F_SMALL == 0:
        return False
    t0: uint256 = self._word0((c >> _OFF_C_VERSION) & _M16)
    if against >= (t0 >> _OFF_T_MIN_OBJ) & _M24:
        return True
    base: uint256 = staticcall IGovernor(self._governor(self._global)).member_count_at(
        ((c >> _OFF_C_FILED) & _M40) - 1
    )
    return against * BPS >= base * ((t0 >> _OFF_T_OBJ_BPS) & _M16)


@view
@internal
def _state(c: uint256) -> IMutualAid.ClaimState:
    """
    @notice The external state of a claim word now.
    @param c The claim word.
    @return ClaimState The state.
    """
    status: uint256 = c & _M4
    if status == _S_APPROVED:
        return IMutualAid.ClaimState.APPROVED
    if status == _S_DENIED:
        return IMutualAid.ClaimState.DENIED
    if status == _S_TIED:
        return IMutualAid.ClaimState.TIED
    if status == _S_ENDED:
        return IMutualAid.ClaimState.ENDED
    start: uint256 = self._vote_start(c)
    if status == _S_CONTEST:
        if block.timestamp < start:
            return IMutualAid.ClaimState.CONTEST
        if not self._objected(c):
            return IMutualAid.ClaimState.DECIDABLE
    if block.timestamp < start + ((c >> _OFF_C_VOTE) & _M21):
        return IMutualAid.ClaimState.VOTING
    return IMutualAid.ClaimState.DECIDABLE


@internal
def _record_ballot(claim_id: uint256, filed: uint256):
    """
    @notice Checks that the caller may object or vote on the claim (eligible
            at its snapshot, not its claimant, not yet counted) and sets
            their who-voted bit.
    @param claim_id The claim.
    @param filed Its filing time (snapshot = filed - 1).
    """
    governor: IGovernor = IGovernor(convert(convert(self._global & _M160, uint160), address))
    # filed is a block time, never 0
    assert staticcall governor.eligible_at(
        msg.sender, unsafe_sub(filed, 1)
    ), "aid: not eligible at snapshot"
    index: uint256 = staticcall governor.roll_index(msg.sender)
    assert index != claim_id >> _ID_SHIFT, "aid: own claim"
    key: uint256 = claim_id << _BALLOT_SHIFT | index >> 8
    word: uint256 = self._ballots[key]
    bit: uint256 = 1 << (index & 255)
    assert word & bit == 0, "aid: already voted"
    self._ballots[key] = word | bit


@internal
def _approve(claim_id: uint256, c: uint256, base: uint256):
    """
    @notice Approves a claim: counts it in its member's cap window, schedules
            its monthly amount from the month after the current one and
            writes the member's payout word.
    @param claim_id The claim.
    @param c The claim word (not yet approved).
    @param base The quorum base of its vote (0 without a vote).
    """
    g: uint256 = self._global
    month: uint256 = block.timestamp // AID_MONTH
    if (g >> _OFF_G_OPENED) & _M32 != month:
        self._open_month(g)
    index: uint256 = claim_id >> _ID_SHIFT
    first: uint256 = month + 1
    months: uint256 = (c >> _OFF_C_MONTHS) & _M6
    monthly: uint256 = (c >> _OFF_C_MONTHLY) & _M72
    filed: uint256 = (c >> _OFF_C_FILED) & _M40
    # the window opens with the filing of the first approved claim in it
    p: uint256 = self._payouts[index]
    window_start: uint256 = (p >> _OFF_P_WSTART) & _M40
    window_total: uint256 = (p >> _OFF_P_WTOTAL) & _M80
    if filed >= window_start + YEAR:
        window_start = filed
        window_total = 0
    window_total += monthly * months
    self._schedule[first] += monthly
    self._schedule[first + months] += monthly << _OFF_S_ENDS
    self._claims[index] = (c & ~_M4) | _S_APPROVED
    unclaimed: uint256 = (self._word0((c >> _OFF_C_VERSION) & _M16) >> _OFF_T_UNCLAIMED) & _M8
    self._payouts[index] = (
        first
        | months << _OFF_P_DUE
        | unclaimed << _OFF_P_UNCLAIMED
        | monthly << _OFF_P_MONTHLY
        | window_start << _OFF_P_WSTART
        | window_total << _OFF_P_WTOTAL
        | (claim_id & _M16) << _OFF_P_SEQ
    )
    log ClaimDecided(
        claim_id=claim_id,
        outcome=IMutualAid.ClaimState.APPROVED,
        votes_for=(c >> _OFF_C_FOR) & _M24,
        votes_against=(c >> _OFF_C_AGAINST) & _M24,
        quorum_base=base,
        first_month=first,
        window_total=window_total,
    )


@internal
def _end(claim_id: uint256, proposal_id: uint256):
    """
    @notice Ends an approved claim after the current month: its later
            instalments leave the schedule (so they no longer count in any
            demand) and the payout word.
    @param claim_id The claim.
    @param proposal_id The proposal ending it (0: its claimant left).
    """
    index: uint256 = claim_id >> _ID_SHIFT
    c: uint256 = self._current(claim_id)
    assert c & _M4 == _S_APPROVED, "aid: claim not running"
    g: uint256 = self._global
    month: uint256 = block.timestamp // AID_MONTH
    if (g >> _OFF_G_OPENED) & _M32 != month:
        self._open_month(g)
    p: uint256 = self._payouts[index]
    first: uint256 = p & _M24
    months: uint256 = (p >> _OFF_P_DUE) & _M8
    monthly: uint256 = (p >> _OFF_P_MONTHLY) & _M72
    due: uint256 = months
    if first > month:
        # not started: it leaves the schedule entirely
        due = 0
        self._schedule[first] -= monthly
        self._schedule[first + months] -= monthly << _OFF_S_ENDS
    elif first + months > month + 1:
        due = month + 1 - first
        self._schedule[first + months] -= monthly << _OFF_S_ENDS
        self._schedule[month + 1] += monthly << _OFF_S_ENDS
    settled: uint256 = min((p >> _OFF_P_SETTLED) & _M8, due)
    self._payouts[index] = (
        (p & ~(_M8 << _OFF_P_DUE) & ~(_M8 << _OFF_P_SETTLED))
        | due << _OFF_P_DUE
        | settled << _OFF_P_SETTLED
    )
    self._claims[index] = (c & ~_M4) | _S_ENDED
    log ClaimEnded(claim_id=claim_id, proposal_id=proposal_id, months_due=due)


@internal
def _open_month(g: uint256):
    """
    @notice Opens the current month and any skipped since the last opening:
            applies the schedule to the running demand and fixes each
            month's allowance min(demand, pool / divisor), each allowance
            taken off the pool used for the next.
    @param g The global word (its last opened month is before now).
    @dev Every scheduled month is at most MAX_MONTHS + 1 after the last
         opening (approvals and ends open the month first), so the first
         loop reads every schedule entry there is; after it the demand is
         constant. Only the last RING months get a record (older ones are
         past every unclaimed window).
    """
    now_month: uint256 = block.timestamp // AID_MONTH
    last: uint256 = (g >> _OFF_G_OPENED) & _M32
    demand: uint256 = 0
    if last == 0:
        last = now_month - 1
    else:
        demand = self._months[last % RING] >> _OFF_R_DEMAND
    treasury: address = staticcall IGovernor(self._governor(g)).treasury()
    pool: uint256 = staticcall ITreasury(treasury).pool(self._asset(g))
    divisor: uint256 = (self._word0((g >> _OFF_G_VERSION) & _M16) >> _OFF_T_DIVISOR) & _M8
    scheduled_end: uint256 = min(now_month, last + MAX_MONTHS + 1)
    for i: uint256 in range(MAX_MONTHS + 1):
        k: uint256 = last + 1 + i
        if k > scheduled_end:
            break
        entry: uint256 = self._schedule[k]
        if entry != 0:
            demand = demand + (entry & _M128) - (entry >> _OFF_S_ENDS)
        if k + RING > now_month:
            pool = self._record_month(k, demand, pool, divisor)
    for j: uint256 in range(RING):
        k: uint256 = max(scheduled_end + 1, now_month + 1 - RING) + j
        if k > now_month:
            break
        pool = self._record_month(k, demand, pool, divisor)
    self._global = (g & ~(_M32 << _OFF_G_OPENED)) | now_month << _OFF_G_OPENED


@internal
def _record_month(month: uint256, demand: uint256, pool: uint256, divisor: uint256) -> uint256:
    """
    @notice Writes one month's record and logs it.
    @param month The month index.
    @param demand Sum of the monthly amounts running in it.
    @param pool The pool left for it.
    @param divisor The throttle divisor.
    @return uint256 The pool left after its allowance.
    """
    allowed: uint256 = min(demand, pool // divisor)
    self._months[month % RING] = month | allowed << _OFF_R_ALLOWED | demand << _OFF_R_DEMAND
    log MonthOpened(month=month, pool=pool, divisor=divisor, allowed=allowed, demand=demand)
    return pool - allowed


@internal
def _take_deposit(amount: uint256, sent: uint256):
    """
    @notice Receives a claim deposit: the exact ETH value, or a token pull
            that must deliver exactly `amount`.
    @param amount The deposit of the claim's terms.
    @param sent The ETH sent with the call.
    """
    asset: address = self.asset
    if asset == empty(address):
        assert sent == amount, "aid: wrong deposit"
        return
    assert sent == 0, "aid: wrong deposit"
    before: uint256 = staticcall IERC20(asset).balanceOf(self)
    response: Bytes[32] = raw_call(
        asset,
        abi_encode(
            msg.sender, self, amount, method_id=method_id("transferFrom(address,address,uint256)")
        ),
        max_outsize=32,
    )
    if len(response) != 0:
        assert abi_decode(response, bool), "aid: token transfer failed"
    assert (
        staticcall IERC20(asset).balanceOf(self) - before == amount
    ), "aid: token delivered a different amount"


@internal
def _keep_deposit(claim_id: uint256, amount: uint256):
    """
    @notice Hands the deposit of a denied claim to the treasury's pool (an
            earmarked donation from this contract).
    @param claim_id The claim.
    @param amount The deposit.
    """
    asset: address = self.asset
    treasury: address = staticcall IGovernor(self._governor(self._global)).treasury()
    log DepositKept(claim_id=claim_id, amount=amount)
    if asset == empty(address):
        extcall ITreasury(treasury).donate(asset, amount, MEMO_KEPT, True, value=amount)
        return
    assert extcall IERC20(asset).approve(
        treasury, amount, default_return_value=True
    ), "aid: token approval failed"
    extcall ITreasury(treasury).donate(asset, amount, MEMO_KEPT, True)


@internal
def _send(recipient: address, amount: uint256):
    """
    @notice Sends `amount` of the aid asset held here (a deposit) to `recipient`.
    @param recipient The receiver.
    @param amount The amount.
    """
    asset: address = self.asset
    if asset == empty(address):
        raw_call(recipient, b"", value=amount)
        return
    response: Bytes[32] = raw_call(
        asset,
        abi_encode(recipient, amount, method_id=method_id("transfer(address,uint256)")),
        max_outsize=32,
    )
    if len(response) != 0:
        assert abi_decode(response, bool), "aid: token transfer failed"


@pure
@internal
def _pack0(t: IMutualAid.Terms) -> uint256:
    """
    @notice Validates the first half of new terms and packs it.
    @param t The terms.
    @return uint256 Terms word 0.
    """
    assert t.waiting_period <= MAX_WAITING, "aid: waiting period too long"
    assert (
        t.contest_window > 0 and t.contest_window <= MAX_PHASE
    ), "aid: contest window out of range"
    assert t.vote_period > 0 and t.vote_period <= MAX_PHASE, "aid: vote period out of range"
    assert (
        t.min_objections > 0 and t.min_objections <= MAX_OBJECTIONS
    ), "aid: objection count out of range"
    assert t.objection_bps > 0 and t.objection_bps <= BPS, "aid: objection share out of range"
    assert t.quorum_bps <= BPS, "aid: quorum out of range"
    assert t.max_months > 0 and t.max_months <= MAX_MONTHS, "aid: duration out of range"
    assert (
        t.throttle_divisor >= MIN_DIVISOR and t.throttle_divisor <= MAX_DIVISOR
    ), "aid: throttle out of range"
    assert t.unclaimed_months <= MAX_UNCLAIMED, "aid: unclaimed window too long"
    assert t.categories > 0 and t.categories < 2**N_CATEGORIES, "aid: categories out of range"
    assert t.deposit <= MAX_AMOUNT, "aid: amount too large"
    return (
        t.waiting_period
        | t.contest_window << _OFF_T_CONTEST
        | t.vote_period << _OFF_T_VOTE
        | t.min_objections << _OFF_T_MIN_OBJ
        | t.objection_bps << _OFF_T_OBJ_BPS
        | t.quorum_bps << _OFF_T_QUORUM
        | t.max_months << _OFF_T_MAX_MONTHS
        | t.throttle_divisor << _OFF_T_DIVISOR
        | t.unclaimed_months << _OFF_T_UNCLAIMED
        | t.categories << _OFF_T_CATEGORIES
        | t.deposit << _OFF_T_DEPOSIT
    )


@pure
@internal
def _pack1(t: IMutualAid.Terms) -> uint256:
    """
    @notice Validates the amounts of new terms and packs them.
    @param t The terms.
    @return uint256 Terms word 1.
    """
    assert t.auto_approve_max <= MAX_AMOUNT, "aid: amount too large"
    assert t.claim_cap <= MAX_AMOUNT, "aid: amount too large"
    assert t.member_cap <= MAX_AMOUNT, "aid: amount too large"
    return t.auto_approve_max | t.claim_cap << _OFF_T_CLAIM_CAP | t.member_cap << _OFF_T_MEMBER_CAP


@pure
@internal
def _unpack(t0: uint256, t1: uint256) -> IMutualAid.Terms:
    """
    @notice Unpacks a terms version.
    @param t0 Terms word 0.
    @param t1 Terms word 1.
    @return Terms The terms.
    """
    return IMutualAid.Terms(
        waiting_period=t0 & _M32,
        contest_window=(t0 >> _OFF_T_CONTEST) & _M32,
        vote_period=(t0 >> _OFF_T_VOTE) & _M32,
        min_objections=(t0 >> _OFF_T_MIN_OBJ) & _M24,
        objection_bps=(t0 >> _OFF_T_OBJ_BPS) & _M16,
        quorum_bps=(t0 >> _OFF_T_QUORUM) & _M16,
        max_months=(t0 >> _OFF_T_MAX_MONTHS) & _M8,
        throttle_divisor=(t0 >> _OFF_T_DIVISOR) & _M8,
        unclaimed_months=(t0 >> _OFF_T_UNCLAIMED) & _M8,
        categories=(t0 >> _OFF_T_CATEGORIES) & _M8,
        deposit=t0 >> _OFF_T_DEPOSIT,
        auto_approve_max=t1 & _M80,
        claim_cap=(t1 >> _OFF_T_CLAIM_CAP) & _M80,
        member_cap=(t1 >> _OFF_T_MEMBER_CAP) & _M80,
    )
