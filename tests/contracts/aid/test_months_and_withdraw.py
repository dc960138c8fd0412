"""Aid months (`open_month`, `month_record`, `monthly_limit`), the throttle and the pro-rata cut,
and `withdraw` (one month, several, lapses, standing, claimant, views)."""

import boa
from utils.aid import (
    AID_MONTH,
    ONE,
    POOL_SEED,
    eth_balance,
    file,
    month_now,
    to_next_month,
    withdraw,
)
from utils.boa_stack import DAY, ETH, action, events, govern, travel


def approve_all(c, claims):
    """Files small claims [(who, monthly, months)] at the start of a month, lets the contest
    window pass and settles them: all start next month. Returns their ids."""
    to_next_month()
    ids = [file(c, who, monthly, months) for who, monthly, months in claims]
    travel(3 * DAY)
    for cid in ids:
        c.aid.settle(cid)
    return ids


def test_month_opens_with_demand_and_allowance(c, founders):
    ids = approve_all(c, [(founders[0], ONE // 2, 1), (founders[1], ONE // 4, 2)])
    assert c.aid.last_opened_month() == month_now()  # the first approval opened this month
    m = to_next_month()
    pool = c.treasury.pool(ETH)
    assert c.aid.monthly_limit() == pool // 6
    c.aid.open_month()
    (ev,) = events(c.aid, "MonthOpened")
    assert (ev.month, ev.pool, ev.divisor, ev.allowed, ev.demand) == (m, pool, 6, 3 * ONE // 4, 3 * ONE // 4)
    rec = c.aid.month_record(m)
    assert (rec.month, rec.opened, rec.allowed, rec.demand) == (m, True, 3 * ONE // 4, 3 * ONE // 4)
    assert c.aid.last_opened_month() == m
    c.aid.open_month()  # already open: nothing happens
    assert events(c.aid, "MonthOpened") == []
    assert [c.aid.withdrawable(i) for i in ids] == [ONE // 2, ONE // 4]


def test_demand_follows_the_schedule(c, founders):
    approve_all(c, [(founders[0], ONE // 2, 1), (founders[1], ONE // 4, 2)])
    m = to_next_month()
    c.aid.open_month()
    m2 = to_next_month()
    c.aid.open_month()
    (ev,) = events(c.aid, "MonthOpened")
    assert (ev.month, ev.demand) == (m2, ONE // 4)  # the one-month claim ended
    m3 = to_next_month()
    c.aid.open_month()
    (ev,) = events(c.aid, "MonthOpened")
    assert (ev.month, ev.demand, ev.allowed) == (m3, 0, 0)
    assert not c.aid.month_record(m - 10).opened


def test_withdraw_one_month_in_full(c, member):
    (cid,) = approve_all(c, [(member, ONE // 4, 3)])
    to_next_month()
    pool, balance, mine = c.treasury.pool(ETH), c.treasury.balance_of(ETH), eth_balance(member)
    assert withdraw(c, member, cid) == ONE // 4
    logs = {type(e).__name__: e for e in c.aid.get_logs()}
    paid, w = logs["AidPaid"], logs["Withdrawn"]
    assert (paid.claim_id, paid.member, paid.asset, paid.amount) == (cid, member, ETH, ONE // 4)
    assert (paid.pool, paid.balance) == (pool - ONE // 4, balance - ONE // 4)
    assert (w.claim_id, w.to_month, w.lapsed_months, w.amount) == (cid, month_now(), 0, ONE // 4)
    assert c.treasury.pool(ETH) == pool - ONE // 4
    assert eth_balance(member) == mine + ONE // 4
    v = c.aid.claim(cid)
    assert (v.months_due, v.months_settled) == (3, 1)
    assert c.aid.withdrawable(cid) == 0
    with boa.env.prank(member), boa.reverts("aid: nothing due yet"):
        c.aid.withdraw(cid)


def test_pro_rata_when_demand_exceeds_the_throttle(c, founders):
    # three claims of 1 ETH a month against a monthly limit of pool / 6 (about 2.07 ETH)
    ids = approve_all(c, [(f, ONE, 1) for f in founders[:3]])
    m = to_next_month()
    pool = c.treasury.pool(ETH)
    allowed = pool // 6
    assert allowed < 3 * ONE
    paid = [withdraw(c, f, cid) for f, cid in zip(founders[:3], ids)]
    assert paid == [ONE * allowed // (3 * ONE)] * 3
    assert sum(paid) <= allowed
    rec = c.aid.month_record(m)
    assert (rec.allowed, rec.demand) == (allowed, 3 * ONE)
    assert c.treasury.pool(ETH) == pool - sum(paid)


def test_pro_rata_with_unequal_claims_is_exact(c, founders):
    # the pool is brought down to 5 ETH by vote first: limit 5 / 6 ETH a month
    govern(c, [action(c.treasury, "unfund_pool", ETH, c.treasury.pool(ETH) - 5 * ONE)], founders[0], founders)
    monthly = [ONE - 1, 2 * ONE // 3, 7]
    ids = approve_all(c, [(f, a, 1) for f, a in zip(founders[:3], monthly)])
    to_next_month()
    paid = [withdraw(c, f, cid) for f, cid in zip(founders[:3], ids)]
    allowed, demand = 5 * ONE // 6, sum(monthly)
    assert paid == [a * allowed // demand for a in monthly]
    assert sum(paid) <= allowed
    assert all(p < a for p, a in zip(paid, monthly))


def test_months_are_paid_in_one_call(c, member):
    (cid,) = approve_all(c, [(member, ONE // 4, 3)])
    to_next_month()
    to_next_month()
    assert withdraw(c, member, cid) == ONE // 2  # months 1 and 2 (unclaimed window: 1 month)
    (w,) = events(c.aid, "Withdrawn")
    assert (w.lapsed_months, w.amount) == (0, ONE // 2)
    assert c.aid.claim(cid).months_settled == 2


def test_unclaimed_instalments_lapse_into_the_pool(c, member):
    (cid,) = approve_all(c, [(member, ONE // 4, 3)])
    first = month_now() + 1
    to_next_month()
    to_next_month()
    to_next_month()  # month first + 2: the first instalment is past its window
    pool = c.treasury.pool(ETH)
    assert withdraw(c, member, cid) == ONE // 2
    (w,) = events(c.aid, "Withdrawn")
    assert (w.to_month, w.lapsed_months, w.amount) == (first + 2, 1, ONE // 2)
    assert c.treasury.pool(ETH) == pool - ONE // 2  # the lapsed quarter stays in the pool
    assert c.aid.claim(cid).months_settled == 3
    to_next_month()
    with boa.env.prank(member), boa.reverts("aid: claim fully paid"):
        c.aid.withdraw(cid)


def test_withdraw_checks(c, founders, member, outsider):
    cid = file(c, member, ONE // 4)
    with boa.env.prank(member), boa.reverts("aid: claim not approved"):
        c.aid.withdraw(cid)
    with boa.env.prank(member), boa.reverts("aid: claim not approved"):
        c.aid.withdraw(cid + 1)
    travel(3 * DAY)
    c.aid.settle(cid)
    with boa.env.prank(member), boa.reverts("aid: nothing due yet"):
        c.aid.withdraw(cid)
    to_next_month()
    with boa.env.prank(founders[1]), boa.reverts("aid: not the claimant"):
        c.aid.withdraw(cid)
    with boa.env.prank(outsider), boa.reverts("aid: not in good standing"):
        c.aid.withdraw(cid)
    withdraw(c, member, cid)


def test_paused_while_in_arrears(c, founders, outsider):
    # the outsider joins by vote with three periods paid, claims, then falls behind
    govern(c, [action(c.governor, "admit_member", outsider)], founders[0], founders)
    with boa.env.prank(outsider):
        c.treasury.pay_dues(outsider, 2, value=2 * c.treasury.dues_amount())
    travel(30 * DAY)
    (cid,) = approve_all(c, [(outsider, ONE // 4, 2)])
    to_next_month()
    to_next_month()
    assert not c.governor.in_good_standing(outsider)
    with boa.env.prank(outsider), boa.reverts("aid: not in good standing"):
        c.aid.withdraw(cid)
    c.aid.open_month()
    assert c.aid.withdrawable(cid) == ONE // 2  # nothing lost yet
    periods = (boa.env.timestamp - c.governor.paid_through(outsider)) // (30 * DAY) + 1
    with boa.env.prank(outsider):
        c.treasury.pay_dues(outsider, periods, value=periods * c.treasury.dues_amount())
    assert withdraw(c, outsider, cid) == ONE // 2


def test_withdraw_stops_when_the_claimant_leaves(c, member):
    (cid,) = approve_all(c, [(member, ONE // 4, 3)])
    to_next_month()
    with boa.env.prank(member):
        c.governor.resign()
    with boa.env.prank(member), boa.reverts("aid: not in good standing"):
        c.aid.withdraw(cid)


def test_skipped_months_are_opened_together(c, member):
    (cid,) = approve_all(c, [(member, ONE // 4, 3)])
    first = month_now() + 1
    pool = c.treasury.pool(ETH)
    travel(3 * AID_MONTH)  # nobody opened first, first + 1, first + 2
    c.aid.open_month()
    opened = events(c.aid, "MonthOpened")
    assert [e.month for e in opened] == [first, first + 1, first + 2, first + 3][: len(opened)]
    left = pool
    for e in opened:
        assert e.pool == left
        assert e.allowed == min(e.demand, left // 6)
        left -= e.allowed
    assert [e.demand for e in opened[:3]] == [ONE // 4] * 3
    assert withdraw(c, member, cid) == ONE // 2  # the oldest month lapsed (window: 1 month)


def test_a_long_idle_fund_opens_in_bounded_steps(c, member):
    approve_all(c, [(member, ONE // 4, 3)])
    travel(60 * AID_MONTH)
    c.aid.open_month()
    opened = events(c.aid, "MonthOpened")
    assert len(opened) == 4  # only the months still inside any unclaimed window get a record
    assert all(e.demand == 0 and e.allowed == 0 for e in opened)
    assert opened[-1].month == month_now()


def test_an_empty_pool_pays_nothing_and_settles_the_month(c, founders, member):
    (cid,) = approve_all(c, [(member, ONE // 4, 2)])
    govern(c, [action(c.treasury, "unfund_pool", ETH, c.treasury.pool(ETH))], founders[0], founders)
    to_next_month()
    assert c.treasury.pool(ETH) == 0
    assert withdraw(c, member, cid) == 0
    assert [type(e).__name__ for e in c.aid.get_logs()] == ["MonthOpened", "Withdrawn"]
    assert c.aid.claim(cid).months_settled == 1


def test_a_pool_emptied_after_the_opening_makes_withdrawals_wait(c, founders, member):
    (cid,) = approve_all(c, [(member, ONE // 4, 2)])
    to_next_month()
    c.aid.open_month()
    govern(c, [action(c.treasury, "unfund_pool", ETH, c.treasury.pool(ETH))], founders[0], founders)
    with boa.env.prank(member), boa.reverts("treasury: pool too small"):
        c.aid.withdraw(cid)
    with boa.env.prank(founders[1]):
        c.treasury.donate(ETH, ONE, "refill", True, value=ONE)
    assert withdraw(c, member, cid) == ONE // 4


def test_pool_seed_is_what_the_world_put_in(c):
    dues = 6 * 36 * c.treasury.dues_amount()
    assert c.treasury.pool(ETH) == POOL_SEED + dues * 2_000 // 10_000
    assert c.aid.pool() == c.treasury.pool(ETH)
