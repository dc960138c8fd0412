"""Initializer guards that the factory's own checks shadow, exercised on raw clones (so each
guard is proven to work on its own, not only because the factory checks first)."""

import ape
import pytest
from iwotest import SETTINGS


@pytest.fixture(scope="module")
def maker(project, organizer):
    return organizer.deploy(project.CloneMaker)


def _clone(project, maker, implementation, container, sender):
    receipt = maker.clone(implementation, sender=sender)
    return container.at(receipt.events.filter(maker.Cloned)[0].clone)


def test_card_clone_refuses_zero_governor(project, maker, implementations, organizer):
    card = _clone(project, maker, implementations.card, project.IwoCard, organizer)
    with ape.reverts("card: zero governor"):
        card.initialize(ape.utils.ZERO_ADDRESS, "Name", "SYM", sender=organizer)
    assert not card.initialized()


def test_card_clone_refuses_empty_name(project, maker, implementations, organizer):
    card = _clone(project, maker, implementations.card, project.IwoCard, organizer)
    with ape.reverts("card: empty name"):
        card.initialize(organizer, "", "SYM", sender=organizer)
    assert not card.initialized()


def test_card_clone_initializes_once_with_good_arguments(project, maker, implementations, organizer):
    card = _clone(project, maker, implementations.card, project.IwoCard, organizer)
    card.initialize(organizer, "Name", "SYM", sender=organizer)
    assert card.governor() == organizer.address and card.name() == "Name" and card.symbol() == "SYM"


def test_treasury_clone_refuses_zero_governor(project, maker, implementations, organizer):
    treasury = _clone(project, maker, implementations.treasury, project.IwoTreasury, organizer)
    with ape.reverts("treasury: zero governor"):
        treasury.initialize(ape.utils.ZERO_ADDRESS, ape.utils.ZERO_ADDRESS, 1, 1, sender=organizer)
    assert not treasury.initialized()


def test_governor_clone_refuses_missing_wiring(project, maker, implementations, organizer, founders):
    governor = _clone(project, maker, implementations.governor, project.IwoGovernor, organizer)
    with ape.reverts("governor: zero card"):
        governor.initialize(ape.utils.ZERO_ADDRESS, organizer, [founders[0]], SETTINGS.as_tuple(), sender=organizer)
    with ape.reverts("governor: zero treasury"):
        governor.initialize(organizer, ape.utils.ZERO_ADDRESS, [founders[0]], SETTINGS.as_tuple(), sender=organizer)
    with ape.reverts("governor: no founders"):
        governor.initialize(organizer, organizer, [], SETTINGS.as_tuple(), sender=organizer)
    assert not governor.initialized()


def test_escrow_clone_refuses_missing_wiring(project, maker, implementations, organizer):
    escrow = _clone(project, maker, implementations.escrow, project.IwoEscrow, organizer)
    with ape.reverts("escrow: zero governor"):
        escrow.initialize(ape.utils.ZERO_ADDRESS, organizer, sender=organizer)
    with ape.reverts("escrow: zero treasury"):
        escrow.initialize(organizer, ape.utils.ZERO_ADDRESS, sender=organizer)
    assert not escrow.initialized()
    escrow.initialize(organizer, organizer, sender=organizer)
    assert escrow.governor() == organizer.address and escrow.treasury() == organizer.address


@pytest.mark.parametrize("missing", ["card", "treasury", "governor", "escrow"])
def test_factory_refuses_an_implementation_without_code(project, organizer, implementations, outsider, missing):
    impls = {k: getattr(implementations, k) for k in ("card", "treasury", "governor", "escrow")}
    impls[missing] = outsider  # an account, not a contract
    with ape.reverts(f"factory: {missing} implementation missing"):
        organizer.deploy(project.IwoFactory, impls["card"], impls["treasury"], impls["governor"], impls["escrow"])
