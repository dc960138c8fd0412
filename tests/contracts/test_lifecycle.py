"""Proposal life: states, cancel, queue, execute, expiry, timelock, thresholds and quorum."""

import boa
import pytest
from utils.boa_stack import at, events
from utils.constants import (
    ABSTAIN,
    ACTIVE,
    AGAINST,
    CANCELED,
    DEFEATED,
    ETH,
    EXECUTED,
    EXPIRED,
    FOR,
    PENDING,
    QUEUED,
    SETTINGS,
    SUCCEEDED,
)


def _vote(gov, pid, votes):
    """votes: list of (account, support)."""
    for who, support in votes:
        gov.cast_vote(pid, support, sender=who)


def _decided(c, h, proposer, votes, actions=()):
    """Propose, vote, close; returns the proposal id (state Succeeded or Defeated)."""
    pid = h.propose(c, proposer, actions)
    h.open_voting(c)
    _vote(c.governor, pid, votes)
    h.close_voting(c)
    return pid


def _queued(c, h, proposer, voters, actions=()):
    return h.pass_proposal(c, proposer, voters, actions, execute=False)


@pytest.fixture
def funded(collective, outsider):
    collective.treasury.donate(ETH, 10**18, "seed", sender=outsider, value=10**18)
    return collective


@pytest.fixture
def four(create, accounts):
    """A collective of four founders (accounts 1, 2, 3, 5)."""
    people = [accounts[1], accounts[2], accounts[3], accounts[5]]

    def _make(**settings):
        return create(founders=people, settings=SETTINGS.replace(**settings)), people

    return _make


# --- states ---------------------------------------------------------------


def test_state_boundaries_through_a_succeeded_proposal(collective, founders, gov_helpers):
    gov = collective.governor
    pid = gov_helpers.propose(collective, founders[0])
    p = gov.proposal(pid)
    start, end = p.vote_start, p.vote_end
    assert gov.state(pid) == PENDING
    at(start - 1)
    assert gov.state(pid) == PENDING
    at(start)
    assert gov.state(pid) == ACTIVE
    gov.cast_vote(pid, FOR, sender=founders[1])
    at(end - 1)
    assert gov.state(pid) == ACTIVE
    at(end)
    assert gov.state(pid) == SUCCEEDED
    at(end + SETTINGS.execution_window - 1)
    assert gov.state(pid) == SUCCEEDED
    at(end + SETTINGS.execution_window)
    assert gov.state(pid) == EXPIRED


def test_no_votes_is_defeated(collective, founders, gov_helpers):
    pid = _decided(collective, gov_helpers, founders[0], [])
    assert collective.governor.state(pid) == DEFEATED


def test_tie_is_defeated(collective, founders, gov_helpers):
    pid = _decided(collective, gov_helpers, founders[0], [(founders[0], FOR), (founders[1], AGAINST)])
    assert collective.governor.state(pid) == DEFEATED


def test_against_majority_is_defeated(collective, founders, gov_helpers):
    votes = [(founders[0], FOR), (founders[1], AGAINST), (founders[2], AGAINST)]
    pid = _decided(collective, gov_helpers, founders[0], votes)
    assert collective.governor.state(pid) == DEFEATED


def test_abstain_only_is_defeated(collective, founders, gov_helpers):
    pid = _decided(collective, gov_helpers, founders[0], [(founders[1], ABSTAIN)])
    assert collective.governor.state(pid) == DEFEATED


def test_for_majority_with_abstentions_succeeds(collective, founders, gov_helpers):
    votes = [(founders[0], FOR), (founders[1], ABSTAIN), (founders[2], ABSTAIN)]
    pid = _decided(collective, gov_helpers, founders[0], votes)
    assert collective.governor.state(pid) == SUCCEEDED


def test_state_of_unknown_proposal_reverts(collective):
    with boa.reverts("governor: unknown proposal"):
        collective.governor.state(1)
    with boa.reverts("governor: unknown proposal"):
        collective.governor.state(0)


# --- cancel ---------------------------------------------------------------


