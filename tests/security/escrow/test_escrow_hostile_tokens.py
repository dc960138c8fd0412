"""Attack: hostile job tokens: fee on transfer, false returns, re-entry from the token.

Defence: deposits are measured (balance before and after) and must arrive whole; a false return
is a failure; every value path holds the re-entrancy lock; payouts a token refuses are credited.
"""

import boa
from utils.boa_stack import DAY, contract
from utils.escrow_kit import events

FALSE, FEE = 1, 2


def test_fee_on_transfer_token_refused_at_creation(world, token, outsider):
    token.set_mode(FEE, outsider, b"")
    with boa.reverts("escrow: token delivered a different amount"):
        world.create(asset=token.address, milestones=[(10**8, boa.env.timestamp + DAY)])


def test_fee_on_transfer_refused_for_the_dispute_fee(world, token, outsider):
    job = world.create(asset=token.address, milestones=[(10**8, boa.env.timestamp + DAY)])
    world.deliver(job)
    token.set_mode(FEE, outsider, b"")
    with boa.reverts("escrow: token delivered a different amount"):
        world.dispute(job)


def test_false_returning_token_refused_at_deposit(world, token, outsider):
    token.set_mode(FALSE, outsider, b"")
    with boa.reverts("escrow: token transfer failed"):
        world.create(asset=token.address, milestones=[(10**8, boa.env.timestamp + DAY)])


def test_reentrant_token_cannot_reenter_any_value_path(world, escrow, client, member):
    rt = contract("ReentrantToken").deploy()
    rt.mint(client, 10**30)
    rt.approve(escrow, 2**256 - 1, sender=client)
    job = world.create(asset=rt.address, milestones=[(10**9, boa.env.timestamp + DAY)] * 2)
    # armed: during the payout transfer the token calls release of the other milestone
    rt.arm(escrow.address, escrow.release.prepare_calldata(job.job_id, job.terms, 1, 10**9))
    escrow.release(job.job_id, job.terms, 0, 10**9, sender=client)
    # two transfers (fee to the treasury, pay to the worker): both re-entries hit the lock
    assert rt.tries() == 2 and rt.last_ok() is False and rt.last_response() == b""
    assert escrow.milestone(job.job_id, job.terms, 1).remaining == 10**9
    # and during a deposit
    rt.arm(escrow.address, escrow.refund.prepare_calldata(job.job_id, job.terms, 1, 10**9))
    world.create(asset=rt.address, milestones=[(10**9, boa.env.timestamp + DAY)])
    assert rt.last_ok() is False


def test_token_turning_hostile_after_deposit_strands_nothing(world, escrow, token, client, member, outsider):
    job = world.create(asset=token.address, milestones=[(10**8, boa.env.timestamp + DAY)])
    token.set_mode(FALSE, outsider, b"")
    escrow.refund(job.job_id, job.terms, 0, 10**8, sender=member)
    assert [(e.account, e.amount) for e in events(escrow, "PaymentDeferred")] == [(client, 10**8)]
    assert escrow.job(job.job_id, job.terms).ended
    token.set_mode(0, outsider, b"")
    escrow.withdraw(client, token.address, sender=outsider)
    assert token.balanceOf(escrow) == 0


def test_asset_must_be_a_contract(world, outsider):
    with boa.reverts("escrow: asset is not a contract"):
        world.create(asset=outsider, milestones=[(1, boa.env.timestamp + DAY)], value=0)
