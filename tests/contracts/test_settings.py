"""Voting settings: initial values, update only by vote, bounds, versions kept per proposal."""

import boa
import pytest
from utils.boa_stack import at, events
from utils.constants import ACTIVE, DAY, DEFEATED, EXPIRED, FOR, QUEUED, SETTINGS, SUCCEEDED

from iwo.collective import Settings

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


def _update_action(c, h, new):
    return h.action(c.governor, "update_settings", new.as_tuple())


def _update_while(c, h, proposer, voters, new, during=lambda: None):
    """Pass an update_settings proposal; `during()` runs while it is mid-vote
    (half a day into its voting), early enough that a proposal made there is
    still active when the update executes. Leaves the update executed."""
    gov = c.governor
    act = _update_action(c, h, new)
    pid = h.propose(c, proposer, [act])
    at(gov.proposal(pid).vote_start - 1)
    for v in voters:
        gov.cast_vote(pid, FOR, sender=v)
    at(gov.proposal(pid).vote_start + DAY // 2)
    during()
    at(gov.proposal(pid).vote_end)
    gov.queue(pid, sender=proposer)
    at(gov.proposal(pid).eta - 1)
    gov.execute(pid, [act], sender=proposer)


# --- initial settings -----------------------------------------------------


def test_initial_settings_are_version_zero(collective):
    gov = collective.governor
    assert _s(gov.settings()) == SETTINGS
    assert gov.settings_version() == 0
    assert _s(gov.settings_at(0)) == SETTINGS


def test_initialize_logs_settings_version_zero(collective):
    (ev,) = events(collective.logs, "SettingsChanged")
    assert ev["version"] == 0
    assert _s(ev["old_settings"]) == Settings(0, 0, 0, 0, 0, 0, 0)
    assert _s(ev["new_settings"]) == SETTINGS


def test_settings_at_unknown_version_reverts(collective):
    with boa.reverts("governor: unknown settings version"):
        collective.governor.settings_at(1)


@pytest.mark.parametrize(
    "settings",
    [
        Settings(MAX_DURATION, MAX_DURATION, MAX_DURATION, MAX_DURATION, 10_000, 10_000, MAX_DURATION),
        Settings(1, 1, 0, 1, 1, 5_001, 0),
    ],
    ids=["upper-bounds", "lower-bounds"],
)
def test_settings_at_the_bounds_are_accepted(create, settings):
    c = create(settings=settings)
    assert _s(c.governor.settings()) == settings
    assert _s(events(c.logs, "SettingsChanged")[0]["new_settings"]) == settings


BAD = [
    (dict(voting_delay=0), "governor: zero voting delay"),
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
    with boa.reverts(reason):
        create(settings=SETTINGS.replace(**change))


def test_shortest_voting_delay_still_leaves_a_pending_second(create, founders):
    # a zero delay is refused; with the shortest (1 s) a proposal is Pending in its own block,
    # so its proposer can still cancel it there
    c = create(settings=SETTINGS.replace(voting_delay=1))
    gov = c.governor
    gov.propose([], "quick", sender=founders[0])
    p = gov.proposal(1)
    assert p.vote_start == boa.env.timestamp + 1
    assert gov.state(1) == 1  # PENDING
    at(p.vote_start - 2)  # the cancel runs in the creation second
    gov.cancel(1, sender=founders[0])
    assert gov.state(1) == 4  # CANCELED


# --- update_settings ------------------------------------------------------


def test_update_settings_directly_reverts(collective, member, outsider):
    with boa.reverts("governor: only by vote"):
        collective.governor.update_settings(NEW.as_tuple(), sender=member)
    with boa.reverts("governor: only by vote"):
        collective.governor.update_settings(NEW.as_tuple(), sender=outsider)


def test_update_settings_by_vote(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    pid = h.pass_proposal(c, founders[0], founders, [_update_action(c, h, NEW)])
    (ev,) = events(gov, "SettingsChanged")
    assert ev["version"] == 1
    assert _s(ev["old_settings"]) == SETTINGS
    assert _s(ev["new_settings"]) == NEW
    assert gov.proposal(pid).constitutional is True
    assert _s(gov.settings()) == NEW
    assert gov.settings_version() == 1
    assert _s(gov.settings_at(0)) == SETTINGS
    assert _s(gov.settings_at(1)) == NEW
    with boa.reverts("governor: unknown settings version"):
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
    gov.execute(pid, [act], sender=founders[1])
    ev = events(gov, "SettingsChanged")[0]
    assert ev["version"] == 2
    assert _s(ev["old_settings"]) == NEW
    assert _s(ev["new_settings"]) == newer
    assert gov.settings_version() == 2
    assert [_s(gov.settings_at(v)) for v in (0, 1, 2)] == [SETTINGS, NEW, newer]


def test_update_settings_is_constitutional(create, founders, gov_helpers):
    # with a 75 % threshold, 2 For to 1 Against (66.67 %) pass an ordinary proposal, not a settings change
    h = gov_helpers
    c = create(settings=SETTINGS.replace(constitutional_bps=7_500))
    gov = c.governor
    pid = h.propose(c, founders[0], [_update_action(c, h, NEW)])
    ordinary = h.propose(c, founders[1])
    h.open_voting(c)
    for p in (pid, ordinary):
        gov.cast_vote(p, FOR, sender=founders[0])
        gov.cast_vote(p, FOR, sender=founders[1])
        gov.cast_vote(p, 0, sender=founders[2])
    h.close_voting(c)
    assert gov.proposal(pid).constitutional is True
    assert gov.state(pid) == DEFEATED
    assert gov.state(ordinary) == SUCCEEDED


@pytest.mark.parametrize(
    "change, reason",
    [BAD[0], BAD[2], BAD[7], BAD[9], BAD[11]],
    ids=["zero-delay", "zero-period", "zero-quorum", "half-threshold", "long-grace"],
)
def test_update_settings_out_of_bounds_reverts_and_changes_nothing(collective, founders, gov_helpers, change, reason):
    c, h = collective, gov_helpers
    gov = c.governor
    act = _update_action(c, h, SETTINGS.replace(**change))
    pid = h.pass_proposal(c, founders[0], founders, [act], execute=False)
    with boa.reverts(reason):
        gov.execute(pid, [act], sender=founders[0])
    assert gov.state(pid) == QUEUED
    assert gov.settings_version() == 0
    assert _s(gov.settings()) == SETTINGS


# --- proposals keep the settings they were made under ---------------------


def test_proposal_made_before_update_keeps_old_settings(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    made = {}

    def during():
        made["pid"] = gov.propose([], "old rules", sender=founders[1])
        made["t"] = boa.env.timestamp

    _update_while(c, h, founders[0], founders, NEW, during)
    pid, created = made["pid"], made["t"]
    assert gov.settings_version() == 1
    p = gov.proposal(pid)
    assert p.settings_version == 0
    assert p.vote_start == created + SETTINGS.voting_delay
    assert p.vote_end == p.vote_start + SETTINGS.voting_period
    assert gov.state(pid) == ACTIVE
    # one vote of three: enough under the old 25% quorum, not under the new 100%
    gov.cast_vote(pid, FOR, sender=founders[2])
    at(p.vote_end)
    assert gov.state(pid) == SUCCEEDED
    gov.queue(pid, sender=founders[1])
    eta = boa.env.timestamp + SETTINGS.timelock_delay  # old timelock, not NEW's
    assert events(gov, "ProposalQueued")[0]["eta"] == eta
    assert gov.proposal(pid).eta == eta
    # old execution window applies to expiry
    assert gov.proposal(pid).execution_deadline == eta + SETTINGS.execution_window
    at(eta + SETTINGS.execution_window - 1)
    assert gov.state(pid) == QUEUED
    at(eta + SETTINGS.execution_window)
    assert gov.state(pid) == EXPIRED


def test_proposal_made_after_update_uses_new_settings(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    _update_while(c, h, founders[0], founders, NEW)
    pid = gov.propose([], "new rules", sender=founders[0])
    created = boa.env.timestamp
    weak = h.propose(c, founders[1])
    p = gov.proposal(pid)
    assert p.settings_version == 1
    assert p.vote_start == created + NEW.voting_delay
    assert p.vote_end == p.vote_start + NEW.voting_period
    at(p.vote_start)
    for f in founders:
        gov.cast_vote(pid, FOR, sender=f)
    gov.cast_vote(weak, FOR, sender=founders[0])
    gov.cast_vote(weak, FOR, sender=founders[1])
    at(p.vote_end + 10)
    assert gov.state(pid) == SUCCEEDED
    assert gov.state(weak) == DEFEATED  # 2 of 3 under the 100% quorum
    gov.queue(pid, sender=founders[0])
    assert events(gov, "ProposalQueued")[0]["eta"] == boa.env.timestamp + NEW.timelock_delay


def test_grace_of_the_proposal_version_decides_eligibility(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    for f in founders[:2]:
        h.pay_dues(c, f, f)
    h.travel(6 * DAY)
    longer_grace = SETTINGS.replace(dues_grace=30 * DAY)
    made = {}

    def during():  # founder 2 is past the 7-day grace here
        made["old"] = h.propose(c, founders[1])

    _update_while(c, h, founders[0], founders[:2], longer_grace, during)
    old = made["old"]
    assert not gov.can_vote(old, founders[2])
    assert gov.in_good_standing(founders[2])  # the current (30-day) grace
    new = h.propose(c, founders[2])  # proposing checks the current grace too
    assert gov.proposal(new).settings_version == 1
    assert gov.can_vote(new, founders[2])
    assert gov.state(old) == ACTIVE
    with boa.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote(old, FOR, sender=founders[2])
    h.open_voting(c)
    gov.cast_vote(new, FOR, sender=founders[2])
