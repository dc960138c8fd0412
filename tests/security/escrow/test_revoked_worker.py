"""Attack: the collective revokes (or the worker resigns) mid-job, and the client uses it to keep
delivered work unpaid.

Defence: a job keeps the terms of its creation: delivered work is paid by silence or by a ruling
whatever the worker's membership; only undelivered work may be reclaimed early by the client.
"""

import boa
from utils.boa_stack import travel
from utils.escrow_kit import ONE, at


def test_delivered_work_of_a_revoked_worker_is_paid_by_silence(world, escrow, client, outsider):
    worker = world.founders[2]
    job = world.create(worker=worker, milestones=[(ONE, boa.env.timestamp + 20 * 86_400)] * 2)
    world.deliver(job)
    world.by_vote(world.governor, "revoke_member", worker)
    assert not world.governor.is_member(worker)
    before = boa.env.get_balance(worker)
    with boa.reverts("escrow: milestone delivered"):
        escrow.reclaim(job.job_id, job.terms, 0, sender=client)
    at(escrow.milestone(job.job_id, job.terms, 0).delivered_at + job.review_window)
    escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)
    assert boa.env.get_balance(worker) == before + ONE - ONE * job.fee_bps // 10_000


def test_undelivered_work_of_a_revoked_worker_returns_to_the_client(world, escrow, client):
    worker = world.founders[2]
    job = world.create(worker=worker)
    world.by_vote(world.governor, "revoke_member", worker)
    escrow.reclaim(job.job_id, job.terms, 0, sender=client)
    assert escrow.job(job.job_id, job.terms).ended


def test_a_revoked_worker_still_wins_a_dispute(world, escrow, client):
    worker = world.founders[2]
    job = world.create(worker=worker)
    world.deliver(job)
    world.dispute(job)
    world.governor.resign(sender=worker)
    panel = world.draw(job)
    assert worker not in panel
    world.vote(job, panel, [10_000, 10_000, 10_000])
    travel(2 * 86_400)
    before = boa.env.get_balance(worker)
    world.settle(job, panel)
    assert boa.env.get_balance(worker) - before == ONE - ONE * job.fee_bps // 10_000


def test_new_work_needs_a_member_in_good_standing(world, escrow, client):
    worker = world.founders[2]
    job = world.create(worker=worker)
    world.governor.resign(sender=worker)
    with boa.reverts("escrow: worker not in good standing"):
        escrow.add_milestones(job.job_id, job.terms, [(ONE, boa.env.timestamp + 86_400)], value=ONE, sender=client)
    with boa.reverts("escrow: worker not in good standing"):
        world.create(worker=worker)
