# pragma version ~=0.4.3
"""
@title iwo escrow panel: who judges a dispute, their sealed votes, the ruling
@custom:contract-name panel
@license GNU Affero General Public License v3.0 only
@notice The panel of one dispute, keyed by a dispute id
        (`job_id << 8 | milestone`). The escrow keeps the dispute's opening
        facts (when it opened, its draw block) in the milestone and hands
        the derived deadlines to this module.

        1. Draw (anyone, after the draw block and before the commit
           deadline): the prevrandao of the draw block seeds a sequence of
           roll indices; the caller names the member holding each index (a
           hint, checked against the governor's `roll_index`); each is
           seated unless not eligible at the dispute's snapshot (card and
           dues), a party, or already seated. The dispute word is created:
           deadlines, and a hash of the seated addresses.
        2. Commit (panelists, until the commit deadline): a sealed vote,
           `commitment(...)` of a split in basis points (the worker's share)
           and a secret salt. A later commitment replaces an earlier one.
        3. Reveal (panelists, from the commit deadline until the reveal
           deadline): the split and salt that open the commitment.
        4. Appeal: a party may file one within the appeal window after the
           reveal deadline; the collective may then override the split by an
           executed proposal until the appeal deadline.
        5. Close: the ruling is the collective's split when it overrode, else
           the median of the revealed splits when a majority of the panel
           size revealed, else none (the job's default rule applies).
           Panelists who did not reveal are counted in `no_shows`.
@custom:security Panelists act only for their own seat (checked against the
                 stored hash of the seated addresses). Votes are sealed until
                 the commit deadline and bound to the voter, the dispute and
                 this escrow. The module moves no money.
"""

# @dev The roll the panel is drawn from.
from ..interfaces import IGovernor

# @dev The prevrandao of the draw block, from its header.
from . import randao

# @dev Checks revert through one shared function (code size).
from . import reverts

MAX_PANEL: public(constant(uint256)) = 5
MAX_DRAW_ATTEMPTS: public(constant(uint256)) = 32
# blocks between the opening of a dispute and its draw block
DRAW_DELAY: public(constant(uint256)) = 3
# the EVM's `blockhash` reaches this many blocks back
BLOCKHASH_WINDOW: public(constant(uint256)) = 256
BPS: constant(uint256) = 10_000
# a dispute id packs the job id and the milestone index without overlap
_MAX_MILESTONE_INDEX: constant(uint256) = 255
_MAX_JOB_ID: constant(uint256) = 2**48 - 1

# Bit layout of a dispute word (written when the panel is drawn, or when an
# appeal is filed for a dispute whose panel was never drawn):
#
#  255              172 171 170      157 156 155 154    150 149         80 79       40 39         0
# | panel_hash (84)    |DRN| appeal_split |OVR|APL| revealed | splits (5x14) | reveal_end | commit_end |
#
# commit_end    commits are taken until this time (exclusive)
# reveal_end    reveals are taken from commit_end until this time (exclusive)
# splits        the split each seat revealed (worker's share in basis points)
# revealed      one bit per seat: it revealed
# APL           a party filed an appeal
# OVR           the collective ruled on the appeal
# appeal_split  the collective's split (worker's share in basis points)
# DRN           the panel was drawn
# panel_hash    the top 84 bits of keccak256(abi_encode(seated panelists)).
#               Only a second preimage could pass another list off as the
#               panel (the drawer chooses nothing, so collisions do not
#               matter): 2**84 hashes, far beyond reach.
_M40: constant(uint256) = 2**40 - 1
_M14: constant(uint256) = 2**14 - 1
_OFF_REVEAL_END: constant(uint256) = 40
_OFF_SPLITS: constant(uint256) = 80
_SPLIT_BITS: constant(uint256) = 14
_OFF_REVEALED: constant(uint256) = 150
_BIT_APPEALED: constant(uint256) = 1 << 155
_BIT_OVERRIDDEN: constant(uint256) = 1 << 156
_OFF_APPEAL_SPLIT: constant(uint256) = 157
_BIT_DRAWN: constant(uint256) = 1 << 171
_OFF_PANEL_HASH: constant(uint256) = 172

