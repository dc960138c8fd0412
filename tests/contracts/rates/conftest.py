"""Rate board tests (titanoboa): the shared escrow world (it deploys the chain's rate board)."""

import pytest
from utils.escrow_fixtures import governor, member, outsider, panelists, rates, world  # noqa: F401


@pytest.fixture(scope="module", autouse=True)
def blocks():
    """These tests run on titanoboa's own clock (time moves only by `travel` and `mine`), not one
    block per transaction as the parent conftest sets up: their expectations are exact seconds."""
    yield
