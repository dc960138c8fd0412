"""IwoGovernor.cast_vote and cast_vote_with_reason: tallies, events, the voting window, eligibility."""

import boa
import pytest
from utils.boa_stack import at, events
from utils.constants import ABSTAIN, AGAINST, FOR, SETTINGS
from utils.flows import tallies


@pytest.fixture
def active(collective, member, gov_helpers):
    """A signal proposal by the first founder, voting open."""
    pid = gov_helpers.propose(collective, member, [], "signal")
    gov_helpers.open_voting(collective)
    return pid


def _tally(gov, pid):
    votes_for, votes_against, votes_abstain = tallies(gov, pid)
    return {"for": votes_for, "against": votes_against, "abstain": votes_abstain}


# --- positive -------------------------------------------------------------


@pytest.mark.parametrize("support, key", [(FOR, "for"), (AGAINST, "against"), (ABSTAIN, "abstain")])
def test_cast_vote_counts_and_emits(collective, founders, active, support, key):
    gov = collective.governor
    gov.cast_vote(active, support, sender=founders[1])
    assert events(gov, "VoteCast") == [dict(voter=founders[1].address, proposal_id=active, support=support)]
    assert events(gov, "VoteReason") == []
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
    gov.cast_vote_with_reason(active, AGAINST, "too expensive", sender=founders[2])
    assert events(gov, "VoteCast") == [dict(voter=founders[2].address, proposal_id=active, support=AGAINST)]
    assert events(gov, "VoteReason") == [dict(voter=founders[2].address, proposal_id=active, reason="too expensive")]
    assert _tally(gov, active) == {"for": 0, "against": 1, "abstain": 0}


def test_cast_vote_with_empty_reason_logs_no_reason(collective, founders, active):
    gov = collective.governor
    gov.cast_vote_with_reason(active, ABSTAIN, "", sender=founders[0])
    assert events(gov, "VoteCast") == [dict(voter=founders[0].address, proposal_id=active, support=ABSTAIN)]
    assert events(gov, "VoteReason") == []


def test_vote_at_first_second_of_window(collective, member, founders):
    gov = collective.governor
    gov.propose([], "edge", sender=member)
    start = gov.proposal(1).vote_start
    at(start - 1)
    gov.cast_vote(1, FOR, sender=founders[1])
    assert boa.env.timestamp == start
    assert _tally(gov, 1)["for"] == 1


def test_vote_at_last_second_of_window(collective, member, founders):
    gov = collective.governor
    gov.propose([], "edge", sender=member)
    end = gov.proposal(1).vote_end
    at(end - 2)
    gov.cast_vote(1, FOR, sender=founders[1])
    assert boa.env.timestamp == end - 1
    assert _tally(gov, 1)["for"] == 1


def test_member_lapsed_after_snapshot_still_votes(collective, founders, gov_helpers):
    h, gov = gov_helpers, collective.governor
    h.travel(SETTINGS.dues_grace - 86400)  # day 6: everyone still within the grace
    pid = h.propose(collective, founders[0])
    assert gov.can_vote(pid, founders[2])
    # day 8, voting open: founder 2 is past the grace now
    at(gov.paid_through(founders[2]) + SETTINGS.dues_grace + 86400)
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


def test_votes_of_members_in_neighbouring_bitmap_words(create, gov_helpers):
    # who-voted keeps 256 members per storage word: indices 255 and 256 sit in neighbouring words
    people = [f"0x{0xB0B000 + i:040x}" for i in range(258)]
    c = create(founders=people[:64])
    gov = c.governor
    for person in people[64:]:  # what executed admissions do, 194 times
        gov.admit_member(person, sender=gov.address)
    assert [gov.roll_index(people[i]) for i in (0, 255, 256, 257)] == [0, 255, 256, 257]
    pid = gov_helpers.propose(c, people[0])
    gov_helpers.open_voting(c)
    for i, support in ((255, FOR), (256, AGAINST), (0, ABSTAIN), (257, FOR)):
        gov.cast_vote(pid, support, sender=people[i])
    assert [i for i in range(258) if gov.has_voted(pid, people[i])] == [0, 255, 256, 257]
    assert _tally(gov, pid) == {"for": 2, "against": 1, "abstain": 1}
    with boa.reverts("governor: already voted"):
        gov.cast_vote(pid, FOR, sender=people[256])


# --- negative -------------------------------------------------------------


def test_vote_on_unknown_proposal_reverts(collective, member):
    with boa.reverts("governor: unknown proposal"):
        collective.governor.cast_vote(1, FOR, sender=member)
    with boa.reverts("governor: unknown proposal"):
        collective.governor.cast_vote_with_reason(0, FOR, "why", sender=member)