# dispute id -> dispute word (layout above); cleared when the dispute closes
_dispute: HashMap[uint256, uint256]
# dispute id -> seat -> sealed vote, cleared when revealed
_sealed: HashMap[uint256, HashMap[uint256, bytes32]]
# account -> seats held without revealing
no_shows: public(HashMap[address, uint256])


struct Dispute:
    commit_end: uint256
    reveal_end: uint256
    drawn: bool
    appealed: bool
    overridden: bool
    appeal_split: uint256
    revealed: uint256  # bit s set: seat s revealed (splits are in VoteRevealed)


struct Outcome:
    ruled: bool  # a split was decided (by the collective or a panel majority)
    split: uint256  # worker's share in basis points when ruled
    by_appeal: bool  # the collective decided it
    revealed: DynArray[address, MAX_PANEL]  # panelists who revealed


event PanelDrawn:
    job_id: indexed(uint256)
    milestone: uint256
    panelists: DynArray[address, MAX_PANEL]
    attempts: uint256


event VoteCommitted:
    job_id: indexed(uint256)
    panelist: indexed(address)
    milestone: uint256


event VoteRevealed:
    job_id: indexed(uint256)
    panelist: indexed(address)
    milestone: uint256
    split: uint256


event AppealFiled:
    job_id: indexed(uint256)
    appellant: indexed(address)
    milestone: uint256
    deadline: uint256


event AppealRuled:
    job_id: indexed(uint256)
    proposal_id: indexed(uint256)
    milestone: uint256
    split: uint256


event PanelistNoShow:
    job_id: indexed(uint256)
    panelist: indexed(address)
    milestone: uint256
    no_shows: uint256


@external
def commit_vote(
    job_id: uint256,
    milestone: uint256,
    panel: DynArray[address, MAX_PANEL],
    seat: uint256,
    commitment: bytes32,
):
    """
    @notice Seals the caller's vote (see `commitment`). Only the panelist in
            `seat`, before the commit deadline; a new commitment replaces
            the previous one.
    @param job_id The job.
    @param milestone The disputed milestone.
    @param panel The seated panelists, as drawn (see PanelDrawn).
    @param seat The caller's seat in `panel`.
    @param commitment keccak256 of the vote (see `commitment`).
    """
    dispute_id: uint256 = self._id(job_id, milestone)
    word: uint256 = self._dispute[dispute_id]
    if word & _BIT_DRAWN == 0:
        reverts._fail("escrow: panel not drawn")
    if self._panel_hash(panel) != word >> _OFF_PANEL_HASH:
        reverts._fail("escrow: wrong panel")
    if seat >= len(panel) or panel[seat] != msg.sender:
        reverts._fail("escrow: not on the panel")
    if block.timestamp >= word & _M40:
        reverts._fail("escrow: commit closed")
    if commitment == empty(bytes32):
        reverts._fail("escrow: empty commitment")
    self._sealed[dispute_id][seat] = commitment
    log VoteCommitted(job_id=job_id, panelist=msg.sender, milestone=milestone)


@external
def reveal_vote(job_id: uint256, milestone: uint256, seat: uint256, split: uint256, salt: bytes32):
    """
    @notice Opens the caller's sealed vote, from the commit deadline until
            the reveal deadline.
    @dev No panel check is needed: only the panelist of `seat` could seal
         that seat, and the commitment binds their address, so nobody else
         can open it.
    @param job_id The job.
    @param milestone The disputed milestone.
    @param seat The caller's seat in the panel.
    @param split The worker's share in basis points (0..10000).
    @param salt The secret used in the commitment.
    """
    dispute_id: uint256 = self._id(job_id, milestone)
    word: uint256 = self._dispute[dispute_id]
    if word & _BIT_DRAWN == 0:
        reverts._fail("escrow: panel not drawn")
    if block.timestamp < word & _M40:
        reverts._fail("escrow: reveal not open")
    if block.timestamp >= (word >> _OFF_REVEAL_END) & _M40:
        reverts._fail("escrow: reveal closed")
    if seat >= MAX_PANEL:
        reverts._fail("escrow: not on the panel")
    if self._revealed(word, seat):
        reverts._fail("escrow: already revealed")
    sealed: bytes32 = self._sealed[dispute_id][seat]
    if sealed == empty(bytes32):
        reverts._fail("escrow: no commitment")
    if split > BPS:
        reverts._fail("escrow: split above 100%")
    if sealed != self._commitment(job_id, milestone, msg.sender, split, salt):
        reverts._fail("escrow: vote does not match commitment")
    self._sealed[dispute_id][seat] = empty(bytes32)
    self._dispute[dispute_id] = (
        word | split << (_OFF_SPLITS + _SPLIT_BITS * seat) | 1 << (_OFF_REVEALED + seat)
    )
    log VoteRevealed(job_id=job_id, panelist=msg.sender, milestone=milestone, split=split)


