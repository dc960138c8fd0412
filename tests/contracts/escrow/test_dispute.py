"""open_dispute, rearm_draw, draw_panel, commit_vote, reveal_vote, file_appeal, rule_on_appeal,
settle_dispute: a dispute from opening to payout."""

import boa
import pytest
from utils.boa_stack import DAY, arm_blockhash, mine, travel
from utils.escrow_kit import (
    BLOCKHASH_WINDOW,
    DEFAULTS,
    DISPUTED,
    DRAW_DELAY,
    ETH,
    ONE,
    RULED_BY_APPEAL,
    RULED_BY_DEFAULT,
    RULED_BY_PANEL,
    SETTLED,
    at,
    block_header,
    events,
    only,
    panel_hash,
    salt,
)


@pytest.fixture
def disputed(world):
    """A delivered ETH job of 1 ETH whose client opened a dispute."""
    job = world.create()
    world.deliver(job)
    world.dispute(job)
    return job


def dispute_fee(amount=ONE):
    return amount * DEFAULTS.dispute_fee_bps // 10_000


# ---------------------------------------------------------------- open_dispute


def test_open_dispute_takes_the_fee_and_fixes_the_timeline(world, escrow, client):
    job = world.create()
    world.deliver(job)
    delivered = boa.env.timestamp
    travel(3 * DAY)
    block = boa.env.evm.patch.block_number
    before = boa.env.get_balance(escrow.address)
    assert escrow.dispute_fee(job.job_id, job.terms, 0) == dispute_fee()
    escrow.open_dispute(job.job_id, job.terms, 0, value=dispute_fee(), sender=client)
    opened = only(escrow, "DisputeOpened")
    now = boa.env.timestamp
    assert (opened.job_id, opened.milestone, opened.amount, opened.dispute_fee) == (job.job_id, 0, ONE, dispute_fee())
    assert opened.draw_block == block + DRAW_DELAY
    assert opened.commit_end == now + DEFAULTS.commit_period
    assert opened.reveal_end == now + DEFAULTS.commit_period + DEFAULTS.reveal_period
    assert opened.balance == before + dispute_fee() == boa.env.get_balance(escrow.address)
    m = escrow.milestone(job.job_id, job.terms, 0)
    assert (m.stage, m.remaining, m.delivered_at, m.disputed_at, m.draw_block) == (
        DISPUTED,
        ONE,
        delivered,
        now,
        opened.draw_block,
    )


def test_open_dispute_only_client_delivered_within_window(world, escrow, client, member):
    job = world.create()
    with boa.reverts("escrow: milestone not delivered"):
        world.dispute(job)
    world.deliver(job)
    with boa.reverts("escrow: only the client"):
        world.dispute(job, sender=member, value=dispute_fee())
    with boa.reverts("escrow: wrong ETH amount"):
        world.dispute(job, value=dispute_fee() - 1)
    travel(job.review_window)
    with boa.reverts("escrow: review window closed"):
        world.dispute(job)


def test_open_dispute_token_fee_pulled(world, escrow, token, client):
    job = world.create(asset=token.address, milestones=[(10**8, boa.env.timestamp + DAY)])
    world.deliver(job)
    held = token.balanceOf(escrow)
    with boa.reverts("escrow: ETH sent for a token"):
        world.dispute(job, value=1)
    world.dispute(job)
    assert token.balanceOf(escrow) == held + 10**8 * DEFAULTS.dispute_fee_bps // 10_000


def test_no_second_dispute(world, disputed):
    with boa.reverts("escrow: milestone disputed"):
        world.dispute(disputed)


# ---------------------------------------------------------------- draw_panel


def test_draw_seats_eligible_members_never_parties(world, escrow, disputed):
    panel = world.draw(disputed)
    drawn = only(escrow, "PanelDrawn")
    assert len(panel) == 3 == len(set(panel))
    assert disputed.worker not in panel and disputed.client not in panel
    assert all(world.governor.is_member(p) for p in panel)
    assert (drawn.job_id, drawn.milestone, list(drawn.panelists)) == (disputed.job_id, 0, panel)
    assert drawn.attempts >= 3
    state = escrow.dispute_state(disputed.job_id, 0)
    times = world.deadlines(disputed)
    assert (state.commit_end, state.reveal_end, state.drawn) == (times.commit_end, times.reveal_end, True)