@pytest.mark.parametrize("support", [3, 255])
def test_invalid_support_reverts(collective, member, active, support):
    with boa.reverts("governor: invalid support"):
        collective.governor.cast_vote(active, support, sender=member)
    with boa.reverts("governor: invalid support"):
        collective.governor.cast_vote_with_reason(active, support, "x", sender=member)


def test_vote_before_window_reverts(collective, member, founders):
    gov = collective.governor
    gov.propose([], "early", sender=member)
    at(gov.proposal(1).vote_start - 2)  # the vote runs at vote_start - 1
    with boa.reverts("governor: voting not open"):
        gov.cast_vote(1, FOR, sender=founders[1])


def test_vote_at_window_end_reverts(collective, member, founders):
    gov = collective.governor
    gov.propose([], "late", sender=member)
    at(gov.proposal(1).vote_end - 1)  # the vote runs at vote_end
    with boa.reverts("governor: voting closed"):
        gov.cast_vote_with_reason(1, FOR, "late", sender=founders[1])


def test_vote_on_canceled_proposal_reverts(collective, member, gov_helpers):
    gov = collective.governor
    gov.propose([], "withdrawn", sender=member)
    gov.cancel(1, sender=member)
    gov_helpers.open_voting(collective)
    with boa.reverts("governor: proposal canceled"):
        gov.cast_vote(1, FOR, sender=member)


def test_outsider_vote_reverts(collective, outsider, active):
    with boa.reverts("governor: not a member at snapshot"):
        collective.governor.cast_vote(active, FOR, sender=outsider)


def test_member_admitted_before_snapshot_votes(collective, founders, newcomer, gov_helpers):
    h, gov = gov_helpers, collective.governor
    admit = h.action(gov, "admit_member", newcomer.address)
    h.pass_proposal(collective, founders[0], founders, [admit])
    h.travel(1)
    pid = h.propose(collective, founders[1])
    h.open_voting(collective)
    gov.cast_vote(pid, AGAINST, sender=newcomer)
    assert events(gov, "VoteCast") == [dict(voter=newcomer.address, proposal_id=pid, support=AGAINST)]


def test_vote_by_member_admitted_after_snapshot_reverts(collective, founders, newcomer, gov_helpers):
    h, gov = gov_helpers, collective.governor
    admit = h.action(gov, "admit_member", newcomer.address)
    pid_admit = h.pass_proposal(collective, founders[0], founders, [admit], execute=False)
    pid = h.propose(collective, founders[1])
    gov.execute(pid_admit, [admit], sender=founders[0])
    h.open_voting(collective)
    with boa.reverts("governor: not a member at snapshot"):
        gov.cast_vote(pid, FOR, sender=newcomer)


def test_vote_in_arrears_at_snapshot_reverts(collective, founders, gov_helpers):
    h, gov = gov_helpers, collective.governor
    h.travel(SETTINGS.dues_grace + 10)
    h.pay_dues(collective, founders[0], founders[0])
    pid = h.propose(collective, founders[0])
    h.open_voting(collective)
    with boa.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote(pid, FOR, sender=founders[1])
    with boa.reverts("governor: dues in arrears at snapshot"):
        gov.cast_vote_with_reason(pid, FOR, "please", sender=founders[1])


def test_double_vote_reverts(collective, member, active):
    gov = collective.governor
    gov.cast_vote(active, FOR, sender=member)
    with boa.reverts("governor: already voted"):
        gov.cast_vote(active, AGAINST, sender=member)
    with boa.reverts("governor: already voted"):
        gov.cast_vote_with_reason(active, FOR, "again", sender=member)
    assert _tally(gov, active) == {"for": 1, "against": 0, "abstain": 0}


def test_double_vote_after_resigning_reverts(collective, founders, active):
    gov = collective.governor
    gov.cast_vote(active, FOR, sender=founders[2])
    gov.resign(sender=founders[2])
    with boa.reverts("governor: already voted"):
        gov.cast_vote(active, FOR, sender=founders[2])


def test_vote_on_queued_proposal_says_voting_closed(collective, founders, gov_helpers):
    h, gov = gov_helpers, collective.governor
    pid = h.propose(collective, founders[0])
    h.open_voting(collective)
    gov.cast_vote(pid, FOR, sender=founders[0])
    h.close_voting(collective)
    gov.queue(pid, sender=founders[0])
    with boa.reverts("governor: voting closed"):
        gov.cast_vote(pid, FOR, sender=founders[1])


def test_cast_vote_refuses_ether(collective, member, active):
    # a non-payable function reverts without a reason string
    with boa.reverts(compiler="bad calldatasize or callvalue"):
        collective.governor.cast_vote(active, FOR, sender=member, value=1)
