"""`end_claim` (by vote), `stop` (a claimant who left) and `award` (a claim granted by vote)."""

import boa
import pytest
from utils.aid import (
    APPROVED,
    ENDED,
    EQUIPMENT,
    EVIDENCE,
    ONE,
    claim_id,
    file,
    month_now,
    to_next_month,
    withdraw,
)
from utils.boa_stack import DAY, ETH, action, events, govern, travel


def approved(c, who, monthly, months):
    to_next_month()
    cid = file(c, who, monthly, months)
    travel(3 * DAY)
    c.aid.settle(cid)
    return cid


# --- end_claim ------------------------------------------------------------------------------


def test_end_a_running_claim_by_vote(c, founders, member):
    cid = approved(c, member, ONE // 4, 4)
    first = month_now() + 1
    to_next_month()
    withdraw(c, member, cid)  # month first, in full
    pid = govern(c, [action(c.aid, "end_claim", cid)], founders[1], founders[1:])
    (ev,) = events(c.governor, "ClaimEnded")
    assert (ev.claim_id, ev.proposal_id, ev.months_due) == (cid, pid, month_now() + 1 - first)
    v = c.aid.claim(cid)
    assert (v.state, v.months_due) == (ENDED, month_now() + 1 - first)
    # nothing is due after the month it ended in, and the demand drops
    to_next_month()
    c.aid.open_month()
    assert events(c.aid, "MonthOpened")[0].demand == 0


def test_end_a_claim_before_it_starts(c, founders, member):
    to_next_month()
    cid = file(c, member, ONE // 4, 4)
    travel(3 * DAY)
    c.aid.settle(cid)
    first = c.aid.claim(cid).first_month
    govern(c, [action(c.aid, "end_claim", cid)], founders[1], founders[1:])  # about five days
    assert month_now() < first
    assert c.aid.claim(cid).months_due == 0
    to_next_month()
    c.aid.open_month()
    assert events(c.aid, "MonthOpened")[0].demand == 0
    with boa.env.prank(member), boa.reverts("aid: claim fully paid"):
        c.aid.withdraw(cid)


def test_an_ended_claim_keeps_what_was_due(c, founders, member):
    cid = approved(c, member, ONE // 4, 4)
    to_next_month()
    govern(c, [action(c.aid, "end_claim", cid)], founders[1], founders[1:])
    assert withdraw(c, member, cid) == ONE // 4  # its first month, still withdrawable
    with boa.env.prank(member), boa.reverts("aid: claim fully paid"):
        c.aid.withdraw(cid)
    file(c, member, ONE // 10)  # the ended claim is closed


@pytest.mark.parametrize("who", ["member", "outsider", "governor"])
def test_end_only_by_vote(c, member, outsider, who):
    cid = approved(c, member, ONE // 4, 4)
    sender = {"member": member, "outsider": outsider, "governor": c.governor.address}[who]
    with boa.env.prank(sender), boa.reverts("aid: only by vote"):
        c.aid.end_claim(cid)


def test_end_needs_a_running_claim(c, founders, member):
    cid = file(c, member, ONE // 4, 4)
    with boa.reverts("aid: claim not running"):
        govern(c, [action(c.aid, "end_claim", cid)], founders[1], founders[1:])
    with boa.reverts("aid: unknown claim"):
        govern(c, [action(c.aid, "end_claim", claim_id(4, 1))], founders[2], founders[1:])


# --- stop -----------------------------------------------------------------------------------


def test_anyone_stops_the_claim_of_a_member_who_left(c, member, outsider):
    cid = approved(c, member, ONE // 4, 4)
    to_next_month()
    with boa.env.prank(outsider), boa.reverts("aid: claimant is a member"):
        c.aid.stop(cid, member)
    with boa.env.prank(member):
        c.governor.resign()
    with boa.env.prank(outsider):
        c.aid.stop(cid, member)
    (ev,) = events(c.aid, "ClaimEnded")
    assert (ev.claim_id, ev.proposal_id, ev.months_due) == (cid, 0, 1)
    assert c.aid.state(cid) == ENDED
    with boa.env.prank(outsider), boa.reverts("aid: claim not running"):
        c.aid.stop(cid, member)


def test_stop_checks_the_claimant(c, founders, member, outsider):
    cid = approved(c, member, ONE // 4, 4)
    with boa.env.prank(founders[1]):
        c.governor.resign()
    with boa.env.prank(outsider), boa.reverts("aid: not the claimant"):
        c.aid.stop(cid, founders[1])


# --- award ----------------------------------------------------------------------------------


def test_award_by_vote(c, founders, member):
    now_month = month_now()
    pid = govern(c, [action(c.aid, "award", member, EQUIPMENT, 2 * ONE, 2, EVIDENCE)], founders[1], founders[1:])
    logs = {type(e).__name__: e for e in c.governor.get_logs()}
    cid = logs["ClaimFiled"].claim_id
    assert cid == claim_id(0, 1)
    assert (logs["ClaimFiled"].member, logs["ClaimFiled"].monthly, logs["ClaimFiled"].small) == (member, 2 * ONE, False)
    assert (logs["ClaimAwarded"].claim_id, logs["ClaimAwarded"].proposal_id) == (cid, pid)
    assert logs["ClaimDecided"].outcome == APPROVED
    v = c.aid.claim(cid)
    assert (v.state, v.monthly, v.months_due) == (APPROVED, 2 * ONE, 2)
    assert v.first_month >= now_month + 1
    to_next_month()
    assert withdraw(c, member, cid) > 0


def test_award_respects_caps_and_the_open_claim(c, founders, member, outsider):
    # each refused execution leaves its proposal queued: a new proposer each time
    act = action(c.aid, "award", member, EQUIPMENT, 4 * ONE, 2, EVIDENCE)
    with boa.reverts("aid: over the claim cap"):
        govern(c, [act], founders[1], founders[1:])
    act = action(c.aid, "award", member, 7, ONE, 1, EVIDENCE)
    with boa.reverts("aid: category not enabled"):
        govern(c, [act], founders[2], founders[1:])
    act = action(c.aid, "award", outsider, EQUIPMENT, ONE, 1, EVIDENCE)
    with boa.reverts("aid: not a member"):
        govern(c, [act], founders[3], founders[1:])
    file(c, member, ONE // 4)
    act = action(c.aid, "award", member, EQUIPMENT, ONE, 1, EVIDENCE)
    with boa.reverts("aid: claim already open"):
        govern(c, [act], founders[4], founders[1:])


def test_award_only_by_vote(c, member):
    with boa.env.prank(member), boa.reverts("aid: only by vote"):
        c.aid.award(member, EQUIPMENT, ONE, 1, EVIDENCE)
    with boa.env.prank(c.governor.address), boa.reverts("aid: only by vote"):
        c.aid.award(member, EQUIPMENT, ONE, 1, EVIDENCE)
    assert c.treasury.pool(ETH) > 0
