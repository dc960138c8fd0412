"""deliver, release, release_after_review, refund, reclaim: the paths without a dispute."""

import boa
import pytest
from utils.boa_stack import DAY, travel
from utils.escrow_kit import DELIVERED, ETH, FUNDED, ONE, SETTLED, at, events, only


def fee_of(amount, job):
    return amount * job.fee_bps // 10_000


# ---------------------------------------------------------------- deliver


def test_deliver_starts_the_review_window(world, escrow, member):
    job = world.create()
    escrow.deliver(job.job_id, job.terms, 0, b"\x33" * 32, sender=member)
    delivered = only(escrow, "Delivered")
    now = boa.env.timestamp
    assert (delivered.job_id, delivered.milestone, delivered.evidence) == (job.job_id, 0, b"\x33" * 32)
    assert delivered.review_end == now + job.review_window
    m = escrow.milestone(job.job_id, job.terms, 0)
    assert (m.stage, m.delivered_at, m.remaining) == (DELIVERED, now, ONE)


def test_deliver_only_worker_once_by_deadline(world, escrow, client, member):
    job = world.create()
    with boa.reverts("escrow: only the worker"):
        escrow.deliver(job.job_id, job.terms, 0, b"", sender=client)
    with boa.reverts("escrow: unknown milestone"):
        escrow.deliver(job.job_id, job.terms, 1, b"", sender=member)
    world.deliver(job)
    with boa.reverts("escrow: already delivered"):
        world.deliver(job)
    late = world.create()
    at(late.milestones[0][1])
    world.deliver(late)  # the deadline second itself is in time
    later = world.create()
    at(later.milestones[0][1] + 1)
    with boa.reverts("escrow: deadline passed"):
        world.deliver(later)


def test_deliver_refused_once_settled(world, escrow, client):
    job = world.create()
    escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    with boa.reverts("escrow: milestone settled"):
        world.deliver(job)


# ---------------------------------------------------------------- release


def test_release_part_pays_worker_and_fee(world, escrow, treasury, client, member):
    job = world.create()
    worker_before = boa.env.get_balance(member)
    treasury_before = boa.env.get_balance(treasury.address)
    escrow.release(job.job_id, job.terms, 0, ONE // 4, sender=client)
    released = only(escrow, "Released")
    fee = only(escrow, "FeeReceived")
    f = fee_of(ONE // 4, job)
    assert (released.job_id, released.milestone, released.amount, released.fee) == (job.job_id, 0, ONE // 4, f)
    assert (released.remaining, released.by_silence) == (ONE - ONE // 4, False)
    assert released.balance == boa.env.get_balance(escrow.address)
    assert (fee.source, fee.job_id, fee.asset, fee.amount) == (escrow.address, job.job_id, ETH, f)
    assert fee.balance == boa.env.get_balance(treasury.address) == treasury_before + f
    assert boa.env.get_balance(member) == worker_before + ONE // 4 - f
    m = escrow.milestone(job.job_id, job.terms, 0)
    assert (m.remaining, m.stage) == (ONE - ONE // 4, FUNDED)


def test_release_whole_settles_and_ends_the_job(world, escrow, client):
    job = world.create()
    escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    m = escrow.milestone(job.job_id, job.terms, 0)
    assert (m.remaining, m.stage) == (0, SETTLED)
    assert escrow.job(job.job_id, job.terms).ended
    with boa.reverts("escrow: milestone settled"):
        escrow.release(job.job_id, job.terms, 0, 1, sender=client)


def test_release_a_delivered_milestone_before_the_window(world, escrow, client):
    job = world.create()
    world.deliver(job)
    escrow.release(job.job_id, job.terms, 0, ONE, sender=client)
    assert only(escrow, "Released").by_silence is False


def test_release_token_job(world, escrow, token, treasury, client, member):
    job = world.create(asset=token.address, milestones=[(10**8, boa.env.timestamp + DAY)])
    escrow.release(job.job_id, job.terms, 0, 10**8, sender=client)
    fee = only(escrow, "FeeReceived")
    released = only(escrow, "Released")
    assert token.balanceOf(member) == 10**8 - fee_of(10**8, job)
    assert token.balanceOf(treasury) == fee.amount == fee_of(10**8, job) == fee.balance
    assert released.balance == token.balanceOf(escrow) == 0


def test_release_only_client_positive_within_balance(world, escrow, client, member, outsider):
    job = world.create()
    for who in (member, outsider):
        with boa.reverts("escrow: only the client"):
            escrow.release(job.job_id, job.terms, 0, 1, sender=who)
    with boa.reverts("escrow: zero amount"):
        escrow.release(job.job_id, job.terms, 0, 0, sender=client)
    with boa.reverts("escrow: amount above the milestone's balance"):
        escrow.release(job.job_id, job.terms, 0, ONE + 1, sender=client)


def test_tiny_release_has_no_fee_and_no_treasury_call(world, escrow, client):
    job = world.create()
    escrow.release(job.job_id, job.terms, 0, 99, sender=client)  # 1% of 99 rounds to 0
    assert only(escrow, "Released").fee == 0
    assert events(escrow, "FeeReceived") == []


# ---------------------------------------------------------------- release_after_review


def test_silence_means_payment(world, escrow, member, outsider):
    job = world.create()
    world.deliver(job)
    delivered = boa.env.timestamp
    before = boa.env.get_balance(member)
    at(delivered + job.review_window)
    escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)
    released = only(escrow, "Released")
    assert (released.amount, released.remaining, released.by_silence) == (ONE, 0, True)
    assert boa.env.get_balance(member) == before + ONE - fee_of(ONE, job)
    assert escrow.milestone(job.job_id, job.terms, 0).stage == SETTLED


def test_silence_after_a_partial_release_pays_the_rest(world, escrow, client, outsider):
    job = world.create()
    escrow.release(job.job_id, job.terms, 0, ONE // 2, sender=client)
    world.deliver(job)
    travel(job.review_window)
    escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)
    assert only(escrow, "Released").amount == ONE - ONE // 2


def test_release_after_review_too_early_or_undelivered(world, escrow, outsider):
    job = world.create()
    with boa.reverts("escrow: milestone not delivered"):
        escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)
    world.deliver(job)
    at(boa.env.timestamp + job.review_window - 1)
    with boa.reverts("escrow: review window open"):
        escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)
    travel(1)
    escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)
    with boa.reverts("escrow: milestone settled"):
        escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)