@view
@external
def commitment(
    job_id: uint256, milestone: uint256, voter: address, split: uint256, salt: bytes32
) -> bytes32:
    """
    @notice The commitment a panelist seals: keccak256 of (this escrow, job,
            milestone, voter, split, salt), ABI-encoded.
    @param job_id The job.
    @param milestone The disputed milestone.
    @param voter The panelist.
    @param split The worker's share in basis points.
    @param salt A secret random value (keep it until the reveal).
    @return bytes32 The commitment.
    """
    return self._commitment(job_id, milestone, voter, split, salt)


@view
@external
def dispute_state(job_id: uint256, milestone: uint256) -> Dispute:
    """
    @notice What is stored about a dispute's panel (all zero before the
            draw and once closed: the events keep the history).
    @param job_id The job.
    @param milestone The milestone.
    @return Dispute Deadlines, flags, who revealed.
    """
    word: uint256 = self._dispute[self._id(job_id, milestone)]
    return Dispute(
        commit_end=word & _M40,
        reveal_end=(word >> _OFF_REVEAL_END) & _M40,
        drawn=word & _BIT_DRAWN != 0,
        appealed=word & _BIT_APPEALED != 0,
        overridden=word & _BIT_OVERRIDDEN != 0,
        appeal_split=(word >> _OFF_APPEAL_SPLIT) & _M14,
        revealed=(word >> _OFF_REVEALED) & (2**MAX_PANEL - 1),
    )


@internal
def _draw(
    dispute_id: uint256,
    governor: address,
    parties: address[2],
    size: uint256,
    snapshot: uint256,
    deadlines: uint256[2],
    draw_block: uint256,
    header: Bytes[randao.MAX_HEADER],
    hints: DynArray[address, MAX_DRAW_ATTEMPTS],
) -> DynArray[address, MAX_PANEL]:
    """
    @notice Seats up to `size` panelists. Attempt k takes roll index
            `keccak256(seed, k) mod roll_size`; `hints[k]` must be the member
            holding it; they are seated unless a party, already seated, or
            not eligible (card and dues) at `snapshot`. Stops when the panel
            is full or after MAX_DRAW_ATTEMPTS attempts.
    @dev Hints are checked, never trusted: the caller chooses nothing.
    @param dispute_id The dispute.
    @param governor The collective's governor (roll and standing).
    @param parties The worker and the client (never seated).
    @param size Seats to fill.
    @param snapshot The time at which standing is judged.
    @param deadlines The commit and reveal deadlines.
    @param draw_block The block whose prevrandao seeds the draw.
    @param header RLP header of the draw block.
    @param hints The member holding each drawn index, in draw order.
    @return DynArray The seated panelists, in seat order.
    """
    if self._dispute[dispute_id] & _BIT_DRAWN != 0:
        reverts._fail("escrow: panel already drawn")
    if block.timestamp >= deadlines[0]:
        reverts._fail("escrow: too late to draw")
    seed: bytes32 = self._seed(dispute_id, draw_block, header)
    roll_size: uint256 = staticcall IGovernor(governor).roll_size()
    panel: DynArray[address, MAX_PANEL] = []
    attempts: uint256 = 0
    for k: uint256 in range(MAX_DRAW_ATTEMPTS):
        if len(panel) == size:
            break
        if k >= len(hints):
            reverts._fail("escrow: more hints needed")
        candidate: address = hints[k]
        if staticcall IGovernor(governor).roll_index(candidate) != self._draw_index(
            seed, k, roll_size
        ):
            reverts._fail("escrow: hint does not hold the drawn index")
        attempts = k + 1
        if candidate in parties or candidate in panel:
            continue
        if staticcall IGovernor(governor).eligible_at(candidate, snapshot):
            panel.append(candidate)
    word: uint256 = (
        deadlines[0]
        | deadlines[1] << _OFF_REVEAL_END
        | _BIT_DRAWN  # no appeal flag yet: the draw closes at the commit deadline
        | self._panel_hash(panel) << _OFF_PANEL_HASH
    )
    self._dispute[dispute_id] = word
    log PanelDrawn(
        job_id=dispute_id >> 8, milestone=dispute_id & 255, panelists=panel, attempts=attempts
    )
    return panel


