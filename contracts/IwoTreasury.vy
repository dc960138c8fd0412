# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title iwo treasury: dues, donations, spending and the mutual-aid pool
@custom:contract-name IwoTreasury
@license GNU Affero General Public License v3.0 only
@notice Holds a collective's ETH and ERC-20 tokens. Anyone may pay dues for a
        member (the member, a sponsor, a platform) in whole periods, or donate
        any asset. Money leaves only through actions of an executed proposal
        (`pay`, push to a payee) or as a mutual-aid instalment that the
        collective's IwoMutualAid contract asks for (`pay_aid`, pulled by the
        member there): that is the only way a benefit is paid.

        The pool. Part of the balance of each asset is ring-fenced for mutual
        aid (an accounting reservation, not a separate account): a share of
        every dues payment (`pool_share_bps`, set by vote) flows in
        automatically, a donation may be earmarked for it, and a vote may move
        free money in (`fund_pool`) or back out (`unfund_pool`). `pay` spends
        only the free balance (`available` = balance - pool); only `pay_aid`
        and `unfund_pool` take from the pool. Every movement emits an event
        with who, which asset (the zero address stands for ETH), how much,
        which member, claim or proposal, and this contract's balance and pool
        of that asset after the move, so an auditor can rebuild both from
        logs alone.

        Dues are exact: the payment must be `dues_amount * periods`, and a
        token that delivers less than it was asked to move (fee on transfer)
        is refused, so a period is never credited for less than its price.
@custom:security Only the governor, and only while it executes a proposal,
                 can pay out free money (`pay`), move money into or out of the
                 pool, or change the dues terms and the pool share. Only the
                 mutual-aid contract set at initialisation can pay from the
                 pool (`pay_aid`), and never more than the pool. All
                 value-moving entry points are non-reentrant and follow
                 checks-effects-interactions. Trusted: the governor and the
                 mutual-aid contract set at initialisation (created by the
                 factory together with this contract); dues and donated
                 tokens are treated as untrusted (balance checks).