def test_cancel_pending_proposal(collective, member, gov_helpers):
    gov = collective.governor
    pid = gov_helpers.propose(collective, member)
    at(gov.proposal(pid).vote_start - 2)  # the cancel runs in the last pending second
    gov.cancel(pid, sender=member)
    assert events(gov, "ProposalCanceled") == [dict(proposal_id=pid)]
    assert boa.env.timestamp == gov.proposal(pid).vote_start - 1
    assert gov.state(pid) == CANCELED
    gov_helpers.close_voting(collective)
    gov_helpers.travel(SETTINGS.voting_delay)
    assert gov.state(pid) == CANCELED


def test_proposer_who_resigned_may_still_cancel(collective, founders, gov_helpers):
    gov = collective.governor
    pid = gov_helpers.propose(collective, founders[2])
    gov.resign(sender=founders[2])
    gov.cancel(pid, sender=founders[2])
    assert gov.state(pid) == CANCELED


def test_cancel_unknown_proposal_reverts(collective, member):
    with boa.reverts("governor: unknown proposal"):
        collective.governor.cancel(1, sender=member)


def test_cancel_by_other_member_reverts(collective, founders, gov_helpers):
    pid = gov_helpers.propose(collective, founders[1])
    with boa.reverts("governor: not the proposer"):
        collective.governor.cancel(pid, sender=founders[0])
    with boa.reverts("governor: not the proposer"):
        collective.governor.cancel(pid, sender=founders[2])


def test_cancel_by_outsider_reverts(collective, member, outsider, gov_helpers):
    # the outsider has no roll entry; index 0 (the first founder's) must not match
    pid = gov_helpers.propose(collective, member)
    with boa.reverts("governor: not the proposer"):
        collective.governor.cancel(pid, sender=outsider)


def test_cancel_once_voting_opened_names_the_state(collective, member, gov_helpers):
    gov = collective.governor
    pid = gov_helpers.propose(collective, member)
    start = gov.proposal(pid).vote_start
    at(start - 1)  # the cancel runs at the vote start
    with boa.reverts("governor: proposal is Active"):
        gov.cancel(pid, sender=member)
    at(start)
    assert gov.state(pid) == ACTIVE


def test_cancel_twice_names_the_state(collective, member, gov_helpers):
    gov = collective.governor
    pid = gov_helpers.propose(collective, member)
    gov.cancel(pid, sender=member)
    with boa.reverts("governor: proposal is Canceled"):
        gov.cancel(pid, sender=member)


@pytest.mark.parametrize("state", ["Defeated", "Succeeded", "Queued", "Executed", "Expired"])
def test_cancel_after_the_vote_names_the_state(collective, founders, gov_helpers, state):
    c, h = collective, gov_helpers
    gov = c.governor
    votes = [(founders[1], AGAINST)] if state == "Defeated" else [(founders[1], FOR)]
    pid = _decided(c, h, founders[0], votes)
    if state in ("Queued", "Executed"):
        gov.queue(pid, sender=founders[2])
    if state == "Executed":
        h.travel(SETTINGS.timelock_delay)
        gov.execute(pid, [], sender=founders[2])
    if state == "Expired":
        h.travel(SETTINGS.execution_window)
    assert gov.state(pid) == {"Defeated": DEFEATED, "Succeeded": SUCCEEDED, "Queued": QUEUED}.get(
        state, {"Executed": EXECUTED, "Expired": EXPIRED}.get(state)
    )
    with boa.reverts(f"governor: proposal is {state}"):
        gov.cancel(pid, sender=founders[0])


# --- queue ----------------------------------------------------------------


def test_queue_by_anyone_emits_tallies_and_eta(collective, founders, outsider, gov_helpers):
    gov, h = collective.governor, gov_helpers
    votes = [(founders[0], FOR), (founders[1], ABSTAIN), (founders[2], FOR)]
    pid = _decided(collective, h, founders[0], votes)
    gov.queue(pid, sender=outsider)
    eta = boa.env.timestamp + SETTINGS.timelock_delay
    assert events(gov, "ProposalQueued") == [
        dict(proposal_id=pid, eta=eta, votes_for=2, votes_against=0, votes_abstain=1, quorum_base=3)
    ]
    assert gov.state(pid) == QUEUED
    assert gov.proposal(pid).eta == eta


