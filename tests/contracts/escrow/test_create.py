"""create_job, add_milestones and the job views."""

import boa
import pytest
from utils.boa_stack import DAY, travel
from utils.escrow_kit import (
    DEFAULTS,
    ETH,
    FUNDED,
    MAX_AMOUNT,
    MAX_MILESTONES,
    MAX_REVIEW_WINDOW,
    MAX_TERM,
    MIN_REVIEW_WINDOW,
    ONE,
    events,
    only,
    pad,
)


def deadline(days=30):
    return boa.env.timestamp + days * DAY


def test_create_eth_job_records_terms_and_funds(world, escrow, client, member):
    before = boa.env.get_balance(escrow.address)
    job_id = escrow.create_job(
        member,
        ETH,
        [(ONE, deadline()), (2 * ONE, deadline(60))],
        0,
        b"\x01" * 32,
        pad("translation"),
        pad("word"),
        12_500,
        value=3 * ONE,
        sender=client,
    )
    created = only(escrow, "JobCreated")
    funded = events(escrow, "MilestoneFunded")
    assert job_id == 1 and escrow.job_count() == 1
    assert (created.job_id, created.client, created.worker, created.asset) == (1, client, member, ETH)
    assert (created.fee_bps, created.review_window, created.version) == (DEFAULTS.fee_bps, DEFAULTS.review_window, 0)
    assert (created.terms_hash, created.category, created.unit, created.quantity) == (
        b"\x01" * 32,
        pad("translation"),
        pad("word"),
        12_500,
    )
    assert created.total == 3 * ONE
    assert created.balance == before + 3 * ONE == boa.env.get_balance(escrow.address)
    assert [(e.job_id, e.milestone, e.amount) for e in funded] == [(1, 0, ONE), (1, 1, 2 * ONE)]
    terms = (client, member, ETH, DEFAULTS.fee_bps, DEFAULTS.review_window, 0)
    m1 = escrow.milestone(1, terms, 1)
    assert (m1.remaining, m1.deadline, m1.delivered_at, m1.stage) == (2 * ONE, funded[1].deadline, 0, FUNDED)
    assert (m1.disputed_at, m1.draw_block) == (0, 0)
    job = escrow.job(1, terms)
    assert (job.milestones, job.ended) == (2, False)


def test_create_token_job_pulls_exactly(world, escrow, token, client, member):
    held = token.balanceOf(escrow)
    job = world.create(asset=token.address, milestones=[(5 * 10**6, deadline())])
    created = only(escrow, "JobCreated")
    assert token.balanceOf(escrow) == held + 5 * 10**6 == created.balance
    assert escrow.milestone(job.job_id, job.terms, 0).remaining == 5 * 10**6


def test_job_ids_are_sequential_and_keys_bind_terms(world, escrow):
    a = world.create()
    b = world.create()
    assert (a.job_id, b.job_id) == (1, 2)
    assert escrow.job_key(a.job_id, a.terms) != escrow.job_key(b.job_id, a.terms)
    other = (a.client, a.worker, a.asset, 0, a.review_window, a.version)  # a lower fee
    assert escrow.job(a.job_id, other).milestones == 0
    with boa.reverts("escrow: unknown milestone"):
        escrow.release(a.job_id, other, 0, 1, sender=a.client)


def test_review_window_chosen_within_bounds(world, escrow):
    job = world.create(review_window=MIN_REVIEW_WINDOW)
    assert job.review_window == MIN_REVIEW_WINDOW
    job = world.create(review_window=MAX_REVIEW_WINDOW)
    assert job.review_window == MAX_REVIEW_WINDOW


@pytest.mark.parametrize("window", [1, MIN_REVIEW_WINDOW - 1, MAX_REVIEW_WINDOW + 1])
def test_review_window_out_of_range(world, window):
    with boa.reverts("escrow: review window out of range"):
        world.create(review_window=window)


def test_worker_must_be_in_good_standing(world, escrow, client, outsider):
    with boa.reverts("escrow: worker not in good standing"):
        world.create(worker=outsider)
    lapsed = world.founders[1]
    travel(30 * 24 * DAY + 8 * DAY)  # past two prepaid years and the grace
    assert not world.governor.in_good_standing(lapsed)
    with boa.reverts("escrow: worker not in good standing"):
        world.create(worker=lapsed, milestones=[(ONE, deadline())])


def test_client_cannot_be_the_worker(world, member):
    with boa.reverts("escrow: client is the worker"):
        world.create(client=member, worker=member)


