"""Treasury income and spending: donations, plain ETH, pay/grant by vote, claims, dues terms."""

import boa
import pytest
from utils.boa_stack import events, only, transfer
from utils.constants import DUES, ETH, PERIOD
from utils.flows import fund_token as fund

ONE = 10**18
MAX_UINT = 2**256 - 1
MAX_PERIODS = 1200
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
        ("grant", (ETH, "recipient", 1)),
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
    assert t.claimable(outsider, ETH) == 0
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
    act = h.action(t, "pay", ETH, outsider.address, eth_in(c) + 1)
    execute_fails(c, h, founders[0], founders, [act], "treasury: insufficient funds")
    assert t.balance_of(ETH) == eth_in(c)
    # exactly the balance is fine
    act = h.action(t, "pay", ETH, outsider.address, eth_in(c))
    h.pass_proposal(c, founders[1], founders, actions=[act])
    assert only(c.governor, "Payment").balance == 0
    assert t.balance_of(ETH) == 0


@pytest.mark.parametrize("method", ["pay", "grant"])
@pytest.mark.parametrize(
    "recipient,amount,reason",
    [(ETH, 1, "treasury: zero recipient"), ("member", 0, "treasury: zero amount")],
)
def test_pay_and_grant_argument_checks(funded, founders, gov_helpers, method, recipient, amount, reason):
    h, c = gov_helpers, funded
    recipient = founders[1].address if recipient == "member" else recipient
    act = h.action(c.treasury, method, ETH, recipient, amount)
    execute_fails(c, h, founders[0], founders, [act], reason)
    assert c.treasury.owed(ETH) == 0


