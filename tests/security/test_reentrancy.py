"""Attack 7: re-entering the governor or the treasury from a hostile contract.

The hostile contract is `contracts/test/ReentrantProbe.vy`: as an action
target or an ETH payee it makes one call back (armed beforehand), records
the outcome and the revert data, and returns normally, so the test sees both
that the outer call went on and why the inner one failed.

Defences: `execute` is @nonreentrant (a re-entrant call fails on the lock,
with no revert data) and marks the proposal executed before running
actions; the roll and the treasury accept calls only from the governor
itself (`msg.sender` check), so an action target cannot borrow the
"executing" state; `pay`, `pay_aid`, `fund_pool`, `unfund_pool`,
`pay_dues` and `donate` share the treasury's lock. (Re-entering the
mutual-aid contract from a member's wallet: tests/security/aid/.)
"""

import boa
import pytest
from attack_helpers import (
    ETH,
    EXECUTED,
    FOR,
    QUEUED,
    at,
    balance,
    deploy,
    events,
    only,
    pending,
    revert_reason,
)

LOCKED = ""  # Vyper's re-entrancy lock reverts without data


@pytest.fixture
def probes(organizer):
    return [deploy("ReentrantProbe", organizer) for _ in range(3)]


def _two_queued(c, founders, gov_helpers, first, second):
    """Two proposals (by founders 0 and 1) passed, queued and due at the same time."""
    gov = c.governor
    p1 = gov_helpers.propose(c, founders[0], first, "first")
    p2 = gov_helpers.propose(c, founders[1], second, "second")
    at(gov.proposal(p2).vote_start)
    for pid in (p1, p2):
        for f in founders:
            gov.cast_vote(pid, FOR, sender=f)
    at(gov.proposal(p2).vote_end)
    gov.queue(p1, sender=founders[0])
    gov.queue(p2, sender=founders[1])
    at(gov.proposal(p2).eta)
    return p1, p2


def test_action_target_reenters_execute(paid, founders, probes, sink, gov_helpers):
    """During execute(p1) the actions try execute(p2) (another due proposal) and execute(p1) again."""
    c = paid
    gov = c.governor
    other, same = probes[0], probes[1]
    first = [(other.address, 0, b""), (same.address, 0, b"")]
    second = [(sink.address, 0, b"\x01")]
    p1, p2 = _two_queued(c, founders, gov_helpers, first, second)
    other.arm(gov, gov.execute.prepare_calldata(p2, second), False, sender=founders[0])
    same.arm(gov, gov.execute.prepare_calldata(p1, first), False, sender=founders[0])
    gov.execute(p1, first, sender=founders[2])
    assert events(gov, "ProposalExecuted") == [dict(proposal_id=p1, executor=founders[2].address)]
    for probe in (other, same):
        assert probe.tries() == 1
        assert not probe.last_ok()
        assert revert_reason(probe.last_response()) == LOCKED
    assert gov.state(p1) == EXECUTED
    assert gov.state(p2) == QUEUED
    assert sink.calls() == 0
    assert gov.executing_proposal() == 0
    # outside the lock the very same call goes through
    gov.execute(p2, second, sender=founders[2])
    assert sink.calls() == 1
    assert gov.state(p2) == EXECUTED


def test_action_target_cannot_borrow_the_executing_state(funded, founders, probes, flow):
    """While a proposal executes, its action target calls the roll and the treasury itself: refused."""
    c = funded
    gov = c.governor
    t = c.treasury
    admit, pay, terms = probes
    admit.arm(gov, gov.admit_member.prepare_calldata(admit.address), False, sender=founders[0])
    pay.arm(t, t.pay.prepare_calldata(ETH, pay.address, 10**17), False, sender=founders[0])
    terms.arm(t, t.set_dues.prepare_calldata(ETH, 1, 1), False, sender=founders[0])
    actions = [(p.address, 0, b"") for p in probes]
    before = balance(t)
    flow.finish(c, flow.start(c, founders[0], actions, voters=founders), actions, founders[0])
    assert revert_reason(admit.last_response()) == "governor: only by vote"
    assert revert_reason(pay.last_response()) == "treasury: only by vote"
    assert revert_reason(terms.last_response()) == "treasury: only by vote"
    assert not any(p.last_ok() for p in probes)
    assert not gov.is_member(admit)
    assert balance(t) == before
    assert pay.received() == 0
    assert (t.dues_amount(), t.dues_period()) == (10**16, 30 * 86_400)


def test_payee_reenters_the_treasury_while_paid(funded, founders, probe, gov_helpers, flow):
    """A payee tries to donate back (or anything locked) while `pay` is sending it ETH."""
    c = funded
    t = c.treasury
    payment = 2 * 10**17
    actions = [gov_helpers.action(t, "pay", ETH, probe.address, payment)]
    probe.arm(t, t.donate.prepare_calldata(ETH, 1), False, sender=founders[0])
    before = balance(t)
    flow.finish(c, flow.start(c, founders[0], actions, voters=founders), actions, founders[0])
    ev = only(c.governor, "Payment")
    assert (ev.recipient, ev.amount, ev.balance) == (probe.address, payment, before - payment)
    assert events(c.governor, "DonationReceived") == []
    assert probe.received() == payment
    assert (probe.tries(), probe.last_ok(), revert_reason(probe.last_response())) == (1, False, LOCKED)
    # outside the lock the very same call reaches the function's own checks
    with boa.reverts("treasury: wrong ETH amount"):
        probe.call(t, t.donate.prepare_calldata(ETH, 1), sender=founders[1])
    assert balance(t) == before - payment


def test_reverting_payee_rolls_back_the_whole_proposal(funded, founders, probe, gov_helpers, flow):
    """With `bubble` the payee's failed re-entry reverts its payment, and the whole proposal with it."""
    c = funded
    gov = c.governor
    t = c.treasury
    actions = [
        gov_helpers.action(t, "fund_pool", ETH, 10**17),
        gov_helpers.action(t, "pay", ETH, probe.address, 10**17),
    ]
    probe.arm(t, t.donate.prepare_calldata(ETH, 1), True, sender=founders[0])
    pid = flow.start(c, founders[0], actions, voters=founders)
    flow.queue(c, pid, founders[0])
    pending(gov.proposal(pid).eta)
    before, pool = balance(t), t.pool(ETH)
    with boa.reverts("probe: inner call failed"):
        gov.execute(pid, actions, sender=founders[0])
    assert gov.state(pid) == QUEUED
    assert balance(t) == before
    assert t.pool(ETH) == pool
    assert probe.received() == 0
