"""Attack: change the terms by vote while a claim is running, to shorten its windows, raise its
quorum, shrink its unclaimed window or keep its deposit.

Defence: each claim keeps the terms version it was filed under (contest window, vote period,
quorum, objection threshold, unclaimed window, deposit); new terms apply to new claims only.
"""

import boa
from utils.aid import APPROVED, FOR, ONE, TIED, file, set_terms, to_next_month, vote, withdraw
from utils.boa_stack import DAY, travel

DEPOSIT = ONE // 50


def test_a_running_claim_keeps_its_terms(world, c, founders, member):
    set_terms(world, deposit=DEPOSIT)  # version 2
    small = file(c, member, ONE // 4, 2, value=DEPOSIT)
    large = file(c, founders[1], ONE // 2, 4, value=DEPOSIT)
    filed = boa.env.timestamp
    # version 3: one-day windows, a 100 % quorum, no unclaimed window, no deposit
    set_terms(world, contest_window=DAY, vote_period=DAY, quorum_bps=10_000, unclaimed_months=0, deposit=0)
    assert c.aid.terms_version() == 3
    assert (c.aid.claim(small).terms_version, c.aid.claim(large).terms_version) == (2, 2)
    assert c.aid.claim(small).contest_end == filed + 3 * DAY
    # the larger claim: 4-day vote and a 30 % quorum still (two For of six carry it)
    travel(filed + 3 * DAY - boa.env.timestamp - 1)
    vote(c, founders[2], large, FOR)
    vote(c, founders[3], large, FOR)
    travel(filed + 4 * DAY - boa.env.timestamp)
    c.aid.settle(small)
    c.aid.settle(large)
    assert (c.aid.state(small), c.aid.state(large)) == (APPROVED, APPROVED)
    # the deposits of version 2 come back
    for who, cid in ((member, small), (founders[1], large)):
        with boa.env.prank(who):
            c.aid.reclaim_deposit(cid)
    # the unclaimed window of version 2 (one month) still holds for the small claim
    to_next_month()
    to_next_month()
    assert withdraw(c, member, small) == ONE // 2


def test_new_claims_take_the_new_terms(world, c, member, voters):
    set_terms(world, quorum_bps=10_000)
    cid = file(c, member, ONE // 2, 4)
    vote(c, voters[0], cid, FOR)
    vote(c, voters[1], cid, FOR)
    travel(4 * DAY)
    c.aid.settle(cid)
    assert c.aid.state(cid) == TIED  # two ballots of six miss a 100 % quorum
