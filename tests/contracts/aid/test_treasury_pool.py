"""The treasury's mutual-aid pool: the dues share, earmarked donations, `fund_pool` /
`unfund_pool` / `set_pool_share` by vote, `pay_aid` for the aid contract only, and the free
balance `pay` may spend."""

import boa
import pytest
from utils.aid import ONE
from utils.boa_stack import DUES, ETH, action, contract, create_collective, events, govern


@pytest.fixture
def t(fresh):
    return fresh.c.treasury


def pay(c, who, periods=1):
    with boa.env.prank(who):
        c.treasury.pay_dues(who, periods, value=periods * c.treasury.dues_amount())


def test_a_new_treasury_puts_a_fifth_of_dues_into_the_pool(fresh, t):
    c, m = fresh.c, fresh.founders[0]
    assert t.pool_share_bps() == t.DEFAULT_POOL_SHARE_BPS() == 2_000
    pay(c, m, 3)
    (ev,) = events(t, "DuesPaid")
    assert (ev.amount, ev.to_pool, ev.pool, ev.balance) == (3 * DUES, 3 * DUES // 5, 3 * DUES // 5, 3 * DUES)
    assert t.pool(ETH) == 3 * DUES // 5
    assert t.available(ETH) == 3 * DUES - 3 * DUES // 5
    pay(c, fresh.founders[1])
    assert events(t, "DuesPaid")[0].pool == 4 * DUES // 5


def test_the_dues_share_rounds_down(stack, founders, organizer):
    c = create_collective(stack, founders[:1], sender=organizer, dues=7)
    with boa.env.prank(founders[0]):
        c.treasury.pay_dues(founders[0], 1, value=7)
    (ev,) = events(c.treasury, "DuesPaid")
    assert (ev.to_pool, ev.pool) == (1, 1)  # 7 * 20 % = 1.4


def test_token_dues_feed_the_token_pool(stack, founders, organizer):
    token = contract("MockToken").deploy("Stable", "USDX", 6)
    c = create_collective(stack, founders[:1], sender=organizer, dues_asset=token.address, dues=5 * 10**6)
    m = founders[0]
    with boa.env.prank(m):
        token.mint(m, 10**8)
        token.approve(c.treasury.address, 10**8)
        c.treasury.pay_dues(m, 2)
    assert c.treasury.pool(token.address) == 2 * 10**6
    assert c.treasury.pool(ETH) == 0


def test_earmarked_and_plain_donations(fresh, t, outsider):
    with boa.env.prank(outsider):
        t.donate(ETH, ONE, "for the pool", True, value=ONE)
    (ev,) = events(t, "DonationReceived")
    assert (ev.donor, ev.amount, ev.memo, ev.balance, ev.to_pool, ev.pool) == (
        outsider,
        ONE,
        "for the pool",
        ONE,
        ONE,
        ONE,
    )
    with boa.env.prank(outsider):
        t.donate(ETH, 5, "general", value=5)
    (ev,) = events(t, "DonationReceived")
    assert (ev.to_pool, ev.pool, ev.balance) == (0, ONE, ONE + 5)
    assert (t.pool(ETH), t.available(ETH)) == (ONE, 5)


def test_fund_and_unfund_the_pool_by_vote(fresh, t, outsider):
    c, f = fresh.c, fresh.founders
    with boa.env.prank(outsider):
        t.donate(ETH, 3 * ONE, value=3 * ONE)
    pid = govern(c, [action(t, "fund_pool", ETH, 2 * ONE)], f[0], f)
    (ev,) = events(c.governor, "PoolFunded")
    assert (ev.proposal_id, ev.asset, ev.amount, ev.pool) == (pid, ETH, 2 * ONE, 2 * ONE)
    assert (t.pool(ETH), t.available(ETH)) == (2 * ONE, ONE)
    pid = govern(c, [action(t, "unfund_pool", ETH, ONE // 2)], f[1], f)
    (ev,) = events(c.governor, "PoolReleased")
    assert (ev.proposal_id, ev.asset, ev.amount, ev.pool) == (pid, ETH, ONE // 2, 3 * ONE // 2)
    assert (t.pool(ETH), t.available(ETH)) == (3 * ONE // 2, 3 * ONE // 2)


@pytest.mark.parametrize(
    "method,args,reason",
    [
        ("fund_pool", (ETH, 3 * ONE + 1), "treasury: insufficient funds"),
        ("fund_pool", (ETH, 0), "treasury: zero amount"),
        ("unfund_pool", (ETH, 1), "treasury: pool too small"),
        ("unfund_pool", (ETH, 0), "treasury: zero amount"),
        ("set_pool_share", (10_001,), "treasury: share out of range"),
    ],
)
def test_pool_votes_are_checked(fresh, t, outsider, method, args, reason):
    c, f = fresh.c, fresh.founders
    with boa.env.prank(outsider):
        t.donate(ETH, 3 * ONE, value=3 * ONE)
    with boa.reverts(reason):
        govern(c, [action(t, method, *args)], f[0], f)
    assert t.pool(ETH) == 0


def test_set_pool_share_by_vote(fresh, t):
    c, f = fresh.c, fresh.founders
    pid = govern(c, [action(t, "set_pool_share", 10_000)], f[0], f)
    (ev,) = events(c.governor, "PoolShareChanged")
    assert (ev.proposal_id, ev.old_bps, ev.new_bps) == (pid, 2_000, 10_000)
    assert t.dues_terms() == (ETH, DUES, 30 * 86_400)  # the dues terms are untouched
    pay(c, f[0])
    assert t.pool(ETH) == DUES
    govern(c, [action(t, "set_pool_share", 0)], f[1], f)
    pay(c, f[0])
    (ev,) = events(t, "DuesPaid")
    assert (ev.to_pool, ev.pool) == (0, DUES)


def test_set_dues_keeps_the_pool_share(fresh, t):
    c, f = fresh.c, fresh.founders
    govern(c, [action(t, "set_pool_share", 1_234), action(t, "set_dues", ETH, 3 * DUES, 7 * 86_400)], f[0], f)
    assert t.pool_share_bps() == 1_234
    assert t.dues_terms() == (ETH, 3 * DUES, 7 * 86_400)


@pytest.mark.parametrize("method,args", [("fund_pool", (ETH, 1)), ("unfund_pool", (ETH, 1)), ("set_pool_share", (0,))])
def test_pool_entry_points_only_by_vote(fresh, t, outsider, method, args):
    for sender in (outsider, fresh.founders[0], fresh.c.governor.address, fresh.c.aid.address):
        with boa.env.prank(sender), boa.reverts("treasury: only by vote"):
            getattr(t, method)(*args)


def test_pay_aid_only_for_the_aid_contract(fresh, t, outsider):
    c = fresh.c
    with boa.env.prank(outsider):
        t.donate(ETH, ONE, "seed", True, value=ONE)
    for sender in (outsider, fresh.founders[0], c.governor.address):
        with boa.env.prank(sender), boa.reverts("treasury: only the aid fund"):
            t.pay_aid(ETH, sender, 1, 1)
    with boa.env.prank(c.aid.address), boa.reverts("treasury: pool too small"):
        t.pay_aid(ETH, outsider, ONE + 1, 1)
    with boa.env.prank(c.aid.address), boa.reverts("treasury: zero amount"):
        t.pay_aid(ETH, outsider, 0, 1)
    with boa.env.prank(c.aid.address):
        t.pay_aid(ETH, outsider, ONE // 4, 7)
    (ev,) = events(t, "AidPaid")
    assert (ev.claim_id, ev.member, ev.asset, ev.amount, ev.pool, ev.balance) == (
        7,
        outsider,
        ETH,
        ONE // 4,
        3 * ONE // 4,
        3 * ONE // 4,
    )


def test_pay_spends_only_the_free_balance(fresh, t, outsider):
    c, f = fresh.c, fresh.founders
    with boa.env.prank(outsider):
        t.donate(ETH, ONE, "pool", True, value=ONE)
        t.donate(ETH, ONE // 2, "free", value=ONE // 2)
    with boa.reverts("treasury: insufficient funds"):
        govern(c, [action(t, "pay", ETH, outsider, ONE // 2 + 1)], f[0], f)
    govern(c, [action(t, "pay", ETH, outsider, ONE // 2)], f[1], f)
    assert (t.pool(ETH), t.available(ETH), t.balance_of(ETH)) == (ONE, 0, ONE)


def test_dues_price_is_bounded_to_96_bits(fresh, t):
    c, f = fresh.c, fresh.founders
    assert t.MAX_DUES() == 2**96 - 1
    with boa.reverts("treasury: dues too large"):
        govern(c, [action(t, "set_dues", ETH, 2**96, 86_400)], f[0], f)
    govern(c, [action(t, "set_dues", ETH, 2**96 - 1, 86_400)], f[1], f)
    assert t.dues_amount() == 2**96 - 1
    assert t.aid() == c.aid.address  # packed beside the price, untouched
