"""Role and factory fixtures shared by the contract tests.

Roles: `organizer` deploys and creates; `founders` (three) start as members;
`member` is the first founder; `outsider` never holds a card; `newcomer`
is admitted by vote in some tests.
"""

from types import SimpleNamespace

import pytest
from iwotest import DAY, DUES, FOR, PERIOD, SETTINGS

from iwo.ballot import Ballot
from iwo.collective import ETH, Settings


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
def implementations(project, organizer):
    return SimpleNamespace(
        card=organizer.deploy(project.IwoCard),
        treasury=organizer.deploy(project.IwoTreasury),
        governor=organizer.deploy(project.IwoGovernor),
        escrow=organizer.deploy(project.IwoEscrow),
    )


@pytest.fixture(scope="session")
def factory(project, organizer, implementations):
    i = implementations
    return organizer.deploy(project.IwoFactory, i.card, i.treasury, i.governor, i.escrow)


@pytest.fixture(scope="session")
def token(project, organizer):
    return organizer.deploy(project.MockToken, "Stable", "USDX", 6)


def _wrap(project, factory, receipt):
    event = receipt.events.filter(factory.CollectiveCreated)[0]
    return SimpleNamespace(
        governor=project.IwoGovernor.at(event.governor),
        card=project.IwoCard.at(event.card),
        treasury=project.IwoTreasury.at(event.treasury),
        escrow=project.IwoEscrow.at(event.escrow),
        receipt=receipt,
    )


@pytest.fixture(scope="session")
def create(project, factory, organizer, founders):
    """Factory fixture: create(**overrides) -> collective namespace."""

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
        receipt = factory.create_collective(
            name,
            symbol,
            list(founders),
            dues_asset,
            dues_amount,
            dues_period,
            settings.as_tuple() if isinstance(settings, Settings) else settings,
            sender=sender,
        )
        return _wrap(project, factory, receipt)

    return _create


@pytest.fixture
def collective(create):
    return create()


@pytest.fixture(scope="session")
def gov_helpers(chain):
    """Helpers to drive proposals through their life."""

    def action(contract, method, *args, value=0):
        data = getattr(contract, method).encode_input(*args)
        return (contract.address, value, bytes(data))

    def propose(c, proposer, actions=(), description="test proposal"):
        receipt = c.governor.propose(list(actions), description, sender=proposer)
        return receipt.events.filter(c.governor.ProposalCreated)[0].proposal_id

    def travel(seconds):
        chain.pending_timestamp += seconds
        chain.mine()

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
        ballot = Ballot(
            chain_id=chain.chain_id,
            governor=c.governor.address,
            proposal_id=pid,
            support=support,
            voter=voter.address,
            expiry=expiry,
            reason=reason,
        )
        return ballot.sign(voter.private_key)

    def pay_dues(c, payer, who, periods=1):
        amount = c.treasury.dues_amount() * periods
        return c.treasury.pay_dues(who, periods, sender=payer, value=amount)

    return SimpleNamespace(
        action=action,
        propose=propose,
        travel=travel,
        open_voting=open_voting,
        close_voting=close_voting,
        pass_proposal=pass_proposal,
        sign_vote=sign_vote,
        pay_dues=pay_dues,
    )
