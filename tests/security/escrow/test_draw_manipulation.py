"""Attack: a drawer steers the panel: draws before the randomness exists, hands a header of its
choice, names other members than the drawn ones, stops early to leave seats empty, or re-arms a
draw it dislikes.

Defence: the seed is the prevrandao of a block fixed at the opening, read from a header whose
hash must be that block's; each hint must hold the drawn roll index; the walk continues until
the panel is full (or 32 attempts); re-arming is possible only once the draw block is out of
blockhash's reach and the panel is undrawn.
"""

import boa
from utils.boa_stack import mine
from utils.escrow_kit import BLOCKHASH_WINDOW, block_header


def disputed(world):
    job = world.create()
    world.deliver(job)
    world.dispute(job)
    return job


def test_too_early_and_chosen_headers(world, escrow, outsider):
    job = disputed(world)
    draw_block = escrow.milestone(job.job_id, job.terms, 0).draw_block
    with boa.reverts("escrow: draw block not mined yet"):
        escrow.draw_panel(
            job.job_id, job.terms, 0, block_header.synthetic(draw_block, b"\x01" * 32), [], sender=outsider
        )
    world.header_for(job, mix=b"\x01" * 32)
    with boa.reverts("escrow: wrong block header"):
        escrow.draw_panel(
            job.job_id, job.terms, 0, block_header.synthetic(draw_block, b"\x02" * 32), [], sender=outsider
        )


def test_hints_are_checked_and_the_panel_filled(world, escrow, outsider):
    job = disputed(world)
    header = world.header_for(job)
    hints = world.hints_for(job, header)
    with boa.reverts("escrow: more hints needed"):
        escrow.draw_panel(job.job_id, job.terms, 0, header, hints[:1], sender=outsider)
    swapped = list(reversed(hints))
    if swapped != hints:
        with boa.reverts("escrow: hint does not hold the drawn index"):
            escrow.draw_panel(job.job_id, job.terms, 0, header, swapped, sender=outsider)
    panel = escrow.draw_panel(job.job_id, job.terms, 0, header, hints + [outsider] * 3, sender=outsider)
    assert len(panel) == 3  # extra hints are ignored


def test_rearm_only_out_of_reach_and_undrawn(world, escrow, outsider):
    job = disputed(world)
    world.header_for(job)
    with boa.reverts("escrow: draw block still in reach"):
        escrow.rearm_draw(job.job_id, job.terms, 0, sender=outsider)
    mine(BLOCKHASH_WINDOW)
    escrow.rearm_draw(job.job_id, job.terms, 0, sender=outsider)
    with boa.reverts("escrow: draw block still in reach"):
        escrow.rearm_draw(job.job_id, job.terms, 0, sender=outsider)  # the new block is fresh
