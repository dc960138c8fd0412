"""Sending a transaction safely: simulate, price, sign, journal, send, wait for the receipt.

`send` never signs a call that would revert: it first asks the node to estimate the gas
(`eth_estimateGas` runs the call), in the same batch as the fee, nonce and balance reads,
and a revert becomes one line with the contract's reason and nothing sent. Fees are
EIP-1559 (`maxFeePerGas = 2 × base fee + tip`) and never above a cap (`IWO_MAX_FEE_GWEI`,
default 500 gwei). The signed transaction's hash is journaled before it is broadcast
(see `journal`), so re-running a command whose node died mid-way reports the earlier
transaction instead of sending it twice.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import journal
from .contracts import Contract, Record, checksum, decode_log, knows_log, revert_reason
from .errors import IwoError
from .rpc import RpcError

if TYPE_CHECKING:
    from .session import Session

GWEI = 10**9
DEFAULT_MAX_FEE_GWEI = 500
DEFAULT_TIMEOUT = 300.0
GAS_MARGIN_PERCENT = 20  # headroom over the node's estimate


def max_fee_cap() -> int:
    text = os.environ.get("IWO_MAX_FEE_GWEI", str(DEFAULT_MAX_FEE_GWEI)).strip()
    if not text.isascii() or not text.isdigit() or int(text) == 0:
        raise IwoError(f"IWO_MAX_FEE_GWEI must be a whole number of gwei above zero (got {text!r})")
    return int(text) * GWEI


@dataclass
class Receipt:
    """A mined transaction: its raw receipt and decoded events."""

    raw: dict

    @property
    def tx_hash(self) -> str:
        return self.raw["transactionHash"]

    @property
    def block_number(self) -> int:
        return int(self.raw["blockNumber"], 16)

    @property
    def gas_used(self) -> int:
        return int(self.raw["gasUsed"], 16)

    @property
    def fee_paid(self) -> int:
        return self.gas_used * int(self.raw.get("effectiveGasPrice", "0x0"), 16)

    @property
    def ok(self) -> bool:
        return int(self.raw.get("status", "0x1"), 16) == 1

    @property
    def contract_address(self) -> str | None:
        address = self.raw.get("contractAddress")
        return checksum(address) if address else None

    def events(self, contract: Contract, name: str | None = None) -> list[Record]:
        """Decoded events that `contract` emitted in this transaction (optionally of one name)."""
        out = []
        for log in self.raw.get("logs", []):
            if checksum(log["address"]) != contract.address or not knows_log(contract.name, log):
                continue
            event, args = decode_log(contract.name, log)
            if name is None or event == name:
                out.append(args)
        return out

    def event(self, contract: Contract, name: str) -> Record:
        found = self.events(contract, name)
        if not found:
            raise IwoError(f"the transaction {self.tx_hash} emitted no {name}")
        return found[0]


def reason_of(exc: RpcError) -> str | None:
    """The revert reason in a node's error (None when the error is not a revert)."""
    message = str(exc)
    lowered = message.lower()
    if "insufficient funds" in lowered:
        return "the account cannot pay for this (insufficient funds)"
    reason = revert_reason(exc.data)
    if reason:
        return reason
    if "revert" in lowered or exc.code == 3:
        tail = message.split("execution reverted", 1)[-1].lstrip(": ").strip()
        return tail or "reverted without a reason"
    return None


def _query(sender: str, to: str | None, data: bytes, value: int) -> dict:
    query = {"from": sender, "data": "0x" + data.hex(), "value": hex(value)}
    if to is not None:
        query["to"] = to
    return query


def simulate(s: Session, to: str | None, data: bytes, value: int = 0, sender: str | None = None) -> bytes:
    """eth_call of a state-changing call; a revert becomes 'refused, nothing sent: <reason>'."""
    query = _query(sender or s.require_signer().address, to, data, value)
    try:
        out = s.rpc.call("eth_call", [query, "latest"])
    except RpcError as exc:
        reason = reason_of(exc)
        if reason is None:
            raise
        raise IwoError(f"refused, nothing sent: {reason}") from None
    return bytes.fromhex(out[2:])


def price(s: Session, block: dict, tip) -> dict:
    """The fee fields of a transaction: EIP-1559 (`maxFeePerGas = 2 × base fee + tip`, `tip` being
    the node's eth_maxPriorityFeePerGas answer) never above the cap; `gasPrice` on a chain
    without EIP-1559."""
    cap = max_fee_cap()
    base = block.get("baseFeePerGas")
    if base is None:  # a chain without EIP-1559
        return {"gasPrice": min(int(s.rpc.call("eth_gasPrice"), 16), cap)}
    base_fee = int(base, 16)
    priority = GWEI if isinstance(tip, RpcError) or tip is None else int(tip, 16)
    if base_fee > cap:
        raise IwoError(
            f"refused, nothing sent: the network's base fee ({base_fee / GWEI:.2f} gwei) is above "
            f"your cap of {cap // GWEI} gwei (IWO_MAX_FEE_GWEI)"
        )
    priority = min(priority, cap - base_fee)
    return {"type": 2, "maxFeePerGas": min(2 * base_fee + priority, cap), "maxPriorityFeePerGas": priority}


