"""Attack: a fee above the cap, or a fee raised under running jobs.

Defence: settings are checked against the contract's caps (fee ≤ 5%, dispute fee ≤ 10%) and only
change by vote; each job keeps the fee and dispute rules fixed at its creation.
"""

import boa
from utils.escrow_kit import DEFAULTS, ONE, EscrowSettings, only


def test_fee_above_the_cap_is_refused_even_by_vote(world, escrow):
    with boa.reverts("escrow: fee above cap"):
        world.by_vote(escrow, "set_settings", EscrowSettings(fee_bps=501).as_tuple())
    with boa.reverts("escrow: dispute fee above cap"):
        world.by_vote(escrow, "set_settings", EscrowSettings(dispute_fee_bps=1001).as_tuple())
    assert escrow.settings_version() == 0


def test_nobody_but_the_vote_sets_the_fee(world, escrow, organizer, member):
    for who in (organizer, member, world.governor.address):
        with boa.reverts("escrow: only by vote"):
            escrow.set_settings(EscrowSettings(fee_bps=500).as_tuple(), sender=who)


def test_a_raised_fee_does_not_reach_running_jobs(world, escrow, client):
    job = world.create()
    world.by_vote(escrow, "set_settings", EscrowSettings(fee_bps=500).as_tuple())
    escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    assert only(escrow, "Released").fee == ONE * DEFAULTS.fee_bps // 10_000
    raised = (job.client, job.worker, job.asset, 500, job.review_window, 1)  # claiming the new terms
    with boa.reverts("escrow: unknown milestone"):
        escrow.release(job.job_id, raised, 0, 1, sender=client)


def test_fee_at_the_cap(world, escrow, client):
    world.by_vote(escrow, "set_settings", EscrowSettings(fee_bps=500).as_tuple())
    job = world.create()
    escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    assert only(escrow, "Released").fee == ONE // 20
