"""Voting settings: initial values, update only by vote, bounds, versions kept per proposal."""

import ape
import pytest
from iwotest import ACTIVE, DEFEATED, EXPIRED, FOR, QUEUED, SETTINGS, SUCCEEDED

from iwo.collective import DAY, Settings

MAX_DURATION = 365 * DAY
NEW = Settings(
    voting_delay=2 * DAY,
    voting_period=5 * DAY,
    timelock_delay=2 * DAY,
    execution_window=10 * DAY,
    quorum_bps=10_000,
    constitutional_bps=7_500,
    dues_grace=30 * DAY,
)


def _s(value):
    return Settings.from_struct(value)


def _at(chain, timestamp):
    chain.pending_timestamp = timestamp
    chain.mine()


def _update_action(c, h, new):
    return h.action(c.governor, "update_settings", new.as_tuple())


def _update_while(c, h, chain, proposer, voters, new, during=lambda: None):
    """Pass an update_settings proposal; `during()` runs while it is mid-vote
    (half a day into its voting), early enough that a proposal made there is
    still active when the update executes. Returns the execution receipt."""
    gov = c.governor
    act = _update_action(c, h, new)
    pid = h.propose(c, proposer, [act])
    _at(chain, gov.proposal(pid)[2])
    for v in voters:
        gov.cast_vote(pid, FOR, sender=v)
    _at(chain, gov.proposal(pid)[2] + DAY // 2)
    during()
    _at(chain, gov.proposal(pid)[3])
    gov.queue(pid, sender=proposer)
    chain.pending_timestamp = gov.proposal(pid)[4]
    return gov.execute(pid, [act], sender=proposer)


# --- initial settings -----------------------------------------------------


def test_initial_settings_are_version_zero(collective):
    gov = collective.governor
    assert _s(gov.settings()) == SETTINGS
    assert gov.settings_version() == 0
    assert _s(gov.settings_at(0)) == SETTINGS


def test_initialize_logs_settings_version_zero(collective):
    gov = collective.governor
    events = collective.receipt.events.filter(gov.SettingsChanged)
    assert len(events) == 1
    ev = events[0]
    assert ev.version == 0
    assert _s(ev.old_settings) == Settings(0, 0, 0, 0, 0, 0, 0)
    assert _s(ev.new_settings) == SETTINGS


def test_settings_at_unknown_version_reverts(collective):
    with ape.reverts("governor: unknown settings version"):
        collective.governor.settings_at(1)


@pytest.mark.parametrize(
    "settings",
    [
        Settings(MAX_DURATION, MAX_DURATION, MAX_DURATION, MAX_DURATION, 10_000, 10_000, MAX_DURATION),
        Settings(0, 1, 0, 1, 1, 5_001, 0),
    ],
    ids=["upper-bounds", "lower-bounds"],
)
def test_settings_at_the_bounds_are_accepted(create, settings):
    c = create(settings=settings)
    assert _s(c.governor.settings()) == settings
    ev = c.receipt.events.filter(c.governor.SettingsChanged)[0]
    assert _s(ev.new_settings) == settings


BAD = [
    (dict(voting_delay=MAX_DURATION + 1), "governor: voting delay too long"),
    (dict(voting_period=0), "governor: zero voting period"),
    (dict(voting_period=MAX_DURATION + 1), "governor: voting period too long"),
    (dict(timelock_delay=MAX_DURATION + 1), "governor: timelock too long"),
    (dict(execution_window=0), "governor: zero execution window"),
    (dict(execution_window=MAX_DURATION + 1), "governor: execution window too long"),
    (dict(quorum_bps=0), "governor: quorum out of range"),
    (dict(quorum_bps=10_001), "governor: quorum out of range"),
    (dict(constitutional_bps=5_000), "governor: threshold out of range"),
    (dict(constitutional_bps=10_001), "governor: threshold out of range"),
    (dict(dues_grace=MAX_DURATION + 1), "governor: grace too long"),
]


@pytest.mark.parametrize("change, reason", BAD, ids=[r.split(": ")[1] + "-" + list(ch)[0] for ch, r in BAD])
def test_initial_settings_out_of_bounds_revert(create, change, reason):
    with ape.reverts(reason):
        create(settings=SETTINGS.replace(**change))


# --- update_settings ------------------------------------------------------


def test_update_settings_directly_reverts(collective, member, outsider):
    with ape.reverts("governor: only by vote"):
        collective.governor.update_settings(NEW.as_tuple(), sender=member)
    with ape.reverts("governor: only by vote"):
        collective.governor.update_settings(NEW.as_tuple(), sender=outsider)


def test_update_settings_by_vote(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    pid, receipt = h.pass_proposal(c, founders[0], founders, [_update_action(c, h, NEW)])
    assert gov.proposal(pid)[8] is True  # constitutional
    events = receipt.events.filter(gov.SettingsChanged)
    assert len(events) == 1
    assert events[0].version == 1
    assert _s(events[0].old_settings) == SETTINGS
    assert _s(events[0].new_settings) == NEW
    assert _s(gov.settings()) == NEW
    assert gov.settings_version() == 1
    assert _s(gov.settings_at(0)) == SETTINGS
    assert _s(gov.settings_at(1)) == NEW
    with ape.reverts("governor: unknown settings version"):
        gov.settings_at(2)


def test_update_settings_keeps_proposal_count(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    h.propose(c, founders[1])
    h.pass_proposal(c, founders[0], founders, [_update_action(c, h, NEW)])
    assert c.governor.proposal_count() == 2
    assert h.propose(c, founders[2]) == 3


def test_second_update_logs_previous_version(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    h.pass_proposal(c, founders[0], founders, [_update_action(c, h, NEW)])
    newer = SETTINGS.replace(quorum_bps=3_000)
    # NEW has a 2 day delay and 5 day voting period: drive the second one by hand
    act = _update_action(c, h, newer)
    pid = h.propose(c, founders[1], [act])
    h.travel(NEW.voting_delay + 1)
    for f in founders:
        gov.cast_vote(pid, FOR, sender=f)
    h.travel(NEW.voting_period)
    gov.queue(pid, sender=founders[1])
    h.travel(NEW.timelock_delay)
    receipt = gov.execute(pid, [act], sender=founders[1])
    ev = receipt.events.filter(gov.SettingsChanged)[0]
    assert ev.version == 2
    assert _s(ev.old_settings) == NEW
    assert _s(ev.new_settings) == newer
    assert gov.settings_version() == 2
    assert [_s(gov.settings_at(v)) for v in (0, 1, 2)] == [SETTINGS, NEW, newer]


def test_update_settings_is_constitutional(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    pid = h.propose(c, founders[0], [_update_action(c, h, NEW)])
    h.open_voting(c)
    gov.cast_vote(pid, FOR, sender=founders[0])
    gov.cast_vote(pid, FOR, sender=founders[1])
    gov.cast_vote(pid, 0, sender=founders[2])
    h.close_voting(c)
    assert gov.state(pid) == DEFEATED


@pytest.mark.parametrize(
    "change, reason",
    [BAD[1], BAD[6], BAD[8], BAD[10]],
    ids=["zero-period", "zero-quorum", "half-threshold", "long-grace"],
)
def test_update_settings_out_of_bounds_reverts_and_changes_nothing(collective, founders, gov_helpers, change, reason):
    c, h = collective, gov_helpers
    gov = c.governor
    act = _update_action(c, h, SETTINGS.replace(**change))
    pid, _ = h.pass_proposal(c, founders[0], founders, [act], execute=False)
    with ape.reverts(reason):
        gov.execute(pid, [act], sender=founders[0])
    assert gov.state(pid) == QUEUED
    assert gov.settings_version() == 0
    assert _s(gov.settings()) == SETTINGS


# --- proposals keep the settings they were made under ---------------------


def test_proposal_made_before_update_keeps_old_settings(collective, founders, gov_helpers, chain):
    c, h = collective, gov_helpers
    gov = c.governor
    made = {}

    def during():
        receipt = gov.propose([], "old rules", sender=founders[1])
        made["pid"] = receipt.events.filter(gov.ProposalCreated)[0].proposal_id
        made["t"] = receipt.timestamp

    _update_while(c, h, chain, founders[0], founders, NEW, during)
    pid, created = made["pid"], made["t"]
    assert gov.settings_version() == 1
    _, _, start, end, _, _, _, _, _, version, _ = gov.proposal(pid)
    assert version == 0
    assert start == created + SETTINGS.voting_delay
    assert end == start + SETTINGS.voting_period
    assert gov.state(pid) == ACTIVE
    # one vote of three: enough under the old 25% quorum, not under the new 100%
    gov.cast_vote(pid, FOR, sender=founders[2])
    _at(chain, end)
    assert gov.state(pid) == SUCCEEDED
    receipt = gov.queue(pid, sender=founders[1])
    eta = receipt.timestamp + SETTINGS.timelock_delay  # old timelock, not NEW's
    assert receipt.events.filter(gov.ProposalQueued)[0].eta == eta
    assert gov.proposal(pid)[4] == eta
    # old execution window applies to expiry
    _at(chain, eta + SETTINGS.execution_window - 1)
    assert gov.state(pid) == QUEUED
    _at(chain, eta + SETTINGS.execution_window)
    assert gov.state(pid) == EXPIRED


def test_proposal_made_after_update_uses_new_settings(collective, founders, gov_helpers, chain):
    c, h = collective, gov_helpers
    gov = c.governor
    _update_while(c, h, chain, founders[0], founders, NEW)
    receipt = gov.propose([], "new rules", sender=founders[0])
    pid = receipt.events.filter(gov.ProposalCreated)[0].proposal_id
    created = receipt.timestamp
    weak = h.propose(c, founders[1])
    _, _, start, end, _, _, _, _, _, version, _ = gov.proposal(pid)
    assert version == 1
    assert start == created + NEW.voting_delay
    assert end == start + NEW.voting_period
    _at(chain, start)
    for f in founders:
        gov.cast_vote(pid, FOR, sender=f)
    gov.cast_vote(weak, FOR, sender=founders[0])
    gov.cast_vote(weak, FOR, sender=founders[1])
    _at(chain, end + 10)
    assert gov.state(pid) == SUCCEEDED
    assert gov.state(weak) == DEFEATED  # 2 of 3 under the 100% quorum
    receipt = gov.queue(pid, sender=founders[0])
    assert receipt.events.filter(gov.ProposalQueued)[0].eta == receipt.timestamp + NEW.timelock_delay


def test_grace_of_the_proposal_version_decides_eligibility(collective, founders, gov_helpers, chain):
    c, h = collective, gov_helpers
    gov = c.governor
    for f in founders[:2]:
        h.pay_dues(c, f, f)
    h.travel(6 * DAY)
    longer_grace = SETTINGS.replace(dues_grace=30 * DAY)
    made = {}

    def during():  # founder 2 is past the 7-day grace here
        made["old"] = h.propose(c, founders[1])

    _update_while(c, h, chain, founders[0], founders[:2], longer_grace, during)
    old = made["old"]
    assert not gov.can_vote(old, founders[2])
    assert gov.in_good_standing(founders[2])  # the current (30-day) grace
    new = h.propose(c, founders[2])  # proposing checks the current grace too
    assert gov.proposal(new)[9] == 1
    assert gov.can_vote(new, founders[2])
    assert gov.state(old) == ACTIVE
    with ape.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote(old, FOR, sender=founders[2])
    h.open_voting(c)
    gov.cast_vote(new, FOR, sender=founders[2])
