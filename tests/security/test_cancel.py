"""Attack 15: cancelling someone else's proposal, or cancelling once the vote is under way.

Defence: only the member whose index proposed it may cancel, and only while
it is Pending ("governor: not the proposer"; in any other state the refusal
names it: "governor: proposal is Active", "... is Succeeded", ...); a canceled
proposal can no longer be voted, queued or executed.
"""

import boa
from attack_helpers import ACTIVE, CANCELED, FOR, PENDING, at, only, pending, tallies


def test_only_the_proposer_cancels(collective, founders, organizer, newcomer, outsider, gov_helpers):
    c = collective
    gov = c.governor
    pid = gov_helpers.propose(c, founders[0])
    for who in (founders[1], founders[2], organizer, newcomer, outsider):
        with boa.reverts("governor: not the proposer"):
            gov.cancel(pid, sender=who)
    assert gov.state(pid) == PENDING
    gov.cancel(pid, sender=founders[0])
    assert only(gov, "ProposalCanceled") == dict(proposal_id=pid)
    assert gov.state(pid) == CANCELED


def test_index_zero_proposer_is_not_confused_with_strangers(collective, founders, outsider, gov_helpers):
    """founders[0] has member index 0, the index every non-member record would decode to."""
    c = collective
    gov = c.governor
    assert gov.member(founders[0]).index == 0
    pid = gov_helpers.propose(c, founders[0])
    with boa.reverts("governor: not the proposer"):
        gov.cancel(pid, sender=outsider)
    assert gov.state(pid) == PENDING


def test_no_cancel_once_voting_opened(collective, founders, gov_helpers):
    c = collective
    gov = c.governor
    pid = gov_helpers.propose(c, founders[0])
    start = gov.proposal(pid).vote_start
    at(start - 1)
    assert gov.state(pid) == PENDING
    pending(start)  # the first second of the vote
    with boa.reverts("governor: proposal is Active"):
        gov.cancel(pid, sender=founders[0])
    at(start)
    assert gov.state(pid) == ACTIVE
    gov.cast_vote(pid, FOR, sender=founders[1])
    with boa.reverts("governor: proposal is Active"):
        gov.cancel(pid, sender=founders[0])
    assert tallies(gov, pid) == (1, 0, 0)


def test_no_cancel_after_the_vote(paid, founders, flow):
    c = paid
    gov = c.governor
    pid = flow.start(c, founders[0], [], voters=founders)
    flow.close(c, pid)
    with boa.reverts("governor: proposal is Succeeded"):
        gov.cancel(pid, sender=founders[0])
    flow.queue(c, pid, founders[0])
    with boa.reverts("governor: proposal is Queued"):
        gov.cancel(pid, sender=founders[0])
    pending(gov.proposal(pid).eta)
    gov.execute(pid, [], sender=founders[0])
    with boa.reverts("governor: proposal is Executed"):
        gov.cancel(pid, sender=founders[0])


def test_canceled_proposal_is_dead(collective, founders, gov_helpers, flow):
    c = collective
    gov = c.governor
    pid = gov_helpers.propose(c, founders[0])
    gov.cancel(pid, sender=founders[0])
    with boa.reverts("governor: proposal is Canceled"):  # not Pending any more
        gov.cancel(pid, sender=founders[0])
    gov_helpers.open_voting(c)
    with boa.reverts("governor: proposal canceled"):
        gov.cast_vote(pid, FOR, sender=founders[1])
    flow.close(c, pid)
    with boa.reverts("governor: proposal not succeeded"):
        gov.queue(pid, sender=founders[0])
    with boa.reverts("governor: proposal not queued"):
        gov.execute(pid, [], sender=founders[0])
    assert gov.state(pid) == CANCELED
    with boa.reverts("governor: unknown proposal"):
        gov.cancel(pid + 1, sender=founders[0])
