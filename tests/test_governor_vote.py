"""IwoGovernor.cast_vote and cast_vote_with_reason: tallies, events, the voting window, eligibility."""

import ape
import pytest
from iwotest import ABSTAIN, AGAINST, FOR, SETTINGS


@pytest.fixture
def active(collective, member, gov_helpers):
    """A signal proposal by the first founder, voting open."""
    pid = gov_helpers.propose(collective, member, [], "signal")
    gov_helpers.open_voting(collective)
    return pid


def _tally(gov, pid):
    p = gov.proposal(pid)
    return {"for": p[5], "against": p[6], "abstain": p[7]}


# --- positive -------------------------------------------------------------


@pytest.mark.parametrize("support, key", [(FOR, "for"), (AGAINST, "against"), (ABSTAIN, "abstain")])
def test_cast_vote_counts_and_emits(collective, founders, active, support, key):
    gov = collective.governor
    receipt = gov.cast_vote(active, support, sender=founders[1])
    assert receipt.events.filter(gov.VoteCast) == [
        gov.VoteCast(voter=founders[1].address, proposal_id=active, support=support)
    ]
    assert receipt.events.filter(gov.VoteReason) == []
    expected = {"for": 0, "against": 0, "abstain": 0}
    expected[key] = 1
    assert _tally(gov, active) == expected
    assert gov.has_voted(active, founders[1])
    assert not gov.has_voted(active, founders[0])


def test_all_three_choices_are_tallied_separately(collective, founders, active):
    gov = collective.governor
    gov.cast_vote(active, FOR, sender=founders[0])
    gov.cast_vote(active, AGAINST, sender=founders[1])
    gov.cast_vote(active, ABSTAIN, sender=founders[2])
    assert _tally(gov, active) == {"for": 1, "against": 1, "abstain": 1}


def test_cast_vote_with_reason_logs_vote_and_reason(collective, founders, active):
    gov = collective.governor
    receipt = gov.cast_vote_with_reason(active, AGAINST, "too expensive", sender=founders[2])
    assert receipt.events.filter(gov.VoteCast) == [
        gov.VoteCast(voter=founders[2].address, proposal_id=active, support=AGAINST)
    ]
    assert receipt.events.filter(gov.VoteReason) == [
        gov.VoteReason(voter=founders[2].address, proposal_id=active, reason="too expensive")
    ]
    assert _tally(gov, active) == {"for": 0, "against": 1, "abstain": 0}


def test_cast_vote_with_empty_reason_logs_no_reason(collective, founders, active):
    gov = collective.governor
    receipt = gov.cast_vote_with_reason(active, ABSTAIN, "", sender=founders[0])
    assert receipt.events.filter(gov.VoteCast) == [
        gov.VoteCast(voter=founders[0].address, proposal_id=active, support=ABSTAIN)
    ]
    assert receipt.events.filter(gov.VoteReason) == []


def test_vote_at_first_second_of_window(collective, member, founders, chain):
    gov = collective.governor
    gov.propose([], "edge", sender=member)
    start = gov.proposal(1)[2]
    chain.pending_timestamp = start
    receipt = gov.cast_vote(1, FOR, sender=founders[1])
    assert receipt.timestamp == start
    assert _tally(gov, 1)["for"] == 1


def test_vote_at_last_second_of_window(collective, member, founders, chain):
    gov = collective.governor
    gov.propose([], "edge", sender=member)
    end = gov.proposal(1)[3]
    chain.pending_timestamp = end - 1
    gov.cast_vote(1, FOR, sender=founders[1])
    assert _tally(gov, 1)["for"] == 1


def test_member_lapsed_after_snapshot_still_votes(collective, founders, gov_helpers, chain):
    h, gov = gov_helpers, collective.governor
    h.travel(SETTINGS.dues_grace - 86400)  # day 6: everyone still within the grace
    pid = h.propose(collective, founders[0])
    assert gov.can_vote(pid, founders[2])
    # day 8, voting open: founder 2 is past the grace now
    chain.pending_timestamp = gov.paid_through(founders[2]) + SETTINGS.dues_grace + 86400
    chain.mine()
    assert not gov.in_good_standing(founders[2])
    gov.cast_vote(pid, FOR, sender=founders[2])
    assert gov.has_voted(pid, founders[2])


def test_vote_on_several_proposals(collective, founders, gov_helpers):
    h, gov = gov_helpers, collective.governor
    a = h.propose(collective, founders[0])
    b = h.propose(collective, founders[1])
    h.open_voting(collective)
    gov.cast_vote(a, FOR, sender=founders[2])
    gov.cast_vote(b, AGAINST, sender=founders[2])
    assert _tally(gov, a) == {"for": 1, "against": 0, "abstain": 0}
    assert _tally(gov, b) == {"for": 0, "against": 1, "abstain": 0}


# --- negative -------------------------------------------------------------


