"""Attack: join, then claim at once (insure the house once it burns).

Defence: a claim needs a card, with dues covering it, held at `now - waiting_period`
(`aid: waiting period not over`), the period of the terms in force at filing.
"""

import boa
from utils.aid import EVIDENCE, ILLNESS, ONE, file, set_terms
from utils.boa_stack import DAY, action, govern, travel


def _admit(c, founders, newcomer):
    govern(c, [action(c.governor, "admit_member", newcomer)], founders[0], founders)
    with boa.env.prank(newcomer):
        c.treasury.pay_dues(newcomer, 6, value=6 * c.treasury.dues_amount())


def test_a_newcomer_waits_the_whole_period(c, founders, outsider):
    _admit(c, founders, outsider)
    for wait in (0, 29 * DAY, DAY - 1):
        travel(wait)
        with boa.env.prank(outsider), boa.reverts("aid: waiting period not over"):
            c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)
    travel(1)
    assert file(c, outsider, ONE // 10)


def test_a_longer_period_voted_later_applies_to_new_claims(world, c, founders, outsider):
    _admit(c, founders, outsider)
    set_terms(world, waiting_period=90 * DAY)
    travel(30 * DAY)
    with boa.env.prank(outsider), boa.reverts("aid: waiting period not over"):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)
    travel(55 * DAY)  # 90 days after admission (the vote took five)
    assert file(c, outsider, ONE // 10)
