# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title iwo treasury: dues, donations, spending and member benefits
@custom:contract-name IwoTreasury
@license GNU Affero General Public License v3.0 only
@notice Holds a collective's ETH and ERC-20 tokens. Anyone may pay dues for a
        member (the member, a sponsor, a platform) in whole periods, or donate
        any asset. Money leaves only through actions of an executed proposal:
        `pay` (push to a payee) and `grant` (a benefit a member then `claim`s:
        pull over push). Every movement emits an event with who, which asset
        (the zero address stands for ETH), how much, which member or
        proposal, and this contract's balance of that asset after the move,
        so an auditor can rebuild the books from logs alone.

        Dues are exact: the payment must be `dues_amount * periods`, and a
        token that delivers less than it was asked to move (fee on transfer)
        is refused, so a period is never credited for less than its price.
@custom:security Only the governor, and only while it executes a proposal,
                 can move funds out (`pay`, `grant`) or change the dues terms.
                 Members withdraw only what was granted to them. Granted but
                 unclaimed amounts are reserved: `pay` and `grant` may only
                 use the balance above them. All value-moving entry points
                 are non-reentrant and follow checks-effects-interactions.
                 Trusted: the governor set at initialisation; dues and
                 donated tokens are treated as untrusted (balance checks).
"""

from ethereum.ercs import IERC20

# @dev Membership and dues ledger live in the governor.
from interfaces import IGovernor

MAX_PERIODS: public(constant(uint256)) = 1200
MAX_PERIOD: public(constant(uint256)) = 5 * 365 * 86_400
MAX_MEMO: public(constant(uint256)) = 256
ETH: public(constant(address)) = empty(address)

governor: public(address)
dues_asset: public(address)
dues_amount: public(uint256)
dues_period: public(uint256)
# asset -> total granted and not yet claimed
owed: public(HashMap[address, uint256])
# member -> asset -> claimable amount
claimable: public(HashMap[address, HashMap[address, uint256]])


event DuesPaid:
    member: indexed(address)
    payer: indexed(address)
    asset: indexed(address)
    amount: uint256
    periods: uint256
    paid_through: uint256
    balance: uint256


event DonationReceived:
    donor: indexed(address)
    asset: indexed(address)
    amount: uint256
    memo: String[MAX_MEMO]
    balance: uint256


event FeeReceived:
    source: indexed(address)
    job_id: indexed(uint256)
    asset: indexed(address)
    amount: uint256
    balance: uint256


event EthReceived:
    sender: indexed(address)
    amount: uint256
    balance: uint256


event Payment:
    proposal_id: indexed(uint256)
    asset: indexed(address)
    recipient: indexed(address)
    amount: uint256
    balance: uint256


event BenefitGranted:
    proposal_id: indexed(uint256)
    member: indexed(address)
    asset: indexed(address)
    amount: uint256
    claimable: uint256
    owed: uint256


event BenefitClaimed:
    member: indexed(address)
    asset: indexed(address)
    amount: uint256
    balance: uint256


event DuesTermsChanged:
    proposal_id: indexed(uint256)
    old_asset: address
    new_asset: address
    old_amount: uint256
    new_amount: uint256
    old_period: uint256
    new_period: uint256


@deploy
def __init__():
    """
    @notice Locks the implementation: clones are initialised, this is not.
            A non-zero governor is the "initialised" mark (no extra slot).
    """
    self.governor = self


@external
def initialize(governor: address, dues_asset: address, dues_amount: uint256, dues_period: uint256):
    """
    @notice Wires a fresh clone to its governor and sets the dues terms.
            Callable once.
    @param governor The collective's governor.
    @param dues_asset The zero address for ETH, else an ERC-20 token.
    @param dues_amount Price of one period, in the asset's smallest unit.
    @param dues_period Length of one period, in seconds.
    """
    assert self.governor == empty(address), "treasury: already initialized"
    assert governor != empty(address), "treasury: zero governor"
    self.governor = governor
    self._set_terms(dues_asset, dues_amount, dues_period)
    log DuesTermsChanged(
        proposal_id=0,
        old_asset=empty(address),
        new_asset=dues_asset,
        old_amount=0,
        new_amount=dues_amount,
        old_period=0,
        new_period=dues_period,
    )


@payable
@external
@nonreentrant
def pay_dues(member: address, periods: uint256):
    """
    @notice Pays `periods` whole periods of dues for `member`, who must hold
            a card. For ETH dues send exactly `dues_amount * periods`; for
            token dues approve that amount first and send no ETH.
    @param member The member whose dues are paid.
    @param periods Number of whole periods, 1..MAX_PERIODS.
    """
    assert periods > 0, "treasury: zero periods"
    assert periods <= MAX_PERIODS, "treasury: too many periods"
    asset: address = self.dues_asset
    amount: uint256 = self.dues_amount * periods
    if asset == ETH:
        assert msg.value == amount, "treasury: wrong dues amount"
    else:
        assert msg.value == 0, "treasury: ETH sent for token dues"
        self._pull(asset, msg.sender, amount)
    paid_through: uint256 = extcall IGovernor(self.governor).credit_dues(
        member, self.dues_period * periods
    )
    log DuesPaid(
        member=member,
        payer=msg.sender,
        asset=asset,
        amount=amount,
        periods=periods,
        paid_through=paid_through,
        balance=self._balance(asset),
    )


@payable
@external
@nonreentrant
def donate(asset: address, amount: uint256, memo: String[MAX_MEMO] = ""):
    """
    @notice Gives the collective `amount` of `asset` (zero address: ETH,
            sent as value). Tokens must be approved first; a token that
            delivers less than `amount` is refused.
    @param asset The asset.
    @param amount The amount.
    @param memo Optional text, logged.
    """
    assert amount > 0, "treasury: zero amount"
    if asset == ETH:
        assert msg.value == amount, "treasury: wrong ETH amount"
    else:
        assert msg.value == 0, "treasury: ETH sent for token donation"
        self._pull(asset, msg.sender, amount)
    log DonationReceived(
        donor=msg.sender, asset=asset, amount=amount, memo=memo, balance=self._balance(asset)
    )


@payable
@external
@nonreentrant
def receive_fee(asset: address, amount: uint256, job_id: uint256):
    """
    @notice Logs a fee paid to the collective for job `job_id` (the
            collective's escrow calls this on every release). ETH comes as
            the value sent and must equal `amount`; a token fee is
            transferred by the payer just before, so for tokens this entry
            is the payer's statement: auditors count FeeReceived only from
            the collective's escrow (whose code transfers, then states).
    @param asset The zero address for ETH, else the token.
    @param amount The fee.
    @param job_id The escrow job the fee comes from (0: a fee the treasury
           had refused and withdrew later).
    """
    assert amount > 0, "treasury: zero amount"
    if asset == ETH:
        assert msg.value == amount, "treasury: wrong ETH amount"
    else:
        assert msg.value == 0, "treasury: ETH sent for token fee"
    log FeeReceived(
        source=msg.sender, job_id=job_id, asset=asset, amount=amount, balance=self._balance(asset)
    )


@payable
@external
def __default__():
    """
    @notice Plain ETH transfers are accepted and logged as income.
    """
    assert len(msg.data) == 0, "treasury: unknown function"
    log EthReceived(sender=msg.sender, amount=msg.value, balance=self.balance)


@external
@nonreentrant
def pay(asset: address, recipient: address, amount: uint256):
    """
    @notice Pays `amount` of `asset` to `recipient`. Only as an action of an
            executed proposal; cannot touch granted, unclaimed benefits.
    @param asset The zero address for ETH, else a token.
    @param recipient The payee.
    @param amount The amount.
    """
    proposal_id: uint256 = self._only_executing()
    assert recipient != empty(address), "treasury: zero recipient"
    assert amount > 0, "treasury: zero amount"
    assert self._balance(asset) >= self.owed[asset] + amount, "treasury: insufficient funds"
    self._push(asset, recipient, amount)
    log Payment(
        proposal_id=proposal_id,
        asset=asset,
        recipient=recipient,
        amount=amount,
        balance=self._balance(asset),
    )


@external
@nonreentrant
def grant(asset: address, member: address, amount: uint256):
    """
    @notice Sets aside a benefit of `amount` of `asset` for `member`, who
            withdraws it with `claim`. Only as an action of an executed
            proposal.
    @param asset The zero address for ETH, else a token.
    @param member The beneficiary.
    @param amount The amount.
    """
    proposal_id: uint256 = self._only_executing()
    assert member != empty(address), "treasury: zero recipient"
    assert amount > 0, "treasury: zero amount"
    owed: uint256 = self.owed[asset] + amount
    assert self._balance(asset) >= owed, "treasury: insufficient funds"
    self.owed[asset] = owed
    claimable: uint256 = self.claimable[member][asset] + amount
    self.claimable[member][asset] = claimable
    log BenefitGranted(
        proposal_id=proposal_id,
        member=member,
        asset=asset,
        amount=amount,
        claimable=claimable,
        owed=owed,
    )


@external
@nonreentrant
def claim(asset: address) -> uint256:
    """
    @notice Withdraws everything granted to the caller in `asset`.
    @param asset The zero address for ETH, else a token.
    @return uint256 The amount sent.
    """
    amount: uint256 = self.claimable[msg.sender][asset]
    assert amount > 0, "treasury: nothing to claim"
    self.claimable[msg.sender][asset] = 0
    self.owed[asset] -= amount
    self._push(asset, msg.sender, amount)
    log BenefitClaimed(member=msg.sender, asset=asset, amount=amount, balance=self._balance(asset))
    return amount


@external
def set_dues(asset: address, amount: uint256, period: uint256):
    """
    @notice Changes the dues terms. Only by vote (constitutional). Time
            already paid for is kept.
    @param asset The zero address for ETH, else an ERC-20 token.
    @param amount Price of one period.
    @param period Length of one period, in seconds.
    """
    proposal_id: uint256 = self._only_executing()
    old_asset: address = self.dues_asset
    old_amount: uint256 = self.dues_amount
    old_period: uint256 = self.dues_period
    self._set_terms(asset, amount, period)
    log DuesTermsChanged(
        proposal_id=proposal_id,
        old_asset=old_asset,
        new_asset=asset,
        old_amount=old_amount,
        new_amount=amount,
        old_period=old_period,
        new_period=period,
    )


@view
@external
def initialized() -> bool:
    """
    @notice Whether this treasury is wired (always true for the implementation).
    """
    return self.governor != empty(address)


@view
@external
def balance_of(asset: address) -> uint256:
    """
    @notice This treasury's balance of `asset` (zero address: ETH).
    """
    return self._balance(asset)


@view
@external
def available(asset: address) -> uint256:
    """
    @notice Balance of `asset` not reserved for granted benefits.
    """
    balance: uint256 = self._balance(asset)
    owed: uint256 = self.owed[asset]
    if balance <= owed:
        return 0
    return balance - owed


@view
@external
def dues_terms() -> (address, uint256, uint256):
    """
    @notice (asset, amount per period, period in seconds).
    """
    return (self.dues_asset, self.dues_amount, self.dues_period)


@internal
def _set_terms(asset: address, amount: uint256, period: uint256):
    assert amount > 0, "treasury: zero dues"
    assert amount <= max_value(uint256) // MAX_PERIODS, "treasury: dues too large"
    assert period > 0, "treasury: zero period"
    assert period <= MAX_PERIOD, "treasury: period too long"
    if asset != ETH:
        assert asset.is_contract, "treasury: asset is not a contract"
    self.dues_asset = asset
    self.dues_amount = amount
    self.dues_period = period


@view
@internal
def _only_executing() -> uint256:
    governor: address = self.governor
    assert msg.sender == governor, "treasury: only by vote"
    proposal_id: uint256 = staticcall IGovernor(governor).executing_proposal()
    assert proposal_id != 0, "treasury: only by vote"
    return proposal_id


@view
@internal
def _balance(asset: address) -> uint256:
    if asset == ETH:
        return self.balance
    assert asset.is_contract, "treasury: asset is not a contract"
    return staticcall IERC20(asset).balanceOf(self)


@internal
def _pull(token: address, sender: address, amount: uint256):
    assert token.is_contract, "treasury: asset is not a contract"
    before: uint256 = staticcall IERC20(token).balanceOf(self)
    response: Bytes[32] = raw_call(
        token,
        abi_encode(
            sender, self, amount, method_id=method_id("transferFrom(address,address,uint256)")
        ),
        max_outsize=32,
    )
    if len(response) != 0:
        assert abi_decode(response, bool), "treasury: token transfer failed"
    assert (
        staticcall IERC20(token).balanceOf(self) - before == amount
    ), "treasury: token delivered a different amount"


@internal
def _push(asset: address, recipient: address, amount: uint256):
    if asset == ETH:
        # all gas forwarded so multisig wallets can receive; reentrancy is
        # blocked by the lock on every value-moving entry point
        raw_call(recipient, b"", value=amount)
        return
    assert asset.is_contract, "treasury: asset is not a contract"
    response: Bytes[32] = raw_call(
        asset,
        abi_encode(recipient, amount, method_id=method_id("transfer(address,uint256)")),
        max_outsize=32,
    )
    if len(response) != 0:
        assert abi_decode(response, bool), "treasury: token transfer failed"
