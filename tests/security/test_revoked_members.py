"""Attack 18: revoked members and their votes.

By the snapshot rule a member keeps the vote on every proposal whose
snapshot saw their card, including the one revoking them, and a signed
ballot of theirs may be relayed after the revocation for such a proposal;
for a proposal made after the revocation it is refused ("governor: not a
member at snapshot").
"""

import boa
from attack_helpers import AGAINST, DEFEATED, FOR, SETTINGS, only, pending, prepay, tallies


def test_member_votes_on_their_own_revocation(create, founders, flow):
    # a 70 % constitutional threshold: 2 For to 1 Against (66.67 %) miss it, 2 to 0 would reach it
    c = create(settings=SETTINGS.replace(constitutional_bps=7_000))
    prepay(c, founders)
    gov = c.governor
    accused = founders[2]
    actions = [flow.revoke(c, accused)]
    pid = flow.start(c, founders[0], actions, voters=founders[:2])
    assert gov.proposal(pid).constitutional  # revocation is constitutional
    assert gov.can_vote(pid, accused)
    gov.cast_vote_with_reason(pid, AGAINST, "I was not heard", sender=accused)
    assert only(gov, "VoteCast") == dict(voter=accused.address, proposal_id=pid, support=AGAINST)
    assert tallies(gov, pid) == (2, 1, 0)
    flow.close(c, pid)
    # 2 of 3 is 66.67 %, under the 70 % constitutional threshold: their own vote decided it
    assert gov.state(pid) == DEFEATED
    with boa.reverts("governor: proposal not succeeded"):
        gov.queue(pid, sender=founders[0])
    assert gov.is_member(accused)


def test_revoked_members_signed_vote_relayed_later(paid, founders, outsider, flow, gov_helpers, relay):
    c = paid
    gov = c.governor
    revoked = founders[2]
    actions = [flow.revoke(c, revoked)]
    r = flow.start(c, founders[0], actions, voters=founders[:2])
    flow.midway(c, r)
    before = gov_helpers.propose(c, founders[1], [], "snapshot before the revocation")
    signed_before = gov_helpers.sign_vote(c, revoked, before, AGAINST, reason="signed while a member")
    flow.finish(c, r, actions, founders[0])
    assert only(gov, "MemberLeft") == dict(member=revoked.address, resigned=False, member_count=2)
    assert not gov.is_member(revoked)
    # relayed after the revocation, for a proposal snapshotted before it: accepted
    relay(gov, signed_before, outsider)
    assert only(gov, "VoteCast") == dict(voter=revoked.address, proposal_id=before, support=AGAINST)
    assert only(gov, "VoteReason").reason == "signed while a member"
    assert tallies(gov, before) == (0, 1, 0)
    # a proposal made after the revocation: refused, signed or direct
    after = gov_helpers.propose(c, founders[0], [], "snapshot after the revocation")
    pending(gov.proposal(after).vote_start)
    signed_after = gov_helpers.sign_vote(c, revoked, after, FOR)
    with boa.reverts("governor: not a member at snapshot"):
        relay(gov, signed_after, outsider)
    with boa.reverts("governor: not a member at snapshot"):
        gov.cast_vote(after, FOR, sender=revoked)
    assert tallies(gov, after) == (0, 0, 0)
    assert not gov.has_voted(after, revoked)
    assert not gov.can_vote(after, revoked)
    assert gov.can_vote(before, revoked)
