"""Attack: an appeal filed, or ruled on, after its window, to reopen a final ruling.

Defence: an appeal is filed only within the appeal window after the reveal deadline; the
collective's ruling is accepted only before the appeal deadline; after it the panel's ruling
stands and anyone settles.
"""

import boa
from utils.escrow_kit import RULED_BY_PANEL, at, only


def ruled(world):
    job = world.create()
    world.deliver(job)
    world.dispute(job)
    panel = world.draw(job)
    world.vote(job, panel, [2000, 2000, 2000])
    return job, panel


def test_appeal_after_the_window(world, escrow, client, member):
    job, panel = ruled(world)
    at(world.deadlines(job).appeal_end)
    for party in (client, member):
        with boa.reverts("escrow: appeal window closed"):
            escrow.file_appeal(job.job_id, job.terms, 0, sender=party)
    world.settle(job, panel)
    assert only(escrow, "DisputeSettled").ruling == RULED_BY_PANEL


def test_ruling_after_the_appeal_deadline_is_refused(world, escrow, member):
    job, panel = ruled(world)
    times = world.deadlines(job)
    at(times.reveal_end)
    escrow.file_appeal(job.job_id, job.terms, 0, sender=member)
    at(times.appeal_deadline - 3 * 86_400)  # too late to start a 5-day vote
    with boa.reverts("escrow: appeal deadline passed"):
        world.by_vote(escrow, "rule_on_appeal", job.job_id, job.terms, 0, 9000)
    world.settle(job, panel)
    settled = only(escrow, "DisputeSettled")
    assert (settled.ruling, settled.split) == (RULED_BY_PANEL, 2000)


def test_ruling_on_a_settled_dispute_is_refused(world, escrow, member):
    job, panel = ruled(world)
    at(world.deadlines(job).appeal_end)
    world.settle(job, panel)
    with boa.reverts("escrow: no open dispute"):
        world.by_vote(escrow, "rule_on_appeal", job.job_id, job.terms, 0, 9000)


def test_second_ruling_is_refused(world, escrow, member):
    job, panel = ruled(world)
    at(world.deadlines(job).reveal_end)
    escrow.file_appeal(job.job_id, job.terms, 0, sender=member)
    world.by_vote(escrow, "rule_on_appeal", job.job_id, job.terms, 0, 9000)
    with boa.reverts("escrow: appeal already ruled"):
        world.by_vote(escrow, "rule_on_appeal", job.job_id, job.terms, 0, 1000)
