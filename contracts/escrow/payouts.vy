# pragma version ~=0.4.3
"""
@title iwo escrow payouts: money in, money out, and what waits to be withdrawn
@custom:contract-name payouts
@license GNU Affero General Public License v3.0 only
@notice How the escrow takes and pays ETH (the zero address) and ERC-20
        tokens. Deposits must arrive whole: ETH as exactly the value sent, a
        token as exactly the amount pulled (a token that delivers less, such
        as a fee-on-transfer token, is refused; tokens that return nothing
        are accepted). Payments are pushed; a payment the recipient refuses
        (a contract that reverts on ETH, a token that blocks the transfer) is
        not lost and blocks nobody: it is credited to the recipient, who (or
        anyone for them) withdraws it later with `withdraw`.
@custom:security A push of ETH forwards a fixed gas budget (`PUSH_GAS`), so a
                 hostile recipient can neither stall a payout nor leave too
                 little gas to credit it. `withdraw` pays only the account's
                 own credit, to that account. The caller's entry points hold
                 the re-entrancy lock while any of this runs.
"""

from ethereum.ercs import IERC20

# @dev Checks revert through one shared function (code size).
from . import reverts

ETH: public(constant(address)) = empty(address)
# Gas forwarded with a pushed ETH payment: enough for a multisig wallet's
# receive hook, too little to matter if spent by a hostile one.
PUSH_GAS: public(constant(uint256)) = 50_000

# account -> asset -> amount credited after a refused payment
claimable: public(HashMap[address, HashMap[address, uint256]])


event PaymentDeferred:
    account: indexed(address)
    asset: indexed(address)
    amount: uint256
    claimable: uint256


event Withdrawn:
    account: indexed(address)
    asset: indexed(address)
    amount: uint256
    balance: uint256


@external
@nonreentrant
def withdraw(account: address, asset: address) -> uint256:
    """
    @notice Pays `account` everything credited to it in `asset` (payments it
            refused earlier). Anyone may call; the money only goes to
            `account`, with all gas forwarded, and reverts if still refused.
    @param account The creditor.
    @param asset The zero address for ETH, else the token.
    @return uint256 The amount paid.
    """
    amount: uint256 = self.claimable[account][asset]
    if amount == 0:
        reverts._fail("escrow: nothing to withdraw")
    self.claimable[account][asset] = 0
    if asset == ETH:
        raw_call(account, b"", value=amount)
    else:
        if not self._push_token(asset, account, amount):
            reverts._fail("escrow: token transfer failed")
    log Withdrawn(account=account, asset=asset, amount=amount, balance=self._balance(asset))
    return amount


@payable
@internal
def _take(asset: address, sender: address, amount: uint256):
    """
    @notice Receives `amount` of `asset`: for ETH the value sent must be
            exactly `amount`; a token is pulled from `sender` (approved
            first) and must arrive whole.
    @param asset The zero address for ETH, else the token.
    @param sender Who pays (the caller).
    @param amount The amount due.
    """
    if asset == ETH:
        if msg.value != amount:
            reverts._fail("escrow: wrong ETH amount")
        return
    if msg.value != 0:
        reverts._fail("escrow: ETH sent for a token")
    if amount == 0:
        return
    before: uint256 = staticcall IERC20(asset).balanceOf(self)
    response: Bytes[32] = raw_call(
        asset,
        abi_encode(
            sender, self, amount, method_id=method_id("transferFrom(address,address,uint256)")
        ),
        max_outsize=32,
    )
    if len(response) != 0:
        if convert(response, uint256) != 1:
            reverts._fail("escrow: token transfer failed")
    if staticcall IERC20(asset).balanceOf(self) - before != amount:
        reverts._fail("escrow: token delivered a different amount")


@internal
def _pay(asset: address, recipient: address, amount: uint256):
    """
    @notice Pays `amount` of `asset` to `recipient`, or credits it to them
            when they refuse it (see `withdraw`). Nothing happens for 0.
    @param asset The zero address for ETH, else the token.
    @param recipient The payee.
    @param amount The amount.
    """
    if amount == 0:
        return
    paid: bool = False
    if asset == ETH:
        paid = raw_call(recipient, b"", value=amount, gas=PUSH_GAS, revert_on_failure=False)
    else:
        paid = self._push_token(asset, recipient, amount)
    if not paid:
        self._credit(asset, recipient, amount)


@internal
def _credit(asset: address, account: address, amount: uint256):
    """
    @notice Records a payment `account` refused, to be withdrawn later.
    @param asset The asset.
    @param account The creditor.
    @param amount The amount.
    """
    owed: uint256 = self.claimable[account][asset] + amount
    self.claimable[account][asset] = owed
    log PaymentDeferred(account=account, asset=asset, amount=amount, claimable=owed)


@internal
def _push_token(token: address, recipient: address, amount: uint256) -> bool:
    """
    @notice Transfers `amount` of `token` to `recipient` without reverting.
    @param token The token (a contract: checked when the job was created).
    @param recipient The payee.
    @param amount The amount.
    @return bool True when the token reported success (or returned nothing).
    """
    ok: bool = False
    response: Bytes[32] = b""
    ok, response = raw_call(
        token,
        abi_encode(recipient, amount, method_id=method_id("transfer(address,uint256)")),
        max_outsize=32,
        revert_on_failure=False,
    )
    if not ok:
        return False
    return len(response) == 0 or convert(response, uint256) == 1


@view
@internal
def _balance(asset: address) -> uint256:
    """
    @notice This escrow's balance of `asset`, for the events.
    @param asset The zero address for ETH, else the token.
    @return uint256 The balance.
    """
    if asset == ETH:
        return self.balance
    return staticcall IERC20(asset).balanceOf(self)
