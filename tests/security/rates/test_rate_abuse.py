"""Attack: a lapsed member or a stranger posts asks, absurd amounts, unknown categories, a fake
governor opens a collective's board.

Defence: posting needs `in_good_standing` from the collective's governor; the category must be
accepted and the amount 0 < amount <= the collective's cap for the asset, all set only by the
collective's executed proposals; every setting is keyed by the governor that wrote it.
"""

import boa
from utils.boa_stack import DAY, contract, travel
from utils.escrow_kit import ETH
from utils.rates_kit import CAP, CATEGORY, UNIT, open_board


def test_lapsed_member_cannot_post(world, rates, governor, panelists):
    open_board(world)
    lapsed = panelists[0]
    rates.post_rate(governor.address, CATEGORY, 1, ETH, UNIT, sender=lapsed)
    travel(24 * 30 * DAY + 8 * DAY)
    assert not governor.in_good_standing(lapsed)
    with boa.reverts("rates: not a member in good standing"):
        rates.post_rate(governor.address, CATEGORY, 1, ETH, UNIT, sender=lapsed)


def test_revoked_member_cannot_post(world, rates, governor, panelists):
    open_board(world)
    world.by_vote(governor, "revoke_member", panelists[1])
    with boa.reverts("rates: not a member in good standing"):
        rates.post_rate(governor.address, CATEGORY, 1, ETH, UNIT, sender=panelists[1])


def test_absurd_amounts(world, rates, governor, member):
    open_board(world)
    for amount, reason in (
        (0, "rates: zero amount"),
        (CAP + 1, "rates: amount above the collective's cap"),
        (2**256 - 1, "rates: amount above the collective's cap"),
    ):
        with boa.reverts(reason):
            rates.post_rate(governor.address, CATEGORY, amount, ETH, UNIT, sender=member)


def test_unknown_and_removed_categories(world, rates, governor, member):
    with boa.reverts("rates: unknown category"):
        rates.post_rate(governor.address, CATEGORY, 1, ETH, UNIT, sender=member)
    open_board(world)
    world.by_vote(rates, "set_category", CATEGORY, False)
    with boa.reverts("rates: unknown category"):
        rates.post_rate(governor.address, CATEGORY, 1, ETH, UNIT, sender=member)


def test_a_fake_governor_only_writes_its_own_namespace(world, rates, governor, member, outsider):
    fake = contract("ActionSink").deploy()  # any contract: it cannot report an executing proposal
    with boa.reverts():
        rates.set_category(CATEGORY, True, sender=fake.address)
    party = contract("HostileParty").deploy()  # a contract calling from its own address
    with boa.reverts():
        party.act(rates.address, rates.set_category.prepare_calldata(CATEGORY, True), 0, sender=outsider)
    assert not rates.accepts(governor.address, CATEGORY)


def test_an_impostor_governor_writes_only_its_own_board(world, rates, governor, member):
    fake = contract("FakeGovernor").deploy()
    fake.act(rates.address, rates.set_category.prepare_calldata(CATEGORY, True))
    fake.act(rates.address, rates.set_asset_cap.prepare_calldata(ETH, 2**256 - 1))
    assert rates.accepts(fake.address, CATEGORY)
    rates.post_rate(fake.address, CATEGORY, 1, ETH, UNIT, sender=member)  # lands under the impostor's name
    assert not rates.accepts(governor.address, CATEGORY)
    assert rates.asset_cap(governor.address, ETH) == 0
    with boa.reverts("rates: unknown category"):
        rates.post_rate(governor.address, CATEGORY, 1, ETH, UNIT, sender=member)
