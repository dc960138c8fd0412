"""Attack: money of a disputed milestone moved around the panel (client release, release by
silence, worker refund, reclaim) or the dispute's milestone swapped.

Defence: a DISPUTED milestone only leaves through `settle_dispute`.
"""

import boa
from utils.boa_stack import travel
from utils.escrow_kit import ONE


def test_every_other_path_refuses_a_disputed_milestone(world, escrow, client, member, outsider):
    job = world.create()
    world.deliver(job)
    world.dispute(job)
    travel(job.review_window + 60 * 86_400)
    with boa.reverts("escrow: milestone disputed"):
        escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    with boa.reverts("escrow: milestone disputed"):
        escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)
    with boa.reverts("escrow: milestone disputed"):
        escrow.refund(job.job_id, job.terms, 0, ONE, sender=member)
    with boa.reverts("escrow: milestone disputed"):
        escrow.reclaim(job.job_id, job.terms, 0, sender=outsider)
    world.settle(job, [])  # never drawn: the default rule, by anyone
    assert boa.env.get_balance(escrow.address) == 0


def test_other_milestones_of_the_job_stay_free(world, escrow, client, outsider):
    deadline = boa.env.timestamp + 5 * 86_400
    job = world.create(milestones=[(ONE, deadline), (ONE, deadline)])
    world.deliver(job)
    world.dispute(job)
    escrow.release(job.job_id, job.terms, 1, ONE, sender=client)
    assert escrow.milestone(job.job_id, job.terms, 1).remaining == 0