"""

from ethereum.ercs import IERC20

# @dev Membership and dues ledger live in the governor.
from interfaces import IGovernor

# @dev What the factory calls on a new treasury.
from interfaces import ITreasury

implements: ITreasury

MAX_PERIODS: public(constant(uint256)) = 1200
MAX_PERIOD: public(constant(uint256)) = 5 * 365 * 86_400
MAX_MEMO: public(constant(uint256)) = 256
ETH: public(constant(address)) = empty(address)
BPS: constant(uint256) = 10_000
# share of each dues payment a new collective puts into the pool (20 %)
DEFAULT_POOL_SHARE_BPS: public(constant(uint256)) = 2_000

# Bit layout of the packed dues word (`_dues`), read whole by `pay_dues`:
#
#   255        216 215      200 199          160 159                      0
#   +-------------+------------+----------------+-------------------------+
#   |   (free)    | pool share |     period     |   asset (0 = ETH)       |
#   |             |    bps     |    seconds     |                         |
#   +-------------+------------+----------------+-------------------------+
_M160: constant(uint256) = 2**160 - 1
_M40: constant(uint256) = 2**40 - 1
_M16: constant(uint256) = 2**16 - 1
_OFF_PERIOD: constant(uint256) = 160
_OFF_SHARE: constant(uint256) = 200

# Bit layout of the aid-and-dues-amount word (`_aid_dues`), read whole by
# `pay_dues` (the amount) and `pay_aid` (the caller allowed):
#
#   255                    160 159                                    0
#   +------------------------+----------------------------------------+
#   | dues amount: price of  |  IwoMutualAid of the collective        |
#   | one period (96)        |  (the only caller of `pay_aid`)        |
#   +------------------------+----------------------------------------+
_OFF_AMOUNT: constant(uint256) = 160
MAX_DUES: public(constant(uint256)) = 2**96 - 1

governor: public(address)
# asset | period | pool share, see the layout above
_dues: uint256
# aid | dues amount, see the layout above
_aid_dues: uint256
# asset -> amount ring-fenced for mutual aid (part of the balance)
pool: public(HashMap[address, uint256])


event DuesPaid:
    member: indexed(address)
    payer: indexed(address)
    asset: indexed(address)
    amount: uint256
    periods: uint256
    paid_through: uint256
    balance: uint256
    to_pool: uint256
    pool: uint256


event DonationReceived:
    donor: indexed(address)
    asset: indexed(address)
    amount: uint256
    memo: String[MAX_MEMO]
    balance: uint256
    to_pool: uint256
    pool: uint256


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


event PoolFunded:
    proposal_id: indexed(uint256)
    asset: indexed(address)
    amount: uint256
    pool: uint256


event PoolReleased:
    proposal_id: indexed(uint256)
    asset: indexed(address)
    amount: uint256
    pool: uint256


event AidPaid:
    claim_id: indexed(uint256)
    member: indexed(address)
    asset: indexed(address)
    amount: uint256
    pool: uint256
    balance: uint256


event PoolShareChanged:
    proposal_id: indexed(uint256)
    old_bps: uint256
    new_bps: uint256


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
def initialize(
    governor: address,
    aid: address,
    dues_asset: address,
    dues_amount: uint256,
    dues_period: uint256,
):
    """
    @notice Wires a fresh clone to its governor and mutual-aid contract, sets
            the dues terms and the default pool share. Callable once.
    @param governor The collective's governor.
    @param aid The collective's IwoMutualAid (the only caller of `pay_aid`).
    @param dues_asset The zero address for ETH, else an ERC-20 token.
    @param dues_amount Price of one period, in the asset's smallest unit.
    @param dues_period Length of one period, in seconds.
    """
    assert self.governor == empty(address), "treasury: already initialized"
    assert governor != empty(address), "treasury: zero governor"
    assert aid != empty(address), "treasury: zero aid fund"
    self.governor = governor
    self._aid_dues = convert(aid, uint256)
    self._set_terms(dues_asset, dues_amount, dues_period, DEFAULT_POOL_SHARE_BPS)
    log DuesTermsChanged(
        proposal_id=0,
        old_asset=empty(address),
        new_asset=dues_asset,
        old_amount=0,
        new_amount=dues_amount,
        old_period=0,
        new_period=dues_period,
    )
    log PoolShareChanged(proposal_id=0, old_bps=0, new_bps=DEFAULT_POOL_SHARE_BPS)


@payable
@external
@nonreentrant
def pay_dues(member: address, periods: uint256):
    """
    @notice Pays `periods` whole periods of dues for `member`, who must hold
            a card. For ETH dues send exactly `dues_amount * periods`; for
            token dues approve that amount first and send no ETH. The pool
            share of the payment (rounded down) is ring-fenced for mutual aid.
    @param member The member whose dues are paid.
    @param periods Number of whole periods, 1..MAX_PERIODS.
    @dev One read of the packed dues word gives asset, period and share.
    """
    assert periods > 0, "treasury: zero periods"
    assert periods <= MAX_PERIODS, "treasury: too many periods"
    dues: uint256 = self._dues
    asset: address = self._dues_asset(dues)
    amount: uint256 = (self._aid_dues >> _OFF_AMOUNT) * periods
    if asset == ETH:
        assert msg.value == amount, "treasury: wrong dues amount"
    else:
        assert msg.value == 0, "treasury: ETH sent for token dues"
        self._pull(asset, msg.sender, amount)
    # amount < 2**96 * MAX_PERIODS: the product cannot overflow; rounded down
    to_pool: uint256 = amount * self._pool_share(dues) // BPS
    pool: uint256 = self.pool[asset] + to_pool
    if to_pool != 0:
        self.pool[asset] = pool
    paid_through: uint256 = extcall IGovernor(self.governor).credit_dues(
        member, self._dues_period(dues) * periods
    )
    log DuesPaid(
        member=member,
        payer=msg.sender,
        asset=asset,
        amount=amount,
        periods=periods,
        paid_through=paid_through,
        balance=self._balance(asset),
        to_pool=to_pool,
        pool=pool,
    )


@payable
@external
@nonreentrant
def donate(asset: address, amount: uint256, memo: String[MAX_MEMO] = "", to_pool: bool = False):
    """
    @notice Gives the collective `amount` of `asset` (zero address: ETH,
            sent as value). Tokens must be approved first; a token that
            delivers less than `amount` is refused.
    @param asset The asset.
    @param amount The amount.
    @param memo Optional text, logged.
    @param to_pool Earmark the whole gift for the mutual-aid pool.
    """
    assert amount > 0, "treasury: zero amount"
    if asset == ETH:
        assert msg.value == amount, "treasury: wrong ETH amount"
    else:
        assert msg.value == 0, "treasury: ETH sent for token donation"
        self._pull(asset, msg.sender, amount)
    pooled: uint256 = 0
    pool: uint256 = self.pool[asset]
    if to_pool:
        pooled = amount
        pool += amount
        self.pool[asset] = pool
    log DonationReceived(
        donor=msg.sender,
        asset=asset,
        amount=amount,
        memo=memo,
        balance=self._balance(asset),
        to_pool=pooled,
        pool=pool,
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
    @notice Plain ETH transfers are accepted and logged as income; calls
            with data are refused.
    """
    assert len(msg.data) == 0, "treasury: unknown function"
    log EthReceived(sender=msg.sender, amount=msg.value, balance=self.balance)


