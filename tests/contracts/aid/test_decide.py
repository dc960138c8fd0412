"""`object`, `vote`, `settle`: the contest window, objections, the claim vote, the decision,
`state` and `objected` along the way."""

import boa
import pytest
from utils.aid import (
    AGAINST,
    APPROVED,
    CONTEST,
    DECIDABLE,
    DENIED,
    FOR,
    ONE,
    TIED,
    VOTING,
    claim_id,
    file,
    month_now,
    obj,
    set_terms,
    vote,
)
from utils.boa_stack import DAY, action, events, govern, travel


@pytest.fixture
def small(c, member):
    return file(c, member, ONE // 2)


@pytest.fixture
def large(c, member):
    return file(c, member, ONE // 2, 4)


# --- object ---------------------------------------------------------------------------------


def test_object_counts_an_against_ballot(c, small, voters):
    obj(c, voters[0], small)
    (ev,) = events(c.aid, "ClaimObjected")
    assert (ev.claim_id, ev.member) == (small, voters[0])
    v = c.aid.claim(small)
    assert (v.votes_for, v.votes_against) == (0, 1)
    assert c.aid.has_voted(small, c.governor.roll_index(voters[0]))
    assert not c.aid.has_voted(small, c.governor.roll_index(voters[1]))
    assert not c.aid.objected(small)  # two objections (or half of six) needed


def test_object_with_a_reason(c, small, voters):
    obj(c, voters[0], small, "no receipt attached")
    (ev,) = events(c.aid, "ClaimReason")
    assert (ev.claim_id, ev.member, ev.reason) == (small, voters[0], "no receipt attached")


def test_two_objections_reach_the_threshold(c, small, voters):
    obj(c, voters[0], small)
    obj(c, voters[1], small)
    assert c.aid.objected(small)
    assert c.aid.state(small) == CONTEST
    travel(3 * DAY)
    assert c.aid.state(small) == VOTING


def test_the_share_threshold(world, c, member, voters):
    # min 5 objections or 30 % of the six members at the snapshot (1.8): two objections
    set_terms(world, min_objections=5, objection_bps=3_000)
    cid = file(c, member, ONE // 2)
    obj(c, voters[0], cid)
    assert not c.aid.objected(cid)
    obj(c, voters[1], cid)
    assert c.aid.objected(cid)


def test_object_only_in_the_contest_window(c, small, voters):
    travel(3 * DAY - 1)
    obj(c, voters[0], small)
    travel(1)
    with boa.env.prank(voters[1]), boa.reverts("aid: not in its contest window"):
        c.aid.object(small)


def test_a_larger_claim_cannot_be_objected_to(c, large, voters):
    with boa.env.prank(voters[0]), boa.reverts("aid: not in its contest window"):
        c.aid.object(large)


def test_object_checks(c, small, member, voters, outsider):
    with boa.env.prank(voters[0]), boa.reverts("aid: unknown claim"):
        c.aid.object(small + 1)
    with boa.env.prank(voters[0]), boa.reverts("aid: unknown claim"):
        c.aid.object(claim_id(7, 1))
    with boa.env.prank(outsider), boa.reverts("aid: not eligible at snapshot"):
        c.aid.object(small)
    with boa.env.prank(member), boa.reverts("aid: own claim"):
        c.aid.object(small)
    obj(c, voters[0], small)
    with boa.env.prank(voters[0]), boa.reverts("aid: already voted"):
        c.aid.object(small)


def test_the_snapshot_decides_who_may_object(world, c, founders, member, outsider):
    """Admitted after the claim's snapshot: no; left after it: yes."""
    set_terms(world, contest_window=14 * DAY)
    cid = file(c, member, ONE // 2)
    govern(c, [action(c.governor, "admit_member", outsider)], founders[0], founders)
    with boa.env.prank(outsider):
        c.treasury.pay_dues(outsider, 3, value=3 * c.treasury.dues_amount())
    with boa.env.prank(outsider), boa.reverts("aid: not eligible at snapshot"):
        c.aid.object(cid)
    with boa.env.prank(founders[3]):
        c.governor.resign()
    obj(c, founders[3], cid)
    assert c.aid.claim(cid).votes_against == 1


# --- vote -----------------------------------------------------------------------------------


def test_vote_on_a_larger_claim(c, large, voters):
    vote(c, voters[0], large, FOR)
    (ev,) = events(c.aid, "ClaimSupported")
    assert (ev.claim_id, ev.member) == (large, voters[0])
    vote(c, voters[1], large, AGAINST, "too much")
    assert [type(e).__name__ for e in c.aid.get_logs()] == ["ClaimObjected", "ClaimReason"]
    v = c.aid.claim(large)
    assert (v.votes_for, v.votes_against) == (1, 1)


def test_vote_window_of_a_larger_claim(c, large, voters):
    travel(4 * DAY - 1)
    vote(c, voters[0], large, FOR)
    travel(1)
    with boa.env.prank(voters[1]), boa.reverts("aid: vote closed"):
        c.aid.vote(large, FOR)
    assert c.aid.state(large) == DECIDABLE


def test_an_objected_claim_is_voted_after_its_contest_window(c, small, voters):
    obj(c, voters[0], small)
    obj(c, voters[1], small)
    with boa.env.prank(voters[2]), boa.reverts("aid: contest window open"):
        c.aid.vote(small, FOR)
    travel(3 * DAY)
    vote(c, voters[2], small, FOR)
    assert c.aid.state(small) == VOTING
    with boa.env.prank(voters[0]), boa.reverts("aid: already voted"):
        c.aid.vote(small, FOR)  # an objection was this member's Against vote
    travel(4 * DAY - 1)
    vote(c, voters[3], small, FOR)
    travel(1)
    with boa.env.prank(voters[4]), boa.reverts("aid: vote closed"):
        c.aid.vote(small, FOR)


def test_an_unobjected_claim_has_no_vote(c, small, voters):
    obj(c, voters[0], small)
    travel(3 * DAY)
    with boa.env.prank(voters[1]), boa.reverts("aid: claim not objected"):
        c.aid.vote(small, FOR)
    assert c.aid.state(small) == DECIDABLE


def test_vote_checks(c, large, member, voters, outsider):
    with boa.env.prank(voters[0]), boa.reverts("aid: invalid support"):
        c.aid.vote(large, 2)
    with boa.env.prank(outsider), boa.reverts("aid: not eligible at snapshot"):
        c.aid.vote(large, FOR)
    with boa.env.prank(member), boa.reverts("aid: own claim"):
        c.aid.vote(large, FOR)
    with boa.env.prank(voters[0]), boa.reverts("aid: unknown claim"):
        c.aid.vote(large + 1, FOR)
    vote(c, voters[0], large, FOR)
    with boa.env.prank(voters[0]), boa.reverts("aid: already voted"):
        c.aid.vote(large, AGAINST)


def test_no_vote_after_the_decision(c, large, voters):
    vote(c, voters[0], large, FOR)
    vote(c, voters[1], large, FOR)
    travel(4 * DAY)
    c.aid.settle(large)
    with boa.env.prank(voters[2]), boa.reverts("aid: claim decided"):
        c.aid.vote(large, FOR)


# --- settle ---------------------------------------------------------------------------------


def test_silence_approves_a_small_claim(c, small, voters):
    obj(c, voters[0], small)  # one objection is not enough
    with boa.reverts("aid: contest window open"):
        c.aid.settle(small)
    travel(3 * DAY)
    assert c.aid.state(small) == DECIDABLE
    c.aid.settle(small)
    (ev,) = events(c.aid, "ClaimDecided")
    m = month_now()
    assert (ev.claim_id, ev.outcome, ev.votes_for, ev.votes_against, ev.quorum_base) == (small, APPROVED, 0, 1, 0)
    assert (ev.first_month, ev.window_total) == (m + 1, ONE // 2)
    v = c.aid.claim(small)
    assert (v.state, v.first_month, v.months_due, v.months_settled) == (APPROVED, m + 1, 1, 0)
    with boa.reverts("aid: claim decided"):
        c.aid.settle(small)


@pytest.mark.parametrize(
    "ballots,outcome",
    [
        ((FOR, FOR), APPROVED),
        ((FOR, FOR, AGAINST), APPROVED),
        ((FOR, AGAINST), TIED),
        ((AGAINST, AGAINST, FOR), DENIED),
        ((FOR,), TIED),  # one ballot of six members: below the 30 % quorum
        ((AGAINST,), TIED),
        ((), TIED),
    ],
)
def test_the_vote_decides(c, large, voters, ballots, outcome):
    for v, support in zip(voters, ballots):
        vote(c, v, large, support)
    with boa.reverts("aid: vote open"):
        c.aid.settle(large)
    travel(4 * DAY)
    c.aid.settle(large)
    (ev,) = events(c.aid, "ClaimDecided")
    assert (ev.outcome, ev.votes_for, ev.votes_against, ev.quorum_base) == (
        outcome,
        ballots.count(FOR),
        ballots.count(AGAINST),
        6,
    )
    assert c.aid.state(large) == outcome
    assert (c.aid.claim(large).first_month != 0) == (outcome == APPROVED)


def test_objections_count_against_in_the_vote(c, small, voters):
    obj(c, voters[0], small)
    obj(c, voters[1], small)
    travel(3 * DAY)
    vote(c, voters[2], small, FOR)
    vote(c, voters[3], small, FOR)
    with boa.reverts("aid: vote open"):
        c.aid.settle(small)
    travel(4 * DAY)
    c.aid.settle(small)
    (ev,) = events(c.aid, "ClaimDecided")
    assert (ev.outcome, ev.votes_for, ev.votes_against) == (TIED, 2, 2)


def test_an_objected_claim_nobody_votes_on_is_denied(c, small, voters):
    obj(c, voters[0], small)
    obj(c, voters[1], small)
    travel(7 * DAY)
    c.aid.settle(small)
    assert c.aid.state(small) == DENIED


def test_decision_deadlines(c, small, founders):
    # small: 3 days; larger: 4 days (objected small: 7 days)
    large = file(c, founders[5], ONE // 2, 4)
    v_small, v_large = c.aid.claim(small), c.aid.claim(large)
    assert v_small.contest_end - v_small.filed == 3 * DAY
    assert v_large.vote_end - v_large.filed == 4 * DAY
    assert v_small.vote_end - v_small.filed == 7 * DAY


def test_settle_unknown_claim(c):
    with boa.reverts("aid: unknown claim"):
        c.aid.settle(claim_id(3, 1))
