"""Attack: a job with no milestone (nothing can ever end it) or with too many (unbounded loops,
unreviewable jobs).

Defence: 1..16 milestones per job, enforced at creation (reason, or the ABI bound of the list)
and when adding; amounts and deadlines bounded.
"""

import boa
from utils.escrow_kit import ETH, MAX_MILESTONES, ONE


def test_zero_milestones(world, escrow, client, member):
    with boa.reverts("escrow: no milestones"):
        escrow.create_job(member, ETH, [], 0, b"", b"", b"", 0, sender=client)


def test_too_many_milestones_at_creation(world, escrow, client, member):
    many = [(1, boa.env.timestamp + 86_400)] * (MAX_MILESTONES + 1)
    with boa.reverts():  # the list's ABI bound: decoding fails
        escrow.create_job(member, ETH, many, 0, b"", b"", b"", 0, value=len(many), sender=client)


def test_too_many_milestones_by_adding(world, escrow, client):
    job = world.create(milestones=[(1, boa.env.timestamp + 86_400)] * (MAX_MILESTONES - 1))
    escrow.add_milestones(job.job_id, job.terms, [(1, boa.env.timestamp + 86_400)], value=1, sender=client)
    with boa.reverts("escrow: too many milestones"):
        escrow.add_milestones(job.job_id, job.terms, [(ONE, boa.env.timestamp + 86_400)], value=ONE, sender=client)
    assert escrow.job(job.job_id, job.terms).milestones == MAX_MILESTONES


def test_milestone_index_out_of_range(world, escrow, client, outsider):
    job = world.create()
    with boa.reverts("escrow: unknown milestone"):
        escrow.release(job.job_id, job.terms, MAX_MILESTONES, 1, sender=client)
    with boa.reverts("escrow: unknown milestone"):
        escrow.commit_vote(job.job_id, 256, [], 0, b"\x01" * 32, sender=outsider)
    with boa.reverts("escrow: unknown milestone"):
        escrow.reveal_vote(2**48, 0, 0, 0, b"", sender=outsider)
