"""Fixtures of the mutual-aid attack tests (titanoboa; one module per attack).

The Ape fixtures of tests/conftest.py and tests/security/conftest.py are not used here: the
roles are redefined on titanoboa. `organizer` creates the collective and seeds the pool;
`founders` (six) hold cards with three years of dues paid; `member` is the usual claimant;
`voters` are the other founders; `outsider` never holds a card. `world` is a collective with
the test terms (utils.aid.TEST_TERMS) adopted by vote and the clock past the waiting period.
It requests every role fixture first: titanoboa unwinds fixture anchors last-in first-out,
and a session fixture set up after it would keep its world (and clock) for the session.
"""

import boa
import pytest
from utils.aid import ONE, build_world
from utils.boa_stack import deploy_stack


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
    return world.c


@pytest.fixture(scope="module", autouse=True)
def blocks():
    """The mutual-aid tests run on titanoboa's own clock (time moves only by `travel`), not one
    block per transaction as the parent conftest sets up: their expectations are exact seconds."""
    yield
