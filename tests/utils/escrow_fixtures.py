"""Fixtures shared by the escrow tests (unit, attack): imported by their conftest.py files.

Roles: `organizer` created the collective (not a member); `member` is a founder and the usual
worker; `panelists` are the other founders; `client` is anyone with ETH and USDX; `outsider`
never holds a card. The world is deployed once per module; the titanoboa plugin rolls every
test back to it. The role fixtures only read the world (function scope: Ape's isolation wants
every module-scoped fixture created before the first test).
"""

import warnings

import pytest

from utils.escrow_kit import escrow_world


@pytest.fixture(scope="module")
def world():
    with warnings.catch_warnings():
        # `.at()` of an EIP-1167 clone compares the proxy's code with the implementation's
        warnings.filterwarnings("ignore", message="casted bytecode does not match")
        return escrow_world()


@pytest.fixture
def escrow(world):
    return world.escrow


@pytest.fixture
def token(world):
    return world.token


@pytest.fixture
def organizer(world):
    return world.organizer


@pytest.fixture
def member(world):
    return world.member


@pytest.fixture
def panelists(world):
    return world.panelists


@pytest.fixture
def client(world):
    return world.client


@pytest.fixture
def outsider(world):
    return world.outsider


@pytest.fixture
def treasury(world):
    return world.treasury


@pytest.fixture
def governor(world):
    return world.governor


@pytest.fixture
def rates(world):
    return world.rates


@pytest.fixture(scope="module", autouse=True)
def blocks():
    """These tests run on titanoboa's own clock (time moves only by `travel` and `mine`), not one
    block per transaction as the parent conftest sets up: their expectations are exact seconds."""
    yield
