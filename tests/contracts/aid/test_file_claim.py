"""`file_claim`: who may file, what is checked (categories, duration, caps, one open claim,
deposit), what is recorded (claim view, event)."""

import boa
import pytest
from utils.aid import (
    AGAINST,
    APPROVED,
    CONTEST,
    EQUIPMENT,
    EVIDENCE,
    FOR,
    ILLNESS,
    ONE,
    VOTING,
    approved_small,
    claim_id,
    file,
    set_terms,
    to_next_month,
    withdraw,
)
from utils.boa_stack import DAY, action, events, govern, travel


def test_small_claim_enters_its_contest_window(c, member):
    now = boa.env.timestamp
    cid = file(c, member, ONE // 2, 1, EQUIPMENT)
    assert cid == claim_id(0, 1)
    (ev,) = events(c.aid, "ClaimFiled")
    assert (ev.claim_id, ev.member, ev.category, ev.monthly, ev.months) == (cid, member, EQUIPMENT, ONE // 2, 1)
    assert (ev.evidence, ev.terms_version, ev.small) == (EVIDENCE, 1, True)
    v = c.aid.claim(cid)
    assert (v.claimant_index, v.state, v.category, v.monthly, v.months, v.terms_version) == (
        0,
        CONTEST,
        EQUIPMENT,
        ONE // 2,
        1,
        1,
    )
    assert (v.filed, v.snapshot, v.contest_end, v.vote_end) == (now, now - 1, now + 3 * DAY, now + 7 * DAY)
    assert (v.votes_for, v.votes_against, v.small, v.deposit_held) == (0, 0, True, False)
    assert (v.first_month, v.months_due, v.months_settled) == (0, 0, 0)
    assert c.aid.state(cid) == CONTEST
    assert c.aid.member_window(0).claims == 1


def test_larger_claim_goes_to_a_vote_at_once(c, member):
    now = boa.env.timestamp
    cid = file(c, member, ONE // 2, 3)  # 1.5 ETH > auto-approval threshold of 1 ETH
    assert events(c.aid, "ClaimFiled")[0].small is False
    v = c.aid.claim(cid)
    assert (v.state, v.small, v.contest_end, v.vote_end) == (VOTING, False, 0, now + 4 * DAY)


def test_claim_at_the_auto_approval_threshold_is_small(c, member):
    cid = file(c, member, ONE // 4, 4)  # exactly 1 ETH
    assert c.aid.claim(cid).small


def test_the_claim_number_grows_per_member(c, founders, member):
    first = approved_small(c, member, ONE // 10)
    assert first == claim_id(0, 1)
    other = file(c, founders[3], ONE // 10)
    assert other == claim_id(3, 1)
    to_next_month()
    withdraw(c, member, first)
    second = file(c, member, ONE // 10)
    assert second == claim_id(0, 2)
    assert c.aid.member_window(0).claims == 2
    with boa.reverts("aid: unknown claim"):
        c.aid.claim(first)  # only the latest claim of a member is stored; events keep the rest


@pytest.mark.parametrize(
    "category,monthly,months,reason",
    [
        (5, ONE // 10, 1, "aid: category not enabled"),
        (8, ONE // 10, 1, "aid: category not enabled"),
        (2**255, ONE // 10, 1, "aid: category not enabled"),
        (ILLNESS, 0, 1, "aid: zero amount"),
        (ILLNESS, ONE // 10, 0, "aid: zero months"),
        (ILLNESS, ONE // 100, 13, "aid: too many months"),
        (ILLNESS, 3 * ONE, 3, "aid: over the claim cap"),
        (ILLNESS, 6 * ONE + 1, 1, "aid: over the claim cap"),
        (ILLNESS, 2**72, 1, "aid: over the claim cap"),
    ],
)
def test_request_checks(c, member, category, monthly, months, reason):
    with boa.env.prank(member), boa.reverts(reason):
        c.aid.file_claim(category, monthly, months, EVIDENCE)


def test_claim_cap_is_inclusive(c, member):
    cid = file(c, member, 2 * ONE, 3)
    assert c.aid.claim(cid).monthly * c.aid.claim(cid).months == 6 * ONE


def test_outsider_cannot_file(c, outsider):
    with boa.env.prank(outsider), boa.reverts("aid: not a member"):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)


def test_member_in_arrears_cannot_file(world, stack, organizer):
    from utils.aid import build_world

    founders = [boa.env.generate_address(f"late{i}") for i in range(3)]
    w = build_world(stack, founders, organizer)
    # the late founders paid three years; move past it and the grace
    travel(36 * 30 * DAY)
    with boa.env.prank(founders[0]), boa.reverts("aid: dues in arrears"):
        w.c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)


def test_waiting_period(c, founders, outsider, member):
    # admit the outsider by vote, then file at once, and just before / at the waiting period
    govern(c, [action(c.governor, "admit_member", outsider)], founders[0], founders)
    with boa.env.prank(outsider):
        c.treasury.pay_dues(outsider, 3, value=3 * c.treasury.dues_amount())
    with boa.env.prank(outsider), boa.reverts("aid: waiting period not over"):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)
    travel(30 * DAY - 1)
    with boa.env.prank(outsider), boa.reverts("aid: waiting period not over"):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)
    travel(1)
    file(c, outsider, ONE // 10)


def test_one_open_claim(c, member):
    cid = file(c, member, ONE // 10)
    with boa.env.prank(member), boa.reverts("aid: claim already open"):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)
    travel(3 * DAY)
    c.aid.settle(cid)  # approved; its instalment is still to withdraw
    with boa.env.prank(member), boa.reverts("aid: claim already open"):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)
    to_next_month()
    withdraw(c, member, cid)
    assert c.aid.claim(cid).state == APPROVED
    file(c, member, ONE // 10)


def test_a_claim_closes_when_its_last_instalment_lapses(c, member):
    cid = approved_small(c, member, ONE // 10)
    to_next_month()  # its month
    to_next_month()  # its unclaimed window (one month)
    with boa.env.prank(member), boa.reverts("aid: claim already open"):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)
    to_next_month()  # lapsed
    assert c.aid.claim(cid).months_settled == 0
    file(c, member, ONE // 10)


def test_a_denied_claim_is_closed(c, member, voters):
    cid = file(c, member, ONE, 2)
    for v in voters[:2]:
        with boa.env.prank(v):
            c.aid.vote(cid, 0)
    travel(4 * DAY)
    c.aid.settle(cid)
    file(c, member, ONE // 10)


def _approve_by_vote(c, founders, cid):
    """Two For votes from founders other than the claimant, then the vote ends and is settled."""
    voters = [a for a in founders if c.governor.roll_index(a) != cid >> 16][:2]
    for v in voters:
        with boa.env.prank(v):
            c.aid.vote(cid, FOR)
    travel(4 * DAY)
    c.aid.settle(cid)
    assert c.aid.claim(cid).state == APPROVED


def _finish(c, member, cid):
    """Withdraws month by month until every instalment is settled."""
    while c.aid.claim(cid).months_settled < c.aid.claim(cid).months_due:
        to_next_month()
        withdraw(c, member, cid)


def test_member_cap_counts_approved_claims_of_the_window(c, founders, member):
    # 8 ETH a year: 6 approved, then 2 more fit and 2 + 2 wei do not
    cid = file(c, member, 2 * ONE, 3)
    _approve_by_vote(c, founders, cid)
    assert c.aid.member_window(0).window_total == 6 * ONE
    _finish(c, member, cid)
    with boa.env.prank(member), boa.reverts("aid: over the member cap"):
        c.aid.file_claim(ILLNESS, ONE + 1, 2, EVIDENCE)
    file(c, member, ONE, 2)


def test_window_reopens_a_year_after_its_first_claim(c, founders, member):
    cid = file(c, member, 2 * ONE, 3)
    start = c.aid.claim(cid).filed
    _approve_by_vote(c, founders, cid)
    _finish(c, member, cid)
    with boa.env.prank(member), boa.reverts("aid: over the member cap"):
        c.aid.file_claim(ILLNESS, ONE, 3, EVIDENCE)
    travel(start + 365 * DAY - boa.env.timestamp)
    later = file(c, member, 2 * ONE, 3)
    _approve_by_vote(c, founders, later)
    w = c.aid.member_window(0)
    assert (w.window_start, w.window_total) == (c.aid.claim(later).filed, 6 * ONE)


def test_denied_claims_do_not_count_in_the_window(c, founders, member):
    cid = file(c, member, 2 * ONE, 3)
    for v in founders[1:3]:
        with boa.env.prank(v):
            c.aid.vote(cid, AGAINST)
    travel(4 * DAY)
    c.aid.settle(cid)
    assert c.aid.member_window(0).window_total == 0
    file(c, member, 2 * ONE, 3)


def test_terms_without_caps_refuse_every_claim(fresh):
    c, member = fresh.c, fresh.founders[0]
    travel(31 * DAY)
    with boa.env.prank(member):
        c.treasury.pay_dues(member, 3, value=3 * c.treasury.dues_amount())
    with boa.env.prank(member), boa.reverts("aid: over the claim cap"):
        c.aid.file_claim(ILLNESS, 1, 1, EVIDENCE)


def test_a_claim_keeps_the_terms_it_was_filed_under(world, c, member):
    cid = file(c, member, ONE // 2, 1)
    set_terms(world, contest_window=DAY, auto_approve_max=0)
    v = c.aid.claim(cid)
    assert (v.terms_version, v.small) == (1, True)
    assert v.contest_end - v.filed == 3 * DAY


def test_a_category_past_the_mask_is_refused_whatever_the_deposit(world, c, member):
    """Categories 8 and up would read the deposit's bits (the next field of the terms word)."""
    set_terms(world, deposit=0xFF)  # bits 0-7 of the deposit set: "categories" 8 to 15
    for category in (8, 15):
        with boa.env.prank(member), boa.reverts("aid: category not enabled"):
            c.aid.file_claim(category, ONE // 10, 1, EVIDENCE, value=0xFF)
    with boa.env.prank(member):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE, value=0xFF)  # an enabled one, deposit paid
