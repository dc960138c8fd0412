"""A whole collective on titanoboa's in-process EVM, for fast contract tests.

    stack = deploy_stack()                      # locked implementations + factory (once per module/session)
    c = create_collective(stack, founders)      # governor, card, treasury, aid, escrow of a new collective
    travel(3 * DAY)                             # move the clock (and the block number)
    at(t)                                       # the clock at exactly t
    events(c.governor, "VoteCast")              # the logs of the last transaction sent through a contract

titanoboa's pytest plugin wraps every fixture and test in `boa.env.anchor()`, so a
module- or session-scoped fixture that calls these deploys once and every test
starts from that state and leaves nothing behind.

boa runs every transaction at the current clock. `one_block_per_transaction()`
makes it behave like a chain (Ape's test chain, anvil): each transaction is mined
in its own block, one second after the previous one (tests/contracts uses it).
"""

from __future__ import annotations

import contextlib
import warnings
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import boa
import boa.environment
import boa.interpret
import pytest
from boa.contracts.base_evm_contract import BoaError
from eth_account import Account as _EthAccount
from eth_utils import keccak, to_checksum_address

from iwo.collective import DAY, ETH, Settings
from utils.constants import DUES, PERIOD

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
CACHE = ROOT / ".cache" / "titanoboa"  # gitignored

FUNDS = 10**24  # every test account starts with a million ETH

