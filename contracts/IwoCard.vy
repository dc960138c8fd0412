# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title iwo membership card: soulbound ERC-721 (ERC-5192) face of the roll
@custom:contract-name IwoCard
@license GNU Affero General Public License v3.0 only
@notice One card per member, never transferable. The membership itself
        (join and leave times, dues, history) is the governor's roll,
        contracts/governor/roll.vy; this contract is its ERC-721 view:
        wallets and indexers see a Transfer from the zero address when a
        member is admitted and a Transfer to it when a member resigns or is
        revoked. A card's token id is its holder's address as a
        number (`uint256(uint160(holder))`), so a re-admitted member gets the
        same card back and no storage is spent per card here.

        Every transfer and approval entry point reverts with
        "card: soulbound"; `locked()` is always true for an existing card.
@custom:security Only the governor given at initialisation may mint, burn or
                 change the metadata base URI, and the governor does so only
                 as an executed proposal (or a member's own resignation).
                 The implementation is locked in its constructor; clones are
                 initialised once by the factory in their creation
                 transaction.
"""

from ethereum.ercs import IERC165
from ethereum.ercs import IERC721

# @dev What the governor and the factory call on a card.
from interfaces import ICard

# @dev Membership facts come from the governor's roll.
from interfaces import IGovernor

implements: IERC165
implements: IERC721
implements: ICard

_SUPPORTED_INTERFACES: constant(bytes4[4]) = [
    0x01FFC9A7,  # ERC-165
    0x80AC58CD,  # ERC-721
    0x5B5E139F,  # ERC-721 metadata
    0xB45A3C0E,  # ERC-5192
]

governor: public(address)
base_uri: public(String[128])
_name: String[64]
_symbol: String[16]


event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    token_id: indexed(uint256)


event Approval:
    owner: indexed(address)
    approved: indexed(address)
    token_id: indexed(uint256)


event ApprovalForAll:
    owner: indexed(address)
    operator: indexed(address)
    approved: bool


event Locked:
    tokenId: uint256


event BaseURIChanged:
    old_uri: String[128]
    new_uri: String[128]


@deploy
def __init__():
    """
    @notice Locks the implementation: clones are initialised, this is not.
            A non-zero governor is the "initialised" mark (no extra slot).
    """
    self.governor = self


@external
def initialize(governor: address, name: String[64], symbol: String[16]):
    """
    @notice Wires a fresh clone to its governor. Callable once.
    @param governor The collective's governor (sole minter and burner).
    @param name The collective's name, the card's ERC-721 name.
    @param symbol The card's ERC-721 symbol.
    """
    assert self.governor == empty(address), "card: already initialized"
    assert governor != empty(address), "card: zero governor"
    assert len(name) > 0, "card: empty name"
    assert len(symbol) > 0, "card: empty symbol"
    self.governor = governor
    self._name = name
    self._symbol = symbol


@external
def mint(to: address):
    """
    @notice Emits the card of a member the governor has just admitted.
    @param to The new member.
    """
    assert msg.sender == self.governor, "card: only the governor"
    token_id: uint256 = convert(to, uint256)
    log Transfer(sender=empty(address), receiver=to, token_id=token_id)
    log Locked(tokenId=token_id)


@external
def burn(owner: address):
    """
    @notice Emits the burn of a card whose member has left.
    @param owner The former member.
    """
    assert msg.sender == self.governor, "card: only the governor"
    log Transfer(sender=owner, receiver=empty(address), token_id=convert(owner, uint256))


@external
def set_base_uri(uri: String[128]):
    """
    @notice Changes the metadata base URI. Only by vote.
    @param uri The new base; `tokenURI` is `uri + decimal token id`.
    """
    assert msg.sender == self.governor, "card: only the governor"
    log BaseURIChanged(old_uri=self.base_uri, new_uri=uri)
    self.base_uri = uri


@external
@payable
def transferFrom(owner: address, to: address, token_id: uint256):
    """
    @notice Always reverts: cards are soulbound.
    @param owner Ignored.
    @param to Ignored.
    @param token_id Ignored.
    """
    raise "card: soulbound"


@external
@payable
def safeTransferFrom(owner: address, to: address, token_id: uint256, data: Bytes[1024] = b""):
    """
    @notice Always reverts: cards are soulbound.
    @param owner Ignored.
    @param to Ignored.
    @param token_id Ignored.
    @param data Ignored.
    """
    raise "card: soulbound"


@external
@payable
def approve(approved: address, token_id: uint256):
    """
    @notice Always reverts: cards are soulbound.
    @param approved Ignored.
    @param token_id Ignored.
    """
    raise "card: soulbound"


@external
def setApprovalForAll(operator: address, approved: bool):
    """
    @notice Always reverts: cards are soulbound.
    @param operator Ignored.
    @param approved Ignored.
    """
    raise "card: soulbound"


@view
@external
def initialized() -> bool:
    """
    @notice Whether this card is wired (always true for the implementation).
    @return bool True once initialised.
    """
    return self.governor != empty(address)


@view
@external
def name() -> String[64]:
    """
    @notice The collective's name.
    @return String[64] The name.
    """
    return self._name


@view
@external
def symbol() -> String[16]:
    """
    @notice The card's symbol.
    @return String[16] The symbol.
    """
    return self._symbol


@view
@external
def balanceOf(owner: address) -> uint256:
    """
    @notice 1 for a current member, else 0.
    @param owner The account.
    @return uint256 The number of cards it holds.
    """
    assert owner != empty(address), "card: zero address"
    if staticcall IGovernor(self.governor).is_member(owner):
        return 1
    return 0


@view
@external
def ownerOf(token_id: uint256) -> address:
    """
    @notice The holder of an existing card.
    @param token_id The card's token id.
    @return address The holder.
    """
    return self._owner(token_id)


@view
@external
def getApproved(token_id: uint256) -> address:
    """
    @notice Always the zero address for an existing card.
    @param token_id The card's token id.
    @return address The zero address.
    """
    self._owner(token_id)
    return empty(address)


@view
@external
def isApprovedForAll(owner: address, operator: address) -> bool:
    """
    @notice Always false.
    @param owner Ignored.
    @param operator Ignored.
    @return bool False.
    """
    return False


@view
@external
def locked(tokenId: uint256) -> bool:
    """
    @notice ERC-5192: always true for an existing card.
    @param tokenId The card's token id.
    @return bool True.
    """
    self._owner(tokenId)
    return True


@view
@external
def tokenURI(token_id: uint256) -> String[206]:
    """
    @notice Metadata location: base URI + decimal token id ("" without base).
    @param token_id The card's token id.
    @return String[206] The URI.
    """
    self._owner(token_id)
    if len(self.base_uri) == 0:
        return ""
    return concat(self.base_uri, uint2str(token_id))


@view
@external
def totalSupply() -> uint256:
    """
    @notice Number of cards now.
    @return uint256 The member count.
    """
    return staticcall IGovernor(self.governor).member_count()


@view
@external
def total_supply_at(timestamp: uint256) -> uint256:
    """
    @notice Number of cards at the end of `timestamp` (O(log n)).
    @param timestamp The time.
    @return uint256 The member count then.
    """
    return staticcall IGovernor(self.governor).member_count_at(timestamp)


@view
@external
def held_at(account: address, timestamp: uint256) -> bool:
    """
    @notice Whether `account` held a card at the end of `timestamp`.
    @param account The account.
    @param timestamp The time.
    @return bool True if it held one then.
    """
    return staticcall IGovernor(self.governor).was_member_at(account, timestamp)


@view
@external
def token_id_of(account: address) -> uint256:
    """
    @notice The token id a card of `account` has (whether or not it exists).
    @param account The account.
    @return uint256 Its address as a number.
    """
    return convert(account, uint256)


@view
@external
def supportsInterface(interface_id: bytes4) -> bool:
    """
    @notice ERC-165: ERC-165, ERC-721, ERC-721 metadata, ERC-5192.
    @param interface_id An interface id.
    @return bool True for the four supported ones.
    """
    return interface_id in _SUPPORTED_INTERFACES


@view
@internal
def _owner(token_id: uint256) -> address:
    """
    @notice The holder of an existing card (reverts "card: no such card" otherwise).
    @dev A token id above 2**160 - 1 is no address, so no card.
    @param token_id The card's token id.
    @return address The holder.
    """
    assert token_id <= convert(max_value(uint160), uint256), "card: no such card"
    owner: address = convert(convert(token_id, uint160), address)
    assert owner != empty(address) and staticcall IGovernor(self.governor).is_member(
        owner
    ), "card: no such card"
    return owner