def test_different_randomness_draws_differently(world, escrow, disputed):
    seen = set()
    for mix in (b"\x01", b"\x02", b"\x03", b"\x04", b"\x05", b"\x06"):
        with boa.env.anchor():
            seen.add(tuple(world.draw(disputed, mix=mix * 32)))
    assert len(seen) > 1


def test_draw_order_matches_the_draw(world, escrow, disputed):
    header = world.header_for(disputed)
    assert len(escrow.draw_order(disputed.job_id, disputed.terms, 0, header, 5)) == 5
    order = escrow.draw_order(disputed.job_id, disputed.terms, 0, header, 32)
    assert all(i < world.governor.roll_size() for i in order)
    hints = world.hints_for(disputed, header)
    assert [world.governor.roll_index(h) for h in hints] == list(order[: len(hints)])


def test_draw_needs_the_block_mined_and_in_reach(world, escrow, disputed, outsider):
    draw_block = escrow.milestone(disputed.job_id, disputed.terms, 0).draw_block
    header = block_header.synthetic(draw_block, b"\x42" * 32)
    with boa.reverts("escrow: draw block not mined yet"):
        escrow.draw_panel(disputed.job_id, disputed.terms, 0, header, [], sender=outsider)
    mine(draw_block + BLOCKHASH_WINDOW + 1 - boa.env.evm.patch.block_number)
    with boa.reverts("escrow: draw block out of reach, re-arm"):
        escrow.draw_panel(disputed.job_id, disputed.terms, 0, header, [], sender=outsider)


def test_draw_refuses_a_forged_header(world, escrow, disputed, outsider):
    header = world.header_for(disputed)
    forged = block_header.synthetic(escrow.milestone(disputed.job_id, disputed.terms, 0).draw_block, b"\x43" * 32)
    with boa.reverts("escrow: wrong block header"):
        escrow.draw_panel(disputed.job_id, disputed.terms, 0, forged, [], sender=outsider)
    assert world.draw(disputed)  # the true header still works
    del header


def test_draw_refuses_wrong_or_missing_hints(world, escrow, disputed, outsider):
    header = world.header_for(disputed)
    hints = world.hints_for(disputed, header)
    with boa.reverts("escrow: more hints needed"):
        escrow.draw_panel(disputed.job_id, disputed.terms, 0, header, hints[:-1], sender=outsider)
    wrong = [h for h in world.founders if world.governor.roll_index(h) != world.governor.roll_index(hints[0])][0]
    with boa.reverts("escrow: hint does not hold the drawn index"):
        escrow.draw_panel(disputed.job_id, disputed.terms, 0, header, [wrong, *hints[1:]], sender=outsider)
    with boa.reverts("governor: never a member"):
        escrow.draw_panel(disputed.job_id, disputed.terms, 0, header, [outsider, *hints[1:]], sender=outsider)
    escrow.draw_panel(disputed.job_id, disputed.terms, 0, header, hints, sender=outsider)
    with boa.reverts("escrow: panel already drawn"):
        escrow.draw_panel(disputed.job_id, disputed.terms, 0, header, hints, sender=outsider)


def test_draw_closes_at_the_commit_deadline(world, escrow, disputed, outsider):
    header = world.header_for(disputed)
    hints = world.hints_for(disputed, header)
    at(world.deadlines(disputed).commit_end)
    with boa.reverts("escrow: too late to draw"):
        escrow.draw_panel(disputed.job_id, disputed.terms, 0, header, hints, sender=outsider)


def test_draw_skips_members_lapsed_at_the_snapshot(world, escrow):
    # a collective whose second founder never paid: lapsed long before the dispute
    job = world.create()
    world.deliver(job)
    world.dispute(job)
    header = world.header_for(job)
    hints = world.hints_for(job, header)
    panel = list(escrow.draw_panel(job.job_id, job.terms, 0, header, hints, sender=world.outsider))
    opened = escrow.milestone(job.job_id, job.terms, 0).disputed_at
    assert all(world.governor.eligible_at(p, opened - 1) for p in panel)


def test_not_a_dispute(world, escrow, outsider):
    job = world.create()
    with boa.reverts("escrow: no open dispute"):
        escrow.draw_panel(job.job_id, job.terms, 0, b"", [], sender=outsider)


# ---------------------------------------------------------------- rearm_draw


