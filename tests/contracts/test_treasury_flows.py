"""Treasury income and spending: donations, plain ETH, pay and pool moves by vote, the aid
payout gate, dues terms. (The pool in depth: tests/contracts/aid/test_treasury_pool.py.)"""

import boa
import pytest
from utils.boa_stack import only, transfer
from utils.constants import DUES, ETH, PERIOD
from utils.flows import fund_token as fund

ONE = 10**18
MAX_DUES = 2**96 - 1  # the price shares a word with the aid address
MAX_PERIOD = 5 * 365 * 86_400
TOKEN_UNIT = 10**6
MODE_NORMAL, MODE_RETURNS_FALSE, MODE_FEE = 0, 1, 2


@pytest.fixture
def funded(collective, founders, outsider):
    """A collective with 1 ETH donated and every founder paid well ahead,
    so that several proposals can be passed one after the other."""
    c = collective
    for f in founders:
        c.treasury.pay_dues(f, 12, sender=f, value=12 * DUES)
    c.treasury.donate(ETH, ONE, "seed", sender=outsider, value=ONE)
    return c


@pytest.fixture
def token_funded(funded, token, outsider):
    fund(token, outsider, funded.treasury, 1000 * TOKEN_UNIT)
    funded.treasury.donate(token, 1000 * TOKEN_UNIT, sender=outsider)
    return funded


def eth_in(c):
    return ONE + 36 * DUES  # what `funded` put in


def pooled(c):
    return 36 * DUES // 5  # the default 20 % share of those dues, ring-fenced for mutual aid


def free_in(c):
    return eth_in(c) - pooled(c)


def execute_fails(c, h, proposer, voters, actions, reason):
    """Pass a proposal, then check that its execution reverts with `reason`."""
    pid = h.pass_proposal(c, proposer, voters, actions=actions, execute=False)
    with boa.reverts(reason):
        c.governor.execute(pid, list(actions), sender=proposer)
    return pid


# --- donations --------------------------------------------------------------


def test_donate_eth_with_memo(collective, outsider, member):
    t = collective.treasury
    t.donate(ETH, 3 * ONE, "for the strike fund", sender=outsider, value=3 * ONE)
    ev = only(t, "DonationReceived")
    assert ev.donor == outsider.address
    assert ev.asset == ETH
    assert ev.amount == 3 * ONE
    assert ev.memo == "for the strike fund"
    assert ev.balance == 3 * ONE
    # a second donation, without memo, reports the running balance
    t.donate(ETH, 5, sender=member, value=5)
    ev = only(t, "DonationReceived")
    assert (ev.donor, ev.asset, ev.amount, ev.memo, ev.balance) == (member.address, ETH, 5, "", 3 * ONE + 5)
    assert t.balance_of(ETH) == boa.env.get_balance(t.address) == 3 * ONE + 5


def test_donate_eth_max_memo(collective, outsider):
    t = collective.treasury
    memo = "x" * t.MAX_MEMO()
    t.donate(ETH, 1, memo, sender=outsider, value=1)
    assert only(t, "DonationReceived").memo == memo


@pytest.mark.parametrize("amount,value", [(ONE, 0), (ONE, ONE - 1), (ONE, ONE + 1), (1, 2)])
def test_donate_eth_wrong_value(collective, outsider, amount, value):
    t = collective.treasury
    with boa.reverts("treasury: wrong ETH amount"):
        t.donate(ETH, amount, "oops", sender=outsider, value=value)
    assert t.balance_of(ETH) == 0


def test_donate_zero_refused(collective, token, outsider):
    t = collective.treasury
    with boa.reverts("treasury: zero amount"):
        t.donate(ETH, 0, sender=outsider, value=0)
    fund(token, outsider, t, 10)
    with boa.reverts("treasury: zero amount"):
        t.donate(token, 0, sender=outsider)