def test_grant_and_claim_eth(funded, founders, gov_helpers):
    h, c, t = gov_helpers, funded, funded.treasury
    m = founders[2]
    g1 = h.action(t, "grant", ETH, m.address, ONE // 4)
    g2 = h.action(t, "grant", ETH, m.address, ONE // 8)
    pid = h.pass_proposal(c, founders[0], founders, actions=[g1, g2])
    grants = events(c.governor, "BenefitGranted")
    assert len(grants) == 2
    for ev, amount, total in zip(grants, (ONE // 4, ONE // 8), (ONE // 4, ONE // 4 + ONE // 8)):
        assert ev.proposal_id == pid
        assert ev.member == m.address
        assert ev.asset == ETH
        assert ev.amount == amount
        assert ev.claimable == total
        assert ev.owed == total
    granted = ONE // 4 + ONE // 8
    assert t.claimable(m, ETH) == granted
    assert t.owed(ETH) == granted
    assert t.balance_of(ETH) == eth_in(c)  # nothing left the treasury yet
    assert t.available(ETH) == eth_in(c) - granted

    assert t.claim(ETH, sender=m, simulate=True) == granted
    t.claim(ETH, sender=m)
    ev = only(t, "BenefitClaimed")
    assert (ev.member, ev.asset, ev.amount, ev.balance) == (m.address, ETH, granted, eth_in(c) - granted)
    assert t.claimable(m, ETH) == 0
    assert t.owed(ETH) == 0
    assert t.balance_of(ETH) == t.available(ETH) == eth_in(c) - granted
    with boa.reverts("treasury: nothing to claim"):
        t.claim(ETH, sender=m)


def test_grant_and_claim_token(token_funded, token, founders, gov_helpers):
    h, c, t = gov_helpers, token_funded, token_funded.treasury
    m = founders[1]
    act = h.action(t, "grant", token.address, m.address, 40 * TOKEN_UNIT)
    pid = h.pass_proposal(c, founders[0], founders, actions=[act])
    ev = only(c.governor, "BenefitGranted")
    assert (ev.proposal_id, ev.member, ev.asset, ev.amount, ev.claimable, ev.owed) == (
        pid,
        m.address,
        token.address,
        40 * TOKEN_UNIT,
        40 * TOKEN_UNIT,
        40 * TOKEN_UNIT,
    )
    assert t.available(token) == 960 * TOKEN_UNIT
    assert t.claimable(m, ETH) == 0  # per asset
    t.claim(token, sender=m)
    ev = only(t, "BenefitClaimed")
    assert (ev.member, ev.asset, ev.amount, ev.balance) == (m.address, token.address, 40 * TOKEN_UNIT, 960 * TOKEN_UNIT)
    assert token.balanceOf(m) == 40 * TOKEN_UNIT
    assert t.owed(token) == 0


def test_grant_to_a_non_member_is_claimable(funded, founders, outsider, gov_helpers):
    """`grant` is a vote's decision; it does not require the beneficiary to hold a card."""
    h, c, t = gov_helpers, funded, funded.treasury
    h.pass_proposal(c, founders[0], founders, actions=[h.action(t, "grant", ETH, outsider.address, 10)])
    t.claim(ETH, sender=outsider)
    assert only(t, "BenefitClaimed").amount == 10


def test_claim_only_own_benefit(funded, founders, outsider, gov_helpers):
    h, c, t = gov_helpers, funded, funded.treasury
    h.pass_proposal(c, founders[0], founders, actions=[h.action(t, "grant", ETH, founders[1].address, 10)])
    for caller in (founders[0], founders[2], outsider):
        with boa.reverts("treasury: nothing to claim"):
            t.claim(ETH, sender=caller)
    assert t.claimable(founders[1], ETH) == 10


def test_claim_nothing(collective, token, outsider, member):
    t = collective.treasury
    with boa.reverts("treasury: nothing to claim"):
        t.claim(ETH, sender=outsider)
    with boa.reverts("treasury: nothing to claim"):
        t.claim(token, sender=member)


def test_grant_insufficient_funds(funded, founders, gov_helpers):
    h, c, t = gov_helpers, funded, funded.treasury
    act = h.action(t, "grant", ETH, founders[1].address, eth_in(c) + 1)
    execute_fails(c, h, founders[0], founders, [act], "treasury: insufficient funds")
    assert t.owed(ETH) == 0


def test_owed_reserve_respected(funded, founders, outsider, gov_helpers):
    h, c, t = gov_helpers, funded, funded.treasury
    total = eth_in(c)
    reserve = total - ONE // 2
    h.pass_proposal(c, founders[0], founders, actions=[h.action(t, "grant", ETH, founders[1].address, reserve)])
    assert t.available(ETH) == ONE // 2
    # neither pay nor a second grant may dip into the reserve
    too_much_pay = h.action(t, "pay", ETH, outsider.address, ONE // 2 + 1)
    execute_fails(c, h, founders[0], founders, [too_much_pay], "treasury: insufficient funds")
    too_much_grant = h.action(t, "grant", ETH, founders[2].address, ONE // 2 + 1)
    execute_fails(c, h, founders[2], founders, [too_much_grant], "treasury: insufficient funds")
    assert t.balance_of(ETH) == total
    # the free part can be spent in full
    before = outsider.balance
    h.pass_proposal(c, founders[1], founders, actions=[h.action(t, "pay", ETH, outsider.address, ONE // 2)])
    assert only(c.governor, "Payment").balance == reserve
    assert outsider.balance == before + ONE // 2
    assert t.available(ETH) == 0
    # and the reserve is still there for its beneficiary
    t.claim(ETH, sender=founders[1])
    assert t.balance_of(ETH) == 0


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
    largest = MAX_UINT // MAX_PERIODS
    act = h.action(t, "set_dues", ETH, largest, MAX_PERIOD)
    h.pass_proposal(c, founders[0], founders, actions=[act])
    assert t.dues_terms() == (ETH, largest, MAX_PERIOD)


@pytest.mark.parametrize(
    "asset,amount,period,reason",
    [
        (ETH, 0, PERIOD, "treasury: zero dues"),
        (ETH, MAX_UINT // MAX_PERIODS + 1, PERIOD, "treasury: dues too large"),
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
    assert t.owed(ETH) == 0


def test_views_track_balances(token_funded, token, founders, gov_helpers):
    h, c, t = gov_helpers, token_funded, token_funded.treasury
    assert t.balance_of(ETH) == t.available(ETH) == eth_in(c)
    assert t.balance_of(token) == t.available(token) == 1000 * TOKEN_UNIT
    h.pass_proposal(c, founders[0], founders, actions=[h.action(t, "grant", token.address, founders[2].address, 1)])
    assert t.balance_of(token) == 1000 * TOKEN_UNIT
    assert t.available(token) == 1000 * TOKEN_UNIT - 1
    assert t.available(ETH) == eth_in(c)


def test_dues_terms_of_a_token_collective(create, token):
    c = create(dues_asset=token.address, dues_amount=3 * TOKEN_UNIT, dues_period=7 * 86_400)
    assert c.treasury.dues_terms() == (token.address, 3 * TOKEN_UNIT, 7 * 86_400)
