"""set_settings (only by vote, bounded, versioned), the settings views, initialize."""

import boa
import pytest
from utils.boa_stack import DAY, contract
from utils.escrow_kit import DEFAULTS, EscrowSettings, only


def test_defaults_are_version_zero(escrow):
    assert escrow.settings_version() == 0
    assert tuple(escrow.settings()) == DEFAULTS.as_tuple() == tuple(escrow.settings_at(0))
    with boa.reverts("escrow: unknown settings version"):
        escrow.settings_at(1)


def test_set_settings_by_vote_makes_a_version(world, escrow):
    new = EscrowSettings(fee_bps=0, panel_size=5, review_window=7 * DAY, appeal_period=10 * DAY)
    pid = world.by_vote(escrow, "set_settings", new.as_tuple())
    changed = [
        e for e in world.governor.get_logs() if type(e).__name__ == "SettingsChanged" and e.address == escrow.address
    ]
    assert len(changed) == 1
    assert (changed[0].version, changed[0].proposal_id, tuple(changed[0].settings)) == (1, pid, new.as_tuple())
    assert escrow.settings_version() == 1
    assert tuple(escrow.settings()) == new.as_tuple() == tuple(escrow.settings_at(1))
    assert tuple(escrow.settings_at(0)) == DEFAULTS.as_tuple()


GLOBAL_SLOT, VERSION_MASK = 6, 2**16 - 1  # IwoEscrow's `_global` (vyper -f layout): version in bits 0..15


def test_the_last_settings_version_then_no_more(world, escrow):
    """65,535 votes cannot be held in a test: the version is set near its end in storage."""
    address = str(escrow.address)
    word = boa.env.get_storage(address, GLOBAL_SLOT)
    assert word & VERSION_MASK == escrow.settings_version() == 0  # the layout is where this test looks
    boa.env.set_storage(address, GLOBAL_SLOT, word | (VERSION_MASK - 1))
    last = EscrowSettings(fee_bps=0)
    world.by_vote(escrow, "set_settings", last.as_tuple())
    assert escrow.settings_version() == VERSION_MASK
    with boa.reverts("escrow: too many settings versions"):
        world.by_vote(escrow, "set_settings", DEFAULTS.as_tuple())
    assert (escrow.settings_version(), tuple(escrow.settings())) == (VERSION_MASK, last.as_tuple())


def test_jobs_keep_the_settings_they_were_created_under(world, escrow):
    old = world.create()
    world.by_vote(escrow, "set_settings", EscrowSettings(dispute_fee_bps=1000).as_tuple())
    assert escrow.dispute_fee(old.job_id, old.terms, 0) == 10**18 * DEFAULTS.dispute_fee_bps // 10_000
    new = world.create()
    assert new.version == 1
    assert escrow.dispute_fee(new.job_id, new.terms, 0) == 10**17


def test_set_settings_only_by_vote(world, escrow, member, outsider):
    for who in (member, outsider, world.governor.address):
        with boa.reverts("escrow: only by vote"):
            escrow.set_settings(DEFAULTS.as_tuple(), sender=who)


@pytest.mark.parametrize(
    "change,reason",
    [
        ({"fee_bps": 501}, "escrow: fee above cap"),
        ({"dispute_fee_bps": 1001}, "escrow: dispute fee above cap"),
        ({"default_split": 10_001}, "escrow: split above 100%"),
        ({"panel_size": 0}, "escrow: panel size must be odd, at most 5"),
        ({"panel_size": 2}, "escrow: panel size must be odd, at most 5"),
        ({"panel_size": 7}, "escrow: panel size must be odd, at most 5"),
        ({"review_window": DAY - 1}, "escrow: review window out of range"),
        ({"review_window": 60 * DAY + 1}, "escrow: review window out of range"),
        ({"commit_period": 3599}, "escrow: period out of range"),
        ({"reveal_period": 14 * DAY + 1}, "escrow: period out of range"),
        ({"appeal_window": 0}, "escrow: period out of range"),
        ({"appeal_period": DAY}, "escrow: appeal period out of range"),
        ({"appeal_period": 60 * DAY + 1}, "escrow: appeal period out of range"),
    ],
)
def test_settings_bounds(world, escrow, change, reason):
    bad = EscrowSettings(**change)
    with boa.reverts(reason):
        world.by_vote(escrow, "set_settings", bad.as_tuple())


def test_bounds_themselves_are_accepted(world, escrow):
    edge = EscrowSettings(500, 1000, 10_000, 1, DAY, 3600, 14 * DAY, 3600, 60 * DAY)
    world.by_vote(escrow, "set_settings", edge.as_tuple())
    assert tuple(escrow.settings()) == edge.as_tuple()


def test_the_implementation_is_locked(world):
    impl = world.stack.escrow
    assert impl.initialized() and impl.governor() == impl.address
    with boa.reverts("escrow: already initialized"):
        impl.initialize(world.outsider, world.outsider, sender=world.outsider)


def test_a_clone_initializes_once(world, escrow, outsider):
    assert escrow.initialized()
    with boa.reverts("escrow: already initialized"):
        escrow.initialize(outsider, outsider, sender=outsider)


@pytest.mark.filterwarnings("ignore:casted bytecode")
def test_a_raw_clone_needs_wiring(world, outsider):
    maker = contract("CloneMaker").deploy()
    maker.clone(world.stack.escrow.address)
    clone = contract("IwoEscrow").at(only(maker, "Cloned").clone)
    with boa.reverts("escrow: zero governor"):
        clone.initialize("0x" + "00" * 20, outsider)
    with boa.reverts("escrow: zero treasury"):
        clone.initialize(outsider, "0x" + "00" * 20)
    assert not clone.initialized()
