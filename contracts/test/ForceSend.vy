# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Test-only forced ETH sender (never deployed by the factory)
@custom:contract-name ForceSend
@license GNU Affero General Public License v3.0 only
@notice Holds the ETH it is deployed with and pushes all of it to `to` with
        SELFDESTRUCT, which runs no code at the receiver: no `__default__`,
        no event. Used to show that ETH forced into a treasury or a governor
        is visible as a balance without a matching income event and still
        cannot be spent without a vote.
@custom:security Test use only.
"""


@deploy
@payable
def __init__():
    pass


@external
def boom(to: address):
    """
    @notice Sends this contract's whole balance to `to` without calling it.
    """
    selfdestruct(to)