def test_vote_on_unknown_proposal_reverts(collective, member):
    with ape.reverts("governor: unknown proposal"):
        collective.governor.cast_vote(1, FOR, sender=member)
    with ape.reverts("governor: unknown proposal"):
        collective.governor.cast_vote_with_reason(0, FOR, "why", sender=member)


@pytest.mark.parametrize("support", [3, 255])
def test_invalid_support_reverts(collective, member, active, support):
    with ape.reverts("governor: invalid support"):
        collective.governor.cast_vote(active, support, sender=member)
    with ape.reverts("governor: invalid support"):
        collective.governor.cast_vote_with_reason(active, support, "x", sender=member)


def test_vote_before_window_reverts(collective, member, founders, chain):
    gov = collective.governor
    gov.propose([], "early", sender=member)
    chain.pending_timestamp = gov.proposal(1)[2] - 1
    with ape.reverts("governor: voting not open"):
        gov.cast_vote(1, FOR, sender=founders[1])


def test_vote_at_window_end_reverts(collective, member, founders, chain):
    gov = collective.governor
    gov.propose([], "late", sender=member)
    chain.pending_timestamp = gov.proposal(1)[3]
    with ape.reverts("governor: voting closed"):
        gov.cast_vote_with_reason(1, FOR, "late", sender=founders[1])


def test_vote_on_canceled_proposal_reverts(collective, member, gov_helpers):
    gov = collective.governor
    gov.propose([], "withdrawn", sender=member)
    gov.cancel(1, sender=member)
    gov_helpers.open_voting(collective)
    with ape.reverts("governor: proposal canceled"):
        gov.cast_vote(1, FOR, sender=member)


def test_outsider_vote_reverts(collective, outsider, active):
    with ape.reverts("governor: not a member at snapshot"):
        collective.governor.cast_vote(active, FOR, sender=outsider)


def test_member_admitted_before_snapshot_votes(collective, founders, newcomer, gov_helpers):
    h, gov = gov_helpers, collective.governor
    admit = h.action(gov, "admit_member", newcomer.address)
    h.pass_proposal(collective, founders[0], founders, [admit])
    h.travel(1)
    pid = h.propose(collective, founders[1])
    h.open_voting(collective)
    receipt = gov.cast_vote(pid, AGAINST, sender=newcomer)
    assert receipt.events.filter(gov.VoteCast) == [
        gov.VoteCast(voter=newcomer.address, proposal_id=pid, support=AGAINST)
    ]


def test_vote_by_member_admitted_after_snapshot_reverts(collective, founders, newcomer, gov_helpers):
    h, gov = gov_helpers, collective.governor
    admit = h.action(gov, "admit_member", newcomer.address)
    pid_admit, _ = h.pass_proposal(collective, founders[0], founders, [admit], execute=False)
    pid = h.propose(collective, founders[1])
    gov.execute(pid_admit, [admit], sender=founders[0])
    h.open_voting(collective)
    with ape.reverts("governor: not a member at snapshot"):
        gov.cast_vote(pid, FOR, sender=newcomer)


def test_vote_in_arrears_at_snapshot_reverts(collective, founders, gov_helpers):
    h, gov = gov_helpers, collective.governor
    h.travel(SETTINGS.dues_grace + 10)
    h.pay_dues(collective, founders[0], founders[0])
    pid = h.propose(collective, founders[0])
    h.open_voting(collective)
    with ape.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote(pid, FOR, sender=founders[1])
    with ape.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote_with_reason(pid, FOR, "please", sender=founders[1])


def test_double_vote_reverts(collective, member, active):
    gov = collective.governor
    gov.cast_vote(active, FOR, sender=member)
    with ape.reverts("governor: already voted"):
        gov.cast_vote(active, AGAINST, sender=member)
    with ape.reverts("governor: already voted"):
        gov.cast_vote_with_reason(active, FOR, "again", sender=member)
    assert _tally(gov, active) == {"for": 1, "against": 0, "abstain": 0}


def test_double_vote_after_resigning_reverts(collective, founders, active):
    gov = collective.governor
    gov.cast_vote(active, FOR, sender=founders[2])
    gov.resign(sender=founders[2])
    with ape.reverts("governor: already voted"):
        gov.cast_vote(active, FOR, sender=founders[2])


def test_vote_on_queued_proposal_says_voting_closed(collective, founders, gov_helpers):
    h, gov = gov_helpers, collective.governor
    pid = h.propose(collective, founders[0])
    h.open_voting(collective)
    gov.cast_vote(pid, FOR, sender=founders[0])
    h.close_voting(collective)
    gov.queue(pid, sender=founders[0])
    with ape.reverts("governor: voting closed"):
        gov.cast_vote(pid, FOR, sender=founders[1])


def test_cast_vote_refuses_ether(collective, member, active):
    # A non-payable function reverts without a reason string, hence bare reverts().
    with ape.reverts():
        collective.governor.cast_vote(active, FOR, sender=member, value=1)
