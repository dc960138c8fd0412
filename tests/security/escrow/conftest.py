"""Escrow attack tests (titanoboa): the shared escrow fixtures."""

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