def test_queue_at_last_second_of_window(collective, founders, gov_helpers):
    gov = collective.governor
    pid = _decided(collective, gov_helpers, founders[0], [(founders[0], FOR)])
    at(gov.proposal(pid).vote_end + SETTINGS.execution_window - 2)  # the queue runs one second later
    gov.queue(pid, sender=founders[0])
    assert gov.state(pid) == QUEUED


def test_queue_unknown_reverts(collective, member):
    with boa.reverts("governor: unknown proposal"):
        collective.governor.queue(1, sender=member)


def test_queue_pending_active_or_defeated_reverts(collective, founders, gov_helpers):
    gov, h = collective.governor, gov_helpers
    pid = h.propose(collective, founders[0])
    with boa.reverts("governor: proposal not succeeded"):
        gov.queue(pid, sender=founders[0])
    h.open_voting(collective)
    gov.cast_vote(pid, AGAINST, sender=founders[1])
    with boa.reverts("governor: proposal not succeeded"):
        gov.queue(pid, sender=founders[0])
    h.close_voting(collective)
    assert gov.state(pid) == DEFEATED
    with boa.reverts("governor: proposal not succeeded"):
        gov.queue(pid, sender=founders[0])


def test_queue_canceled_reverts(collective, member, gov_helpers):
    gov = collective.governor
    pid = gov_helpers.propose(collective, member)
    gov.cancel(pid, sender=member)
    gov_helpers.open_voting(collective)
    gov_helpers.close_voting(collective)
    with boa.reverts("governor: proposal not succeeded"):
        gov.queue(pid, sender=member)


def test_queue_twice_reverts(collective, founders, gov_helpers):
    gov = collective.governor
    pid = _decided(collective, gov_helpers, founders[0], [(founders[0], FOR)])
    gov.queue(pid, sender=founders[0])
    with boa.reverts("governor: proposal not succeeded"):
        gov.queue(pid, sender=founders[0])


def test_queue_after_window_reverts(collective, founders, gov_helpers):
    gov = collective.governor
    pid = _decided(collective, gov_helpers, founders[0], [(founders[0], FOR)])
    at(gov.proposal(pid).vote_end + SETTINGS.execution_window - 1)  # the queue runs at the deadline
    with boa.reverts("governor: proposal not succeeded"):
        gov.queue(pid, sender=founders[0])


# --- execute --------------------------------------------------------------


def test_execute_runs_actions_and_emits(funded, founders, outsider, gov_helpers):
    c, h = funded, gov_helpers
    gov = c.governor
    pay = h.action(c.treasury, "pay", ETH, outsider.address, 10**17)
    pid = _queued(c, h, founders[0], founders[:2], [pay])
    before = outsider.balance
    gov.execute(pid, [pay], sender=founders[2])
    assert events(gov, "ProposalExecuted") == [dict(proposal_id=pid, executor=founders[2].address)]
    assert events(gov, "Payment") == [
        dict(proposal_id=pid, asset=ETH, recipient=outsider.address, amount=10**17, balance=9 * 10**17)
    ]
    assert outsider.balance == before + 10**17
    assert gov.state(pid) == EXECUTED
    assert gov.executing_proposal() == 0


def test_execute_by_outsider(collective, founders, outsider, newcomer, gov_helpers):
    c, h = collective, gov_helpers
    admit = h.action(c.governor, "admit_member", newcomer.address)
    pid = _queued(c, h, founders[0], founders[:2], [admit])
    c.governor.execute(pid, [admit], sender=outsider)
    assert events(c.governor, "ProposalExecuted") == [dict(proposal_id=pid, executor=outsider.address)]
    assert c.governor.is_member(newcomer)


