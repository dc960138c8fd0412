"""Attack 19: a flash majority admitted to swing a vote that is already open.

A majority first passes the admission of enough new members to outnumber
everyone else, then the newcomers try to vote on a proposal that was
already open. Defence: eligibility and the quorum base are fixed at the
proposal's snapshot; the newcomers are refused ("governor: not a member at
snapshot"), directly or by relayed signature, and the tallies and the
quorum base do not move.
"""

import boa
from attack_helpers import AGAINST, FOR, QUEUED, events, only, tallies


def test_admitted_majority_cannot_swing_an_open_vote(
    paid, founders, newcomer, crowd, outsider, flow, gov_helpers, relay
):
    c = paid
    gov = c.governor
    flash = [newcomer, *crowd]
    admit = [flow.admit(c, p) for p in flash]
    a = flow.start(c, founders[0], admit, voters=founders[:2])
    flow.midway(c, a)
    target = gov_helpers.propose(c, founders[1], [], "open before the flash admissions")
    flow.finish(c, a, admit, founders[0])
    assert [ev.member for ev in events(gov, "MemberAdmitted")] == [p.address for p in flash]
    assert gov.member_count() == 3 + len(flash)
    gov.cast_vote(target, FOR, sender=founders[1])
    before = gov.proposal(target)
    assert before.quorum_base == 3
    for p in flash:
        assert not gov.can_vote(target, p)
        with boa.reverts("governor: not a member at snapshot"):
            gov.cast_vote(target, AGAINST, sender=p)
        with boa.reverts("governor: not a member at snapshot"):
            relay(gov, gov_helpers.sign_vote(c, p, target, AGAINST), outsider)
        with boa.reverts("governor: not the proposer"):
            gov.cancel(target, sender=p)
    assert gov.proposal(target) == before
    assert tallies(gov, target) == (1, 0, 0)
    flow.queue(c, target, founders[1])
    ev = only(gov, "ProposalQueued")
    assert (ev.votes_for, ev.votes_against, ev.votes_abstain, ev.quorum_base) == (1, 0, 0, 3)
    assert gov.state(target) == QUEUED  # the founders' decision stands
