"""Attack: a worker contract re-enters the escrow while it is being paid.

Defence: every value path holds the re-entrancy lock (`@nonreentrant`), the milestone is settled
before any payment leaves, and ETH pushes carry a fixed gas budget; money refused is credited.
"""

import boa
import pytest
from utils.boa_stack import contract
from utils.escrow_kit import ETH, ONE, at, events

REENTER = 3


@pytest.fixture
def party(world):
    party = contract("HostileParty").deploy()
    world.by_vote(world.governor, "admit_member", party.address)
    world.treasury.pay_dues(party.address, 24, value=24 * 10**16, sender=world.client)
    return party


def deliver_as(world, party, job):
    party.act(world.escrow.address, world.escrow.deliver.prepare_calldata(job.job_id, job.terms, 0, b"\x01" * 32), 0)


def test_reentering_release_after_review_is_locked_out(world, escrow, party, outsider):
    job = world.create(worker=party.address, milestones=[(ONE, boa.env.timestamp + 9 * 86_400)] * 2)
    deliver_as(world, party, job)
    again = escrow.release_after_review.prepare_calldata(job.job_id, job.terms, 0)
    party.set_mode(REENTER, escrow.address, again)
    at(boa.env.timestamp + job.review_window)
    escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)
    (inner,) = events(escrow, "Reentered")
    assert (inner.ok, inner.response) == (False, b"")  # the lock: a revert without data
    net = ONE - ONE * job.fee_bps // 10_000
    assert boa.env.get_balance(party.address) == net  # paid once, in the outer call
    assert boa.env.get_balance(escrow.address) == ONE  # milestone 1 untouched


def test_reentering_withdraw_during_withdraw_is_locked_out(world, escrow, party, outsider):
    job = world.create(worker=party.address)
    party.set_mode(1, outsider, b"")
    escrow.release(job.job_id, job.terms, 0, ONE, sender=world.client)
    owed = escrow.claimable(party.address, ETH)
    party.set_mode(REENTER, escrow.address, escrow.withdraw.prepare_calldata(party.address, ETH))
    escrow.withdraw(party.address, ETH, sender=outsider)  # all gas forwarded here
    (inner,) = events(escrow, "Reentered")
    assert (inner.ok, inner.response) == (False, b"")
    assert boa.env.get_balance(party.address) == owed and escrow.claimable(party.address, ETH) == 0


def test_reentering_settle_from_a_ruling_payment_is_locked_out(world, escrow, party, outsider):
    job = world.create(worker=party.address)
    deliver_as(world, party, job)
    world.dispute(job)
    panel = world.draw(job)
    world.vote(job, panel, [9000, 9000, 9000])
    at(world.deadlines(job).appeal_end)
    party.set_mode(REENTER, escrow.address, escrow.settle_dispute.prepare_calldata(job.job_id, job.terms, 0, panel))
    world.settle(job, panel)
    (inner,) = events(escrow, "Reentered")
    assert inner.ok is False
    assert boa.env.get_balance(escrow.address) == 0  # everything paid exactly once
