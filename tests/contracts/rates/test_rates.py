"""IwoRates: post_rate, withdraw_rate, set_category, set_asset_cap, the views."""

import boa
import pytest
from utils.boa_stack import DAY, travel
from utils.escrow_kit import ETH, pad
from utils.rates_kit import CAP, CATEGORY, UNIT, open_board


@pytest.fixture
def board(world):
    open_board(world)
    return world.rates


def only(contract, name):
    found = [e for e in contract.get_logs() if type(e).__name__ == name]
    assert len(found) == 1, found
    return found[0]


def test_member_posts_and_replaces_an_ask(world, board, governor, member):
    board.post_rate(governor.address, CATEGORY, 5 * 10**15, ETH, UNIT, sender=member)
    posted = only(board, "RatePosted")
    assert (posted.governor, posted.member, posted.category, posted.amount, posted.asset, posted.unit) == (
        governor.address,
        member,
        CATEGORY,
        5 * 10**15,
        ETH,
        UNIT,
    )
    board.post_rate(governor.address, CATEGORY, CAP, ETH, UNIT, sender=member)  # the cap itself is fine
    assert only(board, "RatePosted").amount == CAP


def test_withdraw_an_ask(world, board, governor, member):
    board.withdraw_rate(governor.address, CATEGORY, sender=member)
    withdrawn = only(board, "RateWithdrawn")
    assert (withdrawn.governor, withdrawn.member, withdrawn.category) == (governor.address, member, CATEGORY)


def test_only_members_in_good_standing(world, board, governor, outsider, member):
    with boa.reverts("rates: not a member in good standing"):
        board.post_rate(governor.address, CATEGORY, 1, ETH, UNIT, sender=outsider)
    travel(24 * 30 * DAY + 8 * DAY)  # past the prepaid dues and the grace
    with boa.reverts("rates: not a member in good standing"):
        board.post_rate(governor.address, CATEGORY, 1, ETH, UNIT, sender=member)


@pytest.mark.parametrize(
    "category,amount,asset,reason",
    [
        (pad("plumbing"), 1, ETH, "rates: unknown category"),
        (CATEGORY, 0, ETH, "rates: zero amount"),
        (CATEGORY, CAP + 1, ETH, "rates: amount above the collective's cap"),
        (CATEGORY, 1, "0x" + "11" * 20, "rates: asset not accepted"),
    ],
)
def test_refused_asks(world, board, governor, member, category, amount, asset, reason):
    with boa.reverts(reason):
        board.post_rate(governor.address, category, amount, asset, UNIT, sender=member)


def test_settings_by_vote(world, rates, governor):
    assert not rates.accepts(governor.address, CATEGORY)
    pid = world.by_vote(rates, "set_category", CATEGORY, True)
    changed = [e for e in governor.get_logs() if type(e).__name__ == "CategorySet"]
    assert (changed[0].governor, changed[0].proposal_id, changed[0].category, changed[0].accepted) == (
        governor.address,
        pid,
        CATEGORY,
        True,
    )
    assert rates.accepts(governor.address, CATEGORY)
    world.by_vote(rates, "set_asset_cap", ETH, CAP)
    assert rates.asset_cap(governor.address, ETH) == CAP
    world.by_vote(rates, "set_category", CATEGORY, False)
    assert not rates.accepts(governor.address, CATEGORY)


def test_settings_only_by_vote(world, rates, governor, member):
    with boa.reverts("rates: only by vote"):
        rates.set_category(CATEGORY, True, sender=member)
    with boa.reverts("rates: only by vote"):
        rates.set_asset_cap(ETH, CAP, sender=governor.address)  # the governor, but not executing
    with boa.reverts("rates: empty category"):
        world.by_vote(rates, "set_category", b"\x00" * 32, True)
