"""Attack 2: voting or proposing without the right to.

Rules (IwoGovernor NatSpec): a vote needs a card at the proposal's snapshot
(creation time - 1) and dues covering that snapshot with the grace of the
proposal's settings; proposing needs a card now and dues covering now with
the current grace. Arrears paid later restore the vote on a proposal whose
snapshot the payment covers.
"""

import boa
import pytest
from attack_helpers import ABSTAIN, AGAINST, DAY, DUES, FOR, PERIOD, SETTINGS, at, only, pending, prepay, tallies

GRACE = SETTINGS.dues_grace


def test_non_member_cannot_vote_or_propose(collective, member, outsider, gov_helpers, relay):
    c = collective
    gov = c.governor
    pid = gov_helpers.propose(c, member)
    gov_helpers.open_voting(c)
    with boa.reverts("governor: not a member at snapshot"):
        gov.cast_vote(pid, FOR, sender=outsider)
    with boa.reverts("governor: not a member at snapshot"):
        gov.cast_vote_with_reason(pid, AGAINST, "let me in", sender=outsider)
    with boa.reverts("governor: not a member at snapshot"):
        relay(gov, gov_helpers.sign_vote(c, outsider, pid, FOR), member)
    with boa.reverts("governor: not a member"):
        gov.propose([], "outsider's idea", sender=outsider)
    assert tallies(gov, pid) == (0, 0, 0)
    assert not gov.can_vote(pid, outsider)
    assert not gov.has_voted(pid, outsider)
    assert gov.proposal_count() == 1


def test_member_admitted_after_the_snapshot_cannot_vote(paid, founders, newcomer, outsider, gov_helpers, flow, relay):
    c = paid
    gov = c.governor
    actions = [flow.admit(c, newcomer)]
    a = flow.start(c, founders[0], actions, voters=founders[:2])
    flow.midway(c, a)
    target = gov_helpers.propose(c, founders[1], [], "made before the admission")
    flow.finish(c, a, actions, founders[0])
    assert only(gov, "MemberAdmitted").member == newcomer.address
    assert gov.is_member(newcomer)
    assert gov.member(newcomer).joined > gov.proposal(target).snapshot  # joined after the snapshot
    with boa.reverts("governor: not a member at snapshot"):
        gov.cast_vote(target, FOR, sender=newcomer)
    with boa.reverts("governor: not a member at snapshot"):
        relay(gov, gov_helpers.sign_vote(c, newcomer, target, AGAINST), outsider)
    assert tallies(gov, target) == (0, 0, 0)
    assert not gov.can_vote(target, newcomer)
    # control: on a proposal made after the admission the newcomer votes
    later = gov_helpers.propose(c, newcomer, [], "the newcomer's own")
    gov_helpers.open_voting(c)
    gov.cast_vote(later, FOR, sender=newcomer)
    assert tallies(gov, later) == (1, 0, 0)


def test_member_resigned_before_the_snapshot_cannot_vote_or_propose(collective, founders, outsider, gov_helpers, relay):
    c = collective
    gov = c.governor
    leaver = founders[2]
    gov.resign(sender=leaver)
    pid = gov_helpers.propose(c, founders[0])
    gov_helpers.open_voting(c)
    with boa.reverts("governor: not a member at snapshot"):
        gov.cast_vote(pid, FOR, sender=leaver)
    with boa.reverts("governor: not a member at snapshot"):
        relay(gov, gov_helpers.sign_vote(c, leaver, pid, FOR), outsider)
    with boa.reverts("governor: not a member"):
        gov.propose([], "from outside", sender=leaver)
    assert tallies(gov, pid) == (0, 0, 0)
    assert gov.proposal_count() == 1


def test_member_revoked_before_the_snapshot_cannot_vote_or_propose(paid, founders, outsider, gov_helpers, flow, relay):
    c = paid
    gov = c.governor
    target_member = founders[2]
    actions = [flow.revoke(c, target_member)]
    r = flow.start(c, founders[0], actions, voters=founders[:2])
    flow.finish(c, r, actions, founders[0])
    assert only(gov, "MemberLeft") == dict(member=target_member.address, resigned=False, member_count=2)
    pid = gov_helpers.propose(c, founders[1], [], "after the revocation")
    gov_helpers.open_voting(c)
    with boa.reverts("governor: not a member at snapshot"):
        gov.cast_vote(pid, AGAINST, sender=target_member)
    with boa.reverts("governor: not a member at snapshot"):
        relay(gov, gov_helpers.sign_vote(c, target_member, pid, AGAINST), outsider)
    with boa.reverts("governor: not a member"):
        gov.propose([], "reinstate me", sender=target_member)
    assert tallies(gov, pid) == (0, 0, 0)
    assert gov.proposal_count() == 2


@pytest.fixture
def lapsed(collective, founders):
    """founders[0] and [1] prepaid a year; founders[2] pays nothing (paid through creation)."""
    c = collective
    prepay(c, founders[:2])
    return c


def test_grace_boundary_at_the_snapshot(lapsed, founders):
    """Dues + grace exactly at the snapshot still vote; one second later they do not."""
    c = lapsed
    gov = c.governor
    late = founders[2]
    paid_through = gov.paid_through(late)
    pending(paid_through + GRACE + 1)  # snapshot = paid_through + grace
    edge = gov.propose([], "edge", sender=founders[0])
    pending(paid_through + GRACE + 2)  # snapshot one second past the grace
    past = gov.propose([], "past", sender=founders[1])
    assert gov.proposal(edge).snapshot == paid_through + GRACE
    assert gov.proposal(past).snapshot == paid_through + GRACE + 1
    at(gov.proposal(past).vote_start)
    gov.cast_vote(edge, FOR, sender=late)
    with boa.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote(past, FOR, sender=late)
    assert tallies(gov, edge) == (1, 0, 0)
    assert tallies(gov, past) == (0, 0, 0)


def test_lapsed_member_cannot_vote_or_propose_until_arrears_cover_the_snapshot(
    lapsed, founders, outsider, gov_helpers, relay
):
    c = lapsed
    gov = c.governor
    late = founders[2]
    start = gov.paid_through(late)
    gov_helpers.travel(40 * DAY)  # 40 days past paid-through: two periods owed to cover now with the grace
    with boa.reverts("governor: dues in arrears"):
        gov.propose([], "while in arrears", sender=late)
    pid = gov_helpers.propose(c, founders[0])
    snapshot = gov.proposal(pid).snapshot
    assert start + PERIOD + GRACE < snapshot <= start + 2 * PERIOD + GRACE
    gov_helpers.open_voting(c)
    assert not gov.can_vote(pid, late)
    with boa.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote(pid, AGAINST, sender=late)
    with boa.reverts("governor: dues in arrears at snapshot"):
        relay(gov, gov_helpers.sign_vote(c, late, pid, AGAINST), outsider)
    # one period is not enough to reach the snapshot
    c.treasury.pay_dues(late, 1, sender=late, value=DUES)
    with boa.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote(pid, AGAINST, sender=late)
    assert tallies(gov, pid) == (0, 0, 0)
    # the second period covers the snapshot: the vote is restored (documented rule)
    c.treasury.pay_dues(late, 1, sender=late, value=DUES)
    assert gov.paid_through(late) == start + 2 * PERIOD
    assert gov.can_vote(pid, late)
    gov.cast_vote(pid, ABSTAIN, sender=late)
    assert tallies(gov, pid) == (0, 0, 1)
