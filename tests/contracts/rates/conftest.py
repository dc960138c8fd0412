"""Rate board tests (titanoboa): the shared escrow world (it deploys the chain's rate board;
tests/utils/escrow_fixtures.py)."""

from utils.escrow_fixtures import blocks, governor, member, outsider, panelists, rates, world  # noqa: F401
