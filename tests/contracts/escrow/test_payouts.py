"""Refused payments are credited and withdrawn (withdraw, claimable); the treasury's receive_fee;
deposits of tokens that return nothing."""

import boa
import pytest
from utils.boa_stack import DAY, contract
from utils.escrow_kit import ETH, ONE, at, events, only

REFUSE, BURN = 1, 2


@pytest.fixture
def hostile_worker(world):
    """A member that is a contract (refusing ETH once armed), in good standing."""
    party = contract("HostileParty").deploy()
    world.by_vote(world.governor, "admit_member", party.address)
    world.treasury.pay_dues(party.address, 24, value=24 * 10**16, sender=world.client)
    return party


@pytest.mark.parametrize("mode", [REFUSE, BURN])
def test_refused_payment_is_credited_then_withdrawn(world, escrow, client, outsider, hostile_worker, mode):
    job = world.create(worker=hostile_worker.address)
    hostile_worker.set_mode(mode, outsider, b"")
    escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    deferred = only(escrow, "PaymentDeferred")
    net = ONE - ONE * job.fee_bps // 10_000
    assert (deferred.account, deferred.asset, deferred.amount, deferred.claimable) == (
        hostile_worker.address,
        ETH,
        net,
        net,
    )
    assert only(escrow, "Released").balance == net == boa.env.get_balance(escrow.address)
    assert escrow.claimable(hostile_worker.address, ETH) == net
    if mode == REFUSE:
        with boa.reverts("party: refuses ETH"):  # still refusing: the withdrawal reverts, the credit stays
            escrow.withdraw(hostile_worker.address, ETH, sender=outsider)
    hostile_worker.set_mode(0, outsider, b"")
    assert escrow.withdraw(hostile_worker.address, ETH, sender=outsider) == net
    withdrawn = only(escrow, "Withdrawn")
    assert (withdrawn.account, withdrawn.amount, withdrawn.balance) == (hostile_worker.address, net, 0)
    assert boa.env.get_balance(hostile_worker.address) == net
    assert escrow.claimable(hostile_worker.address, ETH) == 0


def test_nothing_to_withdraw(escrow, outsider):
    with boa.reverts("escrow: nothing to withdraw"):
        escrow.withdraw(outsider, ETH, sender=outsider)


def test_refusing_token_transfer_is_credited(world, escrow, token, client, member, outsider):
    job = world.create(asset=token.address, milestones=[(10**8, boa.env.timestamp + DAY)])
    token.set_mode(1, outsider, b"")  # transfers return false from now on
    escrow.release(job.job_id, job.terms, 0, 10**8, sender=client)
    deferred = events(escrow, "PaymentDeferred")
    fee = 10**8 * job.fee_bps // 10_000
    assert {(d.account, d.amount) for d in deferred} == {(world.treasury.address, fee), (member, 10**8 - fee)}
    assert events(escrow, "FeeReceived") == []  # the treasury only logs fees it received
    with boa.reverts("escrow: token transfer failed"):
        escrow.withdraw(member, token.address, sender=outsider)
    token.set_mode(0, outsider, b"")
    escrow.withdraw(member, token.address, sender=outsider)
    escrow.withdraw(world.treasury.address, token.address, sender=outsider)
    assert token.balanceOf(member) == 10**8 - fee
    assert token.balanceOf(world.treasury) == fee


def test_token_that_returns_nothing(world, escrow, client, member):
    usdt = contract("NoReturnToken").deploy()
    usdt.mint(client, 10**12)
    usdt.approve(escrow, 10**12, sender=client)
    job = world.create(asset=usdt.address, milestones=[(10**9, boa.env.timestamp + DAY)])
    assert usdt.balanceOf(escrow) == 10**9
    escrow.release(job.job_id, job.terms, 0, 10**9, sender=client)
    assert usdt.balanceOf(member) == 10**9 - 10**9 * job.fee_bps // 10_000
    # a blocked recipient: credited, not stuck
    job = world.create(asset=usdt.address, milestones=[(10**9, boa.env.timestamp + DAY)])
    usdt.block(member)
    escrow.release(job.job_id, job.terms, 0, 10**9, sender=client)
    assert escrow.claimable(member, usdt.address) == 10**9 - 10**9 * job.fee_bps // 10_000


def test_receive_fee_direct(world, treasury, outsider, token):
    treasury.receive_fee(ETH, 5, 42, value=5, sender=outsider)
    fee = only(treasury, "FeeReceived")
    assert (fee.source, fee.job_id, fee.asset, fee.amount) == (outsider, 42, ETH, 5)
    assert fee.balance == boa.env.get_balance(treasury.address)
    with boa.reverts("treasury: wrong ETH amount"):
        treasury.receive_fee(ETH, 5, 42, value=4, sender=outsider)
    with boa.reverts("treasury: zero amount"):
        treasury.receive_fee(ETH, 0, 42, sender=outsider)
    with boa.reverts("treasury: ETH sent for token fee"):
        treasury.receive_fee(token.address, 5, 42, value=1, sender=outsider)
    treasury.receive_fee(token.address, 5, 42, sender=outsider)  # a statement: only the escrow's count
    assert only(treasury, "FeeReceived").source == outsider


def test_credited_money_is_part_of_the_books(world, escrow, client, hostile_worker, outsider):
    job = world.create(worker=hostile_worker.address)
    hostile_worker.set_mode(REFUSE, outsider, b"")
    hostile_worker.act(
        escrow.address, escrow.deliver.prepare_calldata(job.job_id, job.terms, 0, b"\x01" * 32), 0, sender=outsider
    )
    at(boa.env.timestamp + job.review_window)
    escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)
    assert boa.env.get_balance(escrow.address) == escrow.claimable(hostile_worker.address, ETH) > 0
