"""Attack: stack claims (file again while one is undecided or still paying), to multiply the
monthly payout or to dodge a denial.

Defence: one open claim per member (`aid: claim already open`): undecided, or approved or
ended with an instalment still to withdraw or lapse; the same rule holds for `award`.
"""

import boa
from utils.aid import EQUIPMENT, EVIDENCE, ILLNESS, ONE, file, to_next_month, withdraw
from utils.boa_stack import DAY, action, govern, travel


def _refused(c, who):
    with boa.env.prank(who), boa.reverts("aid: claim already open"):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)


def test_no_second_claim_while_one_is_undecided_or_paying(c, founders, member):
    to_next_month()
    cid = file(c, member, ONE // 4, 2)
    _refused(c, member)  # contest window
    travel(3 * DAY)
    _refused(c, member)  # decidable, not yet settled
    c.aid.settle(cid)
    _refused(c, member)  # approved, not started
    with boa.reverts("aid: claim already open"):
        govern(c, [action(c.aid, "award", member, EQUIPMENT, ONE, 1, EVIDENCE)], founders[1], founders[1:])
    to_next_month()
    withdraw(c, member, cid)
    _refused(c, member)  # one instalment left
    to_next_month()
    withdraw(c, member, cid)
    assert file(c, member, ONE // 10)  # all settled: a new claim is allowed


def test_a_vote_on_a_larger_claim_cannot_be_dodged(c, voters, member):
    cid = file(c, member, ONE, 3)
    _refused(c, member)
    for v in voters[:2]:
        with boa.env.prank(v):
            c.aid.vote(cid, 0)
    _refused(c, member)
    travel(4 * DAY)
    c.aid.settle(cid)
    assert file(c, member, ONE // 10)  # denied: closed
