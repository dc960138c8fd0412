# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Test-only batch donor (never deployed by the factory)
@custom:contract-name DonationLoop
@license GNU Affero General Public License v3.0 only
@notice Makes `count` ETH donations to a treasury in one transaction, so the
        bench can build a ledger of 10,000 treasury events quickly.
@custom:security Holds nothing: forwards exactly the ETH it receives.
"""


interface ITreasury:
    def donate(asset: address, amount: uint256, memo: String[256]): payable


@payable
@external
def donate_many(treasury: address, count: uint256):
    """
    @notice Splits `msg.value` into `count` equal donations.
    """
    assert count > 0 and msg.value % count == 0, "loop: value must split evenly"
    each: uint256 = msg.value // count
    for _: uint256 in range(count, bound=1000):
        extcall ITreasury(treasury).donate(empty(address), each, "", value=each)