def test_donate_token_with_memo(collective, token, outsider):
    t = collective.treasury
    fund(token, outsider, t, 250 * TOKEN_UNIT)
    t.donate(token, 200 * TOKEN_UNIT, "from the bakery", sender=outsider)
    ev = only(t, "DonationReceived")
    assert ev.donor == outsider.address
    assert ev.asset == token.address
    assert ev.amount == 200 * TOKEN_UNIT
    assert ev.memo == "from the bakery"
    assert ev.balance == 200 * TOKEN_UNIT
    assert token.balanceOf(t) == t.balance_of(token) == 200 * TOKEN_UNIT
    assert token.balanceOf(outsider) == 50 * TOKEN_UNIT
    assert t.balance_of(ETH) == 0


def test_donate_token_with_eth_refused(collective, token, outsider):
    t = collective.treasury
    fund(token, outsider, t, TOKEN_UNIT)
    with boa.reverts("treasury: ETH sent for token donation"):
        t.donate(token, TOKEN_UNIT, sender=outsider, value=1)
    assert token.balanceOf(outsider) == TOKEN_UNIT


@pytest.mark.parametrize(
    "mode,reason",
    [
        (MODE_RETURNS_FALSE, "treasury: token transfer failed"),
        (MODE_FEE, "treasury: token delivered a different amount"),
    ],
)
def test_donate_hostile_token_refused(collective, token, outsider, organizer, mode, reason):
    t = collective.treasury
    fund(token, outsider, t, 100 * TOKEN_UNIT)
    token.set_mode(mode, ETH, b"", sender=organizer)
    with boa.reverts(reason):
        t.donate(token, 100 * TOKEN_UNIT, sender=outsider)
    assert token.balanceOf(t) == 0


def test_donate_non_contract_asset_refused_with_reason(collective, outsider, member):
    with boa.reverts("treasury: asset is not a contract"):
        collective.treasury.donate(member.address, 1, sender=outsider)


# --- plain ETH and the fallback ---------------------------------------------


def test_plain_eth_transfer_logged(collective, outsider, member):
    t = collective.treasury
    ev = only(transfer(outsider, t, 7 * 10**15), "EthReceived")
    assert (ev.sender, ev.amount, ev.balance) == (outsider.address, 7 * 10**15, 7 * 10**15)
    ev = only(transfer(member, t, 3), "EthReceived")
    assert (ev.sender, ev.amount, ev.balance) == (member.address, 3, 7 * 10**15 + 3)
    assert t.balance_of(ETH) == 7 * 10**15 + 3


@pytest.mark.parametrize("data,value", [(b"\x12\x34\x56\x78", 0), (b"\x12\x34\x56\x78", 5), (b"\x00", 1)])
def test_calldata_to_default_refused(collective, outsider, data, value):
    t = collective.treasury
    with boa.reverts("treasury: unknown function"):
        transfer(outsider, t, value, data)
    assert t.balance_of(ETH) == 0


# --- spending only by vote ----------------------------------------------------


@pytest.mark.parametrize(
    "method,args",
    [
        ("pay", (ETH, "recipient", 1)),
        ("fund_pool", (ETH, 1)),
        ("unfund_pool", (ETH, 1)),
        ("set_pool_share", (0,)),
        ("set_dues", (ETH, 2 * DUES, PERIOD)),
    ],
)
def test_direct_spending_calls_refused(funded, organizer, founders, outsider, method, args):
    t = funded.treasury
    args = tuple(outsider.address if a == "recipient" else a for a in args)
    for caller in (organizer, founders[0], outsider):
        with boa.reverts("treasury: only by vote"):
            getattr(t, method)(*args, sender=caller)
    assert t.balance_of(ETH) == eth_in(funded)
    assert t.pool(ETH) == pooled(funded)
    assert t.dues_terms() == (ETH, DUES, PERIOD)


