"""Attack 13: ETH forced into the treasury (or the governor) without passing through any entry point.

`contracts/test/ForceSend.vy` SELFDESTRUCTs onto the target, which runs no
code there and emits no event (Ape's test provider has no `set_balance`).
Defences: the forced ETH is visible, as the exact gap between the
treasury's balance and the books rebuilt from its events (every event also
reports the balance after the move); it can still leave only by vote; and
the governor never spends its own balance (msg.value must equal the
actions' total).
"""

import ape
import pytest
from attack_helpers import DUES, ETH, ONE, P_ETA, only

# py-evm warns whenever the SELFDESTRUCT opcode runs; here it is the point of the test
pytestmark = pytest.mark.filterwarnings("ignore:SELFDESTRUCT opcode:DeprecationWarning")

FORCED = 123_456_789_000


def _books(treasury, receipts):
    """ETH in minus ETH out, from the treasury's own events in `receipts`."""
    total = 0
    for receipt in receipts:
        for ev in receipt.events:
            if ev.contract_address != treasury.address:
                continue
            name = ev.event_name
            if name == "DuesPaid" and ev.asset == ETH:
                total += ev.amount
            elif name == "DonationReceived" and ev.asset == ETH:
                total += ev.amount
            elif name == "EthReceived":
                total += ev.amount
            elif name in ("Payment", "AidPaid") and ev.asset == ETH:
                total -= ev.amount
    return total


def _force(project, organizer, target, amount):
    sender = organizer.deploy(project.ForceSend, value=amount)
    return sender.boom(target, sender=organizer)


def test_forced_eth_is_visible_in_the_books_and_spent_only_by_vote(
    project, collective, founders, organizer, outsider, gov_helpers, flow
):
    c = collective
    t = c.treasury
    receipts = [t.pay_dues(f, 12, sender=f, value=12 * DUES) for f in founders]
    receipts.append(t.donate(ETH, ONE, "seed", sender=outsider, value=ONE))
    receipts.append(outsider.transfer(t, 5 * 10**16))
    assert t.balance == _books(t, receipts) == 36 * DUES + ONE + 5 * 10**16

    forced = _force(project, organizer, t, FORCED)
    assert [ev for ev in forced.events if ev.contract_address == t.address] == []
    assert t.balance - _books(t, receipts) == FORCED
    # the next event's running balance shows the gap too
    receipt = t.donate(ETH, 1, sender=outsider, value=1)
    receipts.append(receipt)
    assert only(receipt, t.DonationReceived).balance == _books(t, receipts) + FORCED

    balance = t.balance
    for who in (organizer, founders[0], outsider):
        with ape.reverts("treasury: only by vote"):
            t.pay(ETH, who, FORCED, sender=who)
        with ape.reverts("treasury: only by vote"):
            t.fund_pool(ETH, FORCED, sender=who)
        with ape.reverts("treasury: only the aid fund"):
            t.pay_aid(ETH, who, FORCED, 1, sender=who)
    assert t.balance == balance

    # by vote, money (forced or not) leaves with an event; the gap stays exactly the forced amount
    actions = [
        gov_helpers.action(t, "pay", ETH, outsider.address, FORCED),
        gov_helpers.action(t, "fund_pool", ETH, 10**15),
    ]
    receipts.append(flow.finish(c, flow.start(c, founders[0], actions, voters=founders), actions, founders[0]))
    assert t.balance == balance - FORCED
    assert t.balance - _books(t, receipts) == FORCED
    # forced ETH is free money: the pool holds only what events put there
    assert t.pool(ETH) == 36 * DUES // 5 + 10**15


def test_eth_forced_into_the_governor_cannot_fund_actions(project, paid, founders, organizer, sink, flow, chain):
    c = paid
    gov = c.governor
    _force(project, organizer, gov, FORCED)
    assert gov.balance == FORCED
    actions = [(sink.address, FORCED, b"")]
    pid = flow.start(c, founders[0], actions, voters=founders)
    flow.queue(c, pid, founders[0])
    chain.pending_timestamp = gov.proposal(pid)[P_ETA]
    with ape.reverts("governor: wrong value"):
        gov.execute(pid, actions, sender=founders[0], value=0)
    assert sink.received() == 0
    gov.execute(pid, actions, sender=founders[0], value=FORCED)
    assert sink.received() == FORCED
    assert gov.balance == FORCED  # the forced ETH is still there, unspent
