"""Treasury dues: `pay_dues` in ETH and in an ERC-20, sponsors, events, hostile tokens."""

import boa
import pytest
from utils.boa_stack import only, reverts_without_reason
from utils.constants import DUES, ETH, PERIOD
from utils.flows import fund_token as fund

TOKEN_DUES = 5 * 10**6  # 5 USDX (6 decimals) per period; a 1% fee is 50_000 units
MAX_PERIODS = 1200
MODE_NORMAL, MODE_RETURNS_FALSE, MODE_FEE, MODE_HOOK = 0, 1, 2, 4


@pytest.fixture
def tc(create, token):
    """A collective whose dues are paid in the mock token."""
    return create(dues_asset=token.address, dues_amount=TOKEN_DUES)


def check_dues_paid(ev, member, payer, asset, amount, periods, paid_through, balance):
    assert ev.member == member.address
    assert ev.payer == payer.address
    assert ev.asset == asset
    assert ev.amount == amount
    assert ev.periods == periods
    assert ev.paid_through == paid_through
    assert ev.balance == balance


def check_credited(ev, member, before, after):
    assert ev.member == member.address
    assert ev.paid_through_before == before
    assert ev.paid_through_after == after


# --- ETH dues ---------------------------------------------------------------


def test_constants(collective):
    t = collective.treasury
    assert t.MAX_PERIODS() == MAX_PERIODS
    assert t.MAX_PERIOD() == 5 * 365 * 86_400
    assert t.ETH() == ETH


def test_pay_one_period_in_eth(collective, member):
    c = collective
    before = c.governor.paid_through(member)
    assert before == c.created  # founders are paid through their admission
    c.treasury.pay_dues(member, 1, sender=member, value=DUES)
    after = before + PERIOD
    check_dues_paid(only(c.treasury, "DuesPaid"), member, member, ETH, DUES, 1, after, DUES)
    check_credited(only(c.treasury, "DuesCredited", emitter=c.governor), member, before, after)
    assert c.governor.paid_through(member) == after
    assert c.treasury.balance_of(ETH) == DUES
    assert boa.env.get_balance(c.treasury.address) == DUES


@pytest.mark.parametrize("periods", [2, 12, MAX_PERIODS])
def test_pay_many_periods_exact_amount(collective, member, periods):
    c = collective
    before = c.governor.paid_through(member)
    c.treasury.pay_dues(member, periods, sender=member, value=DUES * periods)
    after = before + PERIOD * periods
    check_dues_paid(only(c.treasury, "DuesPaid"), member, member, ETH, DUES * periods, periods, after, DUES * periods)
    check_credited(only(c.treasury, "DuesCredited"), member, before, after)
    assert c.governor.paid_through(member) == after


def test_zero_periods_refused(collective, member):
    c = collective
    before = c.governor.paid_through(member)
    with boa.reverts("treasury: zero periods"):
        c.treasury.pay_dues(member, 0, sender=member, value=0)
    assert c.governor.paid_through(member) == before


def test_too_many_periods_refused(collective, member):
    c = collective
    periods = MAX_PERIODS + 1
    with boa.reverts("treasury: too many periods"):
        c.treasury.pay_dues(member, periods, sender=member, value=DUES * periods)
    assert c.treasury.balance_of(ETH) == 0


@pytest.mark.parametrize(
    "periods,value",
    [(1, 0), (1, DUES - 1), (1, DUES + 1), (1, 2 * DUES), (3, 2 * DUES), (3, 3 * DUES + 1)],
)
def test_wrong_eth_value_refused(collective, member, periods, value):
    c = collective
    before = c.governor.paid_through(member)
    with boa.reverts("treasury: wrong dues amount"):
        c.treasury.pay_dues(member, periods, sender=member, value=value)
    assert c.governor.paid_through(member) == before
    assert c.treasury.balance_of(ETH) == 0


def test_non_member_cannot_be_credited(collective, outsider):
    c = collective
    with boa.reverts("governor: not a member"):
        c.treasury.pay_dues(outsider, 1, sender=outsider, value=DUES)
    assert c.treasury.balance_of(ETH) == 0
    assert c.governor.paid_through(outsider) == 0


def test_former_member_cannot_be_credited(collective, founders):
    c = collective
    leaver = founders[2]
    c.governor.resign(sender=leaver)
    with boa.reverts("governor: not a member"):
        c.treasury.pay_dues(leaver, 1, sender=leaver, value=DUES)
    assert c.treasury.balance_of(ETH) == 0


