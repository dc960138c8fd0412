"""Escrow unit tests (titanoboa): the shared escrow fixtures (tests/utils/escrow_fixtures.py)."""

from utils.escrow_fixtures import (  # noqa: F401
    blocks,
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
