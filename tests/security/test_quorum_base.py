"""Attack 3: moving the quorum base of a running vote by admitting or revoking members.

Defence: the quorum base is the number of cards at the proposal's snapshot
(`proposal(id).quorum_base`, from the member-count checkpoints), so admissions and
revocations executed after the snapshot change neither the base nor the
outcome.
"""

import boa
from attack_helpers import ABSTAIN, DEFEATED, FOR, SETTINGS, SUCCEEDED, only, prepay


def test_admissions_after_the_snapshot_do_not_raise_the_quorum(create, founders, crowd, gov_helpers, flow):
    # quorum 60%: 2 of the 3 founders meet it; 2 of 7 would not
    c = create(settings=SETTINGS.replace(quorum_bps=6000))
    gov = c.governor
    prepay(c, founders)
    admit = [flow.admit(c, p) for p in crowd]
    a = flow.start(c, founders[0], admit, voters=founders[:2])
    flow.midway(c, a)
    target = gov_helpers.propose(c, founders[1], [], "running while the roll grows")
    snapshot = gov.proposal(target).snapshot
    assert gov.proposal(target).quorum_base == 3
    flow.finish(c, a, admit, founders[0])
    assert gov.member_count() == 7
    gov.cast_vote(target, FOR, sender=founders[0])
    gov.cast_vote(target, FOR, sender=founders[2])
    for p in crowd:
        with boa.reverts("governor: not a member at snapshot"):
            gov.cast_vote(target, ABSTAIN, sender=p)
    assert gov.proposal(target).quorum_base == 3
    assert gov.member_count_at(snapshot) == 3
    assert c.card.total_supply_at(snapshot) == 3
    flow.queue(c, target, founders[1])
    ev = only(gov, "ProposalQueued")
    assert (ev.votes_for, ev.votes_against, ev.votes_abstain, ev.quorum_base) == (2, 0, 0, 3)
    assert gov.proposal(target).quorum_base == 3


def test_revocations_after_the_snapshot_do_not_lower_the_quorum(create, founders, gov_helpers, flow):
    # quorum 90%: 2 votes of a base of 3 miss it; 2 of 2 would meet it
    c = create(settings=SETTINGS.replace(quorum_bps=9000))
    gov = c.governor
    prepay(c, founders)
    revoke = [flow.revoke(c, founders[2])]
    r = flow.start(c, founders[0], revoke, voters=founders[:2])
    gov.cast_vote(r, ABSTAIN, sender=founders[2])  # the 3rd vote makes the revocation's own quorum
    flow.midway(c, r)
    target = gov_helpers.propose(c, founders[1], [], "running while the roll shrinks")
    snapshot = gov.proposal(target).snapshot
    flow.finish(c, r, revoke, founders[0])
    assert gov.member_count() == 2
    assert not gov.is_member(founders[2])
    gov.cast_vote(target, FOR, sender=founders[0])
    gov.cast_vote(target, FOR, sender=founders[1])
    flow.close(c, target)
    assert gov.proposal(target).quorum_base == 3
    assert gov.member_count_at(snapshot) == 3
    assert gov.state(target) == DEFEATED
    with boa.reverts("governor: proposal not succeeded"):
        gov.queue(target, sender=founders[0])
    # control: the same two votes pass a proposal whose snapshot saw two members
    after = gov_helpers.propose(c, founders[0], [], "after the revocation")
    assert gov.proposal(after).quorum_base == 2
    gov_helpers.open_voting(c)
    gov.cast_vote(after, FOR, sender=founders[0])
    gov.cast_vote(after, FOR, sender=founders[1])
    flow.close(c, after)
    assert gov.state(after) == SUCCEEDED