def test_execute_runs_actions_in_order(funded, founders, outsider, newcomer, gov_helpers):
    c, h = funded, gov_helpers
    acts = [
        h.action(c.treasury, "pay", ETH, outsider.address, 1),
        h.action(c.treasury, "pay", ETH, newcomer.address, 2),
        h.action(c.treasury, "pay", ETH, outsider.address, 3),
    ]
    pid = _queued(c, h, founders[0], founders[:2], acts)
    c.governor.execute(pid, acts, sender=founders[0])
    payments = events(c.governor, "Payment")
    assert [(p["recipient"], p["amount"]) for p in payments] == [
        (outsider.address, 1),
        (newcomer.address, 2),
        (outsider.address, 3),
    ]


def test_signal_proposal_executes_with_no_actions(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    pid = h.pass_proposal(c, founders[1], founders, [], "adopt guideline")
    assert events(c.governor, "ProposalExecuted") == [dict(proposal_id=pid, executor=founders[1].address)]
    assert c.governor.state(pid) == EXECUTED


def test_execute_at_eta_exactly(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    pid = _decided(c, h, founders[0], [(founders[0], FOR)])
    c.governor.queue(pid, sender=founders[0])
    eta = boa.env.timestamp + SETTINGS.timelock_delay
    at(eta - 2)
    with boa.reverts("governor: timelock not elapsed"):
        c.governor.execute(pid, [], sender=founders[0])
    at(eta - 1)
    c.governor.execute(pid, [], sender=founders[0])
    assert boa.env.timestamp == eta
    assert c.governor.state(pid) == EXECUTED


def test_execute_at_last_second_before_expiry(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    pid = _queued(c, h, founders[0], founders[:1])
    eta = c.governor.proposal(pid).eta
    at(eta + SETTINGS.execution_window - 2)
    assert c.governor.state(pid) == QUEUED
    c.governor.execute(pid, [], sender=founders[0])  # at eta + window - 1
    assert c.governor.state(pid) == EXECUTED


def test_queued_proposal_expires_and_cannot_execute(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    pid = _queued(c, h, founders[0], founders[:1])
    p = c.governor.proposal(pid)
    assert p.execution_deadline == p.eta + SETTINGS.execution_window
    at(p.execution_deadline)
    assert c.governor.state(pid) == EXPIRED
    with boa.reverts("governor: proposal not queued"):
        c.governor.execute(pid, [], sender=founders[0])


def test_execute_unknown_reverts(collective, member):
    with boa.reverts("governor: unknown proposal"):
        collective.governor.execute(1, [], sender=member)


def test_execute_unqueued_succeeded_reverts(collective, founders, gov_helpers):
    c = collective
    pid = _decided(c, gov_helpers, founders[0], [(founders[0], FOR)])
    assert c.governor.state(pid) == SUCCEEDED
    with boa.reverts("governor: proposal not queued"):
        c.governor.execute(pid, [], sender=founders[0])


def test_execute_active_or_defeated_reverts(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    pid = h.propose(c, founders[0])
    h.open_voting(c)
    with boa.reverts("governor: proposal not queued"):
        c.governor.execute(pid, [], sender=founders[0])
    h.close_voting(c)
    assert c.governor.state(pid) == DEFEATED
    with boa.reverts("governor: proposal not queued"):
        c.governor.execute(pid, [], sender=founders[0])


def test_execute_twice_reverts(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    pid = h.pass_proposal(c, founders[0], founders[:1])
    with boa.reverts("governor: proposal not queued"):
        c.governor.execute(pid, [], sender=founders[0])


def test_execute_before_timelock_reverts(collective, founders, gov_helpers):
    c = collective
    pid = _decided(c, gov_helpers, founders[0], [(founders[0], FOR)])
    c.governor.queue(pid, sender=founders[0])
    with boa.reverts("governor: timelock not elapsed"):
        c.governor.execute(pid, [], sender=founders[0])


@pytest.mark.parametrize("variant", ["amount", "order", "missing", "extra", "empty", "target"])
def test_execute_with_other_actions_reverts(funded, founders, outsider, newcomer, gov_helpers, variant):
    c, h = funded, gov_helpers
    a = h.action(c.treasury, "pay", ETH, outsider.address, 5)
    b = h.action(c.treasury, "pay", ETH, newcomer.address, 7)
    pid = _queued(c, h, founders[0], founders[:2], [a, b])
    other = {
        "amount": [h.action(c.treasury, "pay", ETH, outsider.address, 6), b],
        "order": [b, a],
        "missing": [a],
        "extra": [a, b, a],
        "empty": [],
        "target": [(c.card.address, a[1], a[2]), b],
    }[variant]
    with boa.reverts("governor: actions mismatch"):
        c.governor.execute(pid, other, sender=founders[0])
    assert c.governor.state(pid) == QUEUED
    c.governor.execute(pid, [a, b], sender=founders[0])
    assert c.governor.state(pid) == EXECUTED


def test_execute_with_actions_of_another_proposal_reverts(funded, founders, outsider, gov_helpers):
    c, h = funded, gov_helpers
    mine = h.action(c.treasury, "pay", ETH, outsider.address, 5)
    theirs = h.action(c.treasury, "pay", ETH, outsider.address, 9)
    p1 = h.propose(c, founders[0], [mine])
    p2 = h.propose(c, founders[1], [theirs])
    h.open_voting(c)
    for pid in (p1, p2):
        c.governor.cast_vote(pid, FOR, sender=founders[2])
    h.close_voting(c)
    c.governor.queue(p1, sender=founders[0])
    c.governor.queue(p2, sender=founders[0])
    h.travel(SETTINGS.timelock_delay)
    with boa.reverts("governor: actions mismatch"):
        c.governor.execute(p1, [theirs], sender=founders[0])
    with boa.reverts("governor: actions mismatch"):
        c.governor.execute(p2, [mine], sender=founders[0])


def test_execute_with_value_forwards_exact_ether(collective, founders, outsider, gov_helpers):
    c, h = collective, gov_helpers
    tip = (outsider.address, 10**15, b"")
    pid = _queued(c, h, founders[0], founders[:2], [tip])
    for wrong in (0, 10**15 - 1, 10**15 + 1):
        with boa.reverts("governor: wrong value"):
            c.governor.execute(pid, [tip], sender=founders[1], value=wrong)
    before = outsider.balance
    c.governor.execute(pid, [tip], sender=founders[1], value=10**15)
    assert outsider.balance == before + 10**15
    assert boa.env.get_balance(c.governor.address) == 0


def test_execute_without_actions_but_with_value_reverts(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    pid = _queued(c, h, founders[0], founders[:1])
    with boa.reverts("governor: wrong value"):
        c.governor.execute(pid, [], sender=founders[0], value=1)


def test_failing_action_reverts_execution_and_keeps_it_queued(collective, founders, outsider, gov_helpers):
    c, h = collective, gov_helpers
    pay = h.action(c.treasury, "pay", ETH, outsider.address, 10**17)
    pid = _queued(c, h, founders[0], founders[:2], [pay])
    with boa.reverts("treasury: insufficient funds"):
        c.governor.execute(pid, [pay], sender=founders[0])
    assert c.governor.state(pid) == QUEUED
    c.treasury.donate(ETH, 10**17, "top up", sender=outsider, value=10**17)
    c.governor.execute(pid, [pay], sender=founders[0])
    assert c.governor.state(pid) == EXECUTED


# --- ordinary majority vs constitutional threshold ------------------------


def test_ordinary_proposal_passes_with_two_thirds(collective, founders, newcomer, gov_helpers):
    c = collective
    admit = gov_helpers.action(c.governor, "admit_member", newcomer.address)
    votes = [(founders[0], FOR), (founders[1], FOR), (founders[2], AGAINST)]
    pid = _decided(c, gov_helpers, founders[0], votes, [admit])
    assert c.governor.proposal(pid).constitutional is False
    assert c.governor.state(pid) == SUCCEEDED


def test_constitutional_proposal_passes_with_two_thirds(collective, founders, gov_helpers):
    # the threshold 6667 is "two thirds" to the basis point: 2 of 3 (66.67 % rounded) reach it
    c = collective
    revoke = gov_helpers.action(c.governor, "revoke_member", founders[2].address)
    votes = [(founders[0], FOR), (founders[1], FOR), (founders[2], AGAINST)]
    pid = _decided(c, gov_helpers, founders[0], votes, [revoke])
    assert c.governor.proposal(pid).constitutional is True
    assert c.governor.state(pid) == SUCCEEDED


def test_constitutional_threshold_ignores_abstentions(collective, founders, gov_helpers):
    c = collective
    revoke = gov_helpers.action(c.governor, "revoke_member", founders[2].address)
    votes = [(founders[0], FOR), (founders[1], FOR), (founders[2], ABSTAIN)]
    pid = _decided(c, gov_helpers, founders[0], votes, [revoke])
    assert c.governor.state(pid) == SUCCEEDED


def test_constitutional_unanimous_passes_and_executes(collective, founders, gov_helpers):
    c, h = collective, gov_helpers
    revoke = h.action(c.governor, "revoke_member", founders[2].address)
    pid = h.pass_proposal(c, founders[0], founders, [revoke])
    assert c.governor.state(pid) == EXECUTED
    assert not c.governor.is_member(founders[2])


@pytest.mark.parametrize("threshold, expected", [(7500, SUCCEEDED), (7501, DEFEATED)])
def test_constitutional_threshold_is_inclusive(four, gov_helpers, threshold, expected):
    c, people = four(constitutional_bps=threshold)
    revoke = gov_helpers.action(c.governor, "revoke_member", people[3].address)
    votes = [(people[0], FOR), (people[1], FOR), (people[2], FOR), (people[3], AGAINST)]  # 75%
    pid = _decided(c, gov_helpers, people[0], votes, [revoke])
    assert c.governor.state(pid) == expected


@pytest.mark.parametrize(
    "threshold, votes_for, votes_against, expected",
    [
        (6667, 2, 1, SUCCEEDED),  # 66.666..% rounds to 66.67 %
        (6666, 2, 1, SUCCEEDED),
        (6668, 2, 1, DEFEATED),
        (6000, 3, 2, SUCCEEDED),  # exactly 60 %
        (6001, 3, 2, DEFEATED),
        (7500, 5, 2, DEFEATED),  # 71.43 %
        (7143, 5, 2, SUCCEEDED),  # 71.428..% rounds to 71.43 %
        (7144, 5, 2, DEFEATED),
        (10_000, 7, 0, SUCCEEDED),
        (10_000, 6, 1, DEFEATED),  # 85.71 %
    ],
)
def test_constitutional_share_is_rounded_to_the_basis_point(
    create, accounts, gov_helpers, threshold, votes_for, votes_against, expected
):
    people = accounts[1 : 1 + votes_for + votes_against]
    c = create(founders=people, settings=SETTINGS.replace(constitutional_bps=threshold))
    revoke = gov_helpers.action(c.governor, "revoke_member", people[-1].address)
    votes = [(p, FOR) for p in people[:votes_for]] + [(p, AGAINST) for p in people[votes_for:]]
    pid = _decided(c, gov_helpers, people[0], votes, [revoke])
    assert c.governor.proposal(pid).constitutional is True
    assert c.governor.state(pid) == expected


def test_constitutional_proposal_needs_more_for_than_against_too(four, gov_helpers):
    # threshold 50.01% with 1 For / 1 Against: fails on the majority rule
    c, people = four(constitutional_bps=5001)
    revoke = gov_helpers.action(c.governor, "revoke_member", people[3].address)
    pid = _decided(c, gov_helpers, people[0], [(people[0], FOR), (people[3], AGAINST)], [revoke])
    assert c.governor.state(pid) == DEFEATED


# --- quorum ---------------------------------------------------------------


@pytest.mark.parametrize(
    "quorum, votes, expected",
    [
        (5000, [FOR], DEFEATED),  # 1 of 4 < 50%
        (5000, [FOR, ABSTAIN], SUCCEEDED),  # 2 of 4 = 50%: inclusive
        (5001, [FOR, ABSTAIN], DEFEATED),
        (5000, [FOR, FOR, AGAINST], SUCCEEDED),  # against counts towards quorum
        (10000, [FOR, FOR, FOR], DEFEATED),
        (10000, [FOR, FOR, FOR, AGAINST], SUCCEEDED),
        (7500, [FOR, FOR, ABSTAIN], SUCCEEDED),  # 3 of 4 = 75%
        (7501, [FOR, FOR, ABSTAIN], DEFEATED),
    ],
)
def test_quorum(four, gov_helpers, quorum, votes, expected):
    c, people = four(quorum_bps=quorum)
    pid = _decided(c, gov_helpers, people[0], list(zip(people, votes)))
    assert c.governor.state(pid) == expected


@pytest.mark.parametrize(
    "quorum, voters, expected",
    [(6667, 2, SUCCEEDED), (6668, 2, DEFEATED), (3333, 1, SUCCEEDED), (3334, 1, DEFEATED)],
)
def test_quorum_share_is_rounded_to_the_basis_point(create, accounts, gov_helpers, quorum, voters, expected):
    # three members: two thirds written as 66.67 % and a third as 33.33 % are met exactly
    people = accounts[1:4]
    c = create(founders=people, settings=SETTINGS.replace(quorum_bps=quorum))
    pid = _decided(c, gov_helpers, people[0], [(p, FOR) for p in people[:voters]])
    assert c.governor.proposal(pid).quorum_votes == (voters if expected == SUCCEEDED else voters + 1)
    assert c.governor.state(pid) == expected


def test_quorum_base_is_the_roll_at_the_snapshot(four, gov_helpers):
    # 75% of 4 = 3 votes; two members resign after the snapshot, the base stays 4
    c, people = four(quorum_bps=7500)
    h, gov = gov_helpers, c.governor
    pid = h.propose(c, people[0])
    gov.resign(sender=people[2])
    gov.resign(sender=people[3])
    assert gov.member_count() == 2
    h.open_voting(c)
    _vote(gov, pid, [(people[0], FOR), (people[1], FOR)])
    h.close_voting(c)
    assert gov.proposal(pid).quorum_base == 4
    assert gov.proposal(pid).quorum_votes == 3
    assert gov.state(pid) == DEFEATED


def test_quorum_base_ignores_admissions_after_snapshot(create, founders, newcomer, accounts, gov_helpers):
    # quorum 50%: with 3 at the snapshot, 2 votes are enough even though 5 hold cards at the end
    c = create(settings=SETTINGS.replace(quorum_bps=5000))
    h, gov = gov_helpers, c.governor
    acts = [h.action(gov, "admit_member", newcomer.address), h.action(gov, "admit_member", accounts[6].address)]
    admit_pid = _queued(c, h, founders[0], founders, acts)
    pid = h.propose(c, founders[1])
    gov.execute(admit_pid, acts, sender=founders[0])
    assert gov.member_count() == 5
    h.open_voting(c)
    _vote(gov, pid, [(founders[1], FOR), (founders[2], ABSTAIN)])
    h.close_voting(c)
    assert gov.proposal(pid).quorum_base == 3
    assert gov.state(pid) == SUCCEEDED
    gov.queue(pid, sender=founders[1])
    assert events(gov, "ProposalQueued")[0]["quorum_base"] == 3


def test_quorum_base_counts_members_in_arrears(create, accounts, gov_helpers):
    # quorum 50 % of 4 members at the snapshot, two of them in arrears: the base stays 4 and
    # the two paid-up members alone reach the quorum only if both vote
    people = accounts[1:5]
    c = create(founders=people, settings=SETTINGS.replace(quorum_bps=5000))
    h, gov = gov_helpers, c.governor
    for p in people[:2]:
        h.pay_dues(c, p, p)
    h.travel(SETTINGS.dues_grace + 1)
    pid = h.propose(c, people[0])
    assert [gov.can_vote(pid, p) for p in people] == [True, True, False, False]
    assert (gov.proposal(pid).quorum_base, gov.proposal(pid).quorum_votes) == (4, 2)
    h.open_voting(c)
    gov.cast_vote(pid, FOR, sender=people[0])
    h.close_voting(c)
    assert gov.state(pid) == DEFEATED