def test_a_member_may_be_a_client(world, member, panelists):
    job = world.create(client=panelists[0], worker=member)
    assert job.client == panelists[0]


def test_asset_must_be_a_contract(world, outsider):
    with boa.reverts("escrow: asset is not a contract"):
        world.create(asset=outsider, value=0)


def test_no_milestones(world):
    with boa.reverts("escrow: no milestones"):
        world.create(milestones=[])


def test_too_many_milestones_is_refused_by_the_abi_bound(world, escrow, client, member):
    too_many = [(1, deadline())] * (MAX_MILESTONES + 1)
    with boa.reverts():
        escrow.create_job(member, ETH, too_many, 0, b"", b"", b"", 0, value=len(too_many), sender=client)
    job = world.create(milestones=[(1, deadline())] * MAX_MILESTONES)
    assert escrow.job(job.job_id, job.terms).milestones == MAX_MILESTONES


@pytest.mark.parametrize(
    "milestone,reason",
    [
        ((0, 30 * DAY), "escrow: zero amount"),
        ((MAX_AMOUNT + 1, 30 * DAY), "escrow: amount too large"),
        ((ONE, 0), "escrow: deadline in the past"),
        ((ONE, MAX_TERM + 1), "escrow: deadline too far"),
    ],
)
def test_bad_milestones(world, token, milestone, reason):
    amount, ahead = milestone
    with boa.reverts(reason):
        world.create(asset=token.address, milestones=[(amount, boa.env.timestamp + ahead)])


def test_largest_amount_and_farthest_deadline(world, escrow, token, client):
    token.mint(client, MAX_AMOUNT)
    job = world.create(asset=token.address, milestones=[(MAX_AMOUNT, boa.env.timestamp + MAX_TERM)])
    assert escrow.milestone(job.job_id, job.terms, 0).remaining == MAX_AMOUNT


@pytest.mark.parametrize("sent", [ONE - 1, ONE + 1, 0])
def test_eth_must_match_the_total(world, sent):
    with boa.reverts("escrow: wrong ETH amount"):
        world.create(value=sent)


def test_no_eth_with_a_token_job(world, token):
    with boa.reverts("escrow: ETH sent for a token"):
        world.create(asset=token.address, milestones=[(10**6, deadline())], value=1)


def test_add_milestones_extends_and_funds(world, escrow, client):
    job = world.create()
    escrow.add_milestones(job.job_id, job.terms, [(2 * ONE, deadline(40))], value=2 * ONE, sender=client)
    added = only(escrow, "MilestonesAdded")
    assert only(escrow, "MilestoneFunded").milestone == 1
    assert (added.job_id, added.first, added.count, added.total) == (job.job_id, 1, 1, 2 * ONE)
    assert added.balance == boa.env.get_balance(escrow.address)
    assert escrow.job(job.job_id, job.terms).milestones == 2
    assert escrow.milestone(job.job_id, job.terms, 1).remaining == 2 * ONE


def test_add_milestones_only_client_known_job_in_bounds(world, escrow, client, member, outsider):
    job = world.create()
    one = [(ONE, deadline())]
    with boa.reverts("escrow: only the client"):
        escrow.add_milestones(job.job_id, job.terms, one, value=ONE, sender=member)
    with boa.reverts("escrow: unknown job"):
        escrow.add_milestones(job.job_id + 1, job.terms, one, value=ONE, sender=client)
    with boa.reverts("escrow: too many milestones"):
        escrow.add_milestones(job.job_id, job.terms, one * MAX_MILESTONES, value=MAX_MILESTONES * ONE, sender=client)
    with boa.reverts("escrow: no milestones"):
        escrow.add_milestones(job.job_id, job.terms, [], sender=client)
    with boa.reverts("escrow: wrong ETH amount"):
        escrow.add_milestones(job.job_id, job.terms, one, value=ONE - 1, sender=client)


def test_add_milestones_needs_a_worker_in_good_standing(world, escrow, client):
    job = world.create(worker=world.founders[2])
    world.by_vote(world.governor, "revoke_member", world.founders[2])
    with boa.reverts("escrow: worker not in good standing"):
        escrow.add_milestones(job.job_id, job.terms, [(ONE, deadline())], value=ONE, sender=client)


def test_new_jobs_take_the_settings_in_force(world, escrow):
    changed = DEFAULTS.as_tuple()[:0] + (250,) + DEFAULTS.as_tuple()[1:]
    world.by_vote(escrow, "set_settings", changed)
    job = world.create()
    assert (job.version, job.fee_bps) == (1, 250)
