"""Claim deposits: paid with the claim, returned when approved, ended or tied (`reclaim_deposit`),
kept in the pool when denied."""

import boa
import pytest
from utils.aid import AGAINST, EVIDENCE, FOR, ILLNESS, ONE, eth_balance, file, set_terms, vote
from utils.boa_stack import DAY, ETH, events, travel

DEPOSIT = ONE // 100


@pytest.fixture(scope="module")
def world(world):
    set_terms(world, deposit=DEPOSIT)
    return world


def test_deposit_is_paid_with_the_claim(c, member):
    with boa.env.prank(member), boa.reverts("aid: wrong deposit"):
        c.aid.file_claim(ILLNESS, ONE // 4, 1, EVIDENCE, value=DEPOSIT - 1)
    with boa.env.prank(member), boa.reverts("aid: wrong deposit"):
        c.aid.file_claim(ILLNESS, ONE // 4, 1, EVIDENCE)
    cid = file(c, member, ONE // 4, value=DEPOSIT)
    assert eth_balance(c.aid.address) == DEPOSIT
    assert c.aid.claim(cid).deposit_held


def test_without_a_deposit_term_no_value_is_taken(world, c, member):
    set_terms(world, deposit=0)
    with boa.env.prank(member), boa.reverts("aid: no deposit due"):
        c.aid.file_claim(ILLNESS, ONE // 4, 1, EVIDENCE, value=1)


def test_returned_after_approval(c, member, voters):
    cid = file(c, member, ONE // 4, value=DEPOSIT)
    with boa.env.prank(member), boa.reverts("aid: claim not decided"):
        c.aid.reclaim_deposit(cid)
    travel(3 * DAY)
    c.aid.settle(cid)
    with boa.env.prank(voters[0]), boa.reverts("aid: not the claimant"):
        c.aid.reclaim_deposit(cid)
    before = eth_balance(member)
    with boa.env.prank(member):
        c.aid.reclaim_deposit(cid)
    (ev,) = events(c.aid, "DepositReturned")
    assert (ev.claim_id, ev.member, ev.amount) == (cid, member, DEPOSIT)
    assert eth_balance(member) == before + DEPOSIT
    assert not c.aid.claim(cid).deposit_held
    with boa.env.prank(member), boa.reverts("aid: no deposit held"):
        c.aid.reclaim_deposit(cid)


def test_returned_when_tied(c, member, voters):
    cid = file(c, member, ONE // 2, 3, value=DEPOSIT)
    vote(c, voters[0], cid, FOR)
    vote(c, voters[1], cid, AGAINST)
    travel(4 * DAY)
    c.aid.settle(cid)
    with boa.env.prank(member):
        c.aid.reclaim_deposit(cid)
    assert eth_balance(c.aid.address) == 0


def test_kept_in_the_pool_when_denied(c, member, voters):
    cid = file(c, member, ONE // 2, 3, value=DEPOSIT)
    vote(c, voters[0], cid, AGAINST)
    vote(c, voters[1], cid, AGAINST)
    travel(4 * DAY)
    pool = c.treasury.pool(ETH)
    c.aid.settle(cid)
    logs = {type(e).__name__: e for e in c.aid.get_logs()}
    assert (logs["DepositKept"].claim_id, logs["DepositKept"].amount) == (cid, DEPOSIT)
    d = logs["DonationReceived"]
    assert (d.donor, d.asset, d.amount, d.to_pool, d.pool) == (c.aid.address, ETH, DEPOSIT, DEPOSIT, pool + DEPOSIT)
    assert c.treasury.pool(ETH) == pool + DEPOSIT
    assert eth_balance(c.aid.address) == 0
    with boa.env.prank(member), boa.reverts("aid: no deposit held"):
        c.aid.reclaim_deposit(cid)


def test_reclaim_before_the_next_claim(c, member):
    cid = file(c, member, ONE // 4, value=DEPOSIT)
    travel(3 * DAY)
    c.aid.settle(cid)
    travel(100 * DAY)  # its instalment lapsed: the claim is closed
    with boa.env.prank(member), boa.reverts("aid: reclaim the deposit first"):
        c.aid.file_claim(ILLNESS, ONE // 4, 1, EVIDENCE, value=DEPOSIT)
    with boa.env.prank(member):
        c.aid.reclaim_deposit(cid)
    file(c, member, ONE // 4, value=DEPOSIT)