def test_sponsor_pays_for_member(collective, founders, outsider):
    c = collective
    m = founders[1]
    before = c.governor.paid_through(m)
    sponsor_before = c.governor.paid_through(outsider)
    c.treasury.pay_dues(m, 2, sender=outsider, value=2 * DUES)
    after = before + 2 * PERIOD
    check_dues_paid(only(c.treasury, "DuesPaid"), m, outsider, ETH, 2 * DUES, 2, after, 2 * DUES)
    check_credited(only(c.treasury, "DuesCredited"), m, before, after)
    assert c.governor.paid_through(m) == after
    assert c.governor.paid_through(outsider) == sponsor_before == 0
    # the other founders are untouched
    assert c.governor.paid_through(founders[0]) == c.created


def test_paid_through_extends_cumulatively(collective, founders):
    c = collective
    a, b = founders[0], founders[1]
    start = c.governor.paid_through(a)
    c.treasury.pay_dues(a, 1, sender=a, value=DUES)
    c.treasury.pay_dues(a, 2, sender=b, value=2 * DUES)
    check_dues_paid(only(c.treasury, "DuesPaid"), a, b, ETH, 2 * DUES, 2, start + 3 * PERIOD, 3 * DUES)
    check_credited(only(c.treasury, "DuesCredited"), a, start + PERIOD, start + 3 * PERIOD)
    assert c.governor.paid_through(a) == start + 3 * PERIOD
    # the balance in the event counts every earlier income, not just this payment
    c.treasury.donate(ETH, 7, sender=b, value=7)
    c.treasury.pay_dues(b, 1, sender=b, value=DUES)
    assert only(c.treasury, "DuesPaid").balance == 4 * DUES + 7


def test_arrears_are_paid_from_the_old_paid_through(collective, member, gov_helpers):
    c = collective
    start = c.governor.paid_through(member)
    gov_helpers.travel(3 * PERIOD)
    assert not c.governor.in_good_standing(member)
    c.treasury.pay_dues(member, 1, sender=member, value=DUES)
    assert only(c.treasury, "DuesPaid").paid_through == start + PERIOD
    assert not c.governor.in_good_standing(member)  # two periods still owed
    c.treasury.pay_dues(member, 2, sender=member, value=2 * DUES)
    assert c.governor.paid_through(member) == start + 3 * PERIOD
    assert c.governor.in_good_standing(member)


def test_prepaying_too_far_ahead_refused(collective, member):
    c = collective
    c.treasury.pay_dues(member, MAX_PERIODS, sender=member, value=DUES * MAX_PERIODS)
    paid = c.governor.paid_through(member)
    with boa.reverts("governor: prepaid too far ahead"):
        c.treasury.pay_dues(member, 100, sender=member, value=DUES * 100)
    assert c.governor.paid_through(member) == paid
    assert c.treasury.balance_of(ETH) == DUES * MAX_PERIODS


# --- token dues -------------------------------------------------------------


def test_pay_token_dues(tc, token, member):
    t = tc.treasury
    fund(token, member, t, 3 * TOKEN_DUES + 1)
    before = tc.governor.paid_through(member)
    t.pay_dues(member, 3, sender=member)
    after = before + 3 * PERIOD
    check_dues_paid(only(t, "DuesPaid"), member, member, token.address, 3 * TOKEN_DUES, 3, after, 3 * TOKEN_DUES)
    check_credited(only(t, "DuesCredited"), member, before, after)
    assert token.balanceOf(t) == 3 * TOKEN_DUES
    assert token.balanceOf(member) == 1
    assert token.allowance(member, t) == 1
    assert t.balance_of(token) == 3 * TOKEN_DUES
    assert t.balance_of(ETH) == 0
    assert tc.governor.paid_through(member) == after


def test_sponsor_pays_token_dues(tc, token, founders, outsider):
    t = tc.treasury
    m = founders[2]
    fund(token, outsider, t, TOKEN_DUES)
    before = tc.governor.paid_through(m)
    t.pay_dues(m, 1, sender=outsider)
    check_dues_paid(only(t, "DuesPaid"), m, outsider, token.address, TOKEN_DUES, 1, before + PERIOD, TOKEN_DUES)
    assert token.balanceOf(outsider) == 0