__all__ = [
    "CONTRACTS",
    "DAY",
    "DUES",
    "ETH",
    "PERIOD",
    "Account",
    "Log",
    "Settings",
    "accounts",
    "action",
    "arm_blockhash",
    "at",
    "at_address",
    "contract",
    "create_collective",
    "deploy_stack",
    "events",
    "govern",
    "mine",
    "only",
    "one_block_per_transaction",
    "reverts_without_reason",
    "transfer",
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


def at_address(name: str, address):
    """The contract `name` at `address` (a clone), without boa's bytecode warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return contract(name).at(address)


class Account(str):
    """A test account: its checksummed address (usable wherever boa takes an address),
    its private key (to sign ballots) and its ETH balance."""

    private_key: str

    def __new__(cls, key: bytes):
        account = _EthAccount.from_key(key)
        self = super().__new__(cls, account.address)
        self.private_key = "0x" + bytes(key).hex()
        return self

    @property
    def address(self) -> str:
        return str(self)

    @property
    def balance(self) -> int:
        return boa.env.get_balance(str(self))


def accounts(n: int = 12, funds: int = FUNDS) -> list[Account]:
    """`n` deterministic accounts with keys, each funded with `funds` wei."""
    people = [Account(keccak(text=f"iwo test account {i}")) for i in range(n)]
    for person in people:
        boa.env.set_balance(str(person), funds)
    return people


def deploy_stack(deployer: str | None = None) -> SimpleNamespace:
    """Deploys the locked implementations and the factory from `deployer` (default: boa's sender)."""
    with boa.env.prank(deployer) if deployer else contextlib.nullcontext():
        card = contract("IwoCard").deploy()
        treasury = contract("IwoTreasury").deploy()
        governor = contract("IwoGovernor").deploy()
        aid = contract("IwoMutualAid").deploy()
        escrow = contract("IwoEscrow").deploy()
        factory = contract("IwoFactory").deploy(card, treasury, governor, aid, escrow)
        rates = contract("IwoRates").deploy()  # one per chain, shared by the collectives
    return SimpleNamespace(
        card=card, treasury=treasury, governor=governor, aid=aid, escrow=escrow, factory=factory, rates=rates
    )


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
    settings: Settings | tuple = Settings(),
) -> SimpleNamespace:
    """Creates a collective through the factory: its contracts as boa objects, the
    creation time (`created`) and the decoded logs of the creating transaction (`logs`)."""
    raw = settings.as_tuple() if isinstance(settings, Settings) else tuple(settings)
    governor, card, treasury = stack.factory.create_collective(
        name, symbol, list(founders), dues_asset, dues, period, raw, sender=sender or boa.env.eoa
    )
    logs = stack.factory.get_logs()
    (created,) = [e for e in logs if type(e).__name__ == "CollectiveCreated"]
    return SimpleNamespace(
        governor=at_address("IwoGovernor", governor),
        card=at_address("IwoCard", card),
        treasury=at_address("IwoTreasury", treasury),
        aid=at_address("IwoMutualAid", created.aid),
        escrow=at_address("IwoEscrow", created.escrow),
        created=boa.env.timestamp,
        logs=logs,
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


def at(timestamp: int) -> None:
    """Sets the chain clock to exactly `timestamp` (forward or back): views see that
    time; with `one_block_per_transaction`, the next transaction runs one second later."""
    boa.env.evm.patch.timestamp = timestamp


class Log(dict):
    """A decoded log's fields: a dict (compares with plain dicts) whose fields also read as attributes."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def events(sent_through, name: str, emitter=None) -> list[Log]:
    """The logs named `name` of the last transaction sent through the contract object
    `sent_through` (its own and those of the contracts it called; or of a list of
    decoded logs, such as a collective's `logs`), optionally only those `emitter`
    emitted, in order, as `Log`s (dicts of their fields)."""
    address = None if emitter is None else to_checksum_address(str(getattr(emitter, "address", emitter)))
    logs = sent_through if isinstance(sent_through, list) else sent_through.get_logs()
    found = []
    for log in logs:
        if type(log).__name__ != name:
            continue
        fields = log._asdict()
        if address is not None and to_checksum_address(str(fields["address"])) != address:
            continue
        fields.pop("address")
        found.append(Log(fields))
    return found


@contextlib.contextmanager
def one_block_per_transaction():
    """Within the block, every state-changing call runs in a new block, one second
    (and one block number) after the previous one, as on a real chain; a reverted
    call mines nothing; views run at the current clock."""
    original = boa.environment.Env.execute_code

    def execute_code(self, *args, **kwargs):
        if not kwargs.get("is_modifying", True) or kwargs.get("simulate", False):
            return original(self, *args, **kwargs)
        self.evm.patch.timestamp += 1
        self.evm.patch.block_number += 1
        computation = original(self, *args, **kwargs)
        if computation.is_error:  # a reverted transaction is not mined
            self.evm.patch.timestamp -= 1
            self.evm.patch.block_number -= 1
        return computation

    boa.environment.Env.execute_code = execute_code
    try:
        yield
    finally:
        boa.environment.Env.execute_code = original


def only(sent_through, name: str, emitter=None) -> Log:
    """The single log named `name` (see `events`)."""
    found = events(sent_through, name, emitter)
    assert len(found) == 1, found
    return found[0]


@contextlib.contextmanager
def reverts_without_reason(cause: str | None = None):
    """Expects the transaction to revert with empty revert data (what a re-entrancy
    lock or checked math raises, and what a failing inner call passes up); with
    `cause`, the innermost failing frame must be that compiler check (e.g.
    "safesub"; titanoboa cannot name the check inside an EIP-1167 clone)."""
    with pytest.raises(BoaError) as failure:
        yield
    frames = [f for f in failure.value.stack_trace if not isinstance(f, str)]
    assert frames and bytes(frames[-1].vm_error.args[0]) == b"", frames[-1].pretty_vm_reason
    if cause is not None:
        assert frames[0].error_detail == cause, f"{frames[0].error_detail} != {cause}"


def transfer(sender, to_contract, value: int, data: bytes = b"") -> list:
    """A plain transaction from `sender` to `to_contract` (ETH, optional raw calldata);
    its decoded logs. Raises titanoboa's BoaError when it reverts, like a contract call."""
    computation = boa.env.execute_code(to_address=to_contract.address, sender=sender, value=value, data=data)
    if computation.is_error:
        raise BoaError.create(computation, to_contract)
    return to_contract.get_logs(computation)


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
