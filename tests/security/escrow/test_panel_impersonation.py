"""Attack: someone votes in a seat that is not theirs: a non-panelist, a panelist in another seat,
a copy of another panelist's sealed vote, a reveal of someone else's vote, a forged panel list.

Defence: commits are checked against the stored hash of the drawn panel and the caller's seat;
a commitment binds the voter's address, the dispute and the escrow, so it can be neither copied
nor opened by anyone else.
"""

import boa
from utils.escrow_kit import salt


def drawn(world):
    job = world.create()
    world.deliver(job)
    world.dispute(job)
    return job, world.draw(job)


def test_outsider_and_other_seat(world, escrow, outsider):
    job, panel = drawn(world)
    c = b"\x01" * 32
    with boa.reverts("escrow: not on the panel"):
        escrow.commit_vote(job.job_id, 0, panel, 0, c, sender=outsider)
    with boa.reverts("escrow: not on the panel"):
        escrow.commit_vote(job.job_id, 0, panel, 1, c, sender=panel[0])
    with boa.reverts("escrow: wrong panel"):
        escrow.commit_vote(job.job_id, 0, [outsider, panel[1], panel[2]], 0, c, sender=outsider)


def test_copied_commitment_cannot_be_opened_by_the_copier(world, escrow):
    job, panel = drawn(world)
    honest = escrow.commitment(job.job_id, 0, panel[0], 8000, salt(0))
    escrow.commit_vote(job.job_id, 0, panel, 0, honest, sender=panel[0])
    escrow.commit_vote(job.job_id, 0, panel, 1, honest, sender=panel[1])  # a copy
    world.to_reveal(job)
    escrow.reveal_vote(job.job_id, 0, 0, 8000, salt(0), sender=panel[0])
    with boa.reverts("escrow: vote does not match commitment"):
        escrow.reveal_vote(job.job_id, 0, 1, 8000, salt(0), sender=panel[1])


def test_nobody_opens_another_seat(world, escrow, outsider):
    job, panel = drawn(world)
    world.commit(job, panel, [3000, 3000, 3000])
    world.to_reveal(job)
    for intruder in (outsider, panel[1], job.worker, job.client):
        with boa.reverts("escrow: vote does not match commitment"):
            escrow.reveal_vote(job.job_id, 0, 0, 3000, salt(0), sender=intruder)


def test_votes_do_not_cross_disputes(world, escrow):
    a, panel_a = drawn(world)
    b = world.create()
    world.deliver(b)
    world.dispute(b)
    panel_b = world.draw(b)
    shared = [p for p in panel_a if p in panel_b]
    if not shared:
        return  # different panels: nothing to cross
    who = shared[0]
    c = escrow.commitment(a.job_id, 0, who, 1000, salt(0))
    escrow.commit_vote(b.job_id, 0, panel_b, panel_b.index(who), c, sender=who)
    world.to_reveal(b)
    with boa.reverts("escrow: vote does not match commitment"):
        escrow.reveal_vote(b.job_id, 0, panel_b.index(who), 1000, salt(0), sender=who)
