"""Attack: keep drawing on a claim after leaving the collective (resigning, or revoked).

Defence: `withdraw` requires good standing (`aid: not in good standing`), which a former member
has not; anyone may `stop` the claim (no instalment after the current month, and it stops
counting in the demand that cuts the others); a stopped claim stays ended.
"""

import boa
from utils.aid import ENDED, ONE, file, to_next_month
from utils.boa_stack import DAY, action, events, govern, travel


def _approved(c, who, monthly, months):
    to_next_month()
    cid = file(c, who, monthly, months)
    travel(3 * DAY)
    c.aid.settle(cid)
    return cid


def test_a_member_who_resigns_cannot_withdraw(c, member, outsider):
    cid = _approved(c, member, ONE // 4, 4)
    to_next_month()
    with boa.env.prank(member):
        c.governor.resign()
    with boa.env.prank(member), boa.reverts("aid: not in good standing"):
        c.aid.withdraw(cid)
    with boa.env.prank(outsider):
        c.aid.stop(cid, member)
    assert c.aid.state(cid) == ENDED
    to_next_month()
    c.aid.open_month()
    assert events(c.aid, "MonthOpened")[0].demand == 0


def test_a_revoked_member_cannot_withdraw(c, founders):
    who = founders[5]
    cid = _approved(c, who, ONE // 4, 4)
    govern(c, [action(c.governor, "revoke_member", who)], founders[0], founders[:5])
    to_next_month()
    with boa.env.prank(who), boa.reverts("aid: not in good standing"):
        c.aid.withdraw(cid)
    c.aid.stop(cid, who)
    with boa.reverts("aid: claim not running"):
        c.aid.stop(cid, who)
