"""Setting up collectives on Ape, shared by the scripts (bench) and the Ape test fixtures
(tests/conftest.py): the one place that deploys the stack and creates collectives on Ape.
Not an entry point."""

from __future__ import annotations

from types import SimpleNamespace

from iwo.collective import Settings


def deploy_stack(project, deployer):
    """Deploys the five locked implementations, the factory and the rate board (one per chain)."""
    card = deployer.deploy(project.IwoCard)
    treasury = deployer.deploy(project.IwoTreasury)
    governor = deployer.deploy(project.IwoGovernor)
    aid = deployer.deploy(project.IwoMutualAid)
    escrow = deployer.deploy(project.IwoEscrow)
    factory = deployer.deploy(project.IwoFactory, card, treasury, governor, aid, escrow)
    rates = deployer.deploy(project.IwoRates)
    return SimpleNamespace(
        card=card, treasury=treasury, governor=governor, aid=aid, escrow=escrow, factory=factory, rates=rates
    )


def create_collective(
    project,
    factory,
    sender,
    name,
    founders,
    dues_asset,
    dues_amount,
    dues_period,
    settings: Settings | tuple,
    symbol="IWO",
):
    """Creates a collective; returns a namespace with its contracts and the receipt."""
    settings = settings.as_tuple() if isinstance(settings, Settings) else tuple(settings)
    receipt = factory.create_collective(
        name,
        symbol,
        [getattr(f, "address", f) for f in founders],
        dues_asset,
        dues_amount,
        dues_period,
        settings,
        sender=sender,
    )
    event = receipt.events.filter(factory.CollectiveCreated)[0]
    return SimpleNamespace(
        governor=project.IwoGovernor.at(event.governor),
        card=project.IwoCard.at(event.card),
        treasury=project.IwoTreasury.at(event.treasury),
        aid=project.IwoMutualAid.at(event.aid),
        escrow=project.IwoEscrow.at(event.escrow),
        receipt=receipt,
        collective_id=event.collective_id,
    )


def action(contract, method, *args, value=0):
    """(target, value, calldata) for a governor action."""
    return (contract.address, value, bytes(getattr(contract, method).encode_input(*args)))


def travel(chain, seconds):
    """Mines a block `seconds` after the pending timestamp."""
    chain.pending_timestamp += seconds
    chain.mine()