@internal
def _file_appeal(
    dispute_id: uint256, reveal_end: uint256, appeal_window: uint256, deadline: uint256
):
    """
    @notice Records a party's appeal: from the reveal deadline, for
            `appeal_window` seconds; once per dispute.
    @param dispute_id The dispute.
    @param reveal_end The reveal deadline.
    @param appeal_window Seconds after the reveal deadline to file.
    @param deadline Last moment (exclusive) for the collective to rule.
    """
    word: uint256 = self._dispute[dispute_id]
    if block.timestamp < reveal_end:
        reverts._fail("escrow: panel still voting")
    if block.timestamp >= reveal_end + appeal_window:
        reverts._fail("escrow: appeal window closed")
    if word & _BIT_APPEALED != 0:
        reverts._fail("escrow: already appealed")
    self._dispute[dispute_id] = word | _BIT_APPEALED
    log AppealFiled(
        job_id=dispute_id >> 8,
        appellant=msg.sender,
        milestone=dispute_id & 255,
        deadline=deadline,
    )


@internal
def _override(dispute_id: uint256, split: uint256, deadline: uint256, proposal_id: uint256):
    """
    @notice The collective's ruling on an appeal (an executed proposal):
            replaces the panel's split, before the appeal deadline.
    @param dispute_id The dispute.
    @param split The worker's share in basis points.
    @param deadline Last moment (exclusive) for the collective to rule.
    @param proposal_id The executing proposal.
    """
    word: uint256 = self._dispute[dispute_id]
    if word & _BIT_APPEALED == 0:
        reverts._fail("escrow: no appeal filed")
    if word & _BIT_OVERRIDDEN != 0:
        reverts._fail("escrow: appeal already ruled")
    if block.timestamp >= deadline:
        reverts._fail("escrow: appeal deadline passed")
    if split > BPS:
        reverts._fail("escrow: split above 100%")
    self._dispute[dispute_id] = word | _BIT_OVERRIDDEN | split << _OFF_APPEAL_SPLIT
    log AppealRuled(
        job_id=dispute_id >> 8, proposal_id=proposal_id, milestone=dispute_id & 255, split=split
    )


@internal
def _close(
    dispute_id: uint256,
    panel: DynArray[address, MAX_PANEL],
    majority: uint256,
    final_at: uint256[2],
) -> Outcome:
    """
    @notice Closes a dispute once final: right after the collective ruled
            on an appeal, else from `final_at[1]` when a party appealed,
            else from `final_at[0]`. Records no-shows, clears the dispute.
    @param dispute_id The dispute.
    @param panel The seated panelists, as drawn (empty if never drawn).
    @param majority Reveals needed for the panel to rule.
    @param final_at End of the appeal window, and the appeal deadline.
    @return Outcome The ruling and who revealed.
    """
    word: uint256 = self._dispute[dispute_id]
    if word & _BIT_OVERRIDDEN == 0:
        if word & _BIT_APPEALED != 0:
            if block.timestamp < final_at[1]:
                reverts._fail("escrow: appeal pending")
        elif block.timestamp < final_at[0]:
            reverts._fail("escrow: appeal window open")
    if word & _BIT_DRAWN != 0:
        if self._panel_hash(panel) != word >> _OFF_PANEL_HASH:
            reverts._fail("escrow: wrong panel")
    elif len(panel) != 0:
        reverts._fail("escrow: wrong panel")
    outcome: Outcome = empty(Outcome)
    splits: DynArray[uint256, MAX_PANEL] = []
    for seat: uint256 in range(MAX_PANEL):
        if seat == len(panel):
            break
        if self._revealed(word, seat):
            outcome.revealed.append(panel[seat])
            splits.append((word >> (_OFF_SPLITS + _SPLIT_BITS * seat)) & _M14)
        else:
            missed: uint256 = self.no_shows[panel[seat]] + 1
            self.no_shows[panel[seat]] = missed
            log PanelistNoShow(
                job_id=dispute_id >> 8,
                panelist=panel[seat],
                milestone=dispute_id & 255,
                no_shows=missed,
            )
    if word & _BIT_OVERRIDDEN != 0:
        outcome.ruled = True
        outcome.by_appeal = True
        outcome.split = (word >> _OFF_APPEAL_SPLIT) & _M14
    elif len(splits) >= majority:
        outcome.ruled = True
        outcome.split = self._median(splits)
    self._dispute[dispute_id] = 0
    return outcome