def test_rearm_after_the_draw_block_falls_out_of_reach(world, escrow, disputed, outsider):
    draw_block = escrow.milestone(disputed.job_id, disputed.terms, 0).draw_block
    mine(draw_block + BLOCKHASH_WINDOW - boa.env.evm.patch.block_number)
    with boa.reverts("escrow: draw block still in reach"):
        escrow.rearm_draw(disputed.job_id, disputed.terms, 0, sender=outsider)
    mine(1)
    escrow.rearm_draw(disputed.job_id, disputed.terms, 0, sender=outsider)
    rearmed = only(escrow, "DrawRearmed")
    assert rearmed.draw_block == boa.env.evm.patch.block_number + DRAW_DELAY
    assert escrow.milestone(disputed.job_id, disputed.terms, 0).draw_block == rearmed.draw_block
    assert len(world.draw(disputed)) == 3


def test_rearm_refused_when_drawn_or_too_late(world, escrow, disputed, outsider):
    world.draw(disputed)
    mine(BLOCKHASH_WINDOW + 1)
    with boa.reverts("escrow: panel already drawn"):
        escrow.rearm_draw(disputed.job_id, disputed.terms, 0, sender=outsider)
    other = world.create()
    world.deliver(other)
    world.dispute(other)
    at(world.deadlines(other).commit_end)
    with boa.reverts("escrow: too late to draw"):
        escrow.rearm_draw(other.job_id, other.terms, 0, sender=outsider)


# ---------------------------------------------------------------- commit_vote / reveal_vote


def test_commit_and_reveal(world, escrow, disputed):
    panel = world.draw(disputed)
    who = panel[1]
    c = escrow.commitment(disputed.job_id, 0, who, 7000, salt(1))
    escrow.commit_vote(disputed.job_id, 0, panel, 1, c, sender=who)
    committed = only(escrow, "VoteCommitted")
    assert (committed.job_id, committed.panelist, committed.milestone) == (disputed.job_id, who, 0)
    world.to_reveal(disputed)
    escrow.reveal_vote(disputed.job_id, 0, 1, 7000, salt(1), sender=who)
    revealed = only(escrow, "VoteRevealed")
    assert (revealed.panelist, revealed.split) == (who, 7000)
    assert escrow.dispute_state(disputed.job_id, 0).revealed == 0b010


def test_commit_can_be_replaced_until_the_deadline(world, escrow, disputed):
    panel = world.draw(disputed)
    who = panel[0]
    for split in (1000, 9000):
        escrow.commit_vote(
            disputed.job_id, 0, panel, 0, escrow.commitment(disputed.job_id, 0, who, split, salt(0)), sender=who
        )
    world.to_reveal(disputed)
    with boa.reverts("escrow: vote does not match commitment"):
        escrow.reveal_vote(disputed.job_id, 0, 0, 1000, salt(0), sender=who)
    escrow.reveal_vote(disputed.job_id, 0, 0, 9000, salt(0), sender=who)


def test_commit_guards(world, escrow, disputed, outsider):
    c = b"\x01" * 32
    with boa.reverts("escrow: panel not drawn"):
        escrow.commit_vote(disputed.job_id, 0, [], 0, c, sender=outsider)
    panel = world.draw(disputed)
    with boa.reverts("escrow: wrong panel"):
        escrow.commit_vote(disputed.job_id, 0, [outsider, *panel[1:]], 0, c, sender=outsider)
    with boa.reverts("escrow: not on the panel"):
        escrow.commit_vote(disputed.job_id, 0, panel, 0, c, sender=panel[1])
    with boa.reverts("escrow: not on the panel"):
        escrow.commit_vote(disputed.job_id, 0, panel, 3, c, sender=panel[0])
    with boa.reverts("escrow: empty commitment"):
        escrow.commit_vote(disputed.job_id, 0, panel, 0, b"\x00" * 32, sender=panel[0])
    at(world.deadlines(disputed).commit_end)
    with boa.reverts("escrow: commit closed"):
        escrow.commit_vote(disputed.job_id, 0, panel, 0, c, sender=panel[0])


