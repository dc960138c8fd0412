"""A whole collective on titanoboa's in-process EVM, for fast contract tests.

    stack = deploy_stack()                      # locked implementations + factory (once per module/session)
    c = create_collective(stack, founders)      # governor, card, treasury, escrow of a new collective
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
from eth_utils import keccak

from iwo.collective import DAY, ETH, Settings

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
CACHE = ROOT / ".cache" / "titanoboa"  # gitignored

DUES = 10**16  # 0.01 ETH per period
PERIOD = 30 * DAY

__all__ = ["CONTRACTS", "DAY", "DUES", "ETH", "PERIOD", "Settings", "contract", "create_collective", "deploy_stack"]


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


def deploy_stack(deployer: str | None = None) -> SimpleNamespace:
    """Deploys the locked implementations and the factory from `deployer` (default: boa's sender)."""
    with boa.env.prank(deployer) if deployer else _nothing():
        card = contract("IwoCard").deploy()
        treasury = contract("IwoTreasury").deploy()
        governor = contract("IwoGovernor").deploy()
        escrow = contract("IwoEscrow").deploy()
        factory = contract("IwoFactory").deploy(card, treasury, governor, escrow)
        rates = contract("IwoRates").deploy()  # one per chain, shared by the collectives
    return SimpleNamespace(card=card, treasury=treasury, governor=governor, escrow=escrow, factory=factory, rates=rates)


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
    with warnings.catch_warnings():
        # boa casts each new EIP-1167 clone to its implementation and warns that the codes differ
        warnings.simplefilter("ignore")
        with boa.env.prank(sender) if sender else _nothing():
            governor, card, treasury = stack.factory.create_collective(
                name, symbol, list(founders), dues_asset, dues, period, settings.as_tuple()
            )
        (created,) = [e for e in stack.factory.get_logs() if type(e).__name__ == "CollectiveCreated"]
        return SimpleNamespace(
            governor=contract("IwoGovernor").at(governor),
            card=contract("IwoCard").at(card),
            treasury=contract("IwoTreasury").at(treasury),
            escrow=contract("IwoEscrow").at(created.escrow),
        )


def travel(seconds: int) -> None:
    """Moves the chain clock forward by `seconds`."""
    boa.env.time_travel(seconds=seconds)


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def arm_blockhash(number: int, header: bytes) -> None:
    """Makes `blockhash(number)` return keccak256(header) for calls in the current block.

    titanoboa keeps no block hashes of its own; call this after the last clock move and
    before the call that reads the hash (the anchor of each test restores the old list).
    """
    depth = boa.env.evm.patch.block_number - number - 1
    assert 0 <= depth < 256, f"block {number} is out of blockhash's reach"
    hashes = [b"\x00" * 32] * 256
    hashes[depth] = keccak(header)
    boa.env.evm.patch.prev_hashes = hashes


def mine(blocks: int = 1) -> None:
    """Moves the chain forward by `blocks` blocks of 12 seconds each."""
    boa.env.time_travel(blocks=blocks)
