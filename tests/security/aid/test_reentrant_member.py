"""Attack: a member that is a contract re-enters the mutual-aid contract (or the treasury) while
its instalment is being paid, to be paid twice.

`contracts/test/ReentrantProbe.vy` holds a card, files its claim and withdraws through `call`;
when the ETH arrives it makes one armed call back and records the outcome.

Defence: `withdraw` is @nonreentrant and writes the months settled before the treasury pays;
the treasury's `pay_aid` is @nonreentrant too. The re-entrant call fails on the lock (no
revert data), the outer withdrawal pays once; with `bubble` the whole withdrawal reverts and
nothing moves.
"""

import boa
import pytest
from eth_abi import decode
from utils.aid import ONE, build_world, eth_balance, to_next_month
from utils.boa_stack import DAY, ETH, contract, travel

LOCKED = b""  # Vyper's re-entrancy lock reverts without data


@pytest.fixture(scope="module")
def hostile_world(stack, founders, organizer, member, voters, outsider):
    probe = contract("ReentrantProbe").deploy()
    w = build_world(stack, [probe.address, *founders[1:]], organizer)
    w.probe = probe
    return w


def _claim_and_approve(w, monthly, months):
    c, probe = w.c, w.probe
    to_next_month()
    data = c.aid.file_claim.prepare_calldata(0, monthly, months, b"\x01" * 32)
    out = probe.call(c.aid.address, data)
    cid = decode(["uint256"], out)[0]
    travel(3 * DAY)
    c.aid.settle(cid)
    to_next_month()
    return cid


def test_reentering_withdraw_pays_once(hostile_world):
    w = hostile_world
    c, probe = w.c, w.probe
    cid = _claim_and_approve(w, ONE // 4, 2)
    withdraw_data = c.aid.withdraw.prepare_calldata(cid)
    probe.arm(c.aid.address, withdraw_data, False)
    pool, balance = c.treasury.pool(ETH), eth_balance(probe.address)
    probe.call(c.aid.address, withdraw_data)
    assert (probe.tries(), probe.last_ok(), probe.last_response()) == (1, False, LOCKED)
    assert probe.received() == ONE // 4
    assert eth_balance(probe.address) == balance + ONE // 4
    assert c.treasury.pool(ETH) == pool - ONE // 4
    assert c.aid.claim(cid).months_settled == 1
    # outside the lock the same call gets past it: nothing is due until next month
    with boa.reverts("aid: nothing due yet"):
        probe.call(c.aid.address, withdraw_data)


def test_reentering_the_treasury_is_locked_too(hostile_world):
    w = hostile_world
    c, probe = w.c, w.probe
    cid = _claim_and_approve(w, ONE // 4, 1)
    probe.arm(c.treasury.address, c.treasury.pay_aid.prepare_calldata(ETH, probe.address, ONE, cid), False)
    probe.call(c.aid.address, c.aid.withdraw.prepare_calldata(cid))
    assert (probe.tries(), probe.last_ok(), probe.last_response()) == (1, False, LOCKED)
    assert probe.received() == ONE // 4


def test_a_reverting_member_gets_nothing_and_keeps_its_instalment(hostile_world):
    w = hostile_world
    c, probe = w.c, w.probe
    cid = _claim_and_approve(w, ONE // 4, 1)
    data = c.aid.withdraw.prepare_calldata(cid)
    probe.arm(c.aid.address, data, True)
    pool = c.treasury.pool(ETH)
    with boa.reverts("probe: inner call failed"):
        probe.call(c.aid.address, data)
    assert probe.received() == 0
    assert c.treasury.pool(ETH) == pool
    assert c.aid.claim(cid).months_settled == 0
    probe.arm(c.aid.address, data, False)
    probe.call(c.aid.address, data)
    assert probe.received() == ONE // 4