@external
@nonreentrant
def pay(asset: address, recipient: address, amount: uint256):
    """
    @notice Pays `amount` of `asset` to `recipient`. Only as an action of an
            executed proposal; spends only the free balance (never the pool).
    @param asset The zero address for ETH, else a token.
    @param recipient The payee.
    @param amount The amount.
    """
    proposal_id: uint256 = self._only_executing()
    assert recipient != empty(address), "treasury: zero recipient"
    assert amount > 0, "treasury: zero amount"
    assert self._balance(asset) >= self.pool[asset] + amount, "treasury: insufficient funds"
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
def pay_aid(asset: address, member: address, amount: uint256, claim_id: uint256):
    """
    @notice Pays a mutual-aid instalment from the pool to `member`. Only the
            collective's IwoMutualAid calls this, when the member withdraws
            what their approved claim allows.
    @param asset The zero address for ETH, else a token.
    @param member The claimant, who called the aid contract.
    @param amount The amount, at most the pool.
    @param claim_id The claim paid (logged).
    """
    assert msg.sender == self._aid(self._aid_dues), "treasury: only the aid fund"
    assert amount > 0, "treasury: zero amount"
    pool: uint256 = self.pool[asset]
    assert amount <= pool, "treasury: pool too small"
    pool -= amount
    self.pool[asset] = pool
    self._push(asset, member, amount)
    log AidPaid(
        claim_id=claim_id,
        member=member,
        asset=asset,
        amount=amount,
        pool=pool,
        balance=self._balance(asset),
    )


@external
@nonreentrant
def fund_pool(asset: address, amount: uint256):
    """
    @notice Moves `amount` of free `asset` into the mutual-aid pool. Only as
            an action of an executed proposal.
    @param asset The zero address for ETH, else a token.
    @param amount The amount, at most the free balance.
    """
    proposal_id: uint256 = self._only_executing()
    assert amount > 0, "treasury: zero amount"
    pool: uint256 = self.pool[asset] + amount
    assert self._balance(asset) >= pool, "treasury: insufficient funds"
    self.pool[asset] = pool
    log PoolFunded(proposal_id=proposal_id, asset=asset, amount=amount, pool=pool)


@external
@nonreentrant
def unfund_pool(asset: address, amount: uint256):
    """
    @notice Moves `amount` of `asset` out of the mutual-aid pool back to the
            free balance. Only as an action of an executed proposal.
    @param asset The zero address for ETH, else a token.
    @param amount The amount, at most the pool.
    """
    proposal_id: uint256 = self._only_executing()
    assert amount > 0, "treasury: zero amount"
    pool: uint256 = self.pool[asset]
    assert amount <= pool, "treasury: pool too small"
    pool -= amount
    self.pool[asset] = pool
    log PoolReleased(proposal_id=proposal_id, asset=asset, amount=amount, pool=pool)


