"""Initializer guards that the factory's own checks shadow, exercised on raw clones (so each
guard is proven to work on its own, not only because the factory checks first)."""

import boa
import pytest
from utils.boa_stack import at_address, contract
from utils.constants import SETTINGS, ZERO


@pytest.fixture(scope="module")
def maker(organizer):
    with boa.env.prank(organizer):
        return contract("CloneMaker").deploy()


def _clone(maker, implementation, name, sender):
    return at_address(name, maker.clone(implementation, sender=sender))


def test_card_clone_refuses_zero_governor(maker, implementations, organizer):
    card = _clone(maker, implementations.card, "IwoCard", organizer)
    with boa.reverts("card: zero governor"):
        card.initialize(ZERO, "Name", "SYM", sender=organizer)
    assert not card.initialized()


def test_card_clone_refuses_empty_name(maker, implementations, organizer):
    card = _clone(maker, implementations.card, "IwoCard", organizer)
    with boa.reverts("card: empty name"):
        card.initialize(organizer, "", "SYM", sender=organizer)
    assert not card.initialized()


def test_card_clone_initializes_once_with_good_arguments(maker, implementations, organizer):
    card = _clone(maker, implementations.card, "IwoCard", organizer)
    card.initialize(organizer, "Name", "SYM", sender=organizer)
    assert card.governor() == organizer.address and card.name() == "Name" and card.symbol() == "SYM"


def test_treasury_clone_refuses_zero_governor(maker, implementations, organizer):
    treasury = _clone(maker, implementations.treasury, "IwoTreasury", organizer)
    with boa.reverts("treasury: zero governor"):
        treasury.initialize(ZERO, organizer, ZERO, 1, 1, sender=organizer)
    assert not treasury.initialized()


def test_treasury_clone_refuses_zero_aid_fund(maker, implementations, organizer):
    treasury = _clone(maker, implementations.treasury, "IwoTreasury", organizer)
    with boa.reverts("treasury: zero aid fund"):
        treasury.initialize(organizer, ZERO, ZERO, 1, 1, sender=organizer)
    assert not treasury.initialized()


def test_aid_clone_refuses_zero_governor(maker, implementations, organizer):
    aid = _clone(maker, implementations.aid, "IwoMutualAid", organizer)
    with boa.reverts("aid: zero governor"):
        aid.initialize(ZERO, ZERO, sender=organizer)
    assert not aid.initialized()


def test_governor_clone_refuses_missing_wiring(maker, implementations, organizer, founders):
    governor = _clone(maker, implementations.governor, "IwoGovernor", organizer)
    with boa.reverts("governor: zero card"):
        governor.initialize(ZERO, organizer, [founders[0]], SETTINGS.as_tuple(), sender=organizer)
    with boa.reverts("governor: zero treasury"):
        governor.initialize(organizer, ZERO, [founders[0]], SETTINGS.as_tuple(), sender=organizer)
    with boa.reverts("governor: no founders"):
        governor.initialize(organizer, organizer, [], SETTINGS.as_tuple(), sender=organizer)
    assert not governor.initialized()


def test_escrow_clone_refuses_missing_wiring(maker, implementations, organizer):
    escrow = _clone(maker, implementations.escrow, "IwoEscrow", organizer)
    with boa.reverts("escrow: zero governor"):
        escrow.initialize(ZERO, organizer, sender=organizer)
    with boa.reverts("escrow: zero treasury"):
        escrow.initialize(organizer, ZERO, sender=organizer)
    assert not escrow.initialized()
    escrow.initialize(organizer, organizer, sender=organizer)
    assert escrow.governor() == organizer.address and escrow.treasury() == organizer.address


@pytest.mark.parametrize("missing", ["card", "treasury", "governor", "aid", "escrow"])
def test_factory_refuses_an_implementation_without_code(organizer, implementations, outsider, missing):
    names = ("card", "treasury", "governor", "aid", "escrow")
    impls = {k: getattr(implementations, k) for k in names}
    impls[missing] = outsider  # an account, not a contract
    with boa.reverts(f"factory: {missing} implementation missing"), boa.env.prank(organizer):
        contract("IwoFactory").deploy(*(impls[k] for k in names))
