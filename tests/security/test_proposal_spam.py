"""Attack 17: one member flooding the governor with proposals.

Defence: a member may have one live proposal (Pending, Active, Succeeded or
Queued) at a time ("governor: proposer has a live proposal"); the next one is
allowed once the previous is Defeated, Executed, Canceled or Expired. Other
members are not blocked.
"""

import boa
import pytest
from attack_helpers import (
    ACTIVE,
    AGAINST,
    CANCELED,
    DEFEATED,
    EXECUTED,
    EXPIRED,
    FOR,
    PENDING,
    QUEUED,
    SETTINGS,
    SUCCEEDED,
    at,
    only,
)


def _refused(gov, spammer):
    count = gov.proposal_count()
    with boa.reverts("governor: proposer has a live proposal"):
        gov.propose([], "one more", sender=spammer)
    assert gov.proposal_count() == count


def test_second_live_proposal_refused_in_every_live_state(paid, founders, flow, gov_helpers):
    c = paid
    gov = c.governor
    spammer = founders[0]
    pid = gov_helpers.propose(c, spammer)
    assert gov.state(pid) == PENDING
    _refused(gov, spammer)
    at(gov.proposal(pid).vote_start)
    assert gov.state(pid) == ACTIVE
    for f in founders:
        gov.cast_vote(pid, FOR, sender=f)
    _refused(gov, spammer)
    flow.close(c, pid)
    assert gov.state(pid) == SUCCEEDED
    _refused(gov, spammer)
    gov.queue(pid, sender=founders[1])
    assert gov.state(pid) == QUEUED
    _refused(gov, spammer)
    at(gov.proposal(pid).eta)
    _refused(gov, spammer)  # due but not executed yet
    # meanwhile the others propose freely, one each
    other = gov_helpers.propose(c, founders[1])
    _refused(gov, founders[1])
    assert other == pid + 1


def _executed(c, spammer, founders, flow, gov_helpers):
    flow.finish(c, flow.start(c, spammer, [], voters=founders), [], spammer)


def _defeated(c, spammer, founders, flow, gov_helpers):
    pid = flow.start(c, spammer, [], voters=[spammer])
    for f in founders[1:]:
        c.governor.cast_vote(pid, AGAINST, sender=f)
    flow.close(c, pid)


def _canceled(c, spammer, founders, flow, gov_helpers):
    pid = gov_helpers.propose(c, spammer)
    c.governor.cancel(pid, sender=spammer)


def _expired(c, spammer, founders, flow, gov_helpers):
    pid = flow.start(c, spammer, [], voters=founders)
    flow.queue(c, pid, spammer)
    at(c.governor.proposal(pid).eta + SETTINGS.execution_window)


def _expired_unqueued(c, spammer, founders, flow, gov_helpers):
    pid = flow.start(c, spammer, [], voters=founders)
    at(c.governor.proposal(pid).vote_end + SETTINGS.execution_window)


@pytest.mark.parametrize(
    "finish, state",
    [
        (_defeated, DEFEATED),
        (_executed, EXECUTED),
        (_canceled, CANCELED),
        (_expired, EXPIRED),
        (_expired_unqueued, EXPIRED),
    ],
)
def test_next_proposal_allowed_once_the_previous_is_over(paid, founders, flow, gov_helpers, finish, state):
    c = paid
    gov = c.governor
    spammer = founders[0]
    finish(c, spammer, founders, flow, gov_helpers)
    assert gov.state(1) == state
    gov.propose([], "next", sender=spammer)
    assert only(gov, "ProposalCreated").proposal_id == 2
    _refused(gov, spammer)
