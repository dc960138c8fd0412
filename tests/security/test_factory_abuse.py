"""Attack 16: creating a broken or booby-trapped collective through the factory.

Defence: the factory checks name and founders; the card, treasury and
governor initialisers check theirs (duplicates, zero address, settings
ranges, dues bounds); a failed creation leaves no collective behind. The
creator keeps no power over what it created.
"""

import boa
import pytest
from attack_helpers import DUES, ETH, PERIOD, SETTINGS, ZERO, addr, balance

MAX_UINT = 2**256 - 1
MAX_DUES = 2**96 - 1  # the treasury packs the price beside the aid address
MAX_PERIODS = 1200
MAX_PERIOD = 5 * 365 * 86_400
YEAR = 365 * 86_400


def _refused(factory, create, reason, **kwargs):
    count = factory.collective_count()
    with boa.reverts(reason):
        create(**kwargs)
    assert factory.collective_count() == count


def test_bad_founders(factory, create, founders):
    f = list(founders)
    _refused(factory, create, "governor: already a member", founders=[f[0], f[1], f[0]])
    _refused(factory, create, "governor: already a member", founders=[f[2], f[2]])
    _refused(factory, create, "governor: zero address", founders=[f[0], ZERO])
    _refused(factory, create, "factory: no founders", founders=[])


def test_too_many_founders(factory, create):
    many = [addr(i) for i in range(65)]
    # DynArray bound of 64, enforced by the decoder before any code runs (a revert without reason)
    _refused(factory, create, "DynArray[address, 64] bounds check", founders=many)
    c = create(founders=many[:64])  # the bound itself is fine
    assert c.governor.member_count() == 64


def test_bad_names(factory, create):
    _refused(factory, create, "factory: empty name", name="")
    _refused(factory, create, "card: empty symbol", symbol="")


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"voting_delay": 0}, "governor: zero voting delay"),
        ({"voting_period": 0}, "governor: zero voting period"),
        ({"voting_period": YEAR + 1}, "governor: voting period too long"),
        ({"voting_delay": YEAR + 1}, "governor: voting delay too long"),
        ({"timelock_delay": YEAR + 1}, "governor: timelock too long"),
        ({"execution_window": 0}, "governor: zero execution window"),
        ({"execution_window": YEAR + 1}, "governor: execution window too long"),
        ({"quorum_bps": 0}, "governor: quorum out of range"),
        ({"quorum_bps": 10_001}, "governor: quorum out of range"),
        ({"quorum_bps": 2**16 + 2500}, "governor: quorum out of range"),  # would wrap in a 16-bit field
        ({"constitutional_bps": 5_000}, "governor: threshold out of range"),
        ({"constitutional_bps": 0}, "governor: threshold out of range"),
        ({"constitutional_bps": 10_001}, "governor: threshold out of range"),
        ({"dues_grace": YEAR + 1}, "governor: grace too long"),
        ({"dues_grace": 2**32}, "governor: grace too long"),  # would wrap in a 32-bit field
    ],
)
def test_absurd_settings(factory, create, change, reason):
    _refused(factory, create, reason, settings=SETTINGS.replace(**change))


def test_settings_at_the_bounds_are_accepted(create):
    edge = SETTINGS.replace(
        voting_delay=1,
        voting_period=YEAR,
        timelock_delay=YEAR,
        execution_window=YEAR,
        quorum_bps=10_000,
        constitutional_bps=5_001,
        dues_grace=YEAR,
    )
    c = create(settings=edge)
    assert tuple(c.governor.settings()) == edge.as_tuple()


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"dues_amount": 0}, "treasury: zero dues"),
        ({"dues_amount": MAX_DUES + 1}, "treasury: dues too large"),
        ({"dues_amount": MAX_UINT}, "treasury: dues too large"),
        ({"dues_period": 0}, "treasury: zero period"),
        ({"dues_period": MAX_PERIOD + 1}, "treasury: period too long"),
        ({"dues_asset": "0x" + "ab" * 20}, "treasury: asset is not a contract"),
    ],
)
def test_absurd_dues(factory, create, change, reason):
    _refused(factory, create, reason, **change)


def test_largest_dues_cannot_overflow(create, member):
    """The largest price times the most periods still fits; more periods are refused before any math."""
    c = create(dues_amount=MAX_DUES, dues_period=MAX_PERIOD)
    t = c.treasury
    assert t.dues_terms() == (ETH, MAX_DUES, MAX_PERIOD)
    with boa.reverts("treasury: too many periods"):
        t.pay_dues(member, MAX_PERIODS + 1, sender=member, value=0)
    with boa.reverts("treasury: too many periods"):
        t.pay_dues(member, MAX_UINT, sender=member, value=0)
    with boa.reverts("treasury: wrong dues amount"):
        t.pay_dues(member, MAX_PERIODS, sender=member, value=0)


def test_periods_bound_on_an_ordinary_collective(collective, member):
    t = collective.treasury
    before = collective.governor.paid_through(member)
    with boa.reverts("treasury: too many periods"):
        t.pay_dues(member, MAX_PERIODS + 1, sender=member, value=DUES * (MAX_PERIODS + 1))
    with boa.reverts("treasury: zero periods"):
        t.pay_dues(member, 0, sender=member, value=0)
    assert collective.governor.paid_through(member) == before
    assert balance(t) == 0


def test_the_creator_keeps_no_power(collective, organizer, member):
    c = collective
    gov = c.governor
    with boa.reverts("governor: only by vote"):
        gov.admit_member(organizer, sender=organizer)
    with boa.reverts("governor: only by vote"):
        gov.revoke_member(member, sender=organizer)
    with boa.reverts("governor: only by vote"):
        gov.update_settings(SETTINGS.replace(quorum_bps=1).as_tuple(), sender=organizer)
    with boa.reverts("treasury: only by vote"):
        c.treasury.set_dues(ETH, 1, 1, sender=organizer)
    with boa.reverts("card: only the governor"):
        c.card.set_base_uri("ipfs://mine/", sender=organizer)
    assert not gov.is_member(organizer)
    assert gov.is_member(member)
    assert gov.settings_version() == 0
    assert c.treasury.dues_terms() == (ETH, DUES, PERIOD)
