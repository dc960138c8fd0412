"""Helpers shared by the Ape scripts (deploy, demo, bench). Not an entry point."""

from __future__ import annotations

from types import SimpleNamespace

from iwo.collective import Settings


def deploy_stack(project, deployer):
    """Deploys the four locked implementations, the factory and the rate board (one per chain)."""
    card = deployer.deploy(project.IwoCard)
    treasury = deployer.deploy(project.IwoTreasury)
    governor = deployer.deploy(project.IwoGovernor)
    escrow = deployer.deploy(project.IwoEscrow)
    factory = deployer.deploy(project.IwoFactory, card, treasury, governor, escrow)
    rates = deployer.deploy(project.IwoRates)
    return SimpleNamespace(card=card, treasury=treasury, governor=governor, escrow=escrow, factory=factory, rates=rates)


def create_collective(
    project, factory, sender, name, founders, dues_asset, dues_amount, dues_period, settings: Settings, symbol="IWO"
):
    """Creates a collective; returns a namespace with its contracts and the receipt."""
    receipt = factory.create_collective(
        name,
        symbol,
        [getattr(f, "address", f) for f in founders],
        dues_asset,
        dues_amount,
        dues_period,
        settings.as_tuple(),
        sender=sender,
    )
    event = receipt.events.filter(factory.CollectiveCreated)[0]
    return SimpleNamespace(
        governor=project.IwoGovernor.at(event.governor),
        card=project.IwoCard.at(event.card),
        treasury=project.IwoTreasury.at(event.treasury),
        escrow=project.IwoEscrow.at(event.escrow),
        receipt=receipt,
        collective_id=event.collective_id,
    )


def action(contract, method, *args, value=0):
    """(target, value, calldata) for a governor action."""
    return (contract.address, value, bytes(getattr(contract, method).encode_input(*args)))


def travel(chain, seconds):
    chain.pending_timestamp += seconds
    chain.mine()
