"""Attack: reviews that no finished job backs: by a third party, before the job ended, twice, or
for a job of another collective.

Defence: `review` needs the job's id and terms (hashed into its storage key), the caller must be
its client or worker, every milestone must be settled, and one bit per side allows one review.
"""

import boa
import pytest
from utils.boa_stack import create_collective
from utils.escrow_kit import ONE


def finished(world, escrow, client):
    job = world.create()
    escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    return job


def test_third_party_review(world, escrow, client, outsider, panelists, organizer):
    job = finished(world, escrow, client)
    for who in (outsider, panelists[0], organizer, world.treasury.address, world.governor.address):
        with boa.reverts("escrow: only a party"):
            escrow.review(job.job_id, job.terms, 5, b"", sender=who)


def test_review_before_the_end(world, escrow, client, member):
    job = world.create()
    world.deliver(job)
    for party in (client, member):
        with boa.reverts("escrow: job not ended"):
            escrow.review(job.job_id, job.terms, 1, b"", sender=party)
    world.dispute(job)
    with boa.reverts("escrow: job not ended"):
        escrow.review(job.job_id, job.terms, 1, b"", sender=member)


def test_review_twice(world, escrow, client, member):
    job = finished(world, escrow, client)
    escrow.review(job.job_id, job.terms, 1, b"", sender=member)
    with boa.reverts("escrow: already reviewed"):
        escrow.review(job.job_id, job.terms, 5, b"", sender=member)


@pytest.mark.filterwarnings("ignore:casted bytecode")
def test_review_of_a_job_of_another_collective(world, escrow, client, member):
    job = finished(world, escrow, client)
    other = create_collective(world.stack, world.founders[:2], name="Other")
    with boa.reverts("escrow: unknown job"):
        other.escrow.review(job.job_id, job.terms, 5, b"", sender=client)


def test_forged_terms_make_no_review(world, escrow, client, outsider):
    job = finished(world, escrow, client)
    forged = (outsider, *job.terms[1:])
    with boa.reverts("escrow: unknown job"):
        escrow.review(job.job_id, forged, 1, b"", sender=outsider)
