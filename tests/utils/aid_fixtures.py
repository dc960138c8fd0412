"""Fixtures shared by the mutual-aid tests (unit, attack; titanoboa): imported by their
conftest.py files.

Roles: `organizer` deploys and creates the collective and seeds the pool; `founders` (six)
start as members with three years of dues paid; `member` is the first founder, the usual
claimant; `voters` are the other founders; `outsider` never holds a card. The Ape fixtures of
tests/conftest.py and tests/security/conftest.py are not used: the roles are redefined here.

`world` is one collective per module with the test terms (utils.aid.TEST_TERMS) adopted by
vote and the clock past the waiting period; titanoboa's plugin rolls every test back to it.
`fresh` is a collective straight from the factory.

titanoboa anchors every fixture and unwinds the anchors last-in first-out: a session fixture
first set up after a module's `world` would keep that world (and its clock, 35 days on) alive
until the session ends. So `world` and `fresh` request every role fixture first.
"""

from types import SimpleNamespace

import boa
import pytest

from utils.aid import ONE, build_world
from utils.boa_stack import create_collective, deploy_stack


@pytest.fixture(scope="session")
def organizer():
    return boa.env.generate_address("aid-organizer")


@pytest.fixture(scope="session")
def founders():
    return [boa.env.generate_address(f"aid-founder{i}") for i in range(6)]


@pytest.fixture(scope="session")
def member(founders):
    return founders[0]


@pytest.fixture(scope="session")
def voters(founders):
    return founders[1:]


@pytest.fixture(scope="session")
def outsider():
    a = boa.env.generate_address("aid-outsider")
    boa.env.set_balance(a, 1_000 * ONE)
    return a


@pytest.fixture(scope="session")
def stack(organizer):
    return deploy_stack(organizer)


@pytest.fixture(scope="module")
def world(stack, founders, organizer, member, voters, outsider):
    return build_world(stack, founders, organizer)


@pytest.fixture
def c(world):
    """The world's collective (governor, card, treasury, aid)."""
    return world.c


@pytest.fixture(scope="module")
def fresh(stack, founders, organizer, member, voters, outsider):
    """A collective straight from the factory: default terms, empty pool, dues paid only for the
    first period."""
    for a in [*founders, organizer]:
        boa.env.set_balance(a, 1_000 * ONE)
    return SimpleNamespace(c=create_collective(stack, founders, sender=organizer), founders=founders)


@pytest.fixture(scope="module", autouse=True)
def blocks():
    """These tests run on titanoboa's own clock (time moves only by `travel` and `mine`), not one
    block per transaction as the parent conftest sets up: their expectations are exact seconds."""
    yield