@view
@internal
def _commitment(
    job_id: uint256, milestone: uint256, voter: address, split: uint256, salt: bytes32
) -> bytes32:
    """
    @notice See `commitment`.
    @param job_id The job.
    @param milestone The milestone.
    @param voter The panelist.
    @param split The worker's share in basis points.
    @param salt The secret.
    @return bytes32 The commitment.
    """
    return keccak256(abi_encode(self, job_id, milestone, voter, split, salt))


@view
@internal
def _seed(dispute_id: uint256, draw_block: uint256, header: Bytes[randao.MAX_HEADER]) -> bytes32:
    """
    @notice The draw seed: the draw block's prevrandao (from its header),
            this escrow and the dispute (two disputes opened in one block
            draw differently). Usable from the block after the draw block
            for 256 blocks.
    @param dispute_id The dispute.
    @param draw_block The draw block.
    @param header RLP header of the draw block.
    @return bytes32 The seed.
    """
    if block.number <= draw_block:
        reverts._fail("escrow: draw block not mined yet")
    if block.number > draw_block + BLOCKHASH_WINDOW:
        reverts._fail("escrow: draw block out of reach, re-arm")
    return keccak256(abi_encode(randao._mix_hash(draw_block, header), self, dispute_id))


@pure
@internal
def _panel_hash(panel: DynArray[address, MAX_PANEL]) -> uint256:
    """
    @notice The stored form of a panel: the top 84 bits of its hash.
    @param panel The seated panelists, in seat order.
    @return uint256 keccak256(abi_encode(panel)) >> 172.
    """
    return convert(keccak256(abi_encode(panel)), uint256) >> _OFF_PANEL_HASH


@pure
@internal
def _draw_index(seed: bytes32, attempt: uint256, roll_size: uint256) -> uint256:
    """
    @notice The roll index drawn at `attempt`.
    @param seed The draw seed.
    @param attempt The attempt number (from 0).
    @param roll_size Indices ever issued by the governor.
    @return uint256 An index below `roll_size`.
    """
    return convert(keccak256(abi_encode(seed, attempt)), uint256) % roll_size


@pure
@internal
def _median(values: DynArray[uint256, MAX_PANEL]) -> uint256:
    """
    @notice The median (the mean of the two middle values, rounded down,
            for an even count).
    @param values At least one value.
    @return uint256 The median.
    """
    sorted: DynArray[uint256, MAX_PANEL] = values
    n: uint256 = len(sorted)
    # insertion sort of at most MAX_PANEL values
    for i: uint256 in range(1, MAX_PANEL):
        if i >= n:
            break
        for j: uint256 in range(MAX_PANEL):
            if j >= i:
                break
            k: uint256 = i - j
            if sorted[k - 1] <= sorted[k]:
                break
            low: uint256 = sorted[k]
            sorted[k] = sorted[k - 1]
            sorted[k - 1] = low
    if n % 2 == 1:
        return sorted[n // 2]
    return (sorted[n // 2 - 1] + sorted[n // 2]) // 2


@pure
@internal
def _id(job_id: uint256, milestone: uint256) -> uint256:
    """
    @notice The dispute id of a job's milestone.
    @param job_id The job.
    @param milestone The milestone (below 256).
    @return uint256 `job_id << 8 | milestone`.
    """
    if milestone > _MAX_MILESTONE_INDEX or job_id > _MAX_JOB_ID:
        reverts._fail("escrow: unknown milestone")
    return job_id << 8 | milestone


@pure
@internal
def _revealed(word: uint256, seat: uint256) -> bool:
    """
    @notice Whether `seat` revealed.
    @param word The dispute word.
    @param seat The seat.
    @return bool True once revealed.
    """
    return (word >> (_OFF_REVEALED + seat)) & 1 == 1
