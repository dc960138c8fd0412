# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title iwo factory and registry of collectives
@custom:contract-name IwoFactory
@license GNU Affero General Public License v3.0 only
@notice Creates a complete collective in one transaction: a membership card,
        a treasury, a governor, a mutual-aid fund and a work escrow, each an
        EIP-1167 minimal proxy of a locked implementation, initialised and
        wired to each other before the transaction ends, then lists it in the
        registry. The mutual-aid fund and the escrow start with their default
        terms (a vote changes them); the fund pays in the dues asset.
@custom:security The factory has no owner and no settings: implementations
                 are fixed at deployment. A created collective is governed by
                 its own governor alone; neither the factory nor the creator
                 keeps any power over it. Initialisers run in the creation
                 transaction, so nobody can initialise a clone first.
"""

# @dev The governor's initializer.
import IwoGovernor

# @dev The governor's settings type and founder bound.
from governor import roll
from governor import settings as voting_settings

# @dev The card, treasury, mutual-aid and escrow initialisers.
from interfaces import ICard
from interfaces import ITreasury
from interfaces import IMutualAid
from interfaces import IEscrow

card_implementation: public(immutable(address))
treasury_implementation: public(immutable(address))
governor_implementation: public(immutable(address))
aid_implementation: public(immutable(address))
escrow_implementation: public(immutable(address))


# collective id (from 1) -> its governor
collectives: public(HashMap[uint256, address])
collective_count: public(uint256)


event CollectiveCreated:
    collective_id: indexed(uint256)
    governor: indexed(address)
    creator: indexed(address)
    card: address
    treasury: address
    aid: address
    escrow: address
    name: String[64]
    founders: uint256


@deploy
def __init__(
    card_impl: address,
    treasury_impl: address,
    governor_impl: address,
    aid_impl: address,
    escrow_impl: address,
):
    """
    @notice Fixes the five locked implementations the factory clones.
    @param card_impl Locked IwoCard implementation.
    @param treasury_impl Locked IwoTreasury implementation.
    @param governor_impl Locked IwoGovernor implementation.
    @param aid_impl Locked IwoMutualAid implementation.
    @param escrow_impl Locked IwoEscrow implementation.
    """
    assert card_impl.is_contract, "factory: card implementation missing"
    assert treasury_impl.is_contract, "factory: treasury implementation missing"
    assert governor_impl.is_contract, "factory: governor implementation missing"
    assert aid_impl.is_contract, "factory: aid implementation missing"
    assert escrow_impl.is_contract, "factory: escrow implementation missing"
    card_implementation = card_impl
    treasury_implementation = treasury_impl
    governor_implementation = governor_impl
    aid_implementation = aid_impl
    escrow_implementation = escrow_impl


@external
@nonreentrant
def create_collective(
    name: String[64],
    symbol: String[16],
    founders: DynArray[address, roll.MAX_FOUNDERS],
    dues_asset: address,
    dues_amount: uint256,
    dues_period: uint256,
    settings: voting_settings.Settings,
) -> (address, address, address):
    """
    @notice Creates, wires and registers a new collective.
    @param name The collective's name (also the card's name).
    @param symbol The card's symbol.
    @param founders Founding members; each gets a card, paid through now.
    @param dues_asset The zero address for ETH, else an ERC-20 token.
    @param dues_amount Price of one dues period.
    @param dues_period Length of a dues period, in seconds.
    @param settings The first voting settings.
    @return (governor, card, treasury); the mutual-aid fund and the escrow are
            in CollectiveCreated (and the fund in `treasury.aid()`).
    """
    assert len(name) > 0, "factory: empty name"
    assert len(founders) > 0, "factory: no founders"
    card: address = create_minimal_proxy_to(card_implementation)
    treasury: address = create_minimal_proxy_to(treasury_implementation)
    governor: address = create_minimal_proxy_to(governor_implementation)
    aid: address = create_minimal_proxy_to(aid_implementation)
    escrow: address = create_minimal_proxy_to(escrow_implementation)
    # effects before the calls into the new clones (our own locked code)
    collective_id: uint256 = self.collective_count + 1
    self.collective_count = collective_id
    self.collectives[collective_id] = governor
    extcall ICard(card).initialize(governor, name, symbol)
    extcall ITreasury(treasury).initialize(governor, aid, dues_asset, dues_amount, dues_period)
    extcall IMutualAid(aid).initialize(governor, dues_asset)
    extcall IwoGovernor.__interface__(governor).initialize(card, treasury, founders, settings)
    extcall IEscrow(escrow).initialize(governor, treasury)
    log CollectiveCreated(
        collective_id=collective_id,
        governor=governor,
        creator=msg.sender,
        card=card,
        treasury=treasury,
        aid=aid,
        escrow=escrow,
        name=name,
        founders=len(founders),
    )
    return (governor, card, treasury)
