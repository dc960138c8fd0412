"""Attack 13: ETH forced into the treasury (or the governor) without passing through any entry point.

`contracts/test/ForceSend.vy` SELFDESTRUCTs onto the target, which runs no
code there and emits no event.
Defences: the forced ETH is visible, as the exact gap between the
treasury's balance and the books rebuilt from its events (every event also
reports the balance after the move); it can still leave only by vote; and
the governor never spends its own balance (msg.value must equal the
actions' total).
"""

import boa
import pytest
from attack_helpers import DUES, ETH, ONE, balance, deploy, only, pending, transfer
from eth_utils import to_checksum_address
from utils.boa_stack import Log

# py-evm warns whenever the SELFDESTRUCT opcode runs; here it is the point of the test
pytestmark = [
    pytest.mark.filterwarnings("ignore:SELFDESTRUCT opcode:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:`selfdestruct` is deprecated"),  # the compiler says so too
]

FORCED = 123_456_789_000


def _books(treasury, transactions):
    """ETH in minus ETH out, from the treasury's own events in `transactions` (lists of logs)."""
    total = 0
    for logs in transactions:
        for log in logs:
            ev = log._asdict()
            if to_checksum_address(str(ev["address"])) != treasury.address:
                continue
            ev = Log(ev)
            name = type(log).__name__
            if name == "DuesPaid" and ev.asset == ETH:
                total += ev.amount
            elif name == "DonationReceived" and ev.asset == ETH:
                total += ev.amount
            elif name == "EthReceived":
                total += ev.amount
            elif name in ("Payment", "AidPaid") and ev.asset == ETH:
                total -= ev.amount
    return total


def _force(organizer, target, amount):
    """SELFDESTRUCTs `amount` onto `target`; the logs of that transaction."""
    sender = deploy("ForceSend", organizer, value=amount)
    sender.boom(target, sender=organizer)
    return sender.get_logs()


def _sent(contract_object):
    """The logs of the last transaction sent through `contract_object`."""
    return contract_object.get_logs()


def test_forced_eth_is_visible_in_the_books_and_spent_only_by_vote(
    collective, founders, organizer, outsider, gov_helpers, flow
):
    c = collective
    t = c.treasury
    receipts = []
    for f in founders:
        t.pay_dues(f, 12, sender=f, value=12 * DUES)
        receipts.append(_sent(t))
    t.donate(ETH, ONE, "seed", sender=outsider, value=ONE)
    receipts.append(_sent(t))
    receipts.append(transfer(outsider, t, 5 * 10**16))
    assert balance(t) == _books(t, receipts) == 36 * DUES + ONE + 5 * 10**16

    forced = _force(organizer, t, FORCED)
    assert [log for log in forced if to_checksum_address(str(log.address)) == t.address] == []
    assert balance(t) - _books(t, receipts) == FORCED
    # the next event's running balance shows the gap too
    t.donate(ETH, 1, sender=outsider, value=1)
    receipts.append(_sent(t))
    assert only(t, "DonationReceived").balance == _books(t, receipts) + FORCED

    before = balance(t)
    for who in (organizer, founders[0], outsider):
        with boa.reverts("treasury: only by vote"):
            t.pay(ETH, who, FORCED, sender=who)
        with boa.reverts("treasury: only by vote"):
            t.fund_pool(ETH, FORCED, sender=who)
        with boa.reverts("treasury: only the aid fund"):
            t.pay_aid(ETH, who, FORCED, 1, sender=who)
    assert balance(t) == before

    # by vote, money (forced or not) leaves with an event; the gap stays exactly the forced amount
    actions = [
        gov_helpers.action(t, "pay", ETH, outsider.address, FORCED),
        gov_helpers.action(t, "fund_pool", ETH, 10**15),
    ]
    flow.finish(c, flow.start(c, founders[0], actions, voters=founders), actions, founders[0])
    receipts.append(_sent(c.governor))
    assert balance(t) == before - FORCED
    assert balance(t) - _books(t, receipts) == FORCED
    # forced ETH is free money: the pool holds only what events put there
    assert t.pool(ETH) == 36 * DUES // 5 + 10**15


def test_eth_forced_into_the_governor_cannot_fund_actions(paid, founders, organizer, sink, flow):
    c = paid
    gov = c.governor
    _force(organizer, gov, FORCED)
    assert balance(gov) == FORCED
    actions = [(sink.address, FORCED, b"")]
    pid = flow.start(c, founders[0], actions, voters=founders)
    flow.queue(c, pid, founders[0])
    pending(gov.proposal(pid).eta)
    with boa.reverts("governor: wrong value"):
        gov.execute(pid, actions, sender=founders[0], value=0)
    assert sink.received() == 0
    gov.execute(pid, actions, sender=founders[0], value=FORCED)
    assert sink.received() == FORCED
    assert balance(gov) == FORCED  # the forced ETH is still there, unspent
