"""Attack: a member who stopped paying dues claims from the pool the others feed.

Defence: `file_claim` requires good standing (dues paid through now minus the grace):
`aid: dues in arrears`; paying the arrears restores the right. Withdrawals need good
standing too (tests/security/aid/test_withdraw_after_leaving.py, unit tests).
"""

import boa
from utils.aid import EVIDENCE, ILLNESS, ONE, file
from utils.boa_stack import DAY, action, govern, travel


def test_arrears_block_a_claim_until_paid(c, founders, outsider):
    govern(c, [action(c.governor, "admit_member", outsider)], founders[0], founders)
    with boa.env.prank(outsider):
        c.treasury.pay_dues(outsider, 1, value=c.treasury.dues_amount())
    travel(30 * DAY + 7 * DAY)  # paid-through plus the grace: still in standing
    assert c.governor.in_good_standing(outsider)
    travel(1)
    assert not c.governor.in_good_standing(outsider)
    with boa.env.prank(outsider), boa.reverts("aid: dues in arrears"):
        c.aid.file_claim(ILLNESS, ONE // 10, 1, EVIDENCE)
    with boa.env.prank(outsider):
        c.treasury.pay_dues(outsider, 2, value=2 * c.treasury.dues_amount())
    assert file(c, outsider, ONE // 10)