@pytest.mark.parametrize("value", [1, TOKEN_DUES])
def test_eth_sent_with_token_dues_refused(tc, token, member, value):
    t = tc.treasury
    fund(token, member, t, TOKEN_DUES)
    with boa.reverts("treasury: ETH sent for token dues"):
        t.pay_dues(member, 1, sender=member, value=value)
    assert token.balanceOf(member) == TOKEN_DUES
    assert t.balance_of(ETH) == 0


def test_token_dues_zero_and_too_many_periods(tc, token, member):
    t = tc.treasury
    fund(token, member, t, TOKEN_DUES * (MAX_PERIODS + 1))
    with boa.reverts("treasury: zero periods"):
        t.pay_dues(member, 0, sender=member)
    with boa.reverts("treasury: too many periods"):
        t.pay_dues(member, MAX_PERIODS + 1, sender=member)
    assert token.balanceOf(t) == 0


def test_token_dues_need_allowance(tc, token, member):
    t = tc.treasury
    token.mint(member, TOKEN_DUES, sender=member)
    token.approve(t, TOKEN_DUES - 1, sender=member)
    with reverts_without_reason("safesub"):  # the token's checked allowance underflow
        t.pay_dues(member, 1, sender=member)
    assert token.balanceOf(member) == TOKEN_DUES


def test_token_dues_for_non_member_refused(tc, token, outsider):
    t = tc.treasury
    fund(token, outsider, t, TOKEN_DUES)
    with boa.reverts("governor: not a member"):
        t.pay_dues(outsider, 1, sender=outsider)
    assert token.balanceOf(outsider) == TOKEN_DUES
    assert token.balanceOf(t) == 0


def test_token_returning_false_refused(tc, token, member, organizer):
    t = tc.treasury
    fund(token, member, t, TOKEN_DUES)
    before = tc.governor.paid_through(member)
    token.set_mode(MODE_RETURNS_FALSE, ETH, b"", sender=organizer)
    with boa.reverts("treasury: token transfer failed"):
        t.pay_dues(member, 1, sender=member)
    assert tc.governor.paid_through(member) == before
    # the same payment goes through once the token behaves
    token.set_mode(MODE_NORMAL, ETH, b"", sender=organizer)
    t.pay_dues(member, 1, sender=member)
    assert tc.governor.paid_through(member) == before + PERIOD


def test_fee_on_transfer_token_refused(tc, token, member, organizer):
    t = tc.treasury
    fund(token, member, t, TOKEN_DUES)
    before = tc.governor.paid_through(member)
    token.set_mode(MODE_FEE, ETH, b"", sender=organizer)
    with boa.reverts("treasury: token delivered a different amount"):
        t.pay_dues(member, 1, sender=member)
    assert tc.governor.paid_through(member) == before
    assert token.balanceOf(member) == TOKEN_DUES
    assert token.balanceOf(t) == 0


def test_token_hook_runs_during_pay_dues(tc, token, member, organizer):
    """Control for the re-entrancy test: the hook really runs inside `_pull`."""
    t = tc.treasury
    fund(token, member, t, TOKEN_DUES)
    token.set_mode(MODE_HOOK, t, b"", sender=organizer)  # plain call -> __default__
    t.pay_dues(member, 1, sender=member)
    ev = only(t, "EthReceived")
    assert ev.sender == token.address
    assert ev.amount == 0
    assert only(t, "DuesPaid").amount == TOKEN_DUES


def test_reentrant_hook_blocked(tc, token, member, organizer):
    """A token that calls back into the treasury during `transferFrom` is stopped by the lock.

    The hook calls `pay_dues(member, 0)`: inside `pay_dues` it fails on the
    lock, without a reason, before any check of its own; outside the lock
    the very same call gets past it to the function's own check.
    """
    t = tc.treasury
    fund(token, member, t, TOKEN_DUES)
    before = tc.governor.paid_through(member)
    token.set_mode(MODE_HOOK, t, t.pay_dues.prepare_calldata(member, 0), sender=organizer)
    with reverts_without_reason():  # the treasury's re-entrancy lock (shown below)
        t.pay_dues(member, 1, sender=member)
    assert tc.governor.paid_through(member) == before
    assert token.balanceOf(t) == 0
    assert t.pool(token) == 0

    # outside the treasury's lock the very same hook reaches pay_dues' own checks
    with boa.reverts("treasury: zero periods"):
        token.transferFrom(member, member, 0, sender=member)
