"""Rate board tests (titanoboa): the shared escrow world (it deploys the chain's rate board)."""

from utils.escrow_fixtures import governor, member, outsider, panelists, rates, world  # noqa: F401
