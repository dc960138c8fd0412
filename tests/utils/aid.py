"""Mutual-aid constants and helpers shared by the aid unit, attack and property tests (titanoboa).

A plain module (imported as `from utils.aid import ...`) so no conftest can shadow it.
"""

from __future__ import annotations

from types import SimpleNamespace

import boa

from iwo.aid import TERMS_FIELDS  # IMutualAid.Terms, in order (one definition, the domain layer's)
from utils.boa_stack import DAY, DUES, ETH, action, create_collective, govern, travel

ONE = 10**18
AID_MONTH = 30 * DAY
YEAR = 365 * DAY
BPS = 10_000
MAX_MONTHS = 36
MAX_UNCLAIMED = 2
MAX_AMOUNT = 2**72 - 1
PREPAID = 36  # periods of dues the founders prepay (three years of 30 days)
POOL_SEED = 12 * ONE  # earmarked for the pool at set-up
AGAINST, FOR = 0, 1
ILLNESS, LOST_INCOME, EQUIPMENT, LEGAL, OTHER = range(5)
EVIDENCE = b"\x5e" * 32

# IMutualAid.ClaimState flag values
CONTEST, VOTING, DECIDABLE, APPROVED, DENIED, TIED, ENDED = (1 << i for i in range(7))


# the contract's version-0 terms (no storage: the defaults in its code)
DEFAULT_TERMS = dict(
    waiting_period=30 * DAY,
    contest_window=3 * DAY,
    vote_period=4 * DAY,
    min_objections=3,
    objection_bps=1_000,
    quorum_bps=2_000,
    max_months=24,
    throttle_divisor=6,
    unclaimed_months=2,
    categories=0b11111,
    deposit=0,
    auto_approve_max=0,
    claim_cap=0,
    member_cap=0,
)

# the terms the test collectives adopt by vote: with six founders, two objections
# (or half of the members) send a small claim to a vote, and a vote needs two ballots
TEST_TERMS = dict(
    DEFAULT_TERMS,
    min_objections=2,
    objection_bps=5_000,
    quorum_bps=3_000,
    max_months=12,
    unclaimed_months=1,
    auto_approve_max=ONE,
    claim_cap=6 * ONE,
    member_cap=8 * ONE,
)


def terms(**changes) -> tuple:
    """TEST_TERMS with `changes`, as the tuple `set_terms` takes (IMutualAid.Terms order)."""
    unknown = set(changes) - set(TERMS_FIELDS)
    assert not unknown, unknown
    values = dict(TEST_TERMS, **changes)
    return tuple(values[f] for f in TERMS_FIELDS)


def as_dict(t) -> dict:
    """A Terms struct returned by the contract, as a dict."""
    return {f: getattr(t, f) for f in TERMS_FIELDS}


def set_terms(world: SimpleNamespace, **changes) -> int:
    """Adopts terms by vote (all founders For); returns the proposal id."""
    act = action(world.c.aid, "set_terms", terms(**changes))
    return govern(world.c, [act], world.founders[0], world.founders)


def claim_id(index: int, number: int) -> int:
    """The id of a member's `number`-th claim (roll index << 16 | number)."""
    return index << 16 | number


def month_now() -> int:
    return boa.env.timestamp // AID_MONTH


def to_next_month(offset: int = DAY) -> int:
    """Moves the clock to `offset` seconds into the next aid month; returns its index."""
    target = (month_now() + 1) * AID_MONTH + offset
    boa.env.time_travel(seconds=target - boa.env.timestamp)
    return month_now()


def build_world(stack, founders: list[str], organizer: str, *, dues_asset: str = ETH, dues: int = DUES, **term_changes):
    """A collective of `founders` (dues prepaid for three years), the pool seeded with
    POOL_SEED (ETH collectives), test terms adopted by vote, the clock past the
    waiting period. Returns SimpleNamespace(c, founders, organizer)."""
    for a in [*founders, organizer]:
        boa.env.set_balance(a, 1_000 * ONE)
    c = create_collective(stack, founders, sender=organizer, dues_asset=dues_asset, dues=dues)
    world = SimpleNamespace(c=c, founders=list(founders), organizer=organizer)
    if dues_asset == ETH:
        for f in founders:
            with boa.env.prank(f):
                c.treasury.pay_dues(f, PREPAID, value=PREPAID * dues)
        with boa.env.prank(organizer):
            c.treasury.donate(ETH, POOL_SEED, "seed", True, value=POOL_SEED)
    set_terms(world, **term_changes)
    travel(30 * DAY)
    return world


def file(c, who: str, monthly: int, months: int = 1, category: int = ILLNESS, value: int = 0) -> int:
    """Files a claim from `who`; returns its id."""
    with boa.env.prank(who):
        return c.aid.file_claim(category, monthly, months, EVIDENCE, value=value)


def obj(c, who: str, cid: int, reason: str = ""):
    with boa.env.prank(who):
        if reason:
            c.aid.object(cid, reason)
        else:
            c.aid.object(cid)


def vote(c, who: str, cid: int, support: int, reason: str = ""):
    with boa.env.prank(who):
        if reason:
            c.aid.vote(cid, support, reason)
        else:
            c.aid.vote(cid, support)


def withdraw(c, who: str, cid: int) -> int:
    with boa.env.prank(who):
        return c.aid.withdraw(cid)


def approved_small(c, who: str, monthly: int, months: int = 1) -> int:
    """Files a small claim and lets its contest window pass unopposed; settles it."""
    cid = file(c, who, monthly, months)
    travel(c.aid.claim(cid).contest_end - boa.env.timestamp)
    c.aid.settle(cid)
    return cid


def eth_balance(address: str) -> int:
    return boa.env.get_balance(address)
