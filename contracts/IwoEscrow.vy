# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title iwo escrow: paid work between a client and a member, disputes judged by members
@custom:contract-name IwoEscrow
@license GNU Affero General Public License v3.0 only
@notice One escrow per collective. A client (anyone) funds a job for a
        member in good standing: ETH or one ERC-20, 1 to 16 milestones, each
        with an amount and a delivery deadline. The collective's terms in
        force at creation are fixed in the job: its fee, the review window,
        and (through the settings version) the dispute fee, the default
        rule, the panel size and the dispute periods.

        Milestone life (anyone may end every waiting state in bounded time):

            FUNDED --deliver (worker, by the deadline)--> DELIVERED
            FUNDED --reclaim (anyone after the deadline; the client at any
                     time once the worker has left the collective)--> SETTLED
            FUNDED|DELIVERED --release (client, whole or part)-->   (SETTLED at 0)
            FUNDED|DELIVERED --refund (worker, whole or part)-->    (SETTLED at 0)
            DELIVERED --release_after_review (anyone, once the review
                       window has passed: silence means payment)--> SETTLED
            DELIVERED --open_dispute (client, within the review window,
                       paying the dispute fee)--> DISPUTED
            DISPUTED --settle_dispute (anyone, once final)--> SETTLED

        A dispute: a panel is drawn from the roll (see panel.vy), votes
        sealed splits of the milestone, and the median of a majority rules;
        otherwise the job's default rule applies. A party may appeal to the
        whole collective, whose executed proposal (`rule_on_appeal`)
        overrides the split. With the default periods a dispute is final 3
        days after it opens, or 9 days when appealed.

        Money: each release pays the collective's fee to the treasury
        (`receive_fee`, logged there with the job id) and the rest to the
        worker; refunds, reclaims and the client's share of a ruling go to
        the client; the dispute fee goes to the panelists who revealed (to
        the client when none did). Every step logs the job, milestone,
        amounts and this escrow's balance of the asset after the move.

        Once a job has ended, each party may review the other once
        (`review`: a rating 1-5 and the hash of a text), logged with the job.

        Jobs cost little storage: a job's fixed terms (`Terms`) are not
        stored but hashed with its id into the key of its storage, so every
        call passes them again (they are all in JobCreated) and a wrong
        value simply finds no job.
@custom:security No owner. Settings change only by an executed proposal of
                 the collective (`set_settings`, `rule_on_appeal`: caller is
                 the governor while it executes). The client alone releases
                 early, disputes and adds milestones; the worker alone
                 delivers and refunds; panelists act only in their seat;
                 everything that ends a waiting state after its deadline is
                 open to anyone. A worker who leaves the collective keeps
                 every right on work already funded. Value paths are
                 non-reentrant; state is written before any call out;
                 refused payments are credited, never lost (`withdraw`).
                 Trusted: the governor and treasury set at initialisation.
