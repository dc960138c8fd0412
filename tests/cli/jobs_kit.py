"""Helpers shared by the escrow CLI tests (`iwo job`, `iwo panel`, `iwo reputation`, the escrow
in `iwo ledger` and `iwo audit`): roles, amounts and dates in the CLI's words, and raw
transactions from anvil's unlocked accounts for what the CLI never does (tokens, strangers)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from eth_abi import encode

from iwo.contracts import selector

ROOT = Path(__file__).resolve().parents[2]
DAY = 86_400
E = 10**18
ETH = "0x" + "0" * 40
CLIENT, WORKER, OUTSIDER = "test7", "test1", "test9"
FOUNDERS = ["test1", "test2", "test3", "test4", "test5"]
MODEL_CONTRACT = "Model contract: deliverables as agreed; 14 days to review, then paid.\n"


def utc(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


def amount(units: int, decimals: int = 18, symbol: str = "ETH") -> str:
    """An amount as the CLI prints it (written independently of iwo.units)."""
    digits = f"{Decimal(units).scaleb(-decimals):f}"
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return f"{digits} {symbol}"


def address(name: str) -> str:
    """The address of test account `testN`."""
    from iwo.accounts import TEST_ADDRESSES

    return TEST_ADDRESSES[int(name[4:])]


def name_of(iwo, account: str) -> str:
    """The testN name of a test account's address."""
    for i in range(10):
        if iwo.addr(f"test{i}") == account:
            return f"test{i}"
    raise AssertionError(f"{account} is not a test account")


def passed(iwo, pid: int, voters=("test2", "test3", "test4")):
    """Votes proposal `pid` through and executes it (voting delay 1d, period 3d, timelock 1d)."""
    iwo.ok("node", "advance", "1d1m")
    for voter in voters:
        iwo.ok("vote", str(pid), "for", "--account", voter)
    iwo.ok("node", "advance", "3d")
    iwo.ok("queue", str(pid), "--account", "test2")
    iwo.ok("node", "advance", "1d")
    iwo.ok("execute", str(pid), "--account", "test2")


def mine(iwo, blocks: int) -> None:
    for _ in range(blocks):
        iwo.ok("node", "advance", "1s")


def send(iwo, sender: str, to: str, signature: str = "", args=(), value: int = 0) -> dict:
    """A transaction from an unlocked anvil account (`sender` a testN name); returns the receipt."""
    types = signature[signature.index("(") + 1 : -1].split(",") if signature and "()" not in signature else []
    data = selector(signature) + encode(types, list(args)) if signature else b""
    tx = {"from": iwo.addr(sender), "to": to, "data": "0x" + data.hex(), "value": hex(value)}
    receipt = _receipt(iwo, iwo.rpc("eth_sendTransaction", [tx]))
    assert int(receipt["status"], 16) == 1, receipt
    return receipt


def _receipt(iwo, tx_hash: str) -> dict:
    """The receipt of a transaction the node mines (at once, but answered a moment later)."""
    import time

    deadline = time.monotonic() + 10
    while True:
        receipt = iwo.rpc("eth_getTransactionReceipt", [tx_hash])
        if receipt is not None:
            return receipt
        assert time.monotonic() < deadline, f"{tx_hash} was not mined"
        time.sleep(0.01)


def deploy_token(iwo, symbol: str = "USDX", decimals: int = 6) -> str:
    """Deploys contracts/test/MockToken.vy (compiled in-process) from test0; returns its address."""
    import warnings

    from vyper import compile_code

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = compile_code(
            (ROOT / "contracts/test/MockToken.vy").read_text(),
            contract_path="MockToken.vy",
            output_formats=["bytecode"],
        )
    data = bytes.fromhex(out["bytecode"].removeprefix("0x")) + encode(
        ["string", "string", "uint8"], ["Stable", symbol, decimals]
    )
    from iwo.contracts import checksum

    receipt = _receipt(iwo, iwo.rpc("eth_sendTransaction", [{"from": iwo.addr("test0"), "data": "0x" + data.hex()}]))
    return checksum(receipt["contractAddress"])


def token_balance(iwo, token: str, holder: str) -> int:
    data = selector("balanceOf(address)") + encode(["address"], [holder])
    return int(iwo.rpc("eth_call", [{"to": token, "data": "0x" + data.hex()}, "latest"]), 16)
