"""Attack: sway a claim with ballots that should not count: a stranger, a member admitted after
the claim's snapshot, a member in arrears at the snapshot, the claimant, a second ballot.

Defence: a ballot needs the governor's `eligible_at(voter, filed - 1)` (a card at the snapshot
with dues covering it): `aid: not eligible at snapshot`; the claimant is excluded
(`aid: own claim`); one ballot per member and claim, objections included
(`aid: already voted`, who-voted bitmap by lifelong roll index).
"""

import boa
from utils.aid import AGAINST, FOR, ONE, file, obj, set_terms, vote
from utils.boa_stack import DAY, action, govern, travel


def test_strangers_and_late_members_do_not_count(world, c, founders, member, outsider):
    set_terms(world, contest_window=14 * DAY, vote_period=14 * DAY)
    small, large = file(c, member, ONE // 2), file(c, founders[1], ONE, 2)
    for cid in (small, large):
        with boa.env.prank(outsider), boa.reverts("aid: not eligible at snapshot"):
            c.aid.object(cid) if cid == small else c.aid.vote(cid, AGAINST)
    govern(c, [action(c.governor, "admit_member", outsider)], founders[2], founders)
    with boa.env.prank(outsider):
        c.treasury.pay_dues(outsider, 3, value=3 * c.treasury.dues_amount())
    with boa.env.prank(outsider), boa.reverts("aid: not eligible at snapshot"):
        c.aid.object(small)
    with boa.env.prank(outsider), boa.reverts("aid: not eligible at snapshot"):
        c.aid.vote(large, AGAINST)
    assert (c.aid.claim(small).votes_against, c.aid.claim(large).votes_against) == (0, 0)


def test_arrears_at_the_snapshot_exclude_a_member(c, founders, outsider):
    govern(c, [action(c.governor, "admit_member", outsider)], founders[0], founders)
    with boa.env.prank(outsider):
        c.treasury.pay_dues(outsider, 1, value=c.treasury.dues_amount())
    travel(60 * DAY)  # behind by a month beyond the grace
    cid = file(c, founders[1], ONE, 2)
    with boa.env.prank(outsider), boa.reverts("aid: not eligible at snapshot"):
        c.aid.vote(cid, AGAINST)


def test_the_claimant_and_second_ballots_do_not_count(c, voters, member):
    small = file(c, member, ONE // 2)
    with boa.env.prank(member), boa.reverts("aid: own claim"):
        c.aid.object(small)
    obj(c, voters[0], small)
    obj(c, voters[1], small)
    with boa.env.prank(voters[0]), boa.reverts("aid: already voted"):
        c.aid.object(small)
    travel(3 * DAY)
    with boa.env.prank(member), boa.reverts("aid: own claim"):
        c.aid.vote(small, FOR)
    with boa.env.prank(voters[1]), boa.reverts("aid: already voted"):
        c.aid.vote(small, FOR)  # an objector cannot turn into a For vote
    vote(c, voters[2], small, FOR)
    with boa.env.prank(voters[2]), boa.reverts("aid: already voted"):
        c.aid.vote(small, FOR)
    v = c.aid.claim(small)
    assert (v.votes_for, v.votes_against) == (1, 2)
