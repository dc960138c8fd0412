"""Escrow attack tests (titanoboa): the shared escrow fixtures."""

import pytest
from utils.escrow_fixtures import (  # noqa: F401
    client,
    escrow,
    governor,
    member,
    organizer,
    outsider,
    panelists,
    token,
    treasury,
    world,
)


@pytest.fixture(scope="module", autouse=True)
def blocks():
    """These tests run on titanoboa's own clock (time moves only by `travel` and `mine`), not one
    block per transaction as the parent conftest sets up: their expectations are exact seconds."""
    yield
