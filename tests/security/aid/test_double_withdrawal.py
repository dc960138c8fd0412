"""Attack: withdraw the same instalment twice (twice in a month, after the end, by someone
else), to take more than the claim.

Defence: the payout word counts the months settled and is written before the treasury pays
(`aid: nothing due yet`, `aid: claim fully paid`, `aid: not the claimant`); over the whole
claim the claimant receives exactly monthly x months.
"""

import boa
from utils.aid import ONE, eth_balance, file, to_next_month, withdraw
from utils.boa_stack import DAY, ETH, travel


def test_each_instalment_is_paid_once(c, voters, member):
    to_next_month()
    cid = file(c, member, ONE // 4, 3)
    travel(3 * DAY)
    c.aid.settle(cid)
    start_balance, start_pool = eth_balance(member), c.treasury.pool(ETH)
    for month in range(3):
        to_next_month()
        assert withdraw(c, member, cid) == ONE // 4
        again = "aid: nothing due yet" if month < 2 else "aid: claim fully paid"
        with boa.env.prank(member), boa.reverts(again):
            c.aid.withdraw(cid)
        with boa.env.prank(voters[0]), boa.reverts("aid: not the claimant"):
            c.aid.withdraw(cid)
    to_next_month()
    with boa.env.prank(member), boa.reverts("aid: claim fully paid"):
        c.aid.withdraw(cid)
    assert eth_balance(member) == start_balance + 3 * ONE // 4
    assert c.treasury.pool(ETH) == start_pool - 3 * ONE // 4
