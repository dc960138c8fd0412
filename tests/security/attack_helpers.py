"""Constants and helpers of the attack tests (imported by name: no conftest shadowing)."""

from eth_abi import decode
from iwotest import (  # noqa: F401  (re-exported for the attack modules)
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
)

ZERO = "0x" + "00" * 20
# A revert without return data (Vyper's re-entrancy lock, an ABI bound the
# decoder enforces, checked math in a token) is reported by Ape under this message.
NO_REASON = "Transaction failed."
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
MAX_ACTIONS = 8
MAX_CALLDATA = 512
PREPAID_PERIODS = 12
ONE = 10**18

# proposal(id) fields
P_PROPOSER, P_SNAPSHOT, P_START, P_END, P_ETA, P_FOR, P_AGAINST, P_ABSTAIN, P_CONST, P_VERSION, P_BASE = range(11)

_ERROR_SELECTOR = bytes.fromhex("08c379a0")


def at(chain, timestamp):
    """Mine a block at exactly `timestamp` (views then see that time)."""
    chain.pending_timestamp = timestamp
    chain.mine()


def only(receipt, event):
    """The single log of `event` in `receipt`."""
    logs = receipt.events.filter(event)
    assert len(logs) == 1, logs
    return logs[0]


def tallies(gov, pid):
    """(for, against, abstain) of a proposal."""
    p = gov.proposal(pid)
    return (p[P_FOR], p[P_AGAINST], p[P_ABSTAIN])


def addr(n):
    """A deterministic address that holds no key (admitted by vote, never sends)."""
    return "0x" + f"{0xA11CE000 + n:040x}"


def revert_reason(data):
    """The `Error(string)` message in revert data, "" for empty revert data."""
    data = bytes(data)
    if not data:
        return ""
    assert data[:4] == _ERROR_SELECTOR, data.hex()
    return decode(["string"], data[4:])[0]
