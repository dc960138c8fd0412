"""Attack 1: one member, two votes on the same proposal.

Defence: a who-voted bit per (proposal, member index), set by every vote
path (`cast_vote`, `cast_vote_with_reason`, `cast_vote_by_sig`) and kept
across resignation and re-admission (a re-admitted member keeps their index).
"""

import boa
import pytest
from attack_helpers import ABSTAIN, ACTIVE, AGAINST, FOR, events, only, pending, tallies


@pytest.fixture
def active(collective, member, gov_helpers):
    pid = gov_helpers.propose(collective, member, [], "signal")
    gov_helpers.open_voting(collective)
    return pid


def test_direct_vote_twice(collective, founders, active):
    gov = collective.governor
    voter = founders[1]
    gov.cast_vote(active, FOR, sender=voter)
    assert events(gov, "VoteCast") == [dict(voter=voter.address, proposal_id=active, support=FOR)]
    with boa.reverts("governor: already voted"):
        gov.cast_vote(active, FOR, sender=voter)
    with boa.reverts("governor: already voted"):
        gov.cast_vote(active, AGAINST, sender=voter)
    with boa.reverts("governor: already voted"):
        gov.cast_vote_with_reason(active, ABSTAIN, "changed my mind", sender=voter)
    assert tallies(gov, active) == (1, 0, 0)
    assert gov.has_voted(active, voter)


def test_direct_then_signed(collective, founders, outsider, active, gov_helpers, relay):
    gov = collective.governor
    voter = founders[1]
    gov.cast_vote_with_reason(active, AGAINST, "too expensive", sender=voter)
    signed = gov_helpers.sign_vote(collective, voter, active, FOR)
    with boa.reverts("governor: already voted"):
        relay(gov, signed, outsider)
    assert tallies(gov, active) == (0, 1, 0)


def test_signed_then_direct(collective, founders, outsider, active, gov_helpers, relay):
    gov = collective.governor
    voter = founders[2]
    relay(gov, gov_helpers.sign_vote(collective, voter, active, ABSTAIN), outsider)
    with boa.reverts("governor: already voted"):
        gov.cast_vote(active, FOR, sender=voter)
    assert tallies(gov, active) == (0, 0, 1)


def test_signed_twice_same_signature(collective, founders, outsider, member, active, gov_helpers, relay):
    gov = collective.governor
    voter = founders[1]
    signed = gov_helpers.sign_vote(collective, voter, active, FOR, reason="yes")
    relay(gov, signed, outsider)
    assert only(gov, "VoteReason") == dict(voter=voter.address, proposal_id=active, reason="yes")
    # the same signature again, from the same relayer and from another one
    for relayer in (outsider, member):
        with boa.reverts("governor: already voted"):
            relay(gov, signed, relayer)
    assert tallies(gov, active) == (1, 0, 0)


def test_signed_twice_with_two_different_signatures(collective, founders, outsider, active, gov_helpers, relay):
    """Two ballots the voter really signed (different support, reason, expiry) still give one vote."""
    gov = collective.governor
    voter = founders[1]
    first = gov_helpers.sign_vote(collective, voter, active, FOR, reason="first")
    second = gov_helpers.sign_vote(collective, voter, active, AGAINST, reason="second", expiry=first.ballot.expiry + 1)
    relay(gov, first, outsider)
    with boa.reverts("governor: already voted"):
        relay(gov, second, outsider)
    assert tallies(gov, active) == (1, 0, 0)


def test_vote_again_after_resigning_and_being_readmitted(paid, founders, gov_helpers, flow):
    """Resign, get re-admitted by vote while the proposal is still open, vote again: refused."""
    c = paid
    gov = c.governor
    voter = founders[2]
    readmit = [flow.admit(c, voter)]
    # the re-admission is proposed first, so it can execute while `target` is still open
    a = flow.start(c, founders[0], readmit, voters=founders[:2])
    flow.midway(c, a)
    target = gov_helpers.propose(c, founders[1], [], "open while the voter leaves and returns")
    pending(gov.proposal(target).vote_start)
    gov.cast_vote(target, FOR, sender=voter)
    gov.resign(sender=voter)
    assert not gov.is_member(voter)
    index = gov.member(voter).index
    flow.finish(c, a, readmit, founders[0])
    assert only(gov, "MemberAdmitted").index == index  # same index back
    assert gov.is_member(voter)
    assert gov.state(target) == ACTIVE
    with boa.reverts("governor: already voted"):
        gov.cast_vote(target, AGAINST, sender=voter)
    assert tallies(gov, target) == (1, 0, 0)
    assert gov.has_voted(target, voter)
