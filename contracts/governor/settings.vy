# pragma version ~=0.4.3
"""
@title iwo governor settings: validation, packing and history per version
@custom:contract-name settings
@license GNU Affero General Public License v3.0 only
@notice The voting settings of a collective (delays, periods, quorum,
        constitutional threshold, dues grace). Every version ever in force
        is kept: a proposal is judged by the settings of the version current
        when it was made, whatever changes later.

        Shares (quorum, constitutional threshold) are in basis points and are
        met when the share, rounded half up to the basis point, is at least
        the setting (`_reaches`): a fraction written to the nearest basis
        point is met by exactly that fraction (two thirds is 6667 and 2 For
        to 1 Against reaches it; a third is 3333 and 1 of 3 reaches it).
@custom:security Settings change only through `update_settings`, which only
                 this contract itself may call, i.e. as an action of an
                 executed (constitutional) proposal. Every value is bounded
                 (`_pack` refuses zero or absurd values), so the packed
                 fields never overflow and a collective cannot vote itself
                 into a state where no proposal can ever pass or be executed.
"""


# @dev The settings of one version, as given to `initialize` and
#      `update_settings` and returned by the views. Durations in seconds,
#      shares in basis points.
struct Settings:
    voting_delay: uint256
    voting_period: uint256
    timelock_delay: uint256
    execution_window: uint256
    quorum_bps: uint256
    constitutional_bps: uint256
    dues_grace: uint256


# @dev Every duration is at most a year, so a sum of four of them and a
#      40-bit timestamp never overflow the packed fields that hold them.
MAX_DURATION: public(constant(uint256)) = 365 * 86_400
BPS: constant(uint256) = 10_000

# A settings word: the packed form of `Settings`. The current word (`_current`)
# carries two more fields in its spare high bits, see below.
#
#   255       240 239          208 207      192 191       160 159        144 143     128
#  +-------------+----------------+------------+-------------+--------------+----------+
#  |   unused    | proposal count |  version   | dues grace  | constit. bps | quorum   |
#  |   16 bits   |    32 bits     |  16 bits   |   32 bits   |   16 bits    | 16 bits  |
#  +-------------+----------------+------------+-------------+--------------+----------+
#   127          96 95           64 63           32 31            0
#  +--------------+---------------+---------------+---------------+
#  | exec. window | timelock      | voting period | voting delay  |
#  |   32 bits    |   32 bits     |    32 bits    |    32 bits    |
#  +--------------+---------------+---------------+---------------+
#
# Bits 0..191 are the settings (the whole word in `_history`); version and
# proposal count only exist in `_current`.
DELAY_OFFSET: constant(uint256) = 0
PERIOD_OFFSET: constant(uint256) = 32
TIMELOCK_OFFSET: constant(uint256) = 64
WINDOW_OFFSET: constant(uint256) = 96
DURATION_BITS: constant(uint256) = 32
DURATION_MASK: constant(uint256) = 2**DURATION_BITS - 1
QUORUM_OFFSET: constant(uint256) = 128
CONSTITUTIONAL_OFFSET: constant(uint256) = 144
SHARE_BITS: constant(uint256) = 16
SHARE_MASK: constant(uint256) = 2**SHARE_BITS - 1
GRACE_OFFSET: constant(uint256) = 160
VERSION_OFFSET: constant(uint256) = 192
VERSION_BITS: constant(uint256) = 16
VERSION_MASK: constant(uint256) = 2**VERSION_BITS - 1
PROPOSAL_COUNT_OFFSET: constant(uint256) = 208
PROPOSAL_COUNT_BITS: constant(uint256) = 32
PROPOSAL_COUNT_MASK: constant(uint256) = 2**PROPOSAL_COUNT_BITS - 1
# @dev Adding this to the current word counts one more proposal.
ONE_PROPOSAL: constant(uint256) = 1 << PROPOSAL_COUNT_OFFSET
MAX_SETTINGS_VERSION: constant(uint256) = VERSION_MASK

# @dev The settings in force (bits 0..191), their version and the number of
#      proposals made. The proposal count belongs to proposals.vy; it rides in
#      this word so that `propose` reads settings, version and count with one
#      storage read and writes them back with one write (a separate counter
#      slot would cost every proposal a cold read and a write, ~5,000 gas).
_current: uint256
# @dev version -> settings word of that version (version 0 = initial settings).
_history: HashMap[uint256, uint256]


event SettingsChanged:
    version: indexed(uint256)
    old_settings: Settings
    new_settings: Settings


@external
def update_settings(settings: Settings):
    """
    @notice Changes the voting settings. Only by vote (constitutional).
            Proposals already made keep the settings they were made under.
    @param settings The new settings.
    """
    assert msg.sender == self, "governor: only by vote"
    current: uint256 = self._current
    version: uint256 = self._version(current) + 1
    assert version <= MAX_SETTINGS_VERSION, "governor: too many settings versions"
    packed: uint256 = self._pack(settings)
    self._history[version] = packed
    self._current = (
        packed | version << VERSION_OFFSET | self._proposal_count(current) << PROPOSAL_COUNT_OFFSET
    )
    log SettingsChanged(version=version, old_settings=self._unpack(current), new_settings=settings)


@view
@external
def settings() -> Settings:
    """
    @notice The settings new proposals are made under.
    @return Settings The settings in force.
    """
    return self._unpack(self._current)


@view
@external
def settings_version() -> uint256:
    """
    @notice The current settings version (0 = the settings given at creation).
    @return uint256 The version new proposals are made under.
    """
    return self._version(self._current)


@view
@external
def settings_at(version: uint256) -> Settings:
    """
    @notice The settings of a given version.
    @param version A version from 0 to `settings_version()`.
    @return Settings The settings of that version.
    """
    assert version <= self._version(self._current), "governor: unknown settings version"
    return self._unpack(self._history[version])


