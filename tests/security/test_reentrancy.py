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

import ape
import pytest
from attack_helpers import ETH, EXECUTED, FOR, P_END, P_ETA, P_START, QUEUED, at, only, revert_reason

LOCKED = ""  # Vyper's re-entrancy lock reverts without data


@pytest.fixture
def probes(project, organizer):
    return [organizer.deploy(project.ReentrantProbe) for _ in range(3)]


def _two_queued(c, founders, gov_helpers, chain, first, second):
    """Two proposals (by founders 0 and 1) passed, queued and due at the same time."""
    gov = c.governor
    p1 = gov_helpers.propose(c, founders[0], first, "first")
    p2 = gov_helpers.propose(c, founders[1], second, "second")
    at(chain, gov.proposal(p2)[P_START])
    for pid in (p1, p2):
        for f in founders:
            gov.cast_vote(pid, FOR, sender=f)
    at(chain, gov.proposal(p2)[P_END])
    gov.queue(p1, sender=founders[0])
    gov.queue(p2, sender=founders[1])
    at(chain, gov.proposal(p2)[P_ETA])
    return p1, p2


def test_action_target_reenters_execute(paid, founders, probes, sink, gov_helpers, chain):
    """During execute(p1) the actions try execute(p2) (another due proposal) and execute(p1) again."""
    c = paid
    gov = c.governor
    other, same = probes[0], probes[1]
    first = [(other.address, 0, b""), (same.address, 0, b"")]
    second = [(sink.address, 0, b"\x01")]
    p1, p2 = _two_queued(c, founders, gov_helpers, chain, first, second)
    other.arm(gov, gov.execute.encode_input(p2, second), False, sender=founders[0])
    same.arm(gov, gov.execute.encode_input(p1, first), False, sender=founders[0])
    receipt = gov.execute(p1, first, sender=founders[2])
    assert receipt.events.filter(gov.ProposalExecuted) == [
        gov.ProposalExecuted(proposal_id=p1, executor=founders[2].address)
    ]
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
    admit.arm(gov, gov.admit_member.encode_input(admit.address), False, sender=founders[0])
    pay.arm(t, t.pay.encode_input(ETH, pay.address, 10**17), False, sender=founders[0])
    terms.arm(t, t.set_dues.encode_input(ETH, 1, 1), False, sender=founders[0])
    actions = [(p.address, 0, b"") for p in probes]
    balance = t.balance
    flow.finish(c, flow.start(c, founders[0], actions, voters=founders), actions, founders[0])
    assert revert_reason(admit.last_response()) == "governor: only by vote"
    assert revert_reason(pay.last_response()) == "treasury: only by vote"
    assert revert_reason(terms.last_response()) == "treasury: only by vote"
    assert not any(p.last_ok() for p in probes)
    assert not gov.is_member(admit)
    assert t.balance == balance
    assert pay.received() == 0
    assert t.dues_terms()[1:] == (10**16, 30 * 86_400)


def test_payee_reenters_the_treasury_while_paid(funded, founders, probe, gov_helpers, flow):
    """A payee tries to donate back (or anything locked) while `pay` is sending it ETH."""
    c = funded
    t = c.treasury
    payment = 2 * 10**17
    actions = [gov_helpers.action(t, "pay", ETH, probe.address, payment)]
    probe.arm(t, t.donate.encode_input(ETH, 1), False, sender=founders[0])
    balance = t.balance
    receipt = flow.finish(c, flow.start(c, founders[0], actions, voters=founders), actions, founders[0])
    ev = only(receipt, t.Payment)
    assert (ev.recipient, ev.amount, ev.balance) == (probe.address, payment, balance - payment)
    assert receipt.events.filter(t.DonationReceived) == []
    assert probe.received() == payment
    assert (probe.tries(), probe.last_ok(), revert_reason(probe.last_response())) == (1, False, LOCKED)
    # outside the lock the very same call reaches the function's own checks
    with ape.reverts("treasury: wrong ETH amount"):
        probe.call(t, t.donate.encode_input(ETH, 1), sender=founders[1])
    assert t.balance == balance - payment


def test_reverting_payee_rolls_back_the_whole_proposal(funded, founders, probe, gov_helpers, flow, chain):
    """With `bubble` the payee's failed re-entry reverts its payment, and the whole proposal with it."""
    c = funded
    gov = c.governor
    t = c.treasury
    actions = [
        gov_helpers.action(t, "fund_pool", ETH, 10**17),
        gov_helpers.action(t, "pay", ETH, probe.address, 10**17),
    ]
    probe.arm(t, t.donate.encode_input(ETH, 1), True, sender=founders[0])
    pid = flow.start(c, founders[0], actions, voters=founders)
    flow.queue(c, pid, founders[0])
    chain.pending_timestamp = gov.proposal(pid)[P_ETA]
    balance, pool = t.balance, t.pool(ETH)
    with ape.reverts("probe: inner call failed"):
        gov.execute(pid, actions, sender=founders[0])
    assert gov.state(pid) == QUEUED
    assert t.balance == balance
    assert t.pool(ETH) == pool
    assert probe.received() == 0