def send(s: Session, to: str | None, data: bytes, value: int = 0, what: str = "") -> Receipt:
    """Simulates (estimates), and only if the call would succeed, signs and sends it; waits for
    and returns the receipt. `to=None` deploys `data`."""
    signer = s.require_signer()
    k = journal.key(s.chain_id, signer.address, to or "", data, value)
    earlier = _earlier(s, k)
    if earlier is not None:
        return earlier
    query = _query(signer.address, to, data, value)
    estimate, block, tip, nonce, balance = s.rpc.batch(
        [
            ("eth_estimateGas", [query]),
            ("eth_getBlockByNumber", ["latest", False]),
            ("eth_maxPriorityFeePerGas", []),
            ("eth_getTransactionCount", [signer.address, "pending"]),
            ("eth_getBalance", [signer.address, "latest"]),
        ],
        errors=True,
    )
    if isinstance(estimate, RpcError):
        reason = reason_of(estimate)
        if reason is None:
            raise estimate
        raise IwoError(f"refused, nothing sent: {reason}")
    for item in (block, nonce, balance):
        if isinstance(item, RpcError):
            raise item
    gas = int(estimate, 16)
    gas = min(gas + gas * GAS_MARGIN_PERCENT // 100, int(block["gasLimit"], 16))
    tx: dict = {"chainId": s.chain_id, "nonce": int(nonce, 16), "value": value, "data": data, "gas": gas}
    if to is not None:
        tx["to"] = to
    tx |= price(s, block, tip)
    max_fee = tx.get("maxFeePerGas", tx.get("gasPrice"))
    if gas * max_fee + value > int(balance, 16):
        raise IwoError(
            f"refused, nothing sent: the account cannot pay for this (insufficient funds: "
            f"{signer.address} would need up to {(gas * max_fee + value) / 10**18:.6f} ETH with gas)"
        )
    raw, tx_hash = signer.sign_transaction(tx)
    journal.remember(k, tx_hash, what or f"call to {to}")
    try:
        s.rpc.call("eth_sendRawTransaction", ["0x" + raw.hex()], retry=False)
    except RpcError as exc:
        # the node may have taken it before the answer was lost: ask before concluding
        try:
            known = s.rpc.call("eth_getTransactionByHash", [tx_hash]) is not None
        except RpcError:
            raise IwoError(
                f"the node stopped answering while {tx_hash} was being sent; it is journaled: "
                "run the same command again once the node answers (it will not be sent twice)"
            ) from None
        if not known:
            journal.forget(k)
            reason = reason_of(exc)
            raise IwoError(f"refused, nothing sent: {reason or str(exc)}") from None
    receipt = wait(s, tx_hash)
    journal.forget(k)
    s.after_transaction(receipt)
    if not receipt.ok:
        raise IwoError(f"transaction {tx_hash} failed on chain: {_failure_reason(s, query, receipt)}")
    return receipt


def wait(s: Session, tx_hash: str, timeout: float | None = None) -> Receipt:
    """Polls for the receipt (the local node mines at once; real chains take seconds)."""
    if timeout is None:
        timeout = float(os.environ.get("IWO_TX_TIMEOUT", DEFAULT_TIMEOUT))
    deadline = time.monotonic() + timeout
    pause = 0.02
    while True:
        raw = s.rpc.call("eth_getTransactionReceipt", [tx_hash])
        if raw is not None and raw.get("blockNumber"):
            return Receipt(raw)
        if time.monotonic() > deadline:
            raise IwoError(
                f"sent {tx_hash} but it was not mined within {timeout:.0f}s; it is journaled: "
                "run the same command again to follow it"
            )
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


def _failure_reason(s: Session, query: dict, receipt: Receipt) -> str:
    """Why a mined transaction reverted: the call replayed at the block before it."""
    try:
        s.rpc.call("eth_call", [query, hex(receipt.block_number - 1)])
    except RpcError as exc:
        return reason_of(exc) or str(exc)
    return "reverted (the reason could not be replayed)"


def _earlier(s: Session, k: str) -> Receipt | None:
    """The receipt of an interrupted earlier attempt of the same call, if it was mined."""
    entry = journal.pending(k)
    if entry is None:
        return None
    raw = s.rpc.call("eth_getTransactionReceipt", [entry["tx"]])
    if raw is None:
        if s.rpc.call("eth_getTransactionByHash", [entry["tx"]]) is None:
            journal.forget(k)  # it never reached the chain: send anew
            return None
        receipt = wait(s, entry["tx"])
    else:
        receipt = Receipt(raw)
    journal.forget(k)
    if not receipt.ok:
        return None  # it failed: try again (the simulation will say why if it still would)
    s.notice(f"an earlier run of this command already sent it (tx {entry['tx']}); not sending again")
    s.after_transaction(receipt)
    return receipt


def deploy(s: Session, name: str, *args) -> str:
    """Deploys one of our contracts from the shipped artifacts; returns its address."""
    from .contracts import bytecode, constructor

    data = bytecode(name) + constructor(name).encode(*args)[4:]
    receipt = send(s, None, data, what=f"deploy {name}")
    if receipt.contract_address is None:
        raise IwoError(f"deploying {name} created no contract")
    return receipt.contract_address