def test_pay_eth_by_vote(funded, founders, outsider, gov_helpers):
    h, c, t = gov_helpers, funded, funded.treasury
    before = outsider.balance
    act = h.action(t, "pay", ETH, outsider.address, ONE // 10)
    pid = h.pass_proposal(c, founders[0], founders, actions=[act])
    ev = only(c.governor, "Payment")
    assert not c.governor.proposal(pid).constitutional  # spending is an ordinary decision
    assert outsider.balance == before + ONE // 10
    assert t.balance_of(ETH) == eth_in(c) - ONE // 10
    assert ev.proposal_id == pid
    assert ev.asset == ETH
    assert ev.recipient == outsider.address
    assert ev.amount == ONE // 10
    assert ev.balance == eth_in(c) - ONE // 10


def test_pay_token_by_vote(token_funded, token, founders, newcomer, gov_helpers):
    h, c, t = gov_helpers, token_funded, token_funded.treasury
    act = h.action(t, "pay", token.address, newcomer.address, 300 * TOKEN_UNIT)
    pid = h.pass_proposal(c, founders[1], founders, actions=[act])
    ev = only(c.governor, "Payment")
    assert token.balanceOf(newcomer) == 300 * TOKEN_UNIT
    assert t.balance_of(token) == 700 * TOKEN_UNIT
    assert t.balance_of(ETH) == eth_in(c)
    assert (ev.proposal_id, ev.asset, ev.recipient, ev.amount, ev.balance) == (
        pid,
        token.address,
        newcomer.address,
        300 * TOKEN_UNIT,
        700 * TOKEN_UNIT,
    )


def test_pay_token_returning_false_refused(token_funded, token, founders, newcomer, organizer, gov_helpers):
    h, c, t = gov_helpers, token_funded, token_funded.treasury
    act = h.action(t, "pay", token.address, newcomer.address, TOKEN_UNIT)
    pid = h.pass_proposal(c, founders[0], founders, actions=[act], execute=False)
    token.set_mode(MODE_RETURNS_FALSE, ETH, b"", sender=organizer)
    with boa.reverts("treasury: token transfer failed"):
        c.governor.execute(pid, [act], sender=founders[0])
    assert t.balance_of(token) == 1000 * TOKEN_UNIT


def test_pay_insufficient_funds(funded, founders, outsider, gov_helpers):
    h, c, t = gov_helpers, funded, funded.treasury
    act = h.action(t, "pay", ETH, outsider.address, free_in(c) + 1)
    execute_fails(c, h, founders[0], founders, [act], "treasury: insufficient funds")
    assert t.balance_of(ETH) == eth_in(c)
    # exactly the free balance is fine; the pool stays
    act = h.action(t, "pay", ETH, outsider.address, free_in(c))
    _ = h.pass_proposal(c, founders[1], founders, actions=[act])
    assert only(c.governor, "Payment").balance == pooled(c)
    assert t.balance_of(ETH) == t.pool(ETH) == pooled(c)
    assert t.available(ETH) == 0


@pytest.mark.parametrize(
    "recipient,amount,reason",
    [(ETH, 1, "treasury: zero recipient"), ("member", 0, "treasury: zero amount")],
)
def test_pay_argument_checks(funded, founders, gov_helpers, recipient, amount, reason):
    h, c = gov_helpers, funded
    recipient = founders[1].address if recipient == "member" else recipient
    act = h.action(c.treasury, "pay", ETH, recipient, amount)
    execute_fails(c, h, founders[0], founders, [act], reason)
    assert c.treasury.balance_of(ETH) == eth_in(c)


# --- the mutual-aid pool ------------------------------------------------------


def test_dues_feed_the_pool(funded):
    t = funded.treasury
    assert t.pool(ETH) == pooled(funded)
    assert t.available(ETH) == free_in(funded)
    assert t.balance_of(ETH) == eth_in(funded)


def test_fund_and_unfund_the_pool_by_vote(funded, founders, gov_helpers):
    h, c, t = gov_helpers, funded, funded.treasury
    pid = h.pass_proposal(c, founders[0], founders, actions=[h.action(t, "fund_pool", ETH, ONE // 4)])
    ev = only(c.governor, "PoolFunded")
    assert (ev.proposal_id, ev.asset, ev.amount, ev.pool) == (pid, ETH, ONE // 4, pooled(c) + ONE // 4)
    assert t.available(ETH) == free_in(c) - ONE // 4
    pid = h.pass_proposal(c, founders[1], founders, actions=[h.action(t, "unfund_pool", ETH, ONE // 8)])
    ev = only(c.governor, "PoolReleased")
    assert (ev.proposal_id, ev.asset, ev.amount, ev.pool) == (pid, ETH, ONE // 8, pooled(c) + ONE // 8)
    assert t.balance_of(ETH) == eth_in(c)  # nothing left the treasury


def test_fund_pool_token(token_funded, token, founders, gov_helpers):
    h, c, t = gov_helpers, token_funded, token_funded.treasury
    pid = h.pass_proposal(c, founders[0], founders, actions=[h.action(t, "fund_pool", token, 40 * TOKEN_UNIT)])
    ev = only(c.governor, "PoolFunded")
    assert (ev.proposal_id, ev.asset, ev.amount, ev.pool) == (pid, token.address, 40 * TOKEN_UNIT, 40 * TOKEN_UNIT)
    assert (t.pool(token), t.available(token)) == (40 * TOKEN_UNIT, 960 * TOKEN_UNIT)
    assert t.pool(ETH) == pooled(c)  # per asset


@pytest.mark.parametrize(
    "method,amount,reason",
    [
        ("fund_pool", 0, "treasury: zero amount"),
        ("fund_pool", "free+1", "treasury: insufficient funds"),
        ("unfund_pool", 0, "treasury: zero amount"),
        ("unfund_pool", "pool+1", "treasury: pool too small"),
    ],
)
def test_pool_move_checks(funded, founders, gov_helpers, method, amount, reason):
    h, c, t = gov_helpers, funded, funded.treasury
    amount = {"free+1": free_in(c) + 1, "pool+1": pooled(c) + 1}.get(amount, amount)
    execute_fails(c, h, founders[0], founders, [h.action(t, method, ETH, amount)], reason)
    assert t.pool(ETH) == pooled(c)


def test_pool_reserve_respected(funded, founders, outsider, gov_helpers):
    h, c, t = gov_helpers, funded, funded.treasury
    h.pass_proposal(c, founders[0], founders, actions=[h.action(t, "fund_pool", ETH, free_in(c) - ONE // 2)])
    assert t.available(ETH) == ONE // 2
    reserve = t.pool(ETH)
    # neither pay nor another fund_pool may dip into the pool
    too_much_pay = h.action(t, "pay", ETH, outsider.address, ONE // 2 + 1)
    execute_fails(c, h, founders[1], founders, [too_much_pay], "treasury: insufficient funds")
    too_much_fund = h.action(t, "fund_pool", ETH, ONE // 2 + 1)
    execute_fails(c, h, founders[2], founders, [too_much_fund], "treasury: insufficient funds")
    assert t.balance_of(ETH) == eth_in(c)
    # the free part can be spent in full
    before = outsider.balance
    _ = h.pass_proposal(c, founders[0], founders, actions=[h.action(t, "pay", ETH, outsider.address, ONE // 2)])
    assert outsider.balance == before + ONE // 2
    assert t.available(ETH) == 0
    assert t.pool(ETH) == reserve


def test_pay_aid_is_the_aid_funds_alone(funded, founders, outsider, organizer):
    t = funded.treasury
    for caller in (organizer, founders[0], outsider):
        with boa.reverts("treasury: only the aid fund"):
            t.pay_aid(ETH, caller, 1, 1, sender=caller)
    assert t.pool(ETH) == pooled(funded)


# --- dues terms -------------------------------------------------------------


def test_set_dues_by_vote(funded, token, founders, gov_helpers):
    h, c, t = gov_helpers, funded, funded.treasury
    m = founders[0]
    paid = c.governor.paid_through(m)
    act = h.action(t, "set_dues", token.address, 25 * TOKEN_UNIT, 7 * 86_400)
    pid = h.pass_proposal(c, m, founders, actions=[act])
    ev = only(c.governor, "DuesTermsChanged")
    assert c.governor.proposal(pid).constitutional  # set_dues is constitutional
    assert ev.proposal_id == pid
    assert ev.old_asset == ETH
    assert ev.new_asset == token.address
    assert ev.old_amount == DUES
    assert ev.new_amount == 25 * TOKEN_UNIT
    assert ev.old_period == PERIOD
    assert ev.new_period == 7 * 86_400
    assert t.dues_terms() == (token.address, 25 * TOKEN_UNIT, 7 * 86_400)
    assert (t.dues_asset(), t.dues_amount(), t.dues_period()) == (token.address, 25 * TOKEN_UNIT, 7 * 86_400)
    assert c.governor.paid_through(m) == paid  # time already paid for is kept
    # the new terms apply to the next payment
    with boa.reverts("treasury: ETH sent for token dues"):
        t.pay_dues(m, 1, sender=m, value=DUES)
    fund(token, m, t, 25 * TOKEN_UNIT)
    t.pay_dues(m, 1, sender=m)
    assert only(t, "DuesPaid").paid_through == paid + 7 * 86_400


def test_set_dues_boundaries_accepted(funded, founders, gov_helpers):
    h, c, t = gov_helpers, funded, funded.treasury
    largest = MAX_DUES
    act = h.action(t, "set_dues", ETH, largest, MAX_PERIOD)
    h.pass_proposal(c, founders[0], founders, actions=[act])
    assert t.dues_terms() == (ETH, largest, MAX_PERIOD)


@pytest.mark.parametrize(
    "asset,amount,period,reason",
    [
        (ETH, 0, PERIOD, "treasury: zero dues"),
        (ETH, MAX_DUES + 1, PERIOD, "treasury: dues too large"),
        (ETH, DUES, 0, "treasury: zero period"),
        (ETH, DUES, MAX_PERIOD + 1, "treasury: period too long"),
        ("eoa", DUES, PERIOD, "treasury: asset is not a contract"),
    ],
)
def test_set_dues_validation(collective, founders, outsider, gov_helpers, asset, amount, period, reason):
    h, c, t = gov_helpers, collective, collective.treasury
    asset = outsider.address if asset == "eoa" else asset
    act = h.action(t, "set_dues", asset, amount, period)
    execute_fails(c, h, founders[0], founders, [act], reason)
    assert t.dues_terms() == (ETH, DUES, PERIOD)


# --- views ------------------------------------------------------------------


def test_views_on_a_fresh_treasury(collective, token):
    t = collective.treasury
    assert t.governor() == collective.governor.address
    assert t.initialized()
    assert t.dues_terms() == (ETH, DUES, PERIOD)
    assert t.balance_of(ETH) == 0
    assert t.balance_of(token) == 0
    assert t.available(ETH) == 0
    assert t.available(token) == 0
    assert t.pool(ETH) == 0
    assert t.pool_share_bps() == 2_000
    assert t.aid() == collective.aid.address


def test_views_track_balances(token_funded, token, founders, gov_helpers):
    h, c, t = gov_helpers, token_funded, token_funded.treasury
    assert t.balance_of(ETH) == eth_in(c)
    assert t.available(ETH) == free_in(c)
    assert t.balance_of(token) == t.available(token) == 1000 * TOKEN_UNIT
    h.pass_proposal(c, founders[0], founders, actions=[h.action(t, "fund_pool", token.address, 1)])
    assert t.balance_of(token) == 1000 * TOKEN_UNIT
    assert t.available(token) == 1000 * TOKEN_UNIT - 1
    assert t.available(ETH) == free_in(c)


def test_dues_terms_of_a_token_collective(create, token):
    c = create(dues_asset=token.address, dues_amount=3 * TOKEN_UNIT, dues_period=7 * 86_400)
    assert c.treasury.dues_terms() == (token.address, 3 * TOKEN_UNIT, 7 * 86_400)