@external
@nonreentrant
def set_pool_share(bps: uint256):
    """
    @notice Changes the share of each dues payment that goes into the pool.
            Only as an action of an executed proposal.
    @param bps The new share in basis points, 0..10_000.
    """
    proposal_id: uint256 = self._only_executing()
    assert bps <= BPS, "treasury: share out of range"
    dues: uint256 = self._dues
    old_bps: uint256 = self._pool_share(dues)
    self._dues = (dues & ~(_M16 << _OFF_SHARE)) | (bps << _OFF_SHARE)
    log PoolShareChanged(proposal_id=proposal_id, old_bps=old_bps, new_bps=bps)


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
    dues: uint256 = self._dues
    old_asset: address = self._dues_asset(dues)
    old_amount: uint256 = self._aid_dues >> _OFF_AMOUNT
    old_period: uint256 = self._dues_period(dues)
    self._set_terms(asset, amount, period, self._pool_share(dues))
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
    @return bool True once initialised.
    """
    return self.governor != empty(address)


@view
@external
def balance_of(asset: address) -> uint256:
    """
    @notice This treasury's balance of `asset` (zero address: ETH).
    @param asset The asset.
    @return uint256 The balance.
    """
    return self._balance(asset)


@view
@external
def available(asset: address) -> uint256:
    """
    @notice The free balance of `asset`: the balance minus the pool (0 if a
            token's balance fell below the pool).
    @param asset The zero address for ETH, else a token.
    @return uint256 What `pay` and `fund_pool` may use.
    """
    balance: uint256 = self._balance(asset)
    pool: uint256 = self.pool[asset]
    if balance <= pool:
        return 0
    return balance - pool


@view
@external
def dues_terms() -> (address, uint256, uint256):
    """
    @notice The dues terms.
    @return (asset, amount per period, period in seconds)
    """
    dues: uint256 = self._dues
    return (self._dues_asset(dues), self._aid_dues >> _OFF_AMOUNT, self._dues_period(dues))


@view
@external
def dues_asset() -> address:
    """
    @notice The asset dues are paid in (zero address: ETH).
    @return address The asset.
    """
    return self._dues_asset(self._dues)


@view
@external
def dues_amount() -> uint256:
    """
    @notice Price of one dues period, in the asset's smallest unit.
    @return uint256 The price.
    """
    return self._aid_dues >> _OFF_AMOUNT


@view
@external
def aid() -> address:
    """
    @notice The collective's IwoMutualAid, the only caller of `pay_aid`.
    @return address The mutual-aid contract.
    """
    return self._aid(self._aid_dues)


@view
@external
def dues_period() -> uint256:
    """
    @notice Length of one dues period, in seconds.
    @return uint256 The period.
    """
    return self._dues_period(self._dues)


@view
@external
def pool_share_bps() -> uint256:
    """
    @notice Share of each dues payment that goes into the pool, in basis points.
    @return uint256 The share.
    """
    return self._pool_share(self._dues)


@internal
def _set_terms(asset: address, amount: uint256, period: uint256, share_bps: uint256):
    """
    @notice Validates and stores the dues terms and the pool share.
    @param asset The zero address for ETH, else an ERC-20 token.
    @param amount Price of one period.
    @param period Length of one period, in seconds.
    @param share_bps Pool share in basis points (already validated).
    """
    assert amount > 0, "treasury: zero dues"
    assert amount <= MAX_DUES, "treasury: dues too large"
    assert period > 0, "treasury: zero period"
    assert period <= MAX_PERIOD, "treasury: period too long"
    if asset != ETH:
        assert asset.is_contract, "treasury: asset is not a contract"
    self._dues = convert(asset, uint256) | period << _OFF_PERIOD | share_bps << _OFF_SHARE
    self._aid_dues = (self._aid_dues & _M160) | amount << _OFF_AMOUNT


@pure
@internal
def _dues_asset(dues: uint256) -> address:
    """
    @notice The asset field of the packed dues word.
    @param dues The packed word.
    @return address The asset.
    """
    return convert(convert(dues & _M160, uint160), address)


@pure
@internal
def _aid(aid_dues: uint256) -> address:
    """
    @notice The aid field of the aid-and-dues-amount word.
    @param aid_dues The packed word.
    @return address The mutual-aid contract.
    """
    return convert(convert(aid_dues & _M160, uint160), address)


@pure
@internal
def _dues_period(dues: uint256) -> uint256:
    """
    @notice The period field of the packed dues word.
    @param dues The packed word.
    @return uint256 Seconds per period.
    """
    return (dues >> _OFF_PERIOD) & _M40


@pure
@internal
def _pool_share(dues: uint256) -> uint256:
    """
    @notice The pool-share field of the packed dues word.
    @param dues The packed word.
    @return uint256 Basis points.
    """
    return (dues >> _OFF_SHARE) & _M16


@view
@internal
def _only_executing() -> uint256:
    """
    @notice Refuses any caller but the governor while it executes a proposal.
    @return uint256 The id of the proposal being executed.
    """
    governor: address = self.governor
    assert msg.sender == governor, "treasury: only by vote"
    proposal_id: uint256 = staticcall IGovernor(governor).executing_proposal()
    assert proposal_id != 0, "treasury: only by vote"
    return proposal_id


@view
@internal
def _balance(asset: address) -> uint256:
    """
    @notice This treasury's balance of `asset`.
    @param asset The zero address for ETH, else a token (must have code).
    @return uint256 The balance.
    """
    if asset == ETH:
        return self.balance
    assert asset.is_contract, "treasury: asset is not a contract"
    return staticcall IERC20(asset).balanceOf(self)


@internal
def _pull(token: address, sender: address, amount: uint256):
    """
    @notice Moves `amount` of `token` from `sender` to this treasury.
    @dev Checks the optional boolean return and that exactly `amount`
         arrived (a fee-on-transfer token is refused).
    @param token The token.
    @param sender Who approved the treasury.
    @param amount The amount.
    """
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
    """
    @notice Sends `amount` of `asset` to `recipient`.
    @dev All gas is forwarded to ETH recipients; callers hold the lock.
    @param asset The zero address for ETH, else a token.
    @param recipient The payee.
    @param amount The amount.
    """
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
