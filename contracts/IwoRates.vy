# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title iwo rate board: the asks members post, per collective and category
@custom:contract-name IwoRates
@license GNU Affero General Public License v3.0 only
@notice One board per chain, shared by every collective (no clone, nothing
        to create per collective). A collective is named by its governor.
        Its members in good standing post asks: a category, an amount per
        unit in an asset, the unit. A member's current ask in a category is
        their latest `RatePosted` there, unless a later `RateWithdrawn`:
        posting again replaces it, so a member has one current ask per
        category. Asks are public (events only; nothing is stored per post).

        What a collective accepts is a setting changed only by its vote:
        its categories (`set_category`) and, per asset, the largest amount
        per unit it takes as a sane ask (`set_asset_cap`; 0: asset not
        taken). Zero amounts, amounts above the cap, assets without a cap
        and unknown categories are refused.
@custom:security No owner, no settings of its own. Each collective's
                 categories and caps are written only by its governor while
                 executing a proposal (caller = governor, and the governor
                 reports a proposal executing), keyed by that governor:
                 another contract posing as a governor only writes its own
                 namespace, which readers of a collective never look at.
                 Posting needs `in_good_standing` from the named governor.
                 No value is held or moved.
"""

from interfaces import IGovernor

# governor -> category -> accepted
_categories: HashMap[address, HashMap[bytes32, bool]]
# governor -> asset -> largest amount per unit accepted (0: asset not accepted)
asset_cap: public(HashMap[address, HashMap[address, uint256]])


event RatePosted:
    governor: indexed(address)
    member: indexed(address)
    category: indexed(bytes32)
    amount: uint256  # per unit, in the asset's smallest unit
    asset: address  # the zero address for ETH
    unit: bytes32  # hour, word, page, project, ...


event RateWithdrawn:
    governor: indexed(address)
    member: indexed(address)
    category: indexed(bytes32)


event CategorySet:
    governor: indexed(address)
    proposal_id: indexed(uint256)
    category: indexed(bytes32)
    accepted: bool


event AssetCapSet:
    governor: indexed(address)
    proposal_id: indexed(uint256)
    asset: indexed(address)
    max_amount: uint256


@external
def post_rate(governor: address, category: bytes32, amount: uint256, asset: address, unit: bytes32):
    """
    @notice Posts (or replaces) the caller's ask in `category` of the
            collective governed by `governor`. The caller must be a member
            in good standing; the category accepted; the asset capped by the
            collective; 0 < amount <= the cap.
    @param governor The collective's governor.
    @param category An accepted category.
    @param amount Amount per unit.
    @param asset The zero address for ETH, else the token.
    @param unit The unit of work.
    """
    assert self._categories[governor][category], "rates: unknown category"
    cap: uint256 = self.asset_cap[governor][asset]
    assert cap != 0, "rates: asset not accepted"
    assert amount != 0, "rates: zero amount"
    assert amount <= cap, "rates: amount above the collective's cap"
    assert staticcall IGovernor(governor).in_good_standing(
        msg.sender
    ), "rates: not a member in good standing"
    log RatePosted(
        governor=governor,
        member=msg.sender,
        category=category,
        amount=amount,
        asset=asset,
        unit=unit,
    )


@external
def withdraw_rate(governor: address, category: bytes32):
    """
    @notice Withdraws the caller's current ask in `category` (anyone may
            withdraw their own; nothing happens to others' asks).
    @param governor The collective's governor.
    @param category The category.
    """
    log RateWithdrawn(governor=governor, member=msg.sender, category=category)


@external
def set_category(category: bytes32, accepted: bool):
    """
    @notice Adds or removes a category of the calling collective. Only by
            vote: the caller is the collective's governor, executing a
            proposal.
    @param category The category (a short label, left-aligned bytes).
    @param accepted Whether asks are taken in it.
    """
    proposal_id: uint256 = self._only_by_vote()
    assert category != empty(bytes32), "rates: empty category"
    self._categories[msg.sender][category] = accepted
    log CategorySet(
        governor=msg.sender, proposal_id=proposal_id, category=category, accepted=accepted
    )


@external
def set_asset_cap(asset: address, max_amount: uint256):
    """
    @notice Sets the largest amount per unit the calling collective takes
            as an ask in `asset` (0: the asset is not taken). Only by vote.
    @param asset The zero address for ETH, else the token.
    @param max_amount The cap.
    """
    proposal_id: uint256 = self._only_by_vote()
    self.asset_cap[msg.sender][asset] = max_amount
    log AssetCapSet(
        governor=msg.sender, proposal_id=proposal_id, asset=asset, max_amount=max_amount
    )


@view
@external
def accepts(governor: address, category: bytes32) -> bool:
    """
    @notice Whether the collective takes asks in `category`.
    @param governor The collective's governor.
    @param category The category.
    @return bool True when accepted.
    """
    return self._categories[governor][category]


@view
@internal
def _only_by_vote() -> uint256:
    """
    @notice Checks that the caller is a governor executing a proposal.
    @return uint256 The executing proposal's id.
    """
    assert msg.sender.is_contract, "rates: only by vote"
    proposal_id: uint256 = staticcall IGovernor(msg.sender).executing_proposal()
    assert proposal_id != 0, "rates: only by vote"
    return proposal_id
