"""Attack: the same money paid twice (release twice, silence after a full release, release after
a refund, reclaim after a release).

Defence: every payout takes from the milestone's remaining amount first; at zero the milestone is
settled and every path refuses it.
"""

import boa
from utils.boa_stack import DAY, travel
from utils.escrow_kit import ONE


def test_release_then_release(world, escrow, client):
    job = world.create()
    escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    with boa.reverts("escrow: milestone settled"):
        escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    assert boa.env.get_balance(escrow.address) == 0


def test_partial_releases_cannot_exceed_the_milestone(world, escrow, client):
    job = world.create()
    escrow.release(job.job_id, job.terms, 0, ONE - 1, sender=client)
    with boa.reverts("escrow: amount above the milestone's balance"):
        escrow.release(job.job_id, job.terms, 0, 2, sender=client)
    escrow.release(job.job_id, job.terms, 0, 1, sender=client)


def test_silence_after_a_full_release(world, escrow, client, outsider):
    job = world.create()
    world.deliver(job)
    escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    travel(job.review_window)
    with boa.reverts("escrow: milestone settled"):
        escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)


def test_release_after_a_refund_and_reclaim_after_a_release(world, escrow, client, member, outsider):
    job = world.create(milestones=[(ONE, boa.env.timestamp + DAY)] * 2)
    escrow.refund(job.job_id, job.terms, 0, ONE, sender=member)
    with boa.reverts("escrow: milestone settled"):
        escrow.release(job.job_id, job.terms, 0, 1, sender=client)
    escrow.release(job.job_id, job.terms, 1, ONE, sender=client)
    travel(2 * DAY)
    with boa.reverts("escrow: milestone settled"):
        escrow.reclaim(job.job_id, job.terms, 1, sender=outsider)
    assert boa.env.get_balance(escrow.address) == 0


def test_a_settled_dispute_cannot_be_settled_again(world, escrow):
    job = world.create()
    world.deliver(job)
    world.dispute(job)
    panel = world.draw(job)
    world.vote(job, panel, [5000, 5000, 5000])
    travel(2 * DAY)
    world.settle(job, panel)
    with boa.reverts("escrow: no open dispute"):
        world.settle(job, panel)
