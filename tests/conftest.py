"""Ape fixtures for the tests that run on Ape's chain (contract unit and attack tests run on
titanoboa: see tests/utils/boa_fixtures.py).

Roles: `organizer` deploys and creates; `founders` (three) start as members;
`member` is the first founder; `outsider` never holds a card; `newcomer`
is admitted by vote in some tests. Deployment and creation are the scripts'
own helpers (scripts/_common.py), so tests and scripts set up a collective the
same way; ballots are signed by tests/utils/ballots.py.
"""

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from utils.ballots import sign_ballot
from utils.constants import DAY, DUES, FOR, PERIOD, SETTINGS

from iwo.collective import ETH

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import _common  # noqa: E402  (scripts/_common.py: deploy_stack, create_collective, action, travel)


@pytest.fixture(scope="session")
def organizer(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def founders(accounts):
    return [accounts[1], accounts[2], accounts[3]]


@pytest.fixture(scope="session")
def member(founders):
    return founders[0]


@pytest.fixture(scope="session")
def newcomer(accounts):
    return accounts[4]


@pytest.fixture(scope="session")
def outsider(accounts):
    return accounts[9]


@pytest.fixture(scope="session")
def stack(project, organizer):
    return _common.deploy_stack(project, organizer)


@pytest.fixture(scope="session")
def implementations(stack):
    return SimpleNamespace(
        card=stack.card, treasury=stack.treasury, governor=stack.governor, aid=stack.aid, escrow=stack.escrow
    )


@pytest.fixture(scope="session")
def factory(stack):
    return stack.factory


@pytest.fixture(scope="session")
def token(project, organizer):
    return organizer.deploy(project.MockToken, "Stable", "USDX", 6)


@pytest.fixture(scope="session")
def create(project, factory, organizer, founders):
    """Factory fixture: create(**overrides) -> collective namespace (governor, card, treasury, receipt)."""

    def _create(
        name="Couriers United",
        symbol="CU",
        founders=tuple(founders),
        dues_asset=ETH,
        dues_amount=DUES,
        dues_period=PERIOD,
        settings=SETTINGS,
        sender=organizer,
    ):
        return _common.create_collective(
            project, factory, sender, name, list(founders), dues_asset, dues_amount, dues_period, settings, symbol
        )

    return _create


@pytest.fixture
def collective(create):
    return create()


@pytest.fixture(scope="session")
def gov_helpers(chain):
    """Helpers to drive proposals through their life."""

    def propose(c, proposer, actions=(), description="test proposal"):
        receipt = c.governor.propose(list(actions), description, sender=proposer)
        return receipt.events.filter(c.governor.ProposalCreated)[0].proposal_id

    def travel(seconds):
        _common.travel(chain, seconds)

    def open_voting(c):
        travel(SETTINGS.voting_delay + 1)

    def close_voting(c):
        travel(SETTINGS.voting_period + 1)

    def pass_proposal(c, proposer, voters, actions=(), description="test proposal", execute=True):
        pid = propose(c, proposer, actions, description)
        open_voting(c)
        for v in voters:
            c.governor.cast_vote(pid, FOR, sender=v)
        close_voting(c)
        c.governor.queue(pid, sender=proposer)
        travel(SETTINGS.timelock_delay)
        receipt = None
        if execute:
            value = sum(a[1] for a in actions)
            receipt = c.governor.execute(pid, list(actions), sender=proposer, value=value)
        return pid, receipt

    def sign_vote(c, voter, pid, support, expiry=None, reason=""):
        if expiry is None:
            expiry = chain.pending_timestamp + 30 * DAY
        return sign_ballot(c.governor, voter, pid, support, chain_id=chain.chain_id, expiry=expiry, reason=reason)

    def pay_dues(c, payer, who, periods=1):
        amount = c.treasury.dues_amount() * periods
        return c.treasury.pay_dues(who, periods, sender=payer, value=amount)

    return SimpleNamespace(
        action=_common.action,
        propose=propose,
        travel=travel,
        open_voting=open_voting,
        close_voting=close_voting,
        pass_proposal=pass_proposal,
        sign_vote=sign_vote,
        pay_dues=pay_dues,
    )


# The longest test files, longest first (measured by `make test`'s --durations and a junit report).
# With `--dist loadfile --no-loadscope-reorder` xdist hands out files in collection order, so the two
# ~100 s stateful machines start at once on the two workers instead of last (xdist's default puts the
# files with the fewest tests, the machines, at the end: a minute and a half of one idle worker).
LONGEST_FIRST = (
    "tests/fuzz/test_escrow_machine.py",
    "tests/fuzz/test_collective_state_machine.py",
    "tests/e2e/test_clean_install.py",
    "tests/e2e/test_second_chain.py",
    "tests/fuzz/test_aid_state_machine.py",
    "tests/e2e/test_full_life.py",
    "tests/web/test_page.py",
    "tests/web/test_load.py",
)


def pytest_collection_modifyitems(config, items):
    """Moves the longest files to the front (a stable sort: every file's tests stay together and
    in order, so module fixtures and ordered tests are untouched)."""
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
