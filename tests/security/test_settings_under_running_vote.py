"""Attack 9: changing the settings under a proposal that is already running.

Defence: a proposal records the settings version in force when it was made;
its vote window is fixed at creation, and its grace, quorum, constitutional
threshold, timelock and execution window are read from that version
(`settings_at`), never from the current settings.
"""

import boa
from attack_helpers import ABSTAIN, AGAINST, DAY, EXECUTED, FOR, QUEUED, SETTINGS, SUCCEEDED, at, only, prepay

from iwo.collective import Settings

HARSH = Settings(
    voting_delay=2 * DAY,
    voting_period=5 * DAY,
    timelock_delay=10 * DAY,
    execution_window=1 * DAY,
    quorum_bps=10_000,
    constitutional_bps=9_000,
    dues_grace=0,
)


def _change_settings_while(c, founders, flow, gov_helpers, new, target_actions=()):
    """founders[0] passes `new` settings; founders[1]'s proposal is made during that vote.
    Returns (target id, target's proposal() before the change); the update has executed."""
    gov = c.governor
    change = [gov_helpers.action(gov, "update_settings", new.as_tuple())]
    s = flow.start(c, founders[0], change, voters=founders)
    flow.midway(c, s)
    target = gov_helpers.propose(c, founders[1], list(target_actions), "made under version 0")
    before = gov.proposal(target)
    flow.finish(c, s, change, founders[0])
    return target, before


def test_running_proposal_keeps_its_settings(collective, founders, flow, gov_helpers):
    c = collective
    gov = c.governor
    prepay(c, founders[:2])  # founders[2] stays paid through creation: in arrears without grace
    late = founders[2]
    target, before = _change_settings_while(c, founders, flow, gov_helpers, HARSH)
    ev = only(gov, "SettingsChanged")
    assert ev.version == 1
    assert Settings.from_struct(ev.new_settings) == HARSH
    assert Settings.from_struct(gov.settings()) == HARSH
    assert Settings.from_struct(gov.settings_at(0)) == SETTINGS
    # nothing recorded for the running proposal moved (but its state: it is Active now)
    assert gov.proposal(target)._replace(state=before.state) == before
    assert before.settings_version == 0
    assert before.vote_start - before.snapshot == SETTINGS.voting_delay + 1
    assert before.vote_end - before.vote_start == SETTINGS.voting_period
    # grace of version 0: 7 days cover the snapshot; version 1 would refuse this vote
    assert gov.paid_through(late) + SETTINGS.dues_grace >= before.snapshot > gov.paid_through(late)
    gov.cast_vote(target, FOR, sender=founders[0])
    gov.cast_vote(target, ABSTAIN, sender=late)
    flow.close(c, target)
    # quorum of version 0 (25%): 2 of 3 pass; version 1 (100%) would defeat
    assert gov.state(target) == SUCCEEDED
    gov.queue(target, sender=founders[1])
    # timelock of version 0 (1 day), not 10 days
    assert gov.proposal(target).eta == boa.env.timestamp + SETTINGS.timelock_delay
    # window of version 0 in the deadline too
    assert gov.proposal(target).execution_deadline == gov.proposal(target).eta + SETTINGS.execution_window
    # window of version 0 (7 days): still executable 2 days after the eta (version 1 allows 1 day)
    at(gov.proposal(target).eta + 2 * DAY)
    assert gov.state(target) == QUEUED
    gov.execute(target, [], sender=founders[1])
    assert gov.state(target) == EXECUTED
    # control: a proposal made now runs under version 1
    later = gov_helpers.propose(c, founders[0], [], "made under version 1")
    p = gov.proposal(later)
    assert p.settings_version == 1
    assert (p.vote_start - p.snapshot, p.vote_end - p.vote_start) == (HARSH.voting_delay + 1, HARSH.voting_period)
    at(p.vote_start)
    with boa.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote(later, FOR, sender=late)


def test_running_constitutional_proposal_keeps_its_threshold(create, founders, flow, gov_helpers):
    # version 0 threshold 60%, raised to 90% while the base-URI change is being voted
    c = create(settings=SETTINGS.replace(constitutional_bps=6000))
    gov = c.governor
    prepay(c, founders)
    uri = [gov_helpers.action(c.card, "set_base_uri", "ipfs://cards/")]
    target, before = _change_settings_while(c, founders, flow, gov_helpers, HARSH.replace(quorum_bps=2500), uri)
    assert before.constitutional
    assert gov.proposal(target)._replace(state=before.state) == before
    gov.cast_vote(target, FOR, sender=founders[0])
    gov.cast_vote(target, FOR, sender=founders[1])
    gov.cast_vote(target, AGAINST, sender=founders[2])
    flow.close(c, target)
    assert gov.state(target) == SUCCEEDED  # 2/3 = 66.7%: passes 60%, would fail 90%
    flow.finish(c, target, uri, founders[1])
    assert only(gov, "BaseURIChanged") == dict(old_uri="", new_uri="ipfs://cards/")
    assert c.card.base_uri() == "ipfs://cards/"
