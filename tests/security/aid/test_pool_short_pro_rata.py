"""Attack / stress: approved claims ask more than a month allows; rounding could over-pay, the
sum could pass the limit or the pool, and nobody could tell whether they were cut.

Defence: a month opened with demand D and pool P allows A = min(D, P // divisor); a claim of
monthly a gets floor(a * A / D), so each payout is at most a and the month's payouts sum to at
most A <= P // divisor <= P. `MonthOpened` logs A and D: every cut is recomputed from events.
"""

from utils.aid import ONE, file, to_next_month, withdraw
from utils.boa_stack import DAY, ETH, action, events, govern, travel


def test_a_short_pool_pays_pro_rata_to_the_wei(c, founders):
    # bring the pool down to an awkward amount, then six claimants ask 1 ETH minus odd wei each
    pool = c.treasury.pool(ETH)
    govern(c, [action(c.treasury, "unfund_pool", ETH, pool - (2 * ONE + 12_345))], founders[0], founders)
    to_next_month()
    asks = [ONE - 1, ONE - 7, ONE // 3, 999_999_999_999_999_937, ONE // 7, 5]
    ids = [file(c, f, a) for f, a in zip(founders, asks)]
    travel(3 * DAY)
    for cid in ids:
        c.aid.settle(cid)
    m = to_next_month()
    c.aid.open_month()
    (ev,) = events(c.aid, "MonthOpened")
    pool = c.treasury.pool(ETH)
    demand, allowed = sum(asks), pool // 6
    assert (ev.month, ev.pool, ev.divisor, ev.demand, ev.allowed) == (m, pool, 6, demand, allowed)
    assert allowed < demand
    paid = [withdraw(c, f, cid) for f, cid in zip(founders, ids)]
    # exact: floor(a * A / D), recomputed from the event alone
    assert paid == [a * ev.allowed // ev.demand for a in asks]
    assert all(p <= a for p, a in zip(paid, asks))
    assert sum(paid) <= allowed <= pool // 6
    assert c.treasury.pool(ETH) == pool - sum(paid)
    assert sum(paid) > allowed - len(asks)  # at most one wei of rounding per claim stays in the pool


def test_an_empty_pool_pays_nothing_and_nobody_more(c, founders):
    pool = c.treasury.pool(ETH)
    govern(c, [action(c.treasury, "unfund_pool", ETH, pool)], founders[0], founders)
    to_next_month()
    ids = [file(c, f, ONE // 2) for f in founders[:3]]
    travel(3 * DAY)
    for cid in ids:
        c.aid.settle(cid)
    to_next_month()
    assert [withdraw(c, f, cid) for f, cid in zip(founders, ids)] == [0, 0, 0]
    assert c.treasury.pool(ETH) == 0