def test_review_window_chosen_by_the_job(world, escrow, outsider):
    job = world.create(review_window=2 * DAY)
    world.deliver(job)
    travel(2 * DAY)
    escrow.release_after_review(job.job_id, job.terms, 0, sender=outsider)


# ---------------------------------------------------------------- refund


def test_worker_refunds_part_then_all(world, escrow, client, member):
    job = world.create()
    before = boa.env.get_balance(client)
    escrow.refund(job.job_id, job.terms, 0, ONE // 3, sender=member)
    refunded = only(escrow, "Refunded")
    assert (refunded.job_id, refunded.milestone, refunded.amount, refunded.remaining) == (
        job.job_id,
        0,
        ONE // 3,
        ONE - ONE // 3,
    )
    assert refunded.balance == boa.env.get_balance(escrow.address)
    world.deliver(job)
    escrow.refund(job.job_id, job.terms, 0, ONE - ONE // 3, sender=member)
    assert boa.env.get_balance(client) == before + ONE
    assert escrow.milestone(job.job_id, job.terms, 0).stage == SETTLED
    assert escrow.job(job.job_id, job.terms).ended


def test_refund_only_worker_positive_within_balance(world, escrow, client, member):
    job = world.create()
    with boa.reverts("escrow: only the worker"):
        escrow.refund(job.job_id, job.terms, 0, 1, sender=client)
    with boa.reverts("escrow: zero amount"):
        escrow.refund(job.job_id, job.terms, 0, 0, sender=member)
    with boa.reverts("escrow: amount above the milestone's balance"):
        escrow.refund(job.job_id, job.terms, 0, ONE + 1, sender=member)


# ---------------------------------------------------------------- reclaim


def test_anyone_reclaims_an_undelivered_milestone_after_its_deadline(world, escrow, client, outsider):
    job = world.create()
    at(job.milestones[0][1])
    with boa.reverts("escrow: deadline not passed"):
        escrow.reclaim(job.job_id, job.terms, 0, sender=outsider)
    with boa.reverts("escrow: deadline not passed"):
        escrow.reclaim(job.job_id, job.terms, 0, sender=client)  # the worker is still a member
    travel(1)
    before = boa.env.get_balance(client)
    escrow.reclaim(job.job_id, job.terms, 0, sender=outsider)
    reclaimed = only(escrow, "Reclaimed")
    assert (reclaimed.job_id, reclaimed.by, reclaimed.amount, reclaimed.worker_left) == (
        job.job_id,
        outsider,
        ONE,
        False,
    )
    assert boa.env.get_balance(client) == before + ONE
    assert escrow.milestone(job.job_id, job.terms, 0).stage == SETTLED


def test_client_reclaims_early_when_the_worker_left(world, escrow, client, outsider):
    worker = world.founders[3]
    job = world.create(worker=worker)
    world.governor.resign(sender=worker)
    with boa.reverts("escrow: deadline not passed"):
        escrow.reclaim(job.job_id, job.terms, 0, sender=outsider)
    escrow.reclaim(job.job_id, job.terms, 0, sender=client)
    assert only(escrow, "Reclaimed").worker_left is True


def test_reclaim_refused_once_delivered_or_settled(world, escrow, client, outsider):
    job = world.create()
    world.deliver(job)
    travel(40 * DAY)
    with boa.reverts("escrow: milestone delivered"):
        escrow.reclaim(job.job_id, job.terms, 0, sender=outsider)
    other = world.create()
    escrow.release(other.job_id, other.terms, 0, ONE, sender=client)
    with boa.reverts("escrow: milestone settled"):
        escrow.reclaim(other.job_id, other.terms, 0, sender=client)


@pytest.mark.parametrize("path", ["release", "refund", "deliver"])
def test_paths_refused_while_disputed(world, escrow, client, member, path):
    job = world.create()
    world.deliver(job)
    world.dispute(job)
    with boa.reverts("escrow: milestone disputed"):
        if path == "release":
            escrow.release(job.job_id, job.terms, 0, 1, sender=client)
        elif path == "refund":
            escrow.refund(job.job_id, job.terms, 0, 1, sender=member)
        else:
            world.deliver(job)
