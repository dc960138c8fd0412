"""Attack 8: moving treasury funds, the pool, or changing the dues, without an executed proposal.

Defence: `pay`, `fund_pool`, `unfund_pool`, `set_pool_share` and `set_dues`
require `msg.sender == governor` and a proposal being executed ("treasury:
only by vote"); `pay_aid` answers only the collective's mutual-aid contract
("treasury: only the aid fund"); only the treasury can credit dues in the
governor; the pool is out of reach of `pay` and `fund_pool` (they use the
free balance only). Draining the pool through the aid contract:
tests/security/aid/.
"""

import boa
import pytest
from attack_helpers import DUES, ETH, ONE, PERIOD, QUEUED, balance, pending


@pytest.fixture
def token_funded(funded, token, outsider):
    token.mint(outsider, 10**9, sender=outsider)
    token.approve(funded.treasury, 10**9, sender=outsider)
    funded.treasury.donate(token, 10**9, sender=outsider)
    return funded


@pytest.fixture
def callers(organizer, founders, newcomer, outsider):
    """Everyone who is not the governor: the factory's caller, every member, strangers."""
    return [organizer, *founders, newcomer, outsider]


def _attempts(c, token, who):
    t = c.treasury
    return [
        ("pay", lambda: t.pay(ETH, who, ONE, sender=who)),
        ("pay token", lambda: t.pay(token, who, 1, sender=who)),
        ("fund_pool", lambda: t.fund_pool(ETH, ONE, sender=who)),
        ("unfund_pool", lambda: t.unfund_pool(ETH, 1, sender=who)),
        ("unfund_pool token", lambda: t.unfund_pool(token, 1, sender=who)),
        ("set_pool_share", lambda: t.set_pool_share(0, sender=who)),
        ("set_dues", lambda: t.set_dues(ETH, 1, 1, sender=who)),
    ]


def test_nobody_but_an_executing_governor_moves_funds(token_funded, token, callers):
    c = token_funded
    t = c.treasury
    eth_before, token_before = balance(t), token.balanceOf(t)
    pools = (t.pool(ETH), t.pool(token))
    terms, share = t.dues_terms(), t.pool_share_bps()
    for who in callers:
        for _name, attempt in _attempts(c, token, who):
            with boa.reverts("treasury: only by vote"):
                attempt()
    assert (balance(t), token.balanceOf(t)) == (eth_before, token_before)
    assert (t.pool(ETH), t.pool(token)) == pools
    assert (t.dues_terms(), t.pool_share_bps()) == (terms, share)


def test_the_implementation_treasury_has_no_governor_to_borrow(implementations, callers):
    """The locked implementation names itself as governor: nobody can act as it."""
    impl = implementations.treasury
    assert impl.governor() == impl.address
    for who in callers:
        for method, args in (("pay", (ETH, who, 1)), ("fund_pool", (ETH, 1)), ("set_dues", (ETH, 1, 1))):
            with boa.reverts("treasury: only by vote"):
                getattr(impl, method)(*args, sender=who)


def test_dues_cannot_be_credited_without_paying(collective, callers):
    c = collective
    gov = c.governor
    member = callers[1]
    before = gov.paid_through(member)
    for who in callers:
        with boa.reverts("governor: only the treasury"):
            gov.credit_dues(member, PERIOD, sender=who)
    assert gov.paid_through(member) == before
    assert balance(c.treasury) == 0


def test_only_the_aid_contract_pays_from_the_pool(token_funded, token, callers):
    c = token_funded
    t = c.treasury
    pool = t.pool(ETH)
    for who in callers:
        for asset in (ETH, token.address):
            with boa.reverts("treasury: only the aid fund"):
                t.pay_aid(asset, who, 1, 1, sender=who)
    assert t.pool(ETH) == pool > 0
    assert balance(t) == ONE + 3 * 12 * DUES


def test_a_vote_cannot_spend_the_pool(funded, founders, outsider, gov_helpers, flow):
    """The pool is out of reach of `pay` and of a second `fund_pool`."""
    c = funded
    gov = c.governor
    t = c.treasury
    before = balance(t)
    free = t.available(ETH)
    fund = [gov_helpers.action(t, "fund_pool", ETH, free - 10**15)]
    flow.finish(c, flow.start(c, founders[0], fund, voters=founders), fund, founders[0])
    assert t.available(ETH) == 10**15
    reserve = t.pool(ETH)
    over = 10**15 + 1
    for proposer, action in (
        (founders[1], gov_helpers.action(t, "pay", ETH, outsider.address, over)),
        (founders[2], gov_helpers.action(t, "fund_pool", ETH, over)),
    ):
        pid = flow.start(c, proposer, [action], voters=founders)
        flow.queue(c, pid, proposer)
        pending(gov.proposal(pid).eta)
        with boa.reverts("treasury: insufficient funds"):
            gov.execute(pid, [action], sender=proposer)
        assert gov.state(pid) == QUEUED
    assert balance(t) == before
    assert t.pool(ETH) == reserve
