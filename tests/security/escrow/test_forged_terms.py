"""Attack: calling with forged job terms (another worker, a lower fee, other dispute rules,
another asset) or another job's id, or a job of another collective's escrow.

Defence: a job's storage key is keccak256(job id, terms): any other terms or id name no job, so
every call refuses them ("unknown milestone" / "unknown job").
"""

import boa
import pytest
from utils.boa_stack import create_collective
from utils.escrow_kit import ONE


@pytest.mark.parametrize("field,value", [(1, "worker"), (2, "asset"), (3, 0), (4, 86_400), (5, 1), (0, "client")])
def test_any_other_term_names_no_job(world, escrow, client, member, outsider, token, field, value):
    job = world.create()
    forged = list(job.terms)
    forged[field] = {"worker": outsider, "asset": token.address, "client": outsider}.get(value, value)
    sender = forged[0]
    with boa.reverts("escrow: unknown milestone"):
        escrow.release(job.job_id, tuple(forged), 0, ONE, sender=sender)
    with boa.reverts("escrow: unknown job"):
        escrow.add_milestones(job.job_id, tuple(forged), [(ONE, boa.env.timestamp + 86_400)], value=ONE, sender=sender)
    assert escrow.job(job.job_id, tuple(forged)).milestones == 0


def test_another_jobs_id(world, escrow, client, panelists):
    a, b = world.create(), world.create(worker=panelists[0])
    with boa.reverts("escrow: unknown milestone"):
        escrow.release(b.job_id, a.terms, 0, ONE, sender=client)
    with boa.reverts("escrow: unknown milestone"):
        escrow.release(a.job_id, b.terms, 0, ONE, sender=client)


@pytest.mark.filterwarnings("ignore:casted bytecode")
def test_a_job_of_another_collective(world, escrow, client):
    job = world.create()
    other = create_collective(world.stack, world.founders[:2], name="Other")
    with boa.reverts("escrow: unknown milestone"):
        other.escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    assert other.escrow.job(job.job_id, job.terms).milestones == 0