"""

# @dev Who is a member, in good standing, eligible at a snapshot; roll indices.
from interfaces import IGovernor

# @dev The fee entry point of the collective's treasury.
from interfaces import ITreasury

from interfaces import IEscrow

implements: IEscrow

# @dev Deposits, pushed payments with a credit fallback, withdrawals.
from escrow import payouts

# @dev Panel draw, sealed votes, appeal flags, the ruling.
from escrow import panel

# @dev The prevrandao of the draw block (for `draw_order`).
from escrow import randao

# @dev Checks revert through one shared function (code size).
from escrow import reverts

initializes: payouts
initializes: panel

exports: (
    payouts.withdraw,
    payouts.claimable,
    panel.commit_vote,
    panel.reveal_vote,
    panel.commitment,
    panel.dispute_state,
    panel.no_shows,
)


struct Terms:
    client: address
    worker: address
    asset: address  # the zero address for ETH
    fee_bps: uint256  # the collective's fee on releases, fixed at creation
    review_window: uint256  # seconds after a delivery for the client to act
    version: uint256  # settings version of the dispute rules


struct Milestone:
    amount: uint256
    deadline: uint256  # last second for delivery


struct MilestoneState:
    remaining: uint256  # still held for this milestone
    deadline: uint256
    delivered_at: uint256  # 0 until delivered
    stage: uint256  # FUNDED, DELIVERED, DISPUTED or SETTLED
    disputed_at: uint256  # 0 unless a dispute was opened
    draw_block: uint256  # 0 unless a dispute was opened


struct JobState:
    milestones: uint256
    ended: bool  # every milestone settled
    client_reviewed: bool  # the client reviewed the worker
    worker_reviewed: bool  # the worker reviewed the client


struct Settings:
    fee_bps: uint256  # collective's fee on what the worker receives
    dispute_fee_bps: uint256  # paid by the client to dispute, of the milestone
    default_split: uint256  # worker's share when the panel does not rule
    panel_size: uint256  # odd, 1..MAX_PANEL
    review_window: uint256  # default for jobs that do not choose one
    commit_period: uint256  # from the opening of a dispute
    reveal_period: uint256  # after the commit deadline
    appeal_window: uint256  # after the reveal deadline, to file an appeal
    appeal_period: uint256  # after the reveal deadline, to rule on an appeal


BPS: constant(uint256) = 10_000
ETH: constant(address) = empty(address)
MAX_MILESTONES: public(constant(uint256)) = 16
# a milestone's delivery deadline is at most this far ahead
MAX_TERM: constant(uint256) = 730 * 86_400
MAX_FEE_BPS: public(constant(uint256)) = 500
MAX_DISPUTE_FEE_BPS: public(constant(uint256)) = 1_000
MIN_REVIEW_WINDOW: constant(uint256) = 86_400
MAX_REVIEW_WINDOW: constant(uint256) = 60 * 86_400
MIN_PERIOD: constant(uint256) = 3_600
MAX_PERIOD: constant(uint256) = 14 * 86_400
MAX_APPEAL_PERIOD: constant(uint256) = 60 * 86_400
MAX_SETTINGS_VERSION: constant(uint256) = 65_535
MAX_RATING: constant(uint256) = 5

# Milestone stages.
FUNDED: constant(uint256) = 1
DELIVERED: constant(uint256) = 2
DISPUTED: constant(uint256) = 3
SETTLED: constant(uint256) = 4

# How a dispute was decided (DisputeSettled.ruling).
RULED_BY_PANEL: constant(uint256) = 1
RULED_BY_APPEAL: constant(uint256) = 2
RULED_BY_DEFAULT: constant(uint256) = 3

# Default settings (version 0, never stored).
DEFAULT_FEE_BPS: constant(uint256) = 100
DEFAULT_DISPUTE_FEE_BPS: constant(uint256) = 200
DEFAULT_SPLIT: constant(uint256) = 5_000
DEFAULT_PANEL_SIZE: constant(uint256) = 3
DEFAULT_REVIEW_WINDOW: constant(uint256) = 14 * 86_400
DEFAULT_COMMIT_PERIOD: constant(uint256) = 86_400
DEFAULT_REVEAL_PERIOD: constant(uint256) = 86_400
DEFAULT_APPEAL_WINDOW: constant(uint256) = 86_400
DEFAULT_APPEAL_PERIOD: constant(uint256) = 7 * 86_400

# Bit layout of a milestone word:
#
#  255        218 217         195 194 192 191          152 151      112 111              0
# | draw_block    | dispute_lag   | stage | delivered_at   | deadline   | remaining        |
#
# remaining     still held for this milestone (at most 2**112 - 1 units)
# deadline      last second for delivery
# delivered_at  time of delivery (0 until delivered)
# stage         FUNDED, DELIVERED, DISPUTED or SETTLED
# dispute_lag   seconds from delivery to the opening of its dispute (within
#               the review window, at most MAX_REVIEW_WINDOW < 2**23)
# draw_block    block whose prevrandao seeds the panel draw (38 bits: ages
#               of blocks even at 4 blocks a second)
_M3: constant(uint256) = 2**3 - 1
_M8: constant(uint256) = 2**8 - 1
_M16: constant(uint256) = 2**16 - 1
_M23: constant(uint256) = 2**23 - 1
_M32: constant(uint256) = 2**32 - 1
_M38: constant(uint256) = 2**38 - 1
_M40: constant(uint256) = 2**40 - 1
_M112: constant(uint256) = 2**112 - 1
_OFF_DEADLINE: constant(uint256) = 112
_OFF_DELIVERED: constant(uint256) = 152
_OFF_STAGE: constant(uint256) = 192
_OFF_DISPUTE_LAG: constant(uint256) = 195
_OFF_DRAW_BLOCK: constant(uint256) = 218

# Bit layout of a job word:
#
#  255      10   9   8  7            0
# |  unused   |WRV|CRV| milestones     |
#
# milestones    how many (1..MAX_MILESTONES)
# CRV           the client reviewed the worker
# WRV           the worker reviewed the client
_BIT_CLIENT_REVIEWED: constant(uint256) = 1 << 8
_BIT_WORKER_REVIEWED: constant(uint256) = 1 << 9

# Bit layout of the global word:
#
#  255      64 63          16 15         0
# |  unused   | job_count    | version    |
_OFF_JOB_COUNT: constant(uint256) = 16

# Bit layout of a settings word:
#
#  255  216 215   184 183   152 151   120 119    88 87     56 55  48 47    32 31    16 15    0
# | unused | appeal  | appeal  | reveal  | commit  | review  |panel | default| dispute| fee    |
# |        | period  | window  | period  | period  | window  | size | split  | fee bps| bps    |
_OFF_S_DISPUTE_FEE: constant(uint256) = 16
_OFF_S_SPLIT: constant(uint256) = 32
_OFF_S_PANEL: constant(uint256) = 48
_OFF_S_REVIEW: constant(uint256) = 56
_OFF_S_COMMIT: constant(uint256) = 88
_OFF_S_REVEAL: constant(uint256) = 120
_OFF_S_APPEAL_WINDOW: constant(uint256) = 152
_OFF_S_APPEAL_PERIOD: constant(uint256) = 184
_DEFAULT_SETTINGS: constant(uint256) = (
    DEFAULT_FEE_BPS
    | DEFAULT_DISPUTE_FEE_BPS << _OFF_S_DISPUTE_FEE
    | DEFAULT_SPLIT << _OFF_S_SPLIT
    | DEFAULT_PANEL_SIZE << _OFF_S_PANEL
    | DEFAULT_REVIEW_WINDOW << _OFF_S_REVIEW
    | DEFAULT_COMMIT_PERIOD << _OFF_S_COMMIT
    | DEFAULT_REVEAL_PERIOD << _OFF_S_REVEAL
    | DEFAULT_APPEAL_WINDOW << _OFF_S_APPEAL_WINDOW
    | DEFAULT_APPEAL_PERIOD << _OFF_S_APPEAL_PERIOD
)

governor: public(address)
treasury: public(address)
# settings version new jobs take | jobs created (layout above)
_global: uint256
# settings version (from 1) -> settings word; version 0 is the defaults
_settings_at: HashMap[uint256, uint256]
# job key -> job word
_job: HashMap[bytes32, uint256]
# job key -> milestone index -> milestone word
_milestone: HashMap[bytes32, HashMap[uint256, uint256]]


event JobCreated:
    job_id: indexed(uint256)
    client: indexed(address)
    worker: indexed(address)
    asset: address
    fee_bps: uint256
    review_window: uint256
    version: uint256
    terms_hash: bytes32  # the agreed text (kept off-chain)
    category: bytes32  # optional: kind of work, for paid rates
    unit: bytes32  # optional: unit of work (hour, word, ...)
    quantity: uint256  # optional: units, in thousandths
    total: uint256
    balance: uint256


event MilestoneFunded:
    job_id: indexed(uint256)
    milestone: uint256
    amount: uint256
    deadline: uint256


event MilestonesAdded:
    job_id: indexed(uint256)
    first: uint256
    count: uint256
    total: uint256
    balance: uint256


event Delivered:
    job_id: indexed(uint256)
    milestone: uint256
    evidence: bytes32
    review_end: uint256


event Released:
    job_id: indexed(uint256)
    milestone: uint256
    amount: uint256  # taken from the milestone
    fee: uint256  # of which to the treasury
    remaining: uint256
    by_silence: bool  # released by anyone after the review window
    balance: uint256


event Refunded:
    job_id: indexed(uint256)
    milestone: uint256
    amount: uint256
    remaining: uint256
    balance: uint256


event Reclaimed:
    job_id: indexed(uint256)
    by: indexed(address)
    milestone: uint256
    amount: uint256
    worker_left: bool  # reclaimed before the deadline: the worker left
    balance: uint256


event DrawRearmed:
    job_id: indexed(uint256)
    milestone: uint256
    draw_block: uint256


event DisputeOpened:
    job_id: indexed(uint256)
    milestone: uint256
    amount: uint256  # disputed: what the milestone still holds
    dispute_fee: uint256
    draw_block: uint256
    commit_end: uint256
    reveal_end: uint256
    balance: uint256


event DisputeSettled:
    job_id: indexed(uint256)
    milestone: uint256
    ruling: uint256  # RULED_BY_PANEL, RULED_BY_APPEAL or RULED_BY_DEFAULT
    split: uint256  # worker's share in basis points
    worker_amount: uint256
    fee: uint256  # to the treasury (fee on the worker's share + rounding dust)
    client_amount: uint256  # client's share (+ the dispute fee when nobody revealed)
    panelists_paid: DynArray[address, panel.MAX_PANEL]  # the panelists who revealed
    panel_share: uint256  # paid to each of them (their share of the dispute fee)
    balance: uint256


event Reviewed:
    job_id: indexed(uint256)
    reviewer: indexed(address)
    reviewee: indexed(address)
    rating: uint256  # 1..5
    text_hash: bytes32  # the review's text, kept off-chain
    by_client: bool  # the client reviews the worker (else the worker the client)


event SettingsChanged:
    version: indexed(uint256)
    proposal_id: indexed(uint256)
    settings: Settings


@deploy
def __init__():
    """
    @notice Locks the implementation: clones are initialised, this is not.
            A non-zero governor is the "initialised" mark (no extra slot).
    """
    self.governor = self


@external
def initialize(governor: address, treasury: address):
    """
    @notice Wires a fresh clone to its collective. Callable once. The
            settings start at version 0: the defaults (`settings_at(0)`).
    @param governor The collective's governor.
    @param treasury The collective's treasury (receives the fees).
    """
    if self.governor != empty(address):
        reverts._fail("escrow: already initialized")
    if governor == empty(address):
        reverts._fail("escrow: zero governor")
    if treasury == empty(address):
        reverts._fail("escrow: zero treasury")
    self.governor = governor
    self.treasury = treasury


@payable
@external
@nonreentrant
def create_job(
    worker: address,
    asset: address,
    milestones: DynArray[Milestone, MAX_MILESTONES],
    review_window: uint256,
    terms_hash: bytes32,
    category: bytes32,
    unit: bytes32,
    quantity: uint256,
) -> uint256:
    """
    @notice Creates and funds a job; the caller is the client. For ETH send
            exactly the sum of the milestones; for a token approve it first.
    @param worker A member in good standing (not the caller).
    @param asset The zero address for ETH, else an ERC-20 token.
    @param milestones 1..MAX_MILESTONES (amount, delivery deadline).
    @param review_window Seconds the client has after each delivery; 0 for
           the collective's default.
    @param terms_hash Hash of the agreed text (logged).
    @param category Optional kind of work (logged, for paid rates).
    @param unit Optional unit of work (logged).
    @param quantity Optional number of units, in thousandths (logged).
    @return uint256 The job id (sequential from 1).
    """
    g: uint256 = self._global
    version: uint256 = g & _M16
    settings: uint256 = self._settings_word(version)
    window: uint256 = review_window
    if window == 0:
        window = (settings >> _OFF_S_REVIEW) & _M32
    elif window < MIN_REVIEW_WINDOW or window > MAX_REVIEW_WINDOW:
        reverts._fail("escrow: review window out of range")
    if worker == msg.sender:
        reverts._fail("escrow: client is the worker")
    if not staticcall IGovernor(self.governor).in_good_standing(worker):
        reverts._fail("escrow: worker not in good standing")
    if asset != ETH and not asset.is_contract:
        reverts._fail("escrow: asset is not a contract")
    # a 48-bit counter: it cannot carry into other fields in any chain's lifetime
    job_id: uint256 = (g >> _OFF_JOB_COUNT) + 1
    self._global = g + (1 << _OFF_JOB_COUNT)
    terms: Terms = Terms(
        client=msg.sender,
        worker=worker,
        asset=asset,
        fee_bps=settings & _M16,
        review_window=window,
        version=version,
    )
    key: bytes32 = self._key(job_id, terms)
    total: uint256 = self._add_milestones(job_id, key, 0, milestones)
    self._job[key] = len(milestones)
    payouts._take(asset, msg.sender, total)
    log JobCreated(
        job_id=job_id,
        client=msg.sender,
        worker=worker,
        asset=asset,
        fee_bps=terms.fee_bps,
        review_window=window,
        version=version,
        terms_hash=terms_hash,
        category=category,
        unit=unit,
        quantity=quantity,
        total=total,
        balance=payouts._balance(asset),
    )
    return job_id


@payable
@external
@nonreentrant
def add_milestones(job_id: uint256, terms: Terms, milestones: DynArray[Milestone, MAX_MILESTONES]):
    """
    @notice The client adds and funds more milestones (same terms), while
            the worker is in good standing and the job has at most
            MAX_MILESTONES in all.
    @param job_id The job.
    @param terms The job's terms (as in JobCreated).
    @param milestones The new milestones.
    """
    key: bytes32 = self._key(job_id, terms)
    job: uint256 = self._job[key]
    if job == 0:
        reverts._fail("escrow: unknown job")
    if msg.sender != terms.client:
        reverts._fail("escrow: only the client")
    if job & (_BIT_CLIENT_REVIEWED | _BIT_WORKER_REVIEWED) != 0:
        reverts._fail("escrow: job closed by a review")
    if not staticcall IGovernor(self.governor).in_good_standing(terms.worker):
        reverts._fail("escrow: worker not in good standing")
    first: uint256 = job & _M8
    total: uint256 = self._add_milestones(job_id, key, first, milestones)
    self._job[key] = job + len(milestones)
    payouts._take(terms.asset, msg.sender, total)
    log MilestonesAdded(
        job_id=job_id,
        first=first,
        count=len(milestones),
        total=total,
        balance=payouts._balance(terms.asset),
    )


@external
def deliver(job_id: uint256, terms: Terms, milestone: uint256, evidence: bytes32):
    """
    @notice The worker delivers a milestone, by its deadline; the review
            window starts.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The milestone.
    @param evidence Hash of the delivered work or its proof (logged).
    """
    key: bytes32 = self._key(job_id, terms)
    word: uint256 = self._milestone_word(key, milestone)
    if msg.sender != terms.worker:
        reverts._fail("escrow: only the worker")
    stage: uint256 = self._stage(word)
    if stage == DELIVERED:
        reverts._fail("escrow: already delivered")
    self._check_open(stage)
    if block.timestamp > self._deadline(word):
        reverts._fail("escrow: deadline passed")
    self._milestone[key][milestone] = (
        (word & ~(_M40 << _OFF_DELIVERED) & ~(_M3 << _OFF_STAGE))
        | block.timestamp << _OFF_DELIVERED
        | DELIVERED << _OFF_STAGE
    )
    log Delivered(
        job_id=job_id,
        milestone=milestone,
        evidence=evidence,
        review_end=block.timestamp + terms.review_window,
    )


@external
@nonreentrant
def release(job_id: uint256, terms: Terms, milestone: uint256, amount: uint256):
    """
    @notice The client pays `amount` of a milestone to the worker (less the
            collective's fee), delivered or not, at any time.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The milestone.
    @param amount Up to what the milestone still holds.
    """
    key: bytes32 = self._key(job_id, terms)
    word: uint256 = self._milestone_word(key, milestone)
    if msg.sender != terms.client:
        reverts._fail("escrow: only the client")
    self._check_open(self._stage(word))
    remaining: uint256 = self._take_from(key, milestone, word, amount)
    self._release(job_id, terms, milestone, amount, remaining, False)


@external
@nonreentrant
def release_after_review(job_id: uint256, terms: Terms, milestone: uint256):
    """
    @notice Anyone pays a delivered milestone to the worker once the review
            window has passed without a dispute: silence means payment.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The milestone.
    """
    key: bytes32 = self._key(job_id, terms)
    word: uint256 = self._milestone_word(key, milestone)
    stage: uint256 = self._stage(word)
    if stage == FUNDED:
        reverts._fail("escrow: milestone not delivered")
    self._check_open(stage)
    if block.timestamp < self._delivered_at(word) + terms.review_window:
        reverts._fail("escrow: review window open")
    amount: uint256 = word & _M112
    self._take_from(key, milestone, word, amount)
    self._release(job_id, terms, milestone, amount, 0, True)


@external
@nonreentrant
def refund(job_id: uint256, terms: Terms, milestone: uint256, amount: uint256):
    """
    @notice The worker gives `amount` of a milestone back to the client, at
            any time before it is disputed or settled.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The milestone.
    @param amount Up to what the milestone still holds.
    """
    key: bytes32 = self._key(job_id, terms)
    word: uint256 = self._milestone_word(key, milestone)
    if msg.sender != terms.worker:
        reverts._fail("escrow: only the worker")
    self._check_open(self._stage(word))
    remaining: uint256 = self._take_from(key, milestone, word, amount)
    payouts._pay(terms.asset, terms.client, amount)
    log Refunded(
        job_id=job_id,
        milestone=milestone,
        amount=amount,
        remaining=remaining,
        balance=payouts._balance(terms.asset),
    )


@external
@nonreentrant
def reclaim(job_id: uint256, terms: Terms, milestone: uint256):
    """
    @notice Returns an undelivered milestone to the client: anyone may call
            after its deadline; the client may call earlier once the worker
            is no longer a member of the collective.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The milestone.
    """
    key: bytes32 = self._key(job_id, terms)
    word: uint256 = self._milestone_word(key, milestone)
    stage: uint256 = self._stage(word)
    if stage == DELIVERED:
        reverts._fail("escrow: milestone delivered")
    self._check_open(stage)
    worker_left: bool = False
    if block.timestamp <= self._deadline(word):
        if msg.sender != terms.client:
            reverts._fail("escrow: deadline not passed")
        worker_left = not staticcall IGovernor(self.governor).is_member(terms.worker)
        if not worker_left:
            reverts._fail("escrow: deadline not passed")
    amount: uint256 = word & _M112
    self._take_from(key, milestone, word, amount)
    payouts._pay(terms.asset, terms.client, amount)
    log Reclaimed(
        job_id=job_id,
        by=msg.sender,
        milestone=milestone,
        amount=amount,
        worker_left=worker_left,
        balance=payouts._balance(terms.asset),
    )


@payable
@external
@nonreentrant
def open_dispute(job_id: uint256, terms: Terms, milestone: uint256):
    """
    @notice The client disputes a delivered milestone within its review
            window, paying the dispute fee (see `dispute_fee`; ETH as value,
            a token approved first). The worker pays nothing.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The milestone.
    """
    key: bytes32 = self._key(job_id, terms)
    word: uint256 = self._milestone_word(key, milestone)
    if msg.sender != terms.client:
        reverts._fail("escrow: only the client")
    stage: uint256 = self._stage(word)
    if stage == FUNDED:
        reverts._fail("escrow: milestone not delivered")
    self._check_open(stage)
    if block.timestamp >= self._delivered_at(word) + terms.review_window:
        reverts._fail("escrow: review window closed")
    settings: uint256 = self._settings_word(terms.version)
    amount: uint256 = word & _M112
    fee: uint256 = amount * ((settings >> _OFF_S_DISPUTE_FEE) & _M16) // BPS
    draw_block: uint256 = block.number + panel.DRAW_DELAY
    word = (
        (word & ~(_M3 << _OFF_STAGE))
        | DISPUTED << _OFF_STAGE
        | (block.timestamp - self._delivered_at(word)) << _OFF_DISPUTE_LAG
        | draw_block << _OFF_DRAW_BLOCK
    )
    self._milestone[key][milestone] = word
    payouts._take(terms.asset, msg.sender, fee)
    deadlines: uint256[4] = self._deadlines(word, settings)
    log DisputeOpened(
        job_id=job_id,
        milestone=milestone,
        amount=amount,
        dispute_fee=fee,
        draw_block=draw_block,
        commit_end=deadlines[0],
        reveal_end=deadlines[1],
        balance=payouts._balance(terms.asset),
    )


@external
def rearm_draw(job_id: uint256, terms: Terms, milestone: uint256):
    """
    @notice Moves the draw block of an undrawn panel to a few blocks from
            now, when the old one has fallen out of `blockhash`'s reach
            (nobody drew within 256 blocks of it). Anyone may call.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The disputed milestone.
    """
    key: bytes32 = self._key(job_id, terms)
    word: uint256 = self._disputed_word(key, milestone)
    if panel._dispute[panel._id(job_id, milestone)] & panel._BIT_DRAWN != 0:
        reverts._fail("escrow: panel already drawn")
    if block.timestamp >= self._deadlines(word, self._settings_word(terms.version))[0]:
        reverts._fail("escrow: too late to draw")
    if block.number <= self._draw_block(word) + panel.BLOCKHASH_WINDOW:
        reverts._fail("escrow: draw block still in reach")
    draw_block: uint256 = block.number + panel.DRAW_DELAY
    self._milestone[key][milestone] = (
        word & ~(_M38 << _OFF_DRAW_BLOCK)
    ) | draw_block << _OFF_DRAW_BLOCK
    log DrawRearmed(job_id=job_id, milestone=milestone, draw_block=draw_block)


@external
def draw_panel(
    job_id: uint256,
    terms: Terms,
    milestone: uint256,
    header: Bytes[randao.MAX_HEADER],
    hints: DynArray[address, panel.MAX_DRAW_ATTEMPTS],
) -> DynArray[address, panel.MAX_PANEL]:
    """
    @notice Draws the panel of a dispute (anyone, after its draw block and
            within 256 blocks of it, before the commit deadline). See
            `draw_order` for the roll indices to name in `hints`.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The disputed milestone.
    @param header RLP-encoded header of the draw block.
    @param hints For each attempt, the member holding the drawn roll index.
    @return DynArray The seated panelists.
    """
    word: uint256 = self._disputed_word(self._key(job_id, terms), milestone)
    settings: uint256 = self._settings_word(terms.version)
    deadlines: uint256[4] = self._deadlines(word, settings)
    return panel._draw(
        panel._id(job_id, milestone),
        self.governor,
        [terms.worker, terms.client],
        (settings >> _OFF_S_PANEL) & _M8,
        # the dispute's snapshot: the second before it opened
        self._delivered_at(word) + ((word >> _OFF_DISPUTE_LAG) & _M23) - 1,
        [deadlines[0], deadlines[1]],
        self._draw_block(word),
        header,
        hints,
    )


@external
def file_appeal(job_id: uint256, terms: Terms, milestone: uint256):
    """
    @notice A party appeals the panel's outcome to the whole collective,
            within the appeal window after the reveal deadline. The dispute
            then stays open until an executed proposal rules on it
            (`rule_on_appeal`) or the appeal deadline passes.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The disputed milestone.
    """
    if not (msg.sender == terms.client or msg.sender == terms.worker):
        reverts._fail("escrow: only a party")
    deadlines: uint256[4] = self._dispute_deadlines(job_id, terms, milestone)
    panel._file_appeal(
        panel._id(job_id, milestone), deadlines[1], deadlines[2] - deadlines[1], deadlines[3]
    )


@external
def rule_on_appeal(job_id: uint256, terms: Terms, milestone: uint256, split: uint256):
    """
    @notice The collective's ruling on an appealed dispute: the worker's
            share in basis points. Only by vote (an executed proposal),
            before the appeal deadline; anyone may then `settle_dispute`.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The disputed milestone.
    @param split The worker's share in basis points (0..10000).
    """
    proposal_id: uint256 = self._only_by_vote()
    deadlines: uint256[4] = self._dispute_deadlines(job_id, terms, milestone)
    panel._override(panel._id(job_id, milestone), split, deadlines[3], proposal_id)


@external
@nonreentrant
def settle_dispute(
    job_id: uint256,
    terms: Terms,
    milestone: uint256,
    panelists: DynArray[address, panel.MAX_PANEL],
):
    """
    @notice Pays out a final dispute (anyone): the worker's share less the
            collective's fee, the client's share, the dispute fee to the
            panelists who revealed (to the client when none did).
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The disputed milestone.
    @param panelists The seated panelists as drawn (empty if never drawn).
    """
    key: bytes32 = self._key(job_id, terms)
    word: uint256 = self._disputed_word(key, milestone)
    settings: uint256 = self._settings_word(terms.version)
    deadlines: uint256[4] = self._deadlines(word, settings)
    outcome: panel.Outcome = panel._close(
        panel._id(job_id, milestone),
        panelists,
        ((settings >> _OFF_S_PANEL) & _M8) // 2 + 1,
        [deadlines[2], deadlines[3]],
    )
    ruling: uint256 = RULED_BY_DEFAULT
    split: uint256 = (settings >> _OFF_S_SPLIT) & _M16
    if outcome.by_appeal:
        ruling = RULED_BY_APPEAL
        split = outcome.split
    elif outcome.ruled:
        ruling = RULED_BY_PANEL
        split = outcome.split
    amount: uint256 = word & _M112
    self._take_from(key, milestone, word, amount)

    worker_gross: uint256 = amount * split // BPS
    fee: uint256 = worker_gross * terms.fee_bps // BPS
    client_amount: uint256 = amount - worker_gross
    dispute_fee: uint256 = amount * ((settings >> _OFF_S_DISPUTE_FEE) & _M16) // BPS
    revealed: uint256 = len(outcome.revealed)
    share: uint256 = 0
    # the treasury takes the fee and the rounding dust of the dispute fee's division
    to_treasury: uint256 = fee
    if revealed == 0:
        client_amount += dispute_fee
    else:
        share = dispute_fee // revealed
        to_treasury += dispute_fee - share * revealed

    self._pay_fee(terms.asset, to_treasury, job_id)
    payouts._pay(terms.asset, terms.worker, worker_gross - fee)
    payouts._pay(terms.asset, terms.client, client_amount)
    for panelist: address in outcome.revealed:
        payouts._pay(terms.asset, panelist, share)
    log DisputeSettled(
        job_id=job_id,
        milestone=milestone,
        ruling=ruling,
        split=split,
        worker_amount=worker_gross - fee,
        fee=to_treasury,
        client_amount=client_amount,
        panelists_paid=outcome.revealed,
        panel_share=share,
        balance=payouts._balance(terms.asset),
    )


@external
def review(job_id: uint256, terms: Terms, rating: uint256, text_hash: bytes32):
    """
    @notice A party reviews the other once the job has ended (every
            milestone released, refunded, reclaimed or ruled): the client
            the worker, the worker the client (even one who paid nothing).
            Once each; a reviewed job takes no more milestones.
    @param job_id The job.
    @param terms The job's terms.
    @param rating 1 (worst) to 5 (best).
    @param text_hash Hash of the review's text (kept off-chain).
    """
    key: bytes32 = self._key(job_id, terms)
    job: uint256 = self._job[key]
    if job == 0:
        reverts._fail("escrow: unknown job")
    bit: uint256 = _BIT_CLIENT_REVIEWED
    reviewee: address = terms.worker
    if msg.sender == terms.worker:
        bit = _BIT_WORKER_REVIEWED
        reviewee = terms.client
    elif msg.sender != terms.client:
        reverts._fail("escrow: only a party")
    if job & bit != 0:
        reverts._fail("escrow: already reviewed")
    if rating == 0 or rating > MAX_RATING:
        reverts._fail("escrow: rating out of range")
    if not self._ended(key, job & _M8):
        reverts._fail("escrow: job not ended")
    self._job[key] = job | bit
    log Reviewed(
        job_id=job_id,
        reviewer=msg.sender,
        reviewee=reviewee,
        rating=rating,
        text_hash=text_hash,
        by_client=bit == _BIT_CLIENT_REVIEWED,
    )


@external
def set_settings(settings: Settings):
    """
    @notice Changes the settings new jobs take (a new version). Only by
            vote. Existing jobs keep the settings they were created under.
    @param settings The new settings.
    """
    proposal_id: uint256 = self._only_by_vote()
    g: uint256 = self._global
    version: uint256 = (g & _M16) + 1
    if version > MAX_SETTINGS_VERSION:
        reverts._fail("escrow: too many settings versions")
    packed: uint256 = self._pack(settings)
    self._settings_at[version] = packed
    self._global = (g & ~_M16) | version
    log SettingsChanged(version=version, proposal_id=proposal_id, settings=settings)


@view
@external
def initialized() -> bool:
    """
    @notice Whether this escrow is wired (always true for the implementation).
    @return bool True once initialised.
    """
    return self.governor != empty(address)


@view
@external
def settings() -> Settings:
    """
    @notice The settings new jobs take.
    @return Settings The current settings.
    """
    return self._unpack(self._settings_word(self._global & _M16))


@view
@external
def settings_at(version: uint256) -> Settings:
    """
    @notice The settings of a given version (0: the defaults).
    @param version The version.
    @return Settings Those settings.
    """
    if version > self._global & _M16:
        reverts._fail("escrow: unknown settings version")
    return self._unpack(self._settings_word(version))


@view
@external
def settings_version() -> uint256:
    """
    @notice The settings version new jobs take.
    @return uint256 The version.
    """
    return self._global & _M16


@view
@external
def job_count() -> uint256:
    """
    @notice Jobs created; ids run from 1 to this.
    @return uint256 The count.
    """
    return self._global >> _OFF_JOB_COUNT


@view
@external
def job_key(job_id: uint256, terms: Terms) -> bytes32:
    """
    @notice The storage key of a job: keccak256(abi_encode(job_id, terms)).
    @param job_id The job.
    @param terms The job's terms.
    @return bytes32 The key.
    """
    return self._key(job_id, terms)


@view
@external
def job(job_id: uint256, terms: Terms) -> JobState:
    """
    @notice A job's milestone count and whether it has ended (every
            milestone settled). Zero for unknown id/terms.
    @param job_id The job.
    @param terms The job's terms.
    @return JobState The job.
    """
    key: bytes32 = self._key(job_id, terms)
    job: uint256 = self._job[key]
    count: uint256 = job & _M8
    return JobState(
        milestones=count,
        ended=self._ended(key, count),
        client_reviewed=job & _BIT_CLIENT_REVIEWED != 0,
        worker_reviewed=job & _BIT_WORKER_REVIEWED != 0,
    )


@view
@external
def milestone(job_id: uint256, terms: Terms, index: uint256) -> MilestoneState:
    """
    @notice A milestone's state (all zero for an unknown one).
    @param job_id The job.
    @param terms The job's terms.
    @param index The milestone.
    @return MilestoneState The milestone.
    """
    word: uint256 = self._milestone[self._key(job_id, terms)][index]
    disputed_at: uint256 = 0
    if self._draw_block(word) != 0:
        disputed_at = self._delivered_at(word) + ((word >> _OFF_DISPUTE_LAG) & _M23)
    return MilestoneState(
        remaining=word & _M112,
        deadline=self._deadline(word),
        delivered_at=self._delivered_at(word),
        stage=self._stage(word),
        disputed_at=disputed_at,
        draw_block=self._draw_block(word),
    )


@view
@external
def dispute_fee(job_id: uint256, terms: Terms, milestone: uint256) -> uint256:
    """
    @notice What the client pays to dispute this milestone now.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The milestone.
    @return uint256 The dispute fee, in the job's asset.
    """
    word: uint256 = self._milestone_word(self._key(job_id, terms), milestone)
    bps: uint256 = (self._settings_word(terms.version) >> _OFF_S_DISPUTE_FEE) & _M16
    return (word & _M112) * bps // BPS


@view
@external
def draw_order(
    job_id: uint256,
    terms: Terms,
    milestone: uint256,
    header: Bytes[randao.MAX_HEADER],
    attempts: uint256,
) -> DynArray[uint256, panel.MAX_DRAW_ATTEMPTS]:
    """
    @notice The roll indices a draw visits, in order (name their holders
            as `hints` to `draw_panel`). Needs the draw block's header.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The disputed milestone.
    @param header RLP-encoded header of the draw block.
    @param attempts How many indices to list (at most MAX_DRAW_ATTEMPTS).
    @return DynArray The roll indices.
    """
    word: uint256 = self._disputed_word(self._key(job_id, terms), milestone)
    seed: bytes32 = panel._seed(panel._id(job_id, milestone), self._draw_block(word), header)
    roll_size: uint256 = staticcall IGovernor(self.governor).roll_size()
    order: DynArray[uint256, panel.MAX_DRAW_ATTEMPTS] = []
    for k: uint256 in range(panel.MAX_DRAW_ATTEMPTS):
        if k == attempts:
            break
        order.append(panel._draw_index(seed, k, roll_size))
    return order


@internal
def _add_milestones(
    job_id: uint256, key: bytes32, first: uint256, milestones: DynArray[Milestone, MAX_MILESTONES]
) -> uint256:
    """
    @notice Stores funded milestones from index `first` on.
    @param job_id The job (for the events).
    @param key The job's storage key.
    @param first Index of the first new milestone.
    @param milestones The milestones.
    @return uint256 Their total amount.
    """
    if len(milestones) == 0:
        reverts._fail("escrow: no milestones")
    if first + len(milestones) > MAX_MILESTONES:
        reverts._fail("escrow: too many milestones")
    total: uint256 = 0
    index: uint256 = first
    for m: Milestone in milestones:
        if m.amount == 0:
            reverts._fail("escrow: zero amount")
        if m.amount > _M112:
            reverts._fail("escrow: amount too large")
        if m.deadline <= block.timestamp:
            reverts._fail("escrow: deadline in the past")
        if m.deadline > block.timestamp + MAX_TERM:
            reverts._fail("escrow: deadline too far")
        self._milestone[key][index] = m.amount | m.deadline << _OFF_DEADLINE | FUNDED << _OFF_STAGE
        total += m.amount
        log MilestoneFunded(job_id=job_id, milestone=index, amount=m.amount, deadline=m.deadline)
        index += 1
    return total


@internal
def _take_from(key: bytes32, milestone: uint256, word: uint256, amount: uint256) -> uint256:
    """
    @notice Takes `amount` out of a milestone; at zero it is settled.
    @param key The job's storage key.
    @param milestone The milestone.
    @param word Its current word.
    @param amount The amount (1..remaining).
    @return uint256 What the milestone still holds.
    """
    remaining: uint256 = word & _M112
    if amount == 0:
        reverts._fail("escrow: zero amount")
    if amount > remaining:
        reverts._fail("escrow: amount above the milestone's balance")
    remaining -= amount
    word_after: uint256 = (word & ~_M112) | remaining
    if remaining == 0:
        word_after = (word_after & ~(_M3 << _OFF_STAGE)) | SETTLED << _OFF_STAGE
    self._milestone[key][milestone] = word_after
    return remaining


@internal
def _release(
    job_id: uint256,
    terms: Terms,
    milestone: uint256,
    amount: uint256,
    remaining: uint256,
    by_silence: bool,
):
    """
    @notice Pays `amount` taken from a milestone: the fee to the treasury,
            the rest to the worker.
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The milestone.
    @param amount The amount taken.
    @param remaining What the milestone still holds.
    @param by_silence Released by anyone after the review window.
    """
    fee: uint256 = amount * terms.fee_bps // BPS
    self._pay_fee(terms.asset, fee, job_id)
    payouts._pay(terms.asset, terms.worker, amount - fee)
    log Released(
        job_id=job_id,
        milestone=milestone,
        amount=amount,
        fee=fee,
        remaining=remaining,
        by_silence=by_silence,
        balance=payouts._balance(terms.asset),
    )


@internal
def _pay_fee(asset: address, amount: uint256, job_id: uint256):
    """
    @notice Pays the collective's fee into the treasury, which logs it with
            the job id (FeeReceived). A token transfer the token refuses is
            credited to the treasury instead (see `withdraw`).
    @param asset The asset.
    @param amount The fee.
    @param job_id The job.
    """
    if amount == 0:
        return
    treasury: address = self.treasury
    if asset == ETH:
        extcall ITreasury(treasury).receive_fee(asset, amount, job_id, value=amount)
    elif payouts._push_token(asset, treasury, amount):
        extcall ITreasury(treasury).receive_fee(asset, amount, job_id)
    else:
        payouts._credit(asset, treasury, amount)


@view
@internal
def _disputed_word(key: bytes32, milestone: uint256) -> uint256:
    """
    @notice The word of a disputed milestone (reverts otherwise).
    @param key The job's storage key.
    @param milestone The milestone.
    @return uint256 The milestone word.
    """
    word: uint256 = self._milestone_word(key, milestone)
    if self._stage(word) != DISPUTED:
        reverts._fail("escrow: no open dispute")
    return word


@view
@internal
def _dispute_deadlines(job_id: uint256, terms: Terms, milestone: uint256) -> uint256[4]:
    """
    @notice The deadlines of an open dispute (see `_deadlines`).
    @param job_id The job.
    @param terms The job's terms.
    @param milestone The disputed milestone.
    @return uint256[4] Commit end, reveal end, appeal window end, appeal deadline.
    """
    return self._deadlines(
        self._disputed_word(self._key(job_id, terms), milestone),
        self._settings_word(terms.version),
    )


@pure
@internal
def _deadlines(word: uint256, settings: uint256) -> uint256[4]:
    """
    @notice A dispute's deadlines, from its opening time (delivery plus the
            dispute lag) and the job's settings: commits close, reveals
            close, the appeal window closes, an appeal must be ruled on.
    @param word The disputed milestone's word.
    @param settings The job's settings word.
    @return uint256[4] Commit end, reveal end, appeal window end, appeal deadline.
    """
    opened: uint256 = self._delivered_at(word) + ((word >> _OFF_DISPUTE_LAG) & _M23)
    commit_end: uint256 = opened + ((settings >> _OFF_S_COMMIT) & _M32)
    reveal_end: uint256 = commit_end + ((settings >> _OFF_S_REVEAL) & _M32)
    return [
        commit_end,
        reveal_end,
        reveal_end + ((settings >> _OFF_S_APPEAL_WINDOW) & _M32),
        reveal_end + ((settings >> _OFF_S_APPEAL_PERIOD) & _M32),
    ]


@view
@internal
def _only_by_vote() -> uint256:
    """
    @notice Checks that the caller is the governor executing a proposal.
    @return uint256 The executing proposal's id.
    """
    governor: address = self.governor
    if msg.sender != governor:
        reverts._fail("escrow: only by vote")
    proposal_id: uint256 = staticcall IGovernor(governor).executing_proposal()
    if proposal_id == 0:
        reverts._fail("escrow: only by vote")
    return proposal_id


@view
@internal
def _milestone_word(key: bytes32, milestone: uint256) -> uint256:
    """
    @notice A milestone's word; reverts when the job id, terms or index
            name no milestone.
    @param key The job's storage key.
    @param milestone The milestone.
    @return uint256 The milestone word.
    """
    word: uint256 = self._milestone[key][milestone]
    if word == 0:
        reverts._fail("escrow: unknown milestone")
    return word


@view
@internal
def _ended(key: bytes32, count: uint256) -> bool:
    """
    @notice Whether a job has milestones and every one is settled.
    @param key The job's storage key.
    @param count Its milestone count.
    @return bool True when ended.
    """
    if count == 0:
        return False
    for i: uint256 in range(MAX_MILESTONES):
        if i == count:
            break
        if self._stage(self._milestone[key][i]) != SETTLED:
            return False
    return True


@view
@internal
def _settings_word(version: uint256) -> uint256:
    """
    @notice The packed settings of `version` (0: the defaults).
    @param version The version.
    @return uint256 The settings word.
    """
    if version == 0:
        return _DEFAULT_SETTINGS
    return self._settings_at[version]


@pure
@internal
def _key(job_id: uint256, terms: Terms) -> bytes32:
    """
    @notice A job's storage key (binds its id and terms).
    @param job_id The job.
    @param terms The job's terms.
    @return bytes32 keccak256(abi_encode(job_id, terms)).
    """
    return keccak256(abi_encode(job_id, terms))


@pure
@internal
def _check_open(stage: uint256):
    """
    @notice Reverts for a disputed or settled milestone.
    @param stage The milestone's stage.
    """
    if stage == DISPUTED:
        reverts._fail("escrow: milestone disputed")
    if stage == SETTLED:
        reverts._fail("escrow: milestone settled")


@pure
@internal
def _deadline(word: uint256) -> uint256:
    """
    @notice Field `deadline` of a milestone word.
    @param word The milestone word.
    @return uint256 The delivery deadline.
    """
    return (word >> _OFF_DEADLINE) & _M40


@pure
@internal
def _delivered_at(word: uint256) -> uint256:
    """
    @notice Field `delivered_at` of a milestone word.
    @param word The milestone word.
    @return uint256 The delivery time (0 until delivered).
    """
    return (word >> _OFF_DELIVERED) & _M40


@pure
@internal
def _stage(word: uint256) -> uint256:
    """
    @notice Field `stage` of a milestone word.
    @param word The milestone word.
    @return uint256 FUNDED, DELIVERED, DISPUTED or SETTLED.
    """
    return (word >> _OFF_STAGE) & _M3


@pure
@internal
def _draw_block(word: uint256) -> uint256:
    """
    @notice Field `draw_block` of a milestone word.
    @param word The milestone word.
    @return uint256 The draw block (0 unless disputed).
    """
    return (word >> _OFF_DRAW_BLOCK) & _M38


@pure
@internal
def _pack(s: Settings) -> uint256:
    """
    @notice Checks and packs settings.
    @param s The settings.
    @return uint256 The settings word.
    """
    if s.fee_bps > MAX_FEE_BPS:
        reverts._fail("escrow: fee above cap")
    if s.dispute_fee_bps > MAX_DISPUTE_FEE_BPS:
        reverts._fail("escrow: dispute fee above cap")
    if s.default_split > BPS:
        reverts._fail("escrow: split above 100%")
    if not (s.panel_size % 2 == 1 and s.panel_size <= panel.MAX_PANEL):
        reverts._fail("escrow: panel size must be odd, at most 5")
    if not (s.review_window >= MIN_REVIEW_WINDOW and s.review_window <= MAX_REVIEW_WINDOW):
        reverts._fail("escrow: review window out of range")
    for period: uint256 in [s.commit_period, s.reveal_period, s.appeal_window]:
        if not (period >= MIN_PERIOD and period <= MAX_PERIOD):
            reverts._fail("escrow: period out of range")
    if not (s.appeal_period > s.appeal_window and s.appeal_period <= MAX_APPEAL_PERIOD):
        reverts._fail("escrow: appeal period out of range")
    return (
        s.fee_bps
        | s.dispute_fee_bps << _OFF_S_DISPUTE_FEE
        | s.default_split << _OFF_S_SPLIT
        | s.panel_size << _OFF_S_PANEL
        | s.review_window << _OFF_S_REVIEW
        | s.commit_period << _OFF_S_COMMIT
        | s.reveal_period << _OFF_S_REVEAL
        | s.appeal_window << _OFF_S_APPEAL_WINDOW
        | s.appeal_period << _OFF_S_APPEAL_PERIOD
    )


@pure
@internal
def _unpack(word: uint256) -> Settings:
    """
    @notice Unpacks a settings word.
    @param word The settings word.
    @return Settings The settings.
    """
    return Settings(
        fee_bps=word & _M16,
        dispute_fee_bps=(word >> _OFF_S_DISPUTE_FEE) & _M16,
        default_split=(word >> _OFF_S_SPLIT) & _M16,
        panel_size=(word >> _OFF_S_PANEL) & _M8,
        review_window=(word >> _OFF_S_REVIEW) & _M32,
        commit_period=(word >> _OFF_S_COMMIT) & _M32,
        reveal_period=(word >> _OFF_S_REVEAL) & _M32,
        appeal_window=(word >> _OFF_S_APPEAL_WINDOW) & _M32,
        appeal_period=(word >> _OFF_S_APPEAL_PERIOD) & _M32,
    )
