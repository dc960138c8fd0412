"""Attack: the client disputes after the review window to stall a payment it owes by silence.

Defence: `open_dispute` only within the review window; after it anyone releases the milestone.
"""

import boa
from utils.escrow_kit import at


def test_dispute_one_second_late_is_refused_and_silence_pays(world, escrow, client, outsider):
    job = world.create()
    world.deliver(job)
    at(boa.env.timestamp + job.review_window)
    with boa.reverts("escrow: review window closed"):
        world.dispute(job)
    escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)
    with boa.reverts("escrow: milestone settled"):
        world.dispute(job)


def test_last_second_dispute_blocks_silence(world, escrow, outsider):
    job = world.create()
    world.deliver(job)
    at(boa.env.timestamp + job.review_window - 1)
    world.dispute(job)
    with boa.reverts("escrow: milestone disputed"):
        escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)


def test_undelivered_work_cannot_be_disputed(world, escrow):
    job = world.create()
    with boa.reverts("escrow: milestone not delivered"):
        world.dispute(job)
