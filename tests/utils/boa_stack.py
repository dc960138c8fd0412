"""A whole collective on titanoboa's in-process EVM, for fast contract tests.

    stack = deploy_stack()                      # locked implementations + factory (once per module/session)
    c = create_collective(stack, founders)      # governor, card, treasury, aid of a new collective
    travel(3 * DAY)                             # move the clock (and the block number)

titanoboa's pytest plugin wraps every fixture and test in `boa.env.anchor()`, so a
module- or session-scoped fixture that calls these deploys once and every test
starts from that state and leaves nothing behind.
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import boa
import boa.interpret

from iwo.collective import DAY, ETH, Settings

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
CACHE = ROOT / ".cache" / "titanoboa"  # gitignored

DUES = 10**16  # 0.01 ETH per period
PERIOD = 30 * DAY

__all__ = [
    "CONTRACTS",
    "DAY",
    "DUES",
    "ETH",
    "PERIOD",
    "Settings",
    "action",
    "at",
    "contract",
    "create_collective",
    "deploy_stack",
    "events",
    "govern",
    "travel",
]


@cache
def setup() -> None:
    """Compiler search path (our `contracts/` and site-packages for snekmate) and compile cache."""
    boa.interpret.set_search_paths([str(CONTRACTS)])
    CACHE.mkdir(parents=True, exist_ok=True)
    boa.interpret.set_cache_dir(str(CACHE))
    # `.at()` on an EIP-1167 clone compares the proxy's code with the implementation's
    warnings.filterwarnings("ignore", message="casted bytecode does not match")


@cache
def contract(name: str):
    """The deployer of `contracts/<name>.vy` (or `contracts/test/<name>.vy`), compiled once."""
    setup()
    path = CONTRACTS / f"{name}.vy"
    if not path.exists():
        path = CONTRACTS / "test" / f"{name}.vy"
    return boa.load_partial(str(path))


def at(name: str, address) -> object:
    """`contracts/<name>.vy` at `address` (a clone: the code-mismatch warning is expected)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return contract(name).at(address)


def deploy_stack(deployer: str | None = None) -> SimpleNamespace:
    """Deploys the locked implementations and the factory from `deployer` (default: boa's sender)."""
    with boa.env.prank(deployer) if deployer else _nothing():
        card = contract("IwoCard").deploy()
        treasury = contract("IwoTreasury").deploy()
        governor = contract("IwoGovernor").deploy()
        aid = contract("IwoMutualAid").deploy()
        factory = contract("IwoFactory").deploy(card, treasury, governor, aid)
    return SimpleNamespace(card=card, treasury=treasury, governor=governor, aid=aid, factory=factory)


def create_collective(
    stack: SimpleNamespace,
    founders: list[str],
    *,
    sender: str | None = None,
    name: str = "Couriers United",
    symbol: str = "CU",
    dues_asset: str = ETH,
    dues: int = DUES,
    period: int = PERIOD,
    settings: Settings = Settings(),
) -> SimpleNamespace:
    """Creates a collective through the factory; its contracts as boa objects."""
    with boa.env.prank(sender) if sender else _nothing(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # boa casts the new clones to their implementations
        governor, card, treasury = stack.factory.create_collective(
            name, symbol, list(founders), dues_asset, dues, period, settings.as_tuple()
        )
    t = at("IwoTreasury", treasury)
    return SimpleNamespace(
        governor=at("IwoGovernor", governor),
        card=at("IwoCard", card),
        treasury=t,
        aid=at("IwoMutualAid", t.aid()),
    )


def travel(seconds: int) -> None:
    """Moves the chain clock forward by `seconds`."""
    boa.env.time_travel(seconds=seconds)


def action(contract, method: str, *args, value: int = 0) -> tuple:
    """A governor action (target, value, calldata) calling `contract.method(*args)`."""
    return (str(contract.address), value, getattr(contract, method).prepare_calldata(*args))


def govern(c: SimpleNamespace, actions: list, proposer: str, voters: list, description: str = "test") -> int:
    """Proposes `actions`, votes For with `voters`, queues and executes (the collective's
    default settings); returns the proposal id. Moves the clock by about five days."""
    settings = Settings.from_struct(c.governor.settings())
    travel(1)  # the snapshot is the second before the proposal
    with boa.env.prank(proposer):
        pid = c.governor.propose(list(actions), description)
    travel(settings.voting_delay + 1)
    for v in voters:
        with boa.env.prank(v):
            c.governor.cast_vote(pid, 1)
    travel(settings.voting_period)
    c.governor.queue(pid)
    travel(settings.timelock_delay)
    c.governor.execute(pid, list(actions), value=sum(a[1] for a in actions))
    return pid


def events(contract, name: str) -> list:
    """The events called `name` among the logs of `contract`'s last call (any emitter)."""
    return [e for e in contract.get_logs() if type(e).__name__ == name]


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
