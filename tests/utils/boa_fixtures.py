"""titanoboa fixtures shared by the contract unit tests (tests/contracts) and the attack
tests (tests/security); each conftest imports them by name.

The role fixtures have the names and roles of the Ape ones in tests/conftest.py, as
titanoboa accounts (`utils.boa_stack.Account`: an address with a key and a balance):
`organizer` deploys and creates; `founders` (three) start as members; `member` is
the first founder; `newcomer` is admitted by vote in some tests; `outsider` never
holds a card. Implementations, factory and token are deployed once per session;
titanoboa's plugin rolls every test back.

Every transaction is mined in its own block, one second after the previous one
(`one_block_per_transaction`), as on a chain: a proposal made right after its
proposer's admission has the admission in its snapshot.
"""

from types import SimpleNamespace

import boa
import pytest

from utils import flows
from utils.ballots import relay as _relay
from utils.boa_stack import accounts as make_accounts
from utils.boa_stack import contract, create_collective, deploy_stack, one_block_per_transaction, travel
from utils.constants import DUES, ETH, PERIOD, SETTINGS

__all__ = [
    "accounts",
    "blocks",
    "chain_id",
    "collective",
    "create",
    "factory",
    "founders",
    "gov_helpers",
    "implementations",
    "member",
    "newcomer",
    "organizer",
    "outsider",
    "relay",
    "stack",
    "token",
]


@pytest.fixture(scope="module", autouse=True)
def blocks():
    with one_block_per_transaction():
        yield


@pytest.fixture(scope="session")
def accounts():
    return make_accounts(12)


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
def chain_id():
    return boa.env.evm.patch.chain_id


@pytest.fixture(scope="session")
def stack(organizer):
    return deploy_stack(organizer)


@pytest.fixture(scope="session")
def implementations(stack):
    return SimpleNamespace(
        card=stack.card, treasury=stack.treasury, governor=stack.governor, aid=stack.aid, escrow=stack.escrow
    )


@pytest.fixture(scope="session")
def factory(stack):
    return stack.factory


@pytest.fixture(scope="session")
def token(organizer):
    with boa.env.prank(organizer):
        return contract("MockToken").deploy("Stable", "USDX", 6)


@pytest.fixture(scope="session")
def create(stack, organizer, founders):
    """create(**overrides) -> a new collective (governor, card, treasury, created, logs)."""

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
        return create_collective(
            stack,
            list(founders),
            sender=sender,
            name=name,
            symbol=symbol,
            dues_asset=dues_asset,
            dues=dues_amount,
            period=dues_period,
            settings=settings,
        )

    return _create


@pytest.fixture
def collective(create):
    return create()


@pytest.fixture(scope="session")
def gov_helpers():
    """action, propose, travel, open_voting, close_voting, pass_proposal, sign_vote, pay_dues."""
    return SimpleNamespace(
        action=flows.action,
        propose=flows.propose,
        travel=travel,
        open_voting=flows.open_voting,
        close_voting=flows.close_voting,
        pass_proposal=flows.pass_proposal,
        sign_vote=flows.sign_vote,
        pay_dues=flows.pay_dues,
    )


@pytest.fixture(scope="session")
def relay():
    """relay(gov, signed, relayer, **overrides): utils.ballots.relay (send a signed ballot,
    with call arguments changed after signing when overrides are given)."""
    return _relay