def test_reveal_guards(world, escrow, disputed, outsider):
    with boa.reverts("escrow: panel not drawn"):
        escrow.reveal_vote(disputed.job_id, 0, 0, 1, salt(0), sender=outsider)
    panel = world.draw(disputed)
    world.commit(disputed, panel, [6000, 7000, None])
    with boa.reverts("escrow: reveal not open"):
        escrow.reveal_vote(disputed.job_id, 0, 0, 6000, salt(0), sender=panel[0])
    world.to_reveal(disputed)
    with boa.reverts("escrow: vote does not match commitment"):
        escrow.reveal_vote(disputed.job_id, 0, 0, 6000, salt(0), sender=panel[1])  # someone else's seat
    with boa.reverts("escrow: vote does not match commitment"):
        escrow.reveal_vote(disputed.job_id, 0, 0, 6001, salt(0), sender=panel[0])
    with boa.reverts("escrow: no commitment"):
        escrow.reveal_vote(disputed.job_id, 0, 2, 5000, salt(2), sender=panel[2])
    with boa.reverts("escrow: not on the panel"):
        escrow.reveal_vote(disputed.job_id, 0, 5, 5000, salt(5), sender=panel[2])
    escrow.reveal_vote(disputed.job_id, 0, 0, 6000, salt(0), sender=panel[0])
    with boa.reverts("escrow: already revealed"):
        escrow.reveal_vote(disputed.job_id, 0, 0, 6000, salt(0), sender=panel[0])
    at(world.deadlines(disputed).reveal_end)
    with boa.reverts("escrow: reveal closed"):
        escrow.reveal_vote(disputed.job_id, 0, 1, 7000, salt(1), sender=panel[1])


def test_split_above_100_percent(world, escrow, disputed):
    panel = world.draw(disputed)
    who = panel[0]
    escrow.commit_vote(
        disputed.job_id, 0, panel, 0, escrow.commitment(disputed.job_id, 0, who, 10_001, salt(0)), sender=who
    )
    world.to_reveal(disputed)
    with boa.reverts("escrow: split above 100%"):
        escrow.reveal_vote(disputed.job_id, 0, 0, 10_001, salt(0), sender=who)


def test_commitment_binds_escrow_job_milestone_voter(world, escrow, disputed, panelists):
    base = escrow.commitment(disputed.job_id, 0, panelists[0], 5000, salt(0))
    assert base != escrow.commitment(disputed.job_id + 1, 0, panelists[0], 5000, salt(0))
    assert base != escrow.commitment(disputed.job_id, 1, panelists[0], 5000, salt(0))
    assert base != escrow.commitment(disputed.job_id, 0, panelists[1], 5000, salt(0))
    assert base != escrow.commitment(disputed.job_id, 0, panelists[0], 5001, salt(0))
    assert base != escrow.commitment(disputed.job_id, 0, panelists[0], 5000, salt(1))


# ---------------------------------------------------------------- settle_dispute


def payout(world, job, panel, settle_sender=None):
    before = {who: world.balance(job.asset, who) for who in (job.worker, job.client, world.treasury.address, *panel)}
    world.settle(job, panel, sender=settle_sender)
    settled = only(world.escrow, "DisputeSettled")
    after = {who: world.balance(job.asset, who) for who in before}
    return settled, {who: after[who] - before[who] for who in before}


def test_panel_majority_rules_by_median(world, escrow, disputed):
    panel = world.draw(disputed)
    world.vote(disputed, panel, [9000, 2000, 6000])
    at(world.deadlines(disputed).appeal_end)
    settled, paid = payout(world, disputed, panel)
    worker_gross = ONE * 6000 // 10_000
    fee = worker_gross * disputed.fee_bps // 10_000
    share = dispute_fee() // 3
    assert (settled.ruling, settled.split) == (RULED_BY_PANEL, 6000)
    assert settled.worker_amount == worker_gross - fee == paid[disputed.worker]
    assert settled.client_amount == ONE - worker_gross == paid[disputed.client]
    assert settled.fee == fee + dispute_fee() - 3 * share == paid[world.treasury.address]
    assert (list(settled.panelists_paid), settled.panel_share) == (panel, share)
    assert all(paid[p] == share for p in panel)
    assert settled.balance == boa.env.get_balance(escrow.address)
    assert escrow.milestone(disputed.job_id, disputed.terms, 0).stage == SETTLED
    assert escrow.dispute_state(disputed.job_id, 0).drawn is False  # cleared
    assert escrow.job(disputed.job_id, disputed.terms).ended


