"""Attack: a claim by someone without a card (a stranger, a member who resigned or was revoked),
directly or through a vote's `award`.

Defence: `file_claim` requires good standing now (`aid: not a member` when there is no card);
`award` requires a card (`aid: not a member`). Nothing is stored.
"""

import boa
from utils.aid import EQUIPMENT, EVIDENCE, ILLNESS, ONE
from utils.boa_stack import action, govern


def test_a_stranger_cannot_file(c, outsider):
    with boa.env.prank(outsider), boa.reverts("aid: not a member"):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)


def test_a_former_member_cannot_file(c, founders, member):
    with boa.env.prank(member):
        c.governor.resign()
    with boa.env.prank(member), boa.reverts("aid: not a member"):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)
    govern(c, [action(c.governor, "revoke_member", founders[5])], founders[1], founders[1:5])
    with boa.env.prank(founders[5]), boa.reverts("aid: not a member"):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)
    assert c.aid.member_window(0).claims == 0
    assert c.aid.member_window(5).claims == 0


def test_a_vote_cannot_award_a_stranger(c, founders, outsider):
    with boa.reverts("aid: not a member"):
        govern(c, [action(c.aid, "award", outsider, EQUIPMENT, ONE, 1, EVIDENCE)], founders[0], founders)
