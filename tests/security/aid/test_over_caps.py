"""Attack: claim more than the rules allow: over the per-claim cap (also with an amount chosen to
overflow `monthly * months`), over the per-member cap of the 12-month window (split into several
claims), longer than the maximum duration, in a category the collective did not enable; and
the same through a vote's `award`.

Defence: `aid: over the claim cap` (monthly <= 2**72 - 1 first, so the product cannot
overflow), `aid: over the member cap`, `aid: too many months`, `aid: category not enabled`.
"""

import boa
import pytest
from utils.aid import EQUIPMENT, EVIDENCE, FOR, ILLNESS, ONE, file, to_next_month, withdraw
from utils.boa_stack import DAY, action, govern, travel


@pytest.mark.parametrize(
    "category,monthly,months,reason",
    [
        (ILLNESS, 6 * ONE + 1, 1, "aid: over the claim cap"),
        (ILLNESS, 3 * ONE, 2 + 1, "aid: over the claim cap"),
        (ILLNESS, 2**256 // 12 + 1, 12, "aid: over the claim cap"),
        (ILLNESS, 2**72, 1, "aid: over the claim cap"),
        (ILLNESS, ONE // 100, 13, "aid: too many months"),
        (ILLNESS, 1, 2**255, "aid: too many months"),
        (6, ONE // 100, 1, "aid: category not enabled"),
    ],
)
def test_claims_over_a_limit_are_refused(c, member, category, monthly, months, reason):
    with boa.env.prank(member), boa.reverts(reason):
        c.aid.file_claim(category, monthly, months, EVIDENCE)
    assert c.aid.member_window(0).claims == 0


def test_the_member_cap_cannot_be_split_over_claims(c, voters, member):
    """8 ETH a year: 6 + 2 are allowed, a third claim of 1 wei is not, until the window ends."""
    amounts = [(2 * ONE, 3), (ONE, 2)]
    for monthly, months in amounts:
        cid = file(c, member, monthly, months)
        for v in voters[:2]:
            with boa.env.prank(v):
                c.aid.vote(cid, FOR)
        travel(4 * DAY)
        c.aid.settle(cid)
        for _ in range(months):
            to_next_month()
            withdraw(c, member, cid)
    assert c.aid.member_window(0).window_total == 8 * ONE
    with boa.env.prank(member), boa.reverts("aid: over the member cap"):
        c.aid.file_claim(ILLNESS, 1, 1, EVIDENCE)
    start = c.aid.member_window(0).window_start
    travel(start + 365 * DAY - boa.env.timestamp)
    assert file(c, member, ONE // 10)


def test_a_vote_cannot_award_over_the_caps(c, founders, member):
    too_much = [
        (action(c.aid, "award", member, EQUIPMENT, 7 * ONE, 1, EVIDENCE), "aid: over the claim cap"),
        (action(c.aid, "award", member, EQUIPMENT, ONE // 10, 13, EVIDENCE), "aid: too many months"),
    ]
    for proposer, (act, reason) in zip(founders[1:], too_much):
        with boa.reverts(reason):
            govern(c, [act], proposer, founders)
