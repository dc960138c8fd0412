"""Constants and helpers of the attack tests (imported by name: no conftest shadowing)."""

import boa
from eth_abi import decode
from utils.ballots import SECP256K1_N  # noqa: F401  (re-exported for the attack modules)
from utils.boa_stack import at, contract, events, only, reverts_without_reason, transfer  # noqa: F401
from utils.constants import (  # noqa: F401  (re-exported for the attack modules)
    ABSTAIN,
    ACTIVE,
    AGAINST,
    CANCELED,
    DAY,
    DEFEATED,
    DUES,
    ETH,
    EXECUTED,
    EXPIRED,
    FOR,
    PENDING,
    PERIOD,
    QUEUED,
    SETTINGS,
    SUCCEEDED,
    ZERO,
)
from utils.flows import PREPAID_PERIODS, fund_token, prepay, tallies, token_id  # noqa: F401

MAX_ACTIONS = 8
MAX_CALLDATA = 512
ONE = 10**18
# the block gas limit a transaction must fit in (Ethereum mainnet)
BLOCK_GAS_LIMIT = 30_000_000

_ERROR_SELECTOR = bytes.fromhex("08c379a0")


def deploy(name, deployer, *args, value=0):
    """A contract of contracts/test deployed by `deployer`."""
    with boa.env.prank(deployer):
        return contract(name).deploy(*args, value=value)


def pending(timestamp):
    """The next transaction runs at exactly `timestamp` (one block per transaction)."""
    at(timestamp - 1)


def addr(n):
    """A deterministic address that holds no key (admitted by vote, never sends)."""
    return "0x" + f"{0xA11CE000 + n:040x}"


def gas_used(contract) -> int:
    """Gas of the last transaction sent through `contract`: execution plus the 21,000 base."""
    return contract._computation.get_gas_used() + 21_000


def balance(contract) -> int:
    """A contract's ETH balance."""
    return boa.env.get_balance(str(contract.address))


def revert_reason(data):
    """The `Error(string)` message in revert data, "" for empty revert data."""
    data = bytes(data)
    if not data:
        return ""
    assert data[:4] == _ERROR_SELECTOR, data.hex()
    return decode(["string"], data[4:])[0]
