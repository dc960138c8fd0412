"""Attack 8: moving treasury funds, or changing the dues, without an executed proposal.

Defence: `pay`, `grant` and `set_dues` require `msg.sender == governor` and
a proposal being executed ("treasury: only by vote"); only the treasury can
credit dues in the governor; a member withdraws only what was granted to
them, once; granted benefits are reserved from `pay` and `grant`.
"""

import boa
import pytest
from attack_helpers import DUES, ETH, ONE, PERIOD, QUEUED, balance, only, pending


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
        ("grant", lambda: t.grant(ETH, who, ONE, sender=who)),
        ("grant token", lambda: t.grant(token, who, 1, sender=who)),
        ("set_dues", lambda: t.set_dues(ETH, 1, 1, sender=who)),
    ]


def test_nobody_but_an_executing_governor_moves_funds(token_funded, token, callers):
    c = token_funded
    t = c.treasury
    eth_before, token_before = balance(t), token.balanceOf(t)
    terms = t.dues_terms()
    for who in callers:
        for _name, attempt in _attempts(c, token, who):
            with boa.reverts("treasury: only by vote"):
                attempt()
        assert t.claimable(who, ETH) == 0
        assert t.claimable(who, token) == 0
    assert (balance(t), token.balanceOf(t)) == (eth_before, token_before)
    assert t.owed(ETH) == t.owed(token) == 0
    assert t.dues_terms() == terms


def test_the_implementation_treasury_has_no_governor_to_borrow(implementations, callers):
    """The locked implementation names itself as governor: nobody can act as it."""
    impl = implementations.treasury
    assert impl.governor() == impl.address
    for who in callers:
        for method, args in (("pay", (ETH, who, 1)), ("grant", (ETH, who, 1)), ("set_dues", (ETH, 1, 1))):
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


def test_claim_of_nothing(token_funded, token, callers):
    t = token_funded.treasury
    for who in callers:
        for asset in (ETH, token.address):
            with boa.reverts("treasury: nothing to claim"):
                t.claim(asset, sender=who)
    assert balance(t) == ONE + 3 * 12 * DUES


def test_benefit_claimed_once_and_only_by_its_member(funded, founders, outsider, gov_helpers, flow):
    c = funded
    t = c.treasury
    amount = 10**17
    actions = [gov_helpers.action(t, "grant", ETH, founders[1].address, amount)]
    flow.finish(c, flow.start(c, founders[0], actions, voters=founders), actions, founders[0])
    assert t.owed(ETH) == amount
    for who in (founders[0], founders[2], outsider):
        with boa.reverts("treasury: nothing to claim"):
            t.claim(ETH, sender=who)
    before = balance(t)
    t.claim(ETH, sender=founders[1])
    ev = only(t, "BenefitClaimed")
    assert (ev.member, ev.asset, ev.amount, ev.balance) == (founders[1].address, ETH, amount, before - amount)
    with boa.reverts("treasury: nothing to claim"):
        t.claim(ETH, sender=founders[1])
    assert balance(t) == before - amount
    assert t.owed(ETH) == 0


def test_a_vote_cannot_spend_reserved_benefits(funded, founders, outsider, gov_helpers, flow):
    """Benefits granted and not yet claimed are out of reach of later `pay` and `grant`."""
    c = funded
    gov = c.governor
    t = c.treasury
    before = balance(t)
    reserve = before - 10**15
    grant = [gov_helpers.action(t, "grant", ETH, founders[1].address, reserve)]
    flow.finish(c, flow.start(c, founders[0], grant, voters=founders), grant, founders[0])
    assert t.available(ETH) == 10**15
    over = 10**15 + 1
    for proposer, method in ((founders[1], "pay"), (founders[2], "grant")):
        actions = [gov_helpers.action(t, method, ETH, outsider.address, over)]
        pid = flow.start(c, proposer, actions, voters=founders)
        flow.queue(c, pid, proposer)
        pending(gov.proposal(pid).eta)
        with boa.reverts("treasury: insufficient funds"):
            gov.execute(pid, actions, sender=proposer)
        assert gov.state(pid) == QUEUED
    assert balance(t) == before
    assert t.claimable(founders[1], ETH) == reserve
    assert t.claimable(outsider, ETH) == 0
    assert t.owed(ETH) == reserve