@internal
def _init(first: Settings):
    """
    @notice Sets the first settings (version 0). Called once, by `initialize`.
    @param first The settings given at creation.
    """
    packed: uint256 = self._pack(first)
    self._history[0] = packed
    self._current = packed
    log SettingsChanged(version=0, old_settings=empty(Settings), new_settings=first)


@pure
@internal
def _pack(s: Settings) -> uint256:
    """
    @notice Validates settings and packs them into a settings word.
    @dev A zero voting delay is refused: a proposal would be Active in its
         own block, nobody could see it before voting opens, and its
         proposer could never cancel it.
    @param s The settings.
    @return uint256 The settings word (bits 0..191).
    """
    assert s.voting_delay > 0, "governor: zero voting delay"
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
        s.voting_delay << DELAY_OFFSET
        | s.voting_period << PERIOD_OFFSET
        | s.timelock_delay << TIMELOCK_OFFSET
        | s.execution_window << WINDOW_OFFSET
        | s.quorum_bps << QUORUM_OFFSET
        | s.constitutional_bps << CONSTITUTIONAL_OFFSET
        | s.dues_grace << GRACE_OFFSET
    )


@pure
@internal
def _unpack(word: uint256) -> Settings:
    """
    @notice The settings in a settings word (the current word or a past one).
    @param word A settings word.
    @return Settings Its settings.
    """
    return Settings(
        voting_delay=self._voting_delay(word),
        voting_period=self._voting_period(word),
        timelock_delay=self._timelock_delay(word),
        execution_window=self._execution_window(word),
        quorum_bps=self._quorum_bps(word),
        constitutional_bps=self._constitutional_bps(word),
        dues_grace=self._dues_grace(word),
    )


@pure
@internal
def _reaches(part: uint256, whole: uint256, share_bps: uint256) -> bool:
    """
    @notice Whether `part / whole`, rounded half up to the basis point,
            is at least `share_bps`.
    @dev round(part * BPS / whole) >= s  <=>  part * BPS + whole // 2 >= s * whole
         (both sides are integers). So 2 of 3 reach 6667 (66.67 %) and 1 of 3
         reaches 3333, while 1999 of 3000 (66.63 %) do not reach 6667.
         Operands are below 2**24 members times 10**4: no overflow.
    @param part The votes that count towards the share.
    @param whole What the share is taken of.
    @param share_bps The required share in basis points.
    @return bool True when the share is reached.
    """
    return part * BPS + whole // 2 >= share_bps * whole


@pure
@internal
def _votes_needed(whole: uint256, share_bps: uint256) -> uint256:
    """
    @notice The fewest votes out of `whole` that reach `share_bps` by
            `_reaches`, and at least one.
    @param whole What the share is taken of.
    @param share_bps The required share in basis points.
    @return uint256 The smallest `part` with `_reaches(part, whole, share_bps)`, at least 1.
    """
    # smallest part with part * BPS >= share_bps * whole - whole // 2 (share_bps >= 1,
    # so the right side is never negative)
    needed: uint256 = (share_bps * whole - whole // 2 + BPS - 1) // BPS
    return max(needed, 1)


@pure
@internal
def _voting_delay(word: uint256) -> uint256:
    """
    @notice Seconds from a proposal's creation to the opening of its vote.
    @param word A settings word.
    @return uint256 The voting delay.
    """
    return (word >> DELAY_OFFSET) & DURATION_MASK


@pure
@internal
def _voting_period(word: uint256) -> uint256:
    """
    @notice Seconds a vote stays open.
    @param word A settings word.
    @return uint256 The voting period.
    """
    return (word >> PERIOD_OFFSET) & DURATION_MASK


@pure
@internal
def _timelock_delay(word: uint256) -> uint256:
    """
    @notice Seconds from queueing to the earliest execution (the eta).
    @param word A settings word.
    @return uint256 The timelock delay.
    """
    return (word >> TIMELOCK_OFFSET) & DURATION_MASK


@pure
@internal
def _execution_window(word: uint256) -> uint256:
    """
    @notice Seconds to queue a succeeded proposal after its vote ends, and
            to execute a queued one after its eta.
    @param word A settings word.
    @return uint256 The execution window.
    """
    return (word >> WINDOW_OFFSET) & DURATION_MASK


@pure
@internal
def _quorum_bps(word: uint256) -> uint256:
    """
    @notice Share of the members at the snapshot that must take part.
    @param word A settings word.
    @return uint256 The quorum in basis points.
    """
    return (word >> QUORUM_OFFSET) & SHARE_MASK


@pure
@internal
def _constitutional_bps(word: uint256) -> uint256:
    """
    @notice Share of For among For + Against a constitutional proposal needs.
    @param word A settings word.
    @return uint256 The threshold in basis points.
    """
    return (word >> CONSTITUTIONAL_OFFSET) & SHARE_MASK


@pure
@internal
def _dues_grace(word: uint256) -> uint256:
    """
    @notice Seconds a member may be behind with dues and still be in good standing.
    @param word A settings word.
    @return uint256 The grace.
    """
    return (word >> GRACE_OFFSET) & DURATION_MASK


@pure
@internal
def _version(current: uint256) -> uint256:
    """
    @notice The settings version of the current word.
    @param current The current word (`_current`).
    @return uint256 The version.
    """
    return (current >> VERSION_OFFSET) & VERSION_MASK


@pure
@internal
def _proposal_count(current: uint256) -> uint256:
    """
    @notice The number of proposals made, from the current word.
    @param current The current word (`_current`).
    @return uint256 The proposal count (ids run from 1 to it).
    """
    return (current >> PROPOSAL_COUNT_OFFSET) & PROPOSAL_COUNT_MASK
