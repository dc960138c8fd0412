"""Mutual-aid unit tests (titanoboa): the shared mutual-aid fixtures (tests/utils/aid_fixtures.py)."""

from utils.aid_fixtures import (  # noqa: F401
    blocks,
    c,
    founders,
    fresh,
    member,
    organizer,
    outsider,
    stack,
    voters,
    world,
)
