"""The membership roll: admission, revocation, resignation, dues, history and the snapshot rule."""

import boa
from utils.boa_stack import at, events
from utils.constants import ACTIVE, AGAINST, DAY, FOR, PERIOD, SETTINGS, ZERO


def _member(gov, who):
    """member(who) without the fields these tests do not look at: (is_member, index, joined, left, paid_through)."""
    m = gov.member(who)
    return (m.is_member, m.index, m.joined, m.left, m.paid_through)


def _start_slow(c, h, proposer, voters, actions):
    """Propose `actions` and vote them For; voting stays open. Returns the id."""
    gov = c.governor
    pid = h.propose(c, proposer, actions)
    at(gov.proposal(pid).vote_start - 1)
    for v in voters:
        gov.cast_vote(pid, FOR, sender=v)
    # half a day later: a proposal made now is still active when this one executes
    at(gov.proposal(pid).vote_start + DAY // 2)
    return pid


def _finish_slow(c, pid, actions, sender):
    """Close, queue and execute a proposal started with _start_slow, at the earliest time."""
    gov = c.governor
    at(gov.proposal(pid).vote_end)
    gov.queue(pid, sender=sender)
    at(gov.proposal(pid).eta - 1)
    gov.execute(pid, list(actions), sender=sender)


def _admit(c, h, who):
    return h.action(c.governor, "admit_member", getattr(who, "address", who))


def _revoke(c, h, who):
    return h.action(c.governor, "revoke_member", getattr(who, "address", who))


# --- founders -------------------------------------------------------------


def test_founders_are_admitted_at_creation(collective, founders):
    c = collective
    gov = c.governor
    t0 = c.created
    assert events(c.logs, "MemberAdmitted") == [
        dict(member=f.address, index=i, paid_through=t0, member_count=i + 1) for i, f in enumerate(founders)
    ]
    assert events(c.logs, "Transfer", emitter=c.card) == [
        dict(sender=ZERO, receiver=f.address, token_id=int(f.address, 16)) for f in founders
    ]
    for i, f in enumerate(founders):
        assert _member(gov, f) == (True, i, t0, 0, t0)
        assert gov.is_member(f)
        assert gov.paid_through(f) == t0
    assert gov.member_count() == 3
    assert gov.roll_size() == 3
    assert [gov.roll_index(f) for f in founders] == [0, 1, 2]


def test_duplicate_founder_reverts(create, founders):
    with boa.reverts("governor: already a member"):
        create(founders=[founders[0], founders[1], founders[0]])


def test_zero_address_founder_reverts(create, founders):
    with boa.reverts("governor: zero address"):
        create(founders=[founders[0], ZERO])


# --- admit_member ---------------------------------------------------------


def test_admit_member_by_vote(collective, founders, newcomer, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    h.pass_proposal(c, founders[0], founders[:2], [_admit(c, h, newcomer)])
    t = boa.env.timestamp
    assert events(gov, "MemberAdmitted") == [dict(member=newcomer.address, index=3, paid_through=t, member_count=4)]
    assert events(gov, "Transfer", emitter=c.card) == [
        dict(sender=ZERO, receiver=newcomer.address, token_id=int(newcomer.address, 16))
    ]
    assert _member(gov, newcomer) == (True, 3, t, 0, t)
    assert gov.is_member(newcomer)
    assert gov.in_good_standing(newcomer)
    assert gov.member_count() == 4
    assert gov.roll_size() == 4
    assert c.card.balanceOf(newcomer) == 1


def test_admit_member_directly_reverts(collective, member, outsider, newcomer):
    with boa.reverts("governor: only by vote"):
        collective.governor.admit_member(newcomer, sender=member)
    with boa.reverts("governor: only by vote"):
        collective.governor.admit_member(outsider, sender=outsider)


def test_admit_existing_member_reverts_at_execution(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    with boa.reverts("governor: already a member"):
        h.pass_proposal(c, founders[0], founders[:2], [_admit(c, h, founders[2])])


def test_admit_zero_address_reverts_at_execution(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    with boa.reverts("governor: zero address"):
        h.pass_proposal(c, founders[0], founders[:2], [h.action(c.governor, "admit_member", ZERO)])


def test_new_member_after_readmission_gets_next_index(collective, founders, newcomer, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    gov.resign(sender=founders[1])
    h.pass_proposal(c, founders[0], [founders[0], founders[2]], [_admit(c, h, founders[1]), _admit(c, h, newcomer)])
    assert gov.member(founders[1]).index == 1
    assert gov.member(newcomer).index == 3
    assert gov.roll_size() == 4


# --- revoke_member --------------------------------------------------------


def test_revoke_member_by_vote(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    t0 = c.created
    h.pass_proposal(c, founders[0], founders, [_revoke(c, h, founders[2])])
    t = boa.env.timestamp
    assert events(gov, "MemberLeft") == [dict(member=founders[2].address, resigned=False, member_count=2)]
    assert events(gov, "Transfer", emitter=c.card) == [
        dict(sender=founders[2].address, receiver=ZERO, token_id=int(founders[2].address, 16))
    ]
    assert _member(gov, founders[2]) == (False, 2, t0, t, t0)
    assert not gov.is_member(founders[2])
    assert not gov.in_good_standing(founders[2])
    assert gov.member_count() == 2
    assert c.card.balanceOf(founders[2]) == 0


def test_revoke_member_directly_reverts(collective, founders):
    with boa.reverts("governor: only by vote"):
        collective.governor.revoke_member(founders[2], sender=founders[0])


def test_revoke_non_member_reverts_at_execution(collective, founders, outsider, gov_helpers):
    c, h = collective, gov_helpers
    with boa.reverts("governor: not a member"):
        h.pass_proposal(c, founders[0], founders, [_revoke(c, h, outsider)])


# --- resign ---------------------------------------------------------------


def test_resign(collective, founders):
    c = collective
    gov = c.governor
    t0 = c.created
    gov.resign(sender=founders[1])
    assert events(gov, "MemberLeft") == [dict(member=founders[1].address, resigned=True, member_count=2)]
    assert events(gov, "Transfer", emitter=c.card) == [
        dict(sender=founders[1].address, receiver=ZERO, token_id=int(founders[1].address, 16))
    ]
    assert _member(gov, founders[1]) == (False, 1, t0, boa.env.timestamp, t0)
    assert gov.member_count() == 2
    assert gov.is_member(founders[0]) and gov.is_member(founders[2])


def test_last_member_may_resign(collective, founders):
    gov = collective.governor
    for f in founders:
        gov.resign(sender=f)
    assert gov.member_count() == 0


def test_resign_by_outsider_reverts(collective, outsider):
    with boa.reverts("governor: not a member"):
        collective.governor.resign(sender=outsider)


def test_resign_twice_reverts(collective, member):
    collective.governor.resign(sender=member)
    with boa.reverts("governor: not a member"):
        collective.governor.resign(sender=member)


# --- credit_dues ----------------------------------------------------------


def test_dues_payment_credits_whole_periods(collective, member, outsider, gov_helpers):
    c = collective
    gov = c.governor
    t0 = c.created
    gov_helpers.pay_dues(c, outsider, member, periods=3)  # a sponsor pays
    assert events(c.treasury, "DuesCredited") == [
        dict(member=member.address, paid_through_before=t0, paid_through_after=t0 + 3 * PERIOD)
    ]
    assert gov.paid_through(member) == t0 + 3 * PERIOD
    assert gov.member(member).paid_through == t0 + 3 * PERIOD
    gov_helpers.pay_dues(c, member, member)
    assert events(c.treasury, "DuesCredited")[0]["paid_through_before"] == t0 + 3 * PERIOD
    assert gov.paid_through(member) == t0 + 4 * PERIOD


def test_late_payment_extends_from_paid_through_not_from_now(collective, member, gov_helpers):
    c = collective
    t0 = c.created
    gov_helpers.travel(40 * DAY)
    gov_helpers.pay_dues(c, member, member)
    assert c.governor.paid_through(member) == t0 + PERIOD
    assert not c.governor.in_good_standing(member)


def test_credit_dues_directly_reverts(collective, member, outsider):
    with boa.reverts("governor: only the treasury"):
        collective.governor.credit_dues(member, PERIOD, sender=member)
    with boa.reverts("governor: only the treasury"):
        collective.governor.credit_dues(member, PERIOD, sender=outsider)


def test_dues_for_outsider_revert(collective, outsider, gov_helpers):
    with boa.reverts("governor: not a member"):
        gov_helpers.pay_dues(collective, outsider, outsider)


def test_dues_for_former_member_revert(collective, founders, gov_helpers):
    collective.governor.resign(sender=founders[2])
    with boa.reverts("governor: not a member"):
        gov_helpers.pay_dues(collective, founders[0], founders[2])


def test_prepaying_more_than_a_century_reverts(create, member):
    c = create(dues_amount=1, dues_period=365 * DAY)
    gov = c.governor
    t0 = c.created
    c.treasury.pay_dues(member, 100, sender=member, value=100)  # exactly 100 years from t0: allowed
    assert gov.paid_through(member) == t0 + 100 * 365 * DAY
    with boa.reverts("governor: prepaid too far ahead"):
        c.treasury.pay_dues(member, 1, sender=member, value=1)
    assert gov.paid_through(member) == t0 + 100 * 365 * DAY


# --- history --------------------------------------------------------------


def test_views_for_someone_never_on_the_roll(collective, outsider):
    gov = collective.governor
    t0 = collective.created
    assert _member(gov, outsider) == (False, 0, 0, 0, 0)
    assert not gov.is_member(outsider)
    assert gov.paid_through(outsider) == 0
    assert not gov.was_member_at(outsider, t0)
    assert not gov.eligible_at(outsider, t0)
    assert gov.member_count_at(t0 - 1) == 0
    assert gov.member_count_at(0) == 0
    with boa.reverts("governor: never a member"):
        gov.roll_index(outsider)


def test_history_across_several_terms(collective, founders, newcomer, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    f2 = founders[2]
    for f in founders[:2]:
        h.pay_dues(c, f, f, periods=2)
    t0 = c.created
    gov.resign(sender=f2)
    r1 = boa.env.timestamp
    h.travel(10)
    h.pass_proposal(c, founders[0], founders[:2], [_admit(c, h, f2), _admit(c, h, newcomer)])
    a1 = boa.env.timestamp
    h.travel(10)
    gov.resign(sender=f2)
    r2 = boa.env.timestamp
    h.travel(10)
    h.pass_proposal(c, founders[1], founders[:2], [_admit(c, h, f2)])
    a2 = boa.env.timestamp
    h.travel(10)
    h.pass_proposal(c, founders[0], founders[:2], [_revoke(c, h, f2)])
    r3 = boa.env.timestamp
    h.travel(10)

    expected_f2 = {
        t0 - 1: False, t0: True, r1 - 1: True, r1: False, a1 - 1: False, a1: True,
        r2 - 1: True, r2: False, a2 - 1: False, a2: True, r3 - 1: True, r3: False, r3 + 5: False,
    }  # fmt: skip
    assert {t: gov.was_member_at(f2, t) for t in expected_f2} == expected_f2
    assert gov.was_member_at(founders[0], r3)
    assert not gov.was_member_at(newcomer, a1 - 1) and gov.was_member_at(newcomer, a1)
    expected_count = {
        t0 - 1: 0, t0: 3, r1 - 1: 3, r1: 2, a1: 4, r2 - 1: 4, r2: 3, a2 - 1: 3, a2: 4, r3: 3, r3 + 5: 3,
    }  # fmt: skip
    assert {t: gov.member_count_at(t) for t in expected_count} == expected_count
    assert _member(gov, f2) == (False, 2, a2, r3, a2)
    assert gov.member(f2).past_terms == 2
    assert c.card.held_at(f2, a1) and not c.card.held_at(f2, r2)


def test_eligible_at_follows_each_terms_dues(collective, founders, gov_helpers):
    # eligible_at(account, t): a card at the end of t and that term's paid-through + grace >= t
    c, h = collective, gov_helpers
    gov = c.governor
    t0 = c.created
    f2 = founders[2]
    assert gov.eligible_at(f2, t0)
    assert gov.eligible_at(f2, t0 + SETTINGS.dues_grace)
    assert not gov.eligible_at(f2, t0 + SETTINGS.dues_grace + 1)  # in arrears then
    assert not gov.eligible_at(f2, t0 - 1)  # before the first term
    gov.resign(sender=f2)
    left = boa.env.timestamp
    assert gov.eligible_at(f2, left - 1) and not gov.eligible_at(f2, left)
    h.travel(40 * DAY)
    h.pay_dues(c, founders[0], founders[0], periods=2)
    h.pay_dues(c, founders[1], founders[1], periods=2)
    h.pass_proposal(c, founders[0], founders[:2], [_admit(c, h, f2)])
    back = boa.env.timestamp
    assert gov.eligible_at(f2, back) and not gov.eligible_at(f2, back - 1)
    assert gov.eligible_at(f2, t0)  # the finished term is judged by its own paid-through


def test_eligible_index_at_is_eligible_at_and_the_index_in_one_call(collective, founders, outsider, gov_helpers):
    """1 + the roll index when eligible_at holds, 0 otherwise (also for one never admitted)."""
    c, h = collective, gov_helpers
    gov = c.governor
    t0 = c.created
    for moment in (t0 - 1, t0, t0 + SETTINGS.dues_grace, t0 + SETTINGS.dues_grace + 1):
        for f in founders:
            expected = gov.roll_index(f) + 1 if gov.eligible_at(f, moment) else 0
            assert gov.eligible_index_at(f, moment) == expected
    assert gov.eligible_index_at(founders[0], t0) == 1  # index 0 is not "no"
    assert gov.eligible_index_at(outsider, t0) == 0
    f2 = founders[2]
    gov.resign(sender=f2)
    left = boa.env.timestamp
    h.travel(DAY)
    assert gov.eligible_index_at(f2, left - 1) == 3 and gov.eligible_index_at(f2, left) == 0


def test_readmission_keeps_index_and_later_paid_through(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    t0 = c.created
    f1 = founders[1]
    h.pay_dues(c, f1, f1, periods=2)  # prepaid to t0 + 60 days
    gov.resign(sender=f1)
    h.pass_proposal(c, founders[0], [founders[0], founders[2]], [_admit(c, h, f1)])
    assert events(gov, "MemberAdmitted") == [
        dict(member=f1.address, index=1, paid_through=t0 + 2 * PERIOD, member_count=3)
    ]
    assert _member(gov, f1) == (True, 1, boa.env.timestamp, 0, t0 + 2 * PERIOD)


def test_readmission_after_lapse_is_paid_from_now(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    h.pay_dues(c, founders[0], founders[0])
    h.pay_dues(c, founders[1], founders[1])
    gov.resign(sender=founders[2])
    h.travel(SETTINGS.dues_grace)
    h.pass_proposal(c, founders[0], founders[:2], [_admit(c, h, founders[2])])
    assert events(gov, "MemberAdmitted")[0]["paid_through"] == boa.env.timestamp
    assert gov.paid_through(founders[2]) == boa.env.timestamp


# --- snapshot rule --------------------------------------------------------


def test_admitted_after_snapshot_does_not_count(collective, founders, newcomer, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    acts = [_admit(c, h, newcomer)]
    a = _start_slow(c, h, founders[0], founders[:2], acts)
    p = h.propose(c, founders[1])
    _finish_slow(c, a, acts, founders[0])
    assert gov.is_member(newcomer)
    assert gov.state(p) == ACTIVE
    assert not gov.can_vote(p, newcomer)
    with boa.reverts("governor: not a member at snapshot"):
        gov.cast_vote(p, FOR, sender=newcomer)
    assert gov.proposal(p).quorum_base == 3


def test_revoked_after_snapshot_still_votes(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    acts = [_revoke(c, h, founders[2])]
    a = _start_slow(c, h, founders[0], founders[:2], acts)
    p = h.propose(c, founders[1])
    _finish_slow(c, a, acts, founders[0])
    assert not gov.is_member(founders[2])
    assert gov.can_vote(p, founders[2])
    gov.cast_vote(p, FOR, sender=founders[2])
    assert events(gov, "VoteCast") == [dict(voter=founders[2].address, proposal_id=p, support=FOR)]


def test_resigned_after_snapshot_still_votes(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    p = h.propose(c, founders[0])
    gov.resign(sender=founders[2])
    h.open_voting(c)
    assert gov.can_vote(p, founders[2])
    gov.cast_vote(p, FOR, sender=founders[2])
    assert gov.proposal(p).votes_for == 1


def test_lapsed_after_snapshot_keeps_vote(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    h.travel(SETTINGS.dues_grace - 10)
    p = h.propose(c, founders[0])
    assert gov.in_good_standing(founders[1])
    h.travel(20)
    assert not gov.in_good_standing(founders[1])
    assert gov.can_vote(p, founders[1])


def test_not_a_member_in_the_gap_between_terms(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    acts = [_admit(c, h, founders[2])]
    a = _start_slow(c, h, founders[0], founders[:2], acts)
    gov.resign(sender=founders[2])
    h.travel(1)
    p = h.propose(c, founders[1])
    _finish_slow(c, a, acts, founders[0])
    assert gov.is_member(founders[2])
    assert not gov.was_member_at(founders[2], gov.proposal(p).snapshot)
    with boa.reverts("governor: not a member at snapshot"):
        gov.cast_vote(p, FOR, sender=founders[2])


def test_readmitted_member_keeps_earlier_vote_right(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    acts = [_admit(c, h, founders[2])]
    a = _start_slow(c, h, founders[0], founders[:2], acts)
    p = h.propose(c, founders[1])
    gov.resign(sender=founders[2])
    _finish_slow(c, a, acts, founders[0])
    gov.cast_vote(p, FOR, sender=founders[2])
    assert gov.has_voted(p, founders[2])


def test_readmission_does_not_allow_a_second_vote(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    acts = [_admit(c, h, founders[2])]
    a = _start_slow(c, h, founders[0], founders[:2], acts)
    p = h.propose(c, founders[1])
    h.open_voting(c)
    gov.cast_vote(p, FOR, sender=founders[2])
    gov.resign(sender=founders[2])
    _finish_slow(c, a, acts, founders[0])
    assert gov.member(founders[2]).index == 2
    assert gov.has_voted(p, founders[2])
    with boa.reverts("governor: already voted"):
        gov.cast_vote(p, AGAINST, sender=founders[2])
    facts = gov.proposal(p)
    assert (facts.votes_for, facts.votes_against, facts.votes_abstain) == (1, 0, 0)


def test_arrears_paid_later_restore_the_vote(collective, founders, outsider, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    h.pay_dues(c, founders[0], founders[0])
    h.travel(SETTINGS.dues_grace + 10)
    p = h.propose(c, founders[0])
    h.open_voting(c)
    assert not gov.can_vote(p, founders[1])
    with boa.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote(p, FOR, sender=founders[1])
    h.pay_dues(c, outsider, founders[1])
    assert gov.can_vote(p, founders[1])
    gov.cast_vote(p, FOR, sender=founders[1])
    assert gov.has_voted(p, founders[1])


def test_payment_that_does_not_reach_the_snapshot_does_not_restore(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    h.pay_dues(c, founders[0], founders[0], periods=2)
    h.travel(PERIOD + SETTINGS.dues_grace + DAY)
    p = h.propose(c, founders[0])
    h.open_voting(c)
    h.pay_dues(c, founders[1], founders[1])  # paid through t0 + 30d; + 7d grace < snapshot
    assert not gov.can_vote(p, founders[1])
    with boa.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote(p, FOR, sender=founders[1])
    h.pay_dues(c, founders[1], founders[1])
    assert gov.can_vote(p, founders[1])


def test_readmission_does_not_waive_arrears_at_an_earlier_snapshot(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    gov = c.governor
    for f in founders[:2]:
        h.pay_dues(c, f, f)
    h.travel(SETTINGS.dues_grace + DAY)  # founder 2 is now in arrears
    acts = [_admit(c, h, founders[2])]
    a = _start_slow(c, h, founders[0], founders[:2], acts)
    p = h.propose(c, founders[1])
    assert not gov.can_vote(p, founders[2])  # card at the snapshot, dues not covering it
    gov.resign(sender=founders[2])
    _finish_slow(c, a, acts, founders[0])
    # nothing was paid for the period of the snapshot
    assert not gov.can_vote(p, founders[2])
    with boa.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote(p, FOR, sender=founders[2])