def test_two_of_three_is_a_majority_with_the_mean_of_the_middle(world, escrow, disputed):
    panel = world.draw(disputed)
    world.vote(disputed, panel, [3000, None, 8001])
    at(world.deadlines(disputed).appeal_end)
    settled, paid = payout(world, disputed, panel)
    assert (settled.ruling, settled.split) == (RULED_BY_PANEL, (3000 + 8001) // 2)
    assert list(settled.panelists_paid) == [panel[0], panel[2]]
    assert settled.panel_share == dispute_fee() // 2 == paid[panel[0]]
    assert paid[panel[1]] == 0
    no_show = only(escrow, "PanelistNoShow")
    assert (no_show.panelist, no_show.no_shows) == (panel[1], 1)
    assert escrow.no_shows(panel[1]) == 1


def test_minority_revealed_default_rule(world, escrow, disputed):
    panel = world.draw(disputed)
    world.vote(disputed, panel, [10_000, None, None])
    at(world.deadlines(disputed).appeal_end)
    settled, paid = payout(world, disputed, panel)
    assert (settled.ruling, settled.split) == (RULED_BY_DEFAULT, DEFAULTS.default_split)
    assert paid[panel[0]] == dispute_fee() == settled.panel_share  # the one who revealed is paid
    assert len(events(escrow, "PanelistNoShow")) == 2


def test_nobody_revealed_fee_back_to_client(world, escrow, disputed):
    panel = world.draw(disputed)
    at(world.deadlines(disputed).appeal_end)
    settled, paid = payout(world, disputed, panel)
    worker_gross = ONE * DEFAULTS.default_split // 10_000
    assert settled.ruling == RULED_BY_DEFAULT and settled.panel_share == 0
    assert paid[disputed.client] == ONE - worker_gross + dispute_fee() == settled.client_amount
    assert all(escrow.no_shows(p) == 1 for p in panel)


def test_never_drawn_default_rule(world, escrow, disputed, outsider):
    at(world.deadlines(disputed).appeal_end)
    with boa.reverts("escrow: wrong panel"):
        world.settle(disputed, [outsider])
    settled, _ = payout(world, disputed, [])
    assert settled.ruling == RULED_BY_DEFAULT


def test_settle_waits_for_the_appeal_window(world, escrow, disputed):
    panel = world.draw(disputed)
    world.vote(disputed, panel, [5000, 5000, 5000])
    at(world.deadlines(disputed).appeal_end - 1)
    with boa.reverts("escrow: appeal window open"):
        world.settle(disputed, panel)
    travel(1)
    with boa.reverts("escrow: wrong panel"):
        world.settle(disputed, panel[::-1])
    world.settle(disputed, panel)
    with boa.reverts("escrow: no open dispute"):
        world.settle(disputed, panel)


def test_token_dispute_pays_in_the_token(world, escrow, token):
    job = world.create(asset=token.address, milestones=[(10**8, boa.env.timestamp + DAY)])
    world.deliver(job)
    world.dispute(job)
    panel = world.draw(job)
    world.vote(job, panel, [8000, 8000, 8000])
    at(world.deadlines(job).appeal_end)
    settled, paid = payout(world, job, panel)
    assert settled.worker_amount == paid[job.worker] > 0
    assert sum(paid.values()) == 10**8 + 10**8 * DEFAULTS.dispute_fee_bps // 10_000
    assert settled.balance == token.balanceOf(escrow)


# ---------------------------------------------------------------- appeal


def test_appeal_by_vote_overrides_the_panel(world, escrow, disputed, member):
    panel = world.draw(disputed)
    world.vote(disputed, panel, [1000, 1000, 1000])
    times = world.deadlines(disputed)
    at(times.reveal_end)
    escrow.file_appeal(disputed.job_id, disputed.terms, 0, sender=member)
    filed = only(escrow, "AppealFiled")
    assert (filed.appellant, filed.deadline) == (member, times.appeal_deadline)
    at(times.appeal_end)
    with boa.reverts("escrow: appeal pending"):
        world.settle(disputed, panel)
    pid = world.by_vote(escrow, "rule_on_appeal", disputed.job_id, disputed.terms, 0, 9000)
    ruled = [e for e in world.governor.get_logs() if type(e).__name__ == "AppealRuled"]
    assert (ruled[0].proposal_id, ruled[0].split) == (pid, 9000)
    assert boa.env.timestamp < times.appeal_deadline  # a vote fits in the appeal period
    settled, paid = payout(world, disputed, panel)
    assert (settled.ruling, settled.split) == (RULED_BY_APPEAL, 9000)
    assert all(paid[p] == dispute_fee() // 3 for p in panel)  # panelists who revealed keep their pay


def test_dispute_to_final_ruling_within_nine_days(world, escrow, disputed, member):
    opened = escrow.milestone(disputed.job_id, disputed.terms, 0).disputed_at
    panel = world.draw(disputed)
    world.vote(disputed, panel, [1000, 1000, 1000])
    at(world.deadlines(disputed).reveal_end)
    escrow.file_appeal(disputed.job_id, disputed.terms, 0, sender=member)
    world.by_vote(escrow, "rule_on_appeal", disputed.job_id, disputed.terms, 0, 7000)
    world.settle(disputed, panel)
    assert boa.env.timestamp - opened <= 9 * DAY
    assert world.deadlines(disputed).appeal_deadline - opened == 9 * DAY


def test_unruled_appeal_lets_the_panel_stand(world, escrow, disputed, client):
    panel = world.draw(disputed)
    world.vote(disputed, panel, [4000, 4000, 4000])
    times = world.deadlines(disputed)
    at(times.reveal_end)
    escrow.file_appeal(disputed.job_id, disputed.terms, 0, sender=client)
    at(times.appeal_deadline)
    settled, _ = payout(world, disputed, panel)
    assert (settled.ruling, settled.split) == (RULED_BY_PANEL, 4000)


def test_appeal_guards(world, escrow, disputed, client, member, outsider):
    panel = world.draw(disputed)
    world.vote(disputed, panel, [4000, 4000, 4000])
    times = world.deadlines(disputed)
    with boa.reverts("escrow: only a party"):
        escrow.file_appeal(disputed.job_id, disputed.terms, 0, sender=outsider)
    at(times.reveal_end - 1)
    with boa.reverts("escrow: panel still voting"):
        escrow.file_appeal(disputed.job_id, disputed.terms, 0, sender=client)
    travel(1)
    escrow.file_appeal(disputed.job_id, disputed.terms, 0, sender=client)
    with boa.reverts("escrow: already appealed"):
        escrow.file_appeal(disputed.job_id, disputed.terms, 0, sender=member)
    with boa.reverts("escrow: only by vote"):
        escrow.rule_on_appeal(disputed.job_id, disputed.terms, 0, 5000, sender=member)
    with boa.reverts("escrow: only by vote"):
        escrow.rule_on_appeal(disputed.job_id, disputed.terms, 0, 5000, sender=world.governor.address)


def test_appeal_window_closes(world, escrow, disputed, client):
    at(world.deadlines(disputed).appeal_end)
    with boa.reverts("escrow: appeal window closed"):
        escrow.file_appeal(disputed.job_id, disputed.terms, 0, sender=client)


def test_rule_on_appeal_guards(world, escrow, disputed, client):
    times = world.deadlines(disputed)
    at(times.reveal_end)
    # no appeal filed yet: the vote's action reverts, so the execution does
    with boa.reverts("escrow: no appeal filed"):
        world.by_vote(escrow, "rule_on_appeal", disputed.job_id, disputed.terms, 0, 5000)


def test_a_ruling_on_appeal_above_100_percent_is_refused(world, escrow, disputed, client):
    at(world.deadlines(disputed).reveal_end)
    escrow.file_appeal(disputed.job_id, disputed.terms, 0, sender=client)
    before = escrow.dispute_state(disputed.job_id, 0)
    with boa.reverts("escrow: split above 100%"):
        world.by_vote(escrow, "rule_on_appeal", disputed.job_id, disputed.terms, 0, 10_001)
    assert escrow.dispute_state(disputed.job_id, 0) == before  # still waiting for a ruling


def test_undrawn_dispute_can_be_appealed(world, escrow, disputed, client):
    times = world.deadlines(disputed)
    at(times.reveal_end)
    escrow.file_appeal(disputed.job_id, disputed.terms, 0, sender=client)
    assert escrow.dispute_state(disputed.job_id, 0).appealed
    world.by_vote(escrow, "rule_on_appeal", disputed.job_id, disputed.terms, 0, 2500)
    settled, _ = payout(world, disputed, [])
    assert (settled.ruling, settled.split) == (RULED_BY_APPEAL, 2500)


def test_panel_hash_is_stored_truncated(world, escrow, disputed):
    panel = world.draw(disputed)
    assert panel_hash(panel) < 2**84
    assert escrow.dispute_state(disputed.job_id, 0).drawn


def test_two_disputes_in_one_block_draw_independently(world, escrow):
    a, b = world.create(), world.create()
    for job in (a, b):
        world.deliver(job)
        world.dispute(job)
    mine(DRAW_DELAY + 1)
    header = block_header.synthetic(escrow.milestone(a.job_id, a.terms, 0).draw_block, b"\x99" * 32)
    arm_blockhash(escrow.milestone(a.job_id, a.terms, 0).draw_block, header)
    order_a = escrow.draw_order(a.job_id, a.terms, 0, header, 8)
    order_b = escrow.draw_order(b.job_id, b.terms, 0, header, 8)
    assert list(order_a) != list(order_b)
    assert ETH == a.asset
