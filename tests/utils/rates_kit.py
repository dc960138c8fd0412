"""Helpers of the rate board tests."""

from utils.escrow_kit import ETH, pad

CATEGORY = pad("translation")
UNIT = pad("word")
CAP = 10**17  # 0.1 ETH per unit


def open_board(world, categories=(CATEGORY,), caps=((ETH, CAP),)):
    """Configures the collective's categories and asset caps by executed proposals."""
    for category in categories:
        world.by_vote(world.rates, "set_category", category, True)
    for asset, cap in caps:
        world.by_vote(world.rates, "set_asset_cap", asset, cap)
