"""Attack 15: cancelling someone else's proposal, or cancelling once the vote is under way.

Defence: only the member whose index proposed it may cancel, and only while
it is Pending ("governor: not the proposer", "governor: voting already
open"); a canceled proposal can no longer be voted, queued or executed.
"""

import ape
from attack_helpers import ACTIVE, CANCELED, FOR, P_START, PENDING, at, only, tallies


def test_only_the_proposer_cancels(collective, founders, organizer, newcomer, outsider, gov_helpers):
    c = collective
    gov = c.governor
    pid = gov_helpers.propose(c, founders[0])
    for who in (founders[1], founders[2], organizer, newcomer, outsider):
        with ape.reverts("governor: not the proposer"):
            gov.cancel(pid, sender=who)
    assert gov.state(pid) == PENDING
    receipt = gov.cancel(pid, sender=founders[0])
    assert only(receipt, gov.ProposalCanceled) == gov.ProposalCanceled(proposal_id=pid)
    assert gov.state(pid) == CANCELED


def test_index_zero_proposer_is_not_confused_with_strangers(collective, founders, outsider, gov_helpers):
    """founders[0] has member index 0, the index every non-member record would decode to."""
    c = collective
    gov = c.governor
    assert gov.member(founders[0])[1] == 0
    pid = gov_helpers.propose(c, founders[0])
    with ape.reverts("governor: not the proposer"):
        gov.cancel(pid, sender=outsider)
    assert gov.state(pid) == PENDING


def test_no_cancel_once_voting_opened(collective, founders, gov_helpers, chain):
    c = collective
    gov = c.governor
    pid = gov_helpers.propose(c, founders[0])
    start = gov.proposal(pid)[P_START]
    at(chain, start - 1)
    assert gov.state(pid) == PENDING
    chain.pending_timestamp = start  # the first second of the vote
    with ape.reverts("governor: voting already open"):
        gov.cancel(pid, sender=founders[0])
    assert gov.state(pid) == ACTIVE
    gov.cast_vote(pid, FOR, sender=founders[1])
    with ape.reverts("governor: voting already open"):
        gov.cancel(pid, sender=founders[0])
    assert tallies(gov, pid) == (1, 0, 0)


def test_no_cancel_after_the_vote(paid, founders, flow):
    c = paid
    gov = c.governor
    pid = flow.start(c, founders[0], [], voters=founders)
    flow.close(c, pid)
    with ape.reverts("governor: voting already open"):
        gov.cancel(pid, sender=founders[0])
    flow.finish(c, pid, [], founders[0])
    with ape.reverts("governor: voting already open"):
        gov.cancel(pid, sender=founders[0])


def test_canceled_proposal_is_dead(collective, founders, gov_helpers, flow):
    c = collective
    gov = c.governor
    pid = gov_helpers.propose(c, founders[0])
    gov.cancel(pid, sender=founders[0])
    with ape.reverts("governor: voting already open"):  # not Pending any more
        gov.cancel(pid, sender=founders[0])
    gov_helpers.open_voting(c)
    with ape.reverts("governor: proposal canceled"):
        gov.cast_vote(pid, FOR, sender=founders[1])
    flow.close(c, pid)
    with ape.reverts("governor: proposal not succeeded"):
        gov.queue(pid, sender=founders[0])
    with ape.reverts("governor: proposal not queued"):
        gov.execute(pid, [], sender=founders[0])
    assert gov.state(pid) == CANCELED
    with ape.reverts("governor: unknown proposal"):
        gov.cancel(pid + 1, sender=founders[0])
