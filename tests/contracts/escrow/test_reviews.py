"""review: each party of an ended job reviews the other once."""

import boa
import pytest
from utils.boa_stack import DAY, travel
from utils.escrow_kit import ONE, only


@pytest.fixture
def ended(world, escrow, client):
    job = world.create()
    escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    return job


def test_both_parties_review_once(world, escrow, ended, client, member):
    escrow.review(ended.job_id, ended.terms, 5, b"\x0a" * 32, sender=client)
    r = only(escrow, "Reviewed")
    assert (r.job_id, r.reviewer, r.reviewee, r.rating, r.text_hash, r.by_client) == (
        ended.job_id,
        client,
        member,
        5,
        b"\x0a" * 32,
        True,
    )
    escrow.review(ended.job_id, ended.terms, 1, b"\x0b" * 32, sender=member)
    r = only(escrow, "Reviewed")
    assert (r.reviewer, r.reviewee, r.rating, r.by_client) == (member, client, 1, False)
    state = escrow.job(ended.job_id, ended.terms)
    assert (state.ended, state.client_reviewed, state.worker_reviewed) == (True, True, True)


def test_a_client_who_paid_nothing_can_be_reviewed(world, escrow, member, outsider):
    job = world.create()
    travel(31 * DAY)
    escrow.reclaim(job.job_id, job.terms, 0, sender=outsider)
    escrow.review(job.job_id, job.terms, 2, b"\x01" * 32, sender=member)
    assert only(escrow, "Reviewed").reviewee == job.client


def test_ended_by_a_ruling(world, escrow, client):
    job = world.create()
    world.deliver(job)
    world.dispute(job)
    travel(3 * DAY)
    world.settle(job, [])
    escrow.review(job.job_id, job.terms, 4, b"\x01" * 32, sender=client)


def test_ratings_one_to_five(world, escrow, ended, client, member):
    for bad in (0, 6):
        with boa.reverts("escrow: rating out of range"):
            escrow.review(ended.job_id, ended.terms, bad, b"", sender=client)
    escrow.review(ended.job_id, ended.terms, 1, b"", sender=client)
    escrow.review(ended.job_id, ended.terms, 5, b"", sender=member)


def test_not_before_the_end(world, escrow, client, member):
    job = world.create(milestones=[(ONE, boa.env.timestamp + DAY)] * 2)
    escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    for party in (client, member):
        with boa.reverts("escrow: job not ended"):
            escrow.review(job.job_id, job.terms, 3, b"", sender=party)


def test_not_twice(world, escrow, ended, client):
    escrow.review(ended.job_id, ended.terms, 3, b"", sender=client)
    with boa.reverts("escrow: already reviewed"):
        escrow.review(ended.job_id, ended.terms, 4, b"", sender=client)


def test_only_the_parties(world, escrow, ended, outsider, panelists):
    for who in (outsider, panelists[0]):
        with boa.reverts("escrow: only a party"):
            escrow.review(ended.job_id, ended.terms, 3, b"", sender=who)


def test_unknown_job(world, escrow, ended, client):
    with boa.reverts("escrow: unknown job"):
        escrow.review(ended.job_id + 1, ended.terms, 3, b"", sender=client)


def test_a_reviewed_job_takes_no_more_milestones(world, escrow, ended, member, client):
    escrow.review(ended.job_id, ended.terms, 3, b"", sender=member)
    with boa.reverts("escrow: job closed by a review"):
        escrow.add_milestones(ended.job_id, ended.terms, [(ONE, boa.env.timestamp + DAY)], value=ONE, sender=client)


def test_a_settled_job_may_grow_before_any_review(world, escrow, ended, client):
    escrow.add_milestones(ended.job_id, ended.terms, [(ONE, boa.env.timestamp + DAY)], value=ONE, sender=client)
    with boa.reverts("escrow: job not ended"):
        escrow.review(ended.job_id, ended.terms, 3, b"", sender=client)
