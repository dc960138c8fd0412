"""Attack 12: hostile ERC-20 tokens as dues asset, donation or benefit.

Tokens: `MockToken` modes (1 returns false, 2 takes a 1% fee, 4 calls a hook
during transferFrom and lets its failure bubble up) and `ReentrantToken`
(calls a hook during transfer and transferFrom, records the outcome and goes
on). Defences: the transfer's boolean is checked ("treasury: token transfer
failed"), the balance received must equal the amount asked ("treasury: token
delivered a different amount"), and the treasury's lock stops a token from
re-entering it; a refused payment changes nothing.
"""

import boa
import pytest
from attack_helpers import (
    ETH,
    PERIOD,
    QUEUED,
    balance,
    deploy,
    fund_token,
    only,
    pending,
    revert_reason,
    reverts_without_reason,
)

TOKEN_DUES = 5 * 10**6
MODE_NORMAL, MODE_RETURNS_FALSE, MODE_FEE, MODE_HOOK = 0, 1, 2, 4


@pytest.fixture
def tc(create, token):
    """A collective whose dues are paid in the mock token."""
    return create(dues_asset=token.address, dues_amount=TOKEN_DUES)


@pytest.fixture
def rtoken(organizer):
    return deploy("ReentrantToken", organizer)


def _snapshot(c, token, member):
    t = c.treasury
    return (c.governor.paid_through(member), token.balanceOf(t), token.balanceOf(member), balance(t))


@pytest.mark.parametrize(
    "mode, reason",
    [
        (MODE_RETURNS_FALSE, "treasury: token transfer failed"),
        (MODE_FEE, "treasury: token delivered a different amount"),
    ],
)
def test_dues_and_donations_in_a_lying_token_are_refused(tc, token, member, organizer, mode, reason):
    t = tc.treasury
    fund_token(token, member, t, 2 * TOKEN_DUES)
    before = _snapshot(tc, token, member)
    token.set_mode(mode, ETH, b"", sender=organizer)
    with boa.reverts(reason):
        t.pay_dues(member, 1, sender=member)
    with boa.reverts(reason):
        t.donate(token, TOKEN_DUES, "gift", sender=member)
    assert _snapshot(tc, token, member) == before
    assert token.allowance(member, t) == 2 * TOKEN_DUES


@pytest.mark.parametrize("entry", ["pay_dues", "donate"])
def test_token_reentering_the_treasury_is_refused(tc, token, member, organizer, entry):
    """MockToken mode 4: during transferFrom the token calls pay_dues again (the hook's failure bubbles)."""
    t = tc.treasury
    fund_token(token, member, t, 3 * TOKEN_DUES)
    before = _snapshot(tc, token, member)
    token.set_mode(MODE_HOOK, t, bytes(t.pay_dues.prepare_calldata(member.address, 1)), sender=organizer)
    with reverts_without_reason():
        if entry == "pay_dues":
            t.pay_dues(member, 1, sender=member)
        else:
            t.donate(token, TOKEN_DUES, sender=member)
    assert _snapshot(tc, token, member) == before
    assert token.allowance(member, t) == 3 * TOKEN_DUES


def test_swallowing_reentrant_token_gets_nothing_extra(create, rtoken, member, organizer):
    """A token that swallows its failed re-entry: the dues are paid once, the re-entry hit the lock."""
    c = create(dues_asset=rtoken.address, dues_amount=TOKEN_DUES)
    t = c.treasury
    fund_token(rtoken, member, t, 2 * TOKEN_DUES)
    before = c.governor.paid_through(member)
    rtoken.arm(t, t.pay_dues.prepare_calldata(member.address, 1), sender=organizer)
    t.pay_dues(member, 1, sender=member)
    assert only(t, "DuesPaid").amount == TOKEN_DUES
    assert (rtoken.tries(), rtoken.last_ok(), revert_reason(rtoken.last_response())) == (1, False, "")
    assert c.governor.paid_through(member) == before + PERIOD
    assert rtoken.balanceOf(t) == TOKEN_DUES


def test_token_reentering_while_paid_out_is_locked(funded, rtoken, founders, organizer, gov_helpers, flow):
    """While the treasury pays it out (a voted `pay`), the token tries to move the pool by itself."""
    c = funded
    t = c.treasury
    amount = 10**18
    fund_token(rtoken, organizer, t, 2 * amount)
    t.donate(rtoken, 2 * amount, "float", True, sender=organizer)
    fund_token(rtoken, organizer, t, amount)
    t.donate(rtoken, amount, "free", sender=organizer)
    rtoken.arm(t, t.pay_aid.prepare_calldata(rtoken.address, rtoken.address, amount, 1), sender=organizer)
    actions = [gov_helpers.action(t, "pay", rtoken.address, founders[1].address, amount)]
    flow.finish(c, flow.start(c, founders[0], actions, voters=founders), actions, founders[0])
    assert only(c.governor, "Payment").amount == amount
    assert (rtoken.tries(), rtoken.last_ok(), revert_reason(rtoken.last_response())) == (1, False, "")
    assert t.pool(rtoken) == 2 * amount
    assert rtoken.balanceOf(t) == 2 * amount
    assert rtoken.balanceOf(rtoken) == 0


def test_paying_out_a_token_that_returns_false_fails_the_execution(
    create, token, founders, organizer, gov_helpers, flow
):
    c = create(dues_asset=token.address, dues_amount=TOKEN_DUES)
    gov = c.governor
    t = c.treasury
    fund_token(token, organizer, t, 10**9)
    t.donate(token, 10**9, sender=organizer)
    for f in founders:
        fund_token(token, f, t, 12 * TOKEN_DUES)
        t.pay_dues(f, 12, sender=f)
    actions = [gov_helpers.action(t, "pay", token.address, founders[2].address, 10**6)]
    pid = flow.start(c, founders[0], actions, voters=founders)
    flow.queue(c, pid, founders[0])
    pending(gov.proposal(pid).eta)
    token.set_mode(MODE_RETURNS_FALSE, ETH, b"", sender=organizer)
    balance = token.balanceOf(t)
    with boa.reverts("treasury: token transfer failed"):
        gov.execute(pid, actions, sender=founders[0])
    assert gov.state(pid) == QUEUED
    assert token.balanceOf(t) == balance
    # once the token behaves, the same proposal executes
    token.set_mode(MODE_NORMAL, ETH, b"", sender=organizer)
    gov.execute(pid, actions, sender=founders[0])
    assert only(gov, "Payment").amount == 10**6


def test_non_contract_asset_is_refused(collective, member, outsider):
    t = collective.treasury
    for asset in (outsider.address, "0x" + "ab" * 20):
        with boa.reverts("treasury: asset is not a contract"):
            t.donate(asset, 1, sender=member)
        with boa.reverts("treasury: asset is not a contract"):
            t.balance_of(asset)
    assert balance(t) == 0
