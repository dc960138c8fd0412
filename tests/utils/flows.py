"""Drive a collective's proposals through their life on titanoboa (the helpers the
contract tests get as the `gov_helpers` fixture).

Times follow the default settings (`SETTINGS`): `open_voting` moves past the voting
delay, `close_voting` past the voting period.
"""

from __future__ import annotations

import boa

from utils.ballots import sign_ballot
from utils.boa_stack import travel
from utils.constants import DAY, DUES, FOR, SETTINGS

# periods a `prepay` buys: a year of the default 30-day dues, longer than any default timeline
PREPAID_PERIODS = 12


def action(contract, method: str, *args, value: int = 0) -> tuple:
    """(target, value, calldata) of a governor action calling `contract.method(*args)`."""
    return (str(contract.address), value, getattr(contract, method).prepare_calldata(*args))


def propose(c, proposer, actions=(), description: str = "test proposal") -> int:
    """Proposes `actions` from `proposer`; the new proposal's id."""
    return c.governor.propose(list(actions), description, sender=proposer)


def open_voting(c=None) -> None:
    """Moves past the voting delay of a proposal made just before."""
    travel(SETTINGS.voting_delay + 1)


def close_voting(c=None) -> None:
    """Moves past the voting period of a proposal whose vote just opened."""
    travel(SETTINGS.voting_period + 1)


def pass_proposal(c, proposer, voters, actions=(), description: str = "test proposal", execute: bool = True) -> int:
    """Proposes, votes For with `voters`, queues, waits the timelock and (unless
    `execute` is False) executes; the proposal's id."""
    pid = propose(c, proposer, actions, description)
    open_voting(c)
    for voter in voters:
        c.governor.cast_vote(pid, FOR, sender=voter)
    close_voting(c)
    c.governor.queue(pid, sender=proposer)
    travel(SETTINGS.timelock_delay)
    if execute:
        c.governor.execute(pid, list(actions), sender=proposer, value=sum(a[1] for a in actions))
    return pid


def sign_vote(c, voter, pid: int, support: int, expiry: int | None = None, reason: str = ""):
    """`voter`'s signed ballot on the collective's governor (valid for 30 days by default)."""
    if expiry is None:
        expiry = boa.env.timestamp + 30 * DAY
    return sign_ballot(
        c.governor, voter, pid, support, chain_id=boa.env.evm.patch.chain_id, expiry=expiry, reason=reason
    )


def pay_dues(c, payer, who, periods: int = 1):
    """`payer` pays `periods` periods of ETH dues for `who`."""
    return c.treasury.pay_dues(who, periods, sender=payer, value=c.treasury.dues_amount() * periods)


def prepay(c, people, periods: int = PREPAID_PERIODS):
    """Each of `people` pays `periods` periods of the default ETH dues for themselves."""
    for person in people:
        c.treasury.pay_dues(person, periods, sender=person, value=periods * DUES)


def fund_token(token, holder, spender, amount: int):
    """MockToken: mints `amount` to `holder`, who approves `spender` for it."""
    token.mint(holder, amount, sender=holder)
    token.approve(spender, amount, sender=holder)


def tallies(gov, pid: int) -> tuple:
    """(For, Against, Abstain) of a proposal."""
    p = gov.proposal(pid)
    return (p.votes_for, p.votes_against, p.votes_abstain)


def token_id(account) -> int:
    """A card's token id: its holder's address as a number."""
    return int(str(getattr(account, "address", account)), 16)
