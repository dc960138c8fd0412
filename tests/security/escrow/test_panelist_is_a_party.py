"""Attack: a party sits on its own panel (the worker, or a client who is also a member).

Defence: the draw skips both parties; hints are checked against the roll, so the drawer cannot
put anyone else in their place; a party cannot vote in a seat it does not hold.
"""

import boa
from utils.escrow_kit import block_header


def test_worker_and_member_client_are_never_seated(world, escrow, member, panelists):
    client = panelists[0]  # a member hiring a member
    for mix in range(1, 13):
        with boa.env.anchor():
            job = world.create(client=client, worker=member)
            world.deliver(job)
            world.dispute(job, sender=client)
            panel = world.draw(job, mix=bytes([mix]) * 32)
            assert member not in panel and client not in panel
            assert len(panel) == 3


def test_a_party_named_as_the_hint_is_skipped_not_seated(world, escrow, member, outsider):
    job = world.create(worker=member)
    world.deliver(job)
    world.dispute(job)
    for mix in range(1, 40):  # find randomness whose first draw is the worker
        header = world.header_for(job, mix=bytes([mix]) * 32)
        order = escrow.draw_order(job.job_id, job.terms, 0, header, 1)
        if order[0] == world.governor.roll_index(member):
            break
    else:
        raise AssertionError("no such randomness in 39 tries")
    hints = world.hints_for(job, header)
    assert hints[0] == member
    panel = list(escrow.draw_panel(job.job_id, job.terms, 0, header, hints, sender=outsider))
    assert member not in panel


def test_party_cannot_vote_in_a_seat(world, escrow, member, client):
    job = world.create(worker=member)
    world.deliver(job)
    world.dispute(job)
    panel = world.draw(job)
    for party in (member, client):
        with boa.reverts("escrow: not on the panel"):
            escrow.commit_vote(job.job_id, 0, panel, 0, b"\x01" * 32, sender=party)
        with boa.reverts("escrow: wrong panel"):
            escrow.commit_vote(job.job_id, 0, [party, *panel[1:]], 0, b"\x01" * 32, sender=party)


def test_header_of_another_block_cannot_steer_the_draw(world, escrow, outsider):
    job = world.create()
    world.deliver(job)
    world.dispute(job)
    world.header_for(job, mix=b"\x01" * 32)
    draw_block = escrow.milestone(job.job_id, job.terms, 0).draw_block
    chosen = block_header.synthetic(draw_block, b"\x02" * 32)  # the attacker's preferred mix
    with boa.reverts("escrow: wrong block header"):
        escrow.draw_panel(job.job_id, job.terms, 0, chosen, [], sender=outsider)
