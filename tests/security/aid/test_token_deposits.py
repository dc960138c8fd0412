"""Attack: claim deposits in a token collective paid with the wrong money, or moved by a token
that lies (returns false, delivers less, refuses an approval).

The collective's dues and aid are in `MockToken` (contracts/test/MockToken.vy: mode 1 returns
false instead of moving, 2 keeps a 1% fee, 8 refuses approvals); its terms ask a deposit.

Defence: `_take_deposit` refuses ETH sent with a token deposit ("aid: wrong deposit"), a false
answer ("aid: token transfer failed") and any other amount than the deposit arriving ("aid:
token delivered a different amount"); a denied claim's deposit goes to the pool only through
an approval the token granted ("aid: token approval failed"); a returned deposit is a transfer
the token confirmed ("aid: token transfer failed"). Each refusal leaves every balance as it was.
"""

from types import SimpleNamespace

import boa
import pytest
from utils.aid import AGAINST, ONE, PREPAID, file, set_terms, vote
from utils.boa_stack import DAY, contract, create_collective, travel

NORMAL, RETURNS_FALSE, FEE, REFUSES_APPROVAL = 0, 1, 2, 8
DUES = 5 * 10**6  # 5 USDX a period
DEPOSIT = 3 * 10**6
SMALL, LARGE = ONE // 10, 2 * ONE  # under and over the auto-approval threshold (1 ONE)


@pytest.fixture(scope="module")
def token_world(stack, founders, organizer, member, voters, outsider):
    token = contract("MockToken").deploy("Stable", "USDX", 6)
    c = create_collective(stack, founders, sender=organizer, dues_asset=token.address, dues=DUES)
    for f in founders:
        boa.env.set_balance(f, 1_000 * ONE)
        with boa.env.prank(f):
            token.mint(f, 10**12)
            token.approve(c.treasury.address, 10**12)
            c.treasury.pay_dues(f, PREPAID)
            token.approve(c.aid.address, 10**12)
    world = SimpleNamespace(c=c, founders=list(founders), organizer=organizer, token=token)
    set_terms(world, deposit=DEPOSIT)
    travel(30 * DAY)
    return world


@pytest.fixture
def token(token_world):
    token_world.token.set_mode(NORMAL, token_world.c.aid.address, b"")
    return token_world.token


def balances(w, who):
    return (w.token.balanceOf(who), w.token.balanceOf(w.c.aid.address), w.c.treasury.pool(w.token.address))


def test_the_deposit_is_taken_in_the_token(token_world, token, member):
    w = token_world
    before = balances(w, member)
    cid = file(w.c, member, SMALL)
    assert w.c.aid.claim(cid).deposit_held
    assert balances(w, member) == (before[0] - DEPOSIT, before[1] + DEPOSIT, before[2])


def test_eth_sent_with_a_token_deposit_is_refused(token_world, token, member):
    w = token_world
    before = (balances(w, member), boa.env.get_balance(member))
    with boa.reverts("aid: wrong deposit"):
        file(w.c, member, SMALL, value=DEPOSIT)
    assert (balances(w, member), boa.env.get_balance(member)) == before


@pytest.mark.parametrize(
    "mode,reason",
    [(RETURNS_FALSE, "aid: token transfer failed"), (FEE, "aid: token delivered a different amount")],
)
def test_a_token_that_does_not_deliver_the_deposit_is_refused(token_world, token, member, mode, reason):
    w = token_world
    before = balances(w, member)
    token.set_mode(mode, w.c.aid.address, b"")
    with boa.reverts(reason):
        file(w.c, member, SMALL)
    assert balances(w, member) == before


def _denied(w, member, voters):
    cid = file(w.c, member, LARGE)  # over the auto-approval threshold: decided by vote
    travel(w.c.aid.claim(cid).contest_end - boa.env.timestamp)
    for v in voters:
        vote(w.c, v, cid, AGAINST)
    travel(w.c.aid.claim(cid).vote_end - boa.env.timestamp)
    return cid


def test_a_denied_claims_deposit_goes_to_the_pool(token_world, token, member, voters):
    w = token_world
    cid = _denied(w, member, voters)
    before = balances(w, member)
    w.c.aid.settle(cid)
    assert balances(w, member) == (before[0], before[1] - DEPOSIT, before[2] + DEPOSIT)


def test_a_token_refusing_the_approval_keeps_the_claim_undecided(token_world, token, member, voters):
    w = token_world
    cid = _denied(w, member, voters)
    before = (balances(w, member), w.c.aid.claim(cid))
    token.set_mode(REFUSES_APPROVAL, w.c.aid.address, b"")
    with boa.reverts("aid: token approval failed"):
        w.c.aid.settle(cid)
    assert (balances(w, member), w.c.aid.claim(cid)) == before


def _approved_with_deposit(w, member):
    cid = file(w.c, member, SMALL)
    travel(w.c.aid.claim(cid).contest_end - boa.env.timestamp)
    w.c.aid.settle(cid)
    return cid


def test_the_claimant_takes_the_deposit_back(token_world, token, member):
    w = token_world
    cid = _approved_with_deposit(w, member)
    before = balances(w, member)
    with boa.env.prank(member):
        w.c.aid.reclaim_deposit(cid)
    assert balances(w, member) == (before[0] + DEPOSIT, before[1] - DEPOSIT, before[2])
    assert not w.c.aid.claim(cid).deposit_held


def test_a_token_refusing_to_return_the_deposit_keeps_it_held(token_world, token, member):
    w = token_world
    cid = _approved_with_deposit(w, member)
    before = balances(w, member)
    token.set_mode(RETURNS_FALSE, w.c.aid.address, b"")
    with boa.env.prank(member), boa.reverts("aid: token transfer failed"):
        w.c.aid.reclaim_deposit(cid)
    assert balances(w, member) == before
    assert w.c.aid.claim(cid).deposit_held
