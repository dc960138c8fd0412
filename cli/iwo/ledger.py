"""The auditor's view: every treasury movement rebuilt from chain events, reconciled
to on-chain balances, from any JSON-RPC node (no Ape, no account, read-only).

    scan      paginated eth_getLogs of the collective's contracts and of every token
              the treasury holds, cached in SQLite (only new blocks are read next
              time; a reorg near the head rolls the cache back to the common ancestor)
    rows      the ledger: block, time, tx, direction, counterparty, asset, amount,
              running balance, and what it was for (dues with member and periods,
              donations, plain transfers in, each executed proposal's payments with
              its id and description, benefit claims)
    audit     rebuilt balance == on-chain balance, per asset, at the last block and at
              sampled earlier blocks; anything unexplained is a flagged line
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from eth_abi import decode as abi_decode
from eth_utils import keccak, to_checksum_address

from .errors import IwoError
from .rpc import Rpc, RpcError

ETH = "0x0000000000000000000000000000000000000000"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TRANSFER_TOPIC = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
SCHEMA_VERSION = 2
TREASURY_FLOW_EVENTS = (
    "DuesPaid",
    "DonationReceived",
    "EthReceived",
    "Payment",
    "BenefitGranted",
    "BenefitClaimed",
    "DuesTermsChanged",
)
GOVERNOR_EVENTS = ("ProposalCreated", "ProposalExecuted")


# ---- ABI decoding -----------------------------------------------------------------------------
def _type(entry: dict) -> str:
    t = entry["type"]
    if t.startswith("tuple"):
        return "(" + ",".join(_type(c) for c in entry["components"]) + ")" + t[len("tuple") :]
    return t


@cache
def _events(contract: str) -> dict[str, dict]:
    abi = json.loads((ARTIFACTS / f"{contract}.json").read_text())["abi"]
    out = {}
    for entry in abi:
        if entry["type"] == "event":
            signature = f"{entry['name']}({','.join(_type(i) for i in entry['inputs'])})"
            out["0x" + keccak(text=signature).hex()] = entry
    return out


def topic_of(contract: str, name: str) -> str:
    for topic, entry in _events(contract).items():
        if entry["name"] == name:
            return topic
    raise KeyError(name)


@lru_cache(maxsize=65536)
def checksum(raw: bytes | str) -> str:
    """Checksummed address (cached: the same few addresses recur across thousands of logs)."""
    return to_checksum_address(raw)


def _plain(value):
    """JSON-safe form of a decoded ABI value."""
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def decode_log(contract: str, log: dict) -> tuple[str, dict]:
    entry = _events(contract)[log["topics"][0]]
    topics = iter(log["topics"][1:])
    plain = [i for i in entry["inputs"] if not i["indexed"]]
    values = abi_decode([_type(i) for i in plain], bytes.fromhex(log["data"][2:])) if plain else []
    plain_values = dict(zip((i["name"] for i in plain), values))
    args = {}
    for i in entry["inputs"]:
        if i["indexed"]:
            raw = bytes.fromhex(next(topics)[2:])
            args[i["name"]] = checksum(raw[-20:]) if i["type"] == "address" else int.from_bytes(raw, "big")
        else:
            value = plain_values[i["name"]]
            args[i["name"]] = checksum(value) if i["type"] == "address" else _plain(value)
    return entry["name"], args


def decode_any(log: dict, treasury: str, governor: str) -> tuple[str, dict]:
    """Decodes a log of the treasury, the governor, or an ERC-20 Transfer."""
    address = checksum(log["address"])
    if address == treasury:
        return decode_log("IwoTreasury", log)
    if address == governor:
        return decode_log("IwoGovernor", log)
    topics = log["topics"]
    return "Transfer", {
        "sender": checksum(bytes.fromhex(topics[1][2:])[-20:]),
        "receiver": checksum(bytes.fromhex(topics[2][2:])[-20:]),
        "amount": int(log["data"], 16),
    }


def _topic_address(address: str) -> str:
    return "0x" + "0" * 24 + address[2:].lower()


# ---- the cache --------------------------------------------------------------------------------
class Cache:
    """SQLite store of raw logs, block hashes/times and how far each source was scanned."""

    def __init__(self, path: Path | str):
        self.db = sqlite3.connect(str(path))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)")
        row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row is not None and int(row[0]) != SCHEMA_VERSION:
            # a cache: an older layout is simply rebuilt from the chain
            self.db.executescript(
                "DROP TABLE IF EXISTS logs; DROP TABLE IF EXISTS blocks; DROP TABLE IF EXISTS scans; DELETE FROM meta;"
            )
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS logs(
                chain_id INTEGER, source TEXT, block_number INTEGER, block_hash TEXT, tx_hash TEXT,
                log_index INTEGER, address TEXT, name TEXT, args TEXT,
                PRIMARY KEY(chain_id, source, tx_hash, log_index));
            CREATE INDEX IF NOT EXISTS logs_by_block ON logs(chain_id, source, block_number);
            CREATE TABLE IF NOT EXISTS blocks(chain_id INTEGER, number INTEGER, hash TEXT, timestamp INTEGER,
                PRIMARY KEY(chain_id, number));
            CREATE TABLE IF NOT EXISTS scans(chain_id INTEGER, source TEXT, start_block INTEGER,
                scanned_to INTEGER, PRIMARY KEY(chain_id, source));
        """)
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES('schema', ?)", (str(SCHEMA_VERSION),))

    def close(self):
        self.db.close()

    def scanned_to(self, chain_id: int, source: str) -> int | None:
        row = self.db.execute(
            "SELECT scanned_to FROM scans WHERE chain_id=? AND source=?", (chain_id, source)
        ).fetchone()
        return None if row is None else row[0]

    def block_hash(self, chain_id: int, number: int) -> str | None:
        row = self.db.execute("SELECT hash FROM blocks WHERE chain_id=? AND number=?", (chain_id, number)).fetchone()
        return None if row is None else row[0]

    def anchored_blocks(self, chain_id: int) -> list[tuple[int, str]]:
        return self.db.execute(
            "SELECT number, hash FROM blocks WHERE chain_id=? ORDER BY number DESC", (chain_id,)
        ).fetchall()

    def rollback(self, chain_id: int, keep_to: int):
        """Forgets everything after block `keep_to` (a reorg replaced it)."""
        with self.db:
            self.db.execute("DELETE FROM logs WHERE chain_id=? AND block_number>?", (chain_id, keep_to))
            self.db.execute("DELETE FROM blocks WHERE chain_id=? AND number>?", (chain_id, keep_to))
            self.db.execute(
                "UPDATE scans SET scanned_to=? WHERE chain_id=? AND scanned_to>?", (keep_to, chain_id, keep_to)
            )

    def store_range(
        self, chain_id: int, source: str, start: int, to_block: int, to_hash: str, logs: list[tuple[dict, str, dict]]
    ):
        """Atomically stores a scanned range's decoded logs and moves the source's mark to `to_block`."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO logs VALUES(?,?,?,?,?,?,?,?,?)",
                [
                    (
                        chain_id,
                        source,
                        int(log["blockNumber"], 16),
                        log["blockHash"],
                        log["transactionHash"],
                        int(log["logIndex"], 16),
                        checksum(log["address"]),
                        name,
                        json.dumps(args),
                    )
                    for log, name, args in logs
                ],
            )
            self.db.execute(
                "INSERT OR REPLACE INTO blocks(chain_id, number, hash, timestamp) VALUES(?,?,?,"
                "(SELECT timestamp FROM blocks WHERE chain_id=? AND number=?))",
                (chain_id, to_block, to_hash, chain_id, to_block),
            )
            self.db.execute(
                "INSERT INTO scans VALUES(?,?,?,?) ON CONFLICT(chain_id, source) DO UPDATE "
                "SET scanned_to=excluded.scanned_to",
                (chain_id, source, start, to_block),
            )

    def logs(self, chain_id: int, source: str, start: int, end: int) -> list[dict]:
        rows = self.db.execute(
            "SELECT block_number, tx_hash, log_index, address, name, args FROM logs "
            "WHERE chain_id=? AND source=? AND block_number BETWEEN ? AND ? ORDER BY block_number, log_index",
            (chain_id, source, start, end),
        ).fetchall()
        return [
            {"block": r[0], "tx": r[1], "log_index": r[2], "address": r[3], "name": r[4], "args": json.loads(r[5])}
            for r in rows
        ]

    def assets(self, chain_id: int, source: str, end: int) -> set[str]:
        """Every token named in the treasury's events (decoded JSON, queried in SQLite)."""
        rows = self.db.execute(
            "SELECT DISTINCT json_extract(args, '$.asset') FROM logs WHERE chain_id=? AND source=? "
            "AND block_number<=? UNION SELECT DISTINCT json_extract(args, '$.new_asset') FROM logs "
            "WHERE chain_id=? AND source=? AND block_number<=? AND name='DuesTermsChanged'",
            (chain_id, source, end, chain_id, source, end),
        ).fetchall()
        return {r[0] for r in rows if r[0] and int(r[0], 16) != 0}

    def timestamps(self, chain_id: int, numbers: set[int]) -> dict[int, int]:
        out = {}
        for number in numbers:
            row = self.db.execute(
                "SELECT timestamp FROM blocks WHERE chain_id=? AND number=?", (chain_id, number)
            ).fetchone()
            if row and row[0] is not None:
                out[number] = row[0]
        return out

    def store_block(self, chain_id: int, number: int, block_hash: str, timestamp: int):
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO blocks VALUES(?,?,?,?)", (chain_id, number, block_hash, timestamp))


# ---- the collective, as an auditor finds it -------------------------------------------------------
@dataclass
class Target:
    chain_id: int
    governor: str
    treasury: str
    start_block: int
    # tokens to follow even if no treasury event names them (e.g. only ever sent by plain transfer)
    extra_tokens: tuple[str, ...] = ()


def _address_call(rpc: Rpc, to: str, signature: str, block="latest") -> str:
    try:
        out = rpc.eth_call(to, keccak(text=signature)[:4], block)
    except RpcError as exc:  # a contract without that function reverts
        if "revert" not in str(exc).lower():
            raise
        out = b""
    if len(out) != 32:
        raise IwoError(f"{to} is not an iwo governor (no {signature})")
    return to_checksum_address(out[-20:])


def find_target(rpc: Rpc, governor: str) -> Target:
    """Finds the treasury of `governor` and the block the treasury was created in."""
    try:
        governor = to_checksum_address(governor)
    except ValueError:
        raise IwoError(f"not an address: {governor!r}") from None
    if not rpc.code(governor):
        raise IwoError(f"no contract at {governor} on this chain")
    treasury = _address_call(rpc, governor, "treasury()")
    head = rpc.block_number()
    low, high = 0, head  # first block where the treasury has code
    while low < high:
        mid = (low + high) // 2
        try:
            has_code = bool(rpc.code(treasury, mid))
        except RpcError:  # a node without history: scan from genesis
            return Target(rpc.chain_id(), governor, treasury, 0)
        if has_code:
            high = mid
        else:
            low = mid + 1
    return Target(rpc.chain_id(), governor, treasury, low)


# ---- scanning ---------------------------------------------------------------------------------------
@dataclass
class Progress:
    """Reports scanned blocks; the CLI draws a bar on stderr from it."""

    callback: Callable[[str, int, int], None] | None = None

    def __call__(self, source: str, done: int, total: int):
        if self.callback:
            self.callback(source, done, total)


def _sources(target: Target, tokens: list[str]) -> dict[str, tuple[list[str], list]]:
    flow_topics = [topic_of("IwoTreasury", n) for n in TREASURY_FLOW_EVENTS]
    gov_topics = [topic_of("IwoGovernor", n) for n in GOVERNOR_EVENTS]
    out = {f"collective:{target.treasury}": ([target.treasury, target.governor], [flow_topics + gov_topics])}
    for token in tokens:
        out[f"in:{token}:{target.treasury}"] = ([token], [TRANSFER_TOPIC, None, _topic_address(target.treasury)])
        out[f"out:{token}:{target.treasury}"] = ([token], [TRANSFER_TOPIC, _topic_address(target.treasury)])
    return out


def _check_reorg(rpc: Rpc, cache: Cache, chain_id: int):
    """Rolls the cache back to the newest anchored block whose hash the chain still has."""
    anchored = cache.anchored_blocks(chain_id)
    if not anchored:
        return
    number, stored = anchored[0]
    try:
        current = rpc.block(number)["hash"]
    except RpcError:
        current = None
    if current == stored:
        return
    keep = -1
    for number, stored in anchored[1:]:
        try:
            if rpc.block(number)["hash"] == stored:
                keep = number
                break
        except RpcError:
            continue
    cache.rollback(chain_id, keep)


def scan(
    rpc: Rpc,
    cache: Cache,
    target: Target,
    to_block: int | None = None,
    progress: Progress = Progress(),
    chunk: int = 5_000,
) -> int:
    """Brings the cache up to `to_block` (default: head) for the collective and its tokens."""
    head = rpc.block_number()
    to_block = head if to_block is None else min(to_block, head)
    _check_reorg(rpc, cache, target.chain_id)
    done_tokens: set[str] = set()
    collective_done = False
    while True:
        # tokens are found in the collective's events: after scanning those, scan the transfers
        # of every token they name (also on a cold cache, where none is known before the scan)
        tokens = sorted(_tokens_seen(cache, target, to_block) - done_tokens)
        if collective_done and not tokens:
            return to_block
        sources = _sources(target, tokens)
        if collective_done:
            sources = {k: v for k, v in sources.items() if not k.startswith("collective:")}
        for source, (addresses, topics) in sources.items():
            start = cache.scanned_to(target.chain_id, source)
            start = target.start_block if start is None else max(start + 1, target.start_block)
            if start > to_block:
                continue
            total = to_block - start + 1

            def store(a, b, logs, source=source, start=start, total=total):
                block_hash = rpc.block(b)["hash"]
                decoded = [(log, *decode_any(log, target.treasury, target.governor)) for log in logs]
                cache.store_range(target.chain_id, source, target.start_block, b, block_hash, decoded)
                progress(source, b - start + 1, total)

            rpc.get_logs(addresses, topics, start, to_block, store, chunk=chunk)
        collective_done = True
        done_tokens |= set(tokens)


def _tokens_seen(cache: Cache, target: Target, to_block: int) -> set[str]:
    return cache.assets(target.chain_id, f"collective:{target.treasury}", to_block) | set(target.extra_tokens)


# ---- the ledger -------------------------------------------------------------------------------------
@dataclass
class Row:
    block: int
    time: int
    tx: str
    log_index: int
    direction: str  # in | out | reserve
    counterparty: str
    asset: str
    symbol: str
    amount: int
    amount_text: str
    balance: int
    balance_text: str
    kind: str
    what: str
    proposal_id: int | None = None
    member: str | None = None
    periods: int | None = None
    flagged: bool = False
    reported_balance: int | None = None


@dataclass
class Ledger:
    target: Target
    from_block: int
    to_block: int
    rows: list[Row]
    opening: dict[str, int]
    closing: dict[str, int]
    assets: dict[str, tuple[str, int]]
    flags: list[str] = field(default_factory=list)

    def as_dicts(self) -> list[dict]:
        return [asdict(r) for r in self.rows]


def _asset_meta(rpc: Rpc, asset: str) -> tuple[str, int]:
    if int(asset, 16) == 0:
        return "ETH", 18
    try:
        symbol = abi_decode(["string"], rpc.eth_call(asset, keccak(text="symbol()")[:4]))[0]
    except Exception:
        symbol = asset[:8]
    try:
        decimals = abi_decode(["uint8"], rpc.eth_call(asset, keccak(text="decimals()")[:4]))[0]
    except Exception:
        decimals = 0
    return symbol, decimals


def fmt(amount: int, meta: tuple[str, int]) -> str:
    symbol, decimals = meta
    text = format((Decimal(amount) / (Decimal(10) ** decimals)).normalize(), "f") if decimals else str(amount)
    return f"{text} {symbol}"


def balance_at(rpc: Rpc, asset: str, holder: str, block: int) -> int:
    if int(asset, 16) == 0:
        return rpc.balance(holder, block)
    data = keccak(text="balanceOf(address)")[:4] + bytes.fromhex(_topic_address(holder)[2:])
    return int.from_bytes(rpc.eth_call(asset, data, block), "big")


def _timestamps(rpc: Rpc, cache: Cache, chain_id: int, numbers: set[int]) -> dict[int, int]:
    known = cache.timestamps(chain_id, numbers)
    for number in sorted(numbers - set(known)):
        block = rpc.block(number)
        known[number] = int(block["timestamp"], 16)
        cache.store_block(chain_id, number, block["hash"], known[number])
    return known


def build(
    rpc: Rpc,
    cache: Cache,
    target: Target,
    from_block: int | None = None,
    to_block: int | None = None,
    progress: Progress = Progress(),
) -> Ledger:
    """Scans (using the cache) and returns the ledger of [from_block, to_block]."""
    to_block = scan(rpc, cache, target, to_block, progress)
    start = target.start_block
    from_block = start if from_block is None else max(from_block, start)
    if from_block > to_block:
        raise IwoError(f"--from-block {from_block} is after --to-block {to_block}")
    collective = cache.logs(target.chain_id, f"collective:{target.treasury}", start, to_block)
    tokens = sorted(_tokens_seen(cache, target, to_block))
    transfers = []
    for token in tokens:
        for direction in ("in", "out"):
            for log in cache.logs(target.chain_id, f"{direction}:{token}:{target.treasury}", start, to_block):
                transfers.append((direction, token, log))

    descriptions: dict[int, str] = {}
    entries = []  # (block, log_index, tx, kind, args, asset)
    for log in collective:
        name, args = log["name"], log["args"]
        if log["address"] == target.governor:
            if name == "ProposalCreated":
                descriptions[int(args["proposal_id"])] = args["description"]
            continue
        if name == "DuesTermsChanged":
            continue
        entries.append((log["block"], log["log_index"], log["tx"], name, args, args.get("asset", ETH)))
    # token transfers explained by a treasury event in the same transaction are not counted twice
    explained: dict[tuple, int] = {}
    for _, _, tx, name, args, asset in entries:
        if int(asset, 16) != 0 and name != "BenefitGranted":
            direction = "out" if name in ("Payment", "BenefitClaimed") else "in"
            key = (tx, asset, direction, int(args["amount"]))
            explained[key] = explained.get(key, 0) + 1
    for direction, token, log in transfers:
        amount = log["args"]["amount"]
        key = (log["tx"], token, direction, amount)
        if explained.get(key):
            explained[key] -= 1
            continue
        other = log["args"]["sender" if direction == "in" else "receiver"]
        entries.append(
            (
                log["block"],
                log["log_index"],
                log["tx"],
                "TokenIn" if direction == "in" else "TokenOut",
                {"amount": amount, "other": other},
                token,
            )
        )
    entries.sort(key=lambda e: (e[0], e[1]))

    assets = {ETH: ("ETH", 18)}
    for token in tokens:
        assets[token] = _asset_meta(rpc, token)
    # balances before the window are rebuilt from the (cached) events before it too
    opening = {a: 0 for a in assets}
    running = dict(opening)
    times = _timestamps(rpc, cache, target.chain_id, {e[0] for e in entries if from_block <= e[0] <= to_block})
    rows = []
    for block, log_index, tx, name, args, asset in entries:
        row = _row(name, args, asset, assets[asset], descriptions)
        if row is None:
            continue
        direction, counterparty, amount, what, extra = row
        if direction == "in":
            running[asset] += amount
        elif direction == "out":
            running[asset] -= amount
        if block < from_block:
            opening[asset] = running[asset]
            continue
        rows.append(
            Row(
                block=block,
                time=times[block],
                tx=tx,
                log_index=log_index,
                direction=direction,
                counterparty=counterparty,
                asset=asset,
                symbol=assets[asset][0],
                amount=amount,
                amount_text=fmt(amount, assets[asset]),
                balance=running[asset],
                balance_text=fmt(running[asset], assets[asset]),
                kind=name,
                what=what,
                reported_balance=args.get("balance"),
                flagged=name == "TokenOut",
                **extra,
            )
        )
    return Ledger(target, from_block, to_block, rows, opening, dict(running), assets)


def _row(name, args, asset, meta, descriptions):
    amount = int(args.get("amount", 0))
    if name == "DuesPaid":
        return (
            "in",
            args["payer"],
            amount,
            f"dues, {args['periods']} period(s) for {args['member']}",
            {"member": args["member"], "periods": int(args["periods"])},
        )
    if name == "DonationReceived":
        return ("in", args["donor"], amount, "donation" + (f": {args['memo']}" if args["memo"] else ""), {})
    if name == "EthReceived":
        return ("in", args["sender"], amount, "ETH received without a call (plain transfer)", {})
    if name == "TokenIn":
        return ("in", args["other"], amount, "plain token transfer in (no treasury call)", {})
    if name == "Payment":
        pid = int(args["proposal_id"])
        text = (descriptions.get(pid) or "").splitlines()[0:1]
        return (
            "out",
            args["recipient"],
            amount,
            f"payment by proposal #{pid}" + (f": {text[0]}" if text else ""),
            {"proposal_id": pid},
        )
    if name == "BenefitGranted":
        pid = int(args["proposal_id"])
        return (
            "reserve",
            args["member"],
            amount,
            f"benefit granted by proposal #{pid}, reserved until claimed",
            {"proposal_id": pid, "member": args["member"]},
        )
    if name == "BenefitClaimed":
        return ("out", args["member"], amount, "benefit claimed by the member", {"member": args["member"]})
    if name == "TokenOut":
        return ("out", args["other"], amount, "UNEXPLAINED: tokens left the treasury without a treasury event", {})
    return None


# ---- reconciliation -----------------------------------------------------------------------------------
@dataclass
class AssetAudit:
    asset: str
    symbol: str
    rebuilt: int
    on_chain: int
    difference: int
    ok: bool


@dataclass
class Audit:
    ok: bool
    block: int
    assets: list[AssetAudit]
    flags: list[str]
    samples_checked: int


def audit(rpc: Rpc, ledger: Ledger, samples: int = 5) -> Audit:
    """Rebuilt balances must equal on-chain balances at the last block and at sampled blocks."""
    target = ledger.target
    flags: list[str] = []
    results = []
    for asset, meta in ledger.assets.items():
        rebuilt = ledger.closing[asset]
        on_chain = balance_at(rpc, asset, target.treasury, ledger.to_block)
        difference = on_chain - rebuilt
        results.append(AssetAudit(asset, meta[0], rebuilt, on_chain, difference, difference == 0))
        if difference:
            where = _first_divergence(rpc, ledger, asset)
            how = (
                "arrived without any call or event (forced in: selfdestruct, coinbase reward or a state override)"
                if difference > 0
                else "left without any event"
            )
            flags.append(
                f"{meta[0]}: on-chain balance {fmt(on_chain, meta)} at block {ledger.to_block}, events "
                f"explain {fmt(rebuilt, meta)}; {fmt(abs(difference), meta)} {how}"
                + (f"; first seen at block {where}" if where is not None else "")
            )
    reported_gap: dict[str, int] = {}
    for row in ledger.rows:
        if row.flagged:
            flags.append(f"block {row.block} tx {row.tx}: {row.what} ({row.amount_text} to {row.counterparty})")
        # the treasury reports its balance after each move: a jump the events do not explain
        # shows when something arrived outside them, even on a node without history
        if row.reported_balance is not None:
            gap = row.reported_balance - row.balance
            if gap != reported_gap.get(row.asset, 0):
                meta = ledger.assets[row.asset]
                flags.append(
                    f"{meta[0]}: by block {row.block} the treasury reports "
                    f"{fmt(gap - reported_gap.get(row.asset, 0), meta)} more than its events explain"
                )
                reported_gap[row.asset] = gap
    checked = 0
    if ledger.rows and samples:
        step = max(1, len(ledger.rows) // samples)
        for row in ledger.rows[::step][:samples]:
            try:
                actual = balance_at(rpc, row.asset, target.treasury, row.block)
            except RpcError:
                flags.append("the node keeps no historical state: sampled balances were not checked")
                break
            checked += 1
            expected = _rebuilt_at(ledger, row.asset, row.block)
            if actual != expected:
                meta = ledger.assets[row.asset]
                flags.append(
                    f"{meta[0]}: at block {row.block} the chain holds {fmt(actual, meta)}, events explain "
                    f"{fmt(expected, meta)}"
                )
    flags = list(dict.fromkeys(flags))
    return Audit(ok=not flags, block=ledger.to_block, assets=results, flags=flags, samples_checked=checked)


def _rebuilt_at(ledger: Ledger, asset: str, block: int) -> int:
    value = ledger.opening[asset]
    for row in ledger.rows:
        if row.block > block:
            break
        if row.asset == asset:
            value = row.balance
    return value


def _first_divergence(rpc: Rpc, ledger: Ledger, asset: str) -> int | None:
    """Binary search for the first block where chain and events disagree (needs history)."""
    low, high = ledger.from_block, ledger.to_block
    try:
        if balance_at(rpc, asset, ledger.target.treasury, low) != _rebuilt_at(ledger, asset, low):
            return low
        while low < high:
            mid = (low + high) // 2
            if balance_at(rpc, asset, ledger.target.treasury, mid) != _rebuilt_at(ledger, asset, mid):
                high = mid
            else:
                low = mid + 1
    except RpcError:
        return None
    return low


# ---- exports -------------------------------------------------------------------------------------------
CSV_FIELDS = (
    "block",
    "time",
    "tx",
    "direction",
    "counterparty",
    "asset",
    "symbol",
    "amount",
    "amount_text",
    "balance",
    "balance_text",
    "kind",
    "what",
    "proposal_id",
    "member",
    "periods",
    "flagged",
)


def to_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(asdict(row))
    return out.getvalue()


def series(ledger: Ledger) -> dict[str, dict]:
    """Per asset: times, running balances, inflows and outflows (what the chart draws)."""
    out = {}
    symbols = [m[0] for m in ledger.assets.values()]
    for asset, meta in ledger.assets.items():
        rows = [r for r in ledger.rows if r.asset == asset and r.direction != "reserve"]
        if not rows:
            continue
        scale = 10 ** meta[1]
        # two tokens may share a symbol: then the label also names the address
        label = meta[0] if symbols.count(meta[0]) == 1 else f"{meta[0]} ({asset[:10]})"
        out[label] = {
            "asset": asset,
            "time": [r.time for r in rows],
            "balance": [r.balance / scale for r in rows],
            "inflow": [r.amount / scale if r.direction == "in" else 0 for r in rows],
            "outflow": [r.amount / scale if r.direction == "out" else 0 for r in rows],
        }
    return out


def plot(ledger: Ledger, path: str | Path) -> dict:
    """Draws balance per asset over time with inflow/outflow bars into a PNG; the plotted
    series are also stored in the PNG's text metadata (key 'iwo-series') for checking."""
    import matplotlib

    matplotlib.use("Agg")
    from datetime import datetime

    import matplotlib.pyplot as plt

    data = series(ledger)
    if not data:
        raise IwoError("nothing to plot: the ledger has no movements")
    fig, axes = plt.subplots(len(data), 1, figsize=(10, 3.6 * len(data)), squeeze=False)
    for ax, (symbol, s) in zip(axes[:, 0], data.items()):
        times = [datetime.fromtimestamp(t, UTC) for t in s["time"]]
        span_days = max((s["time"][-1] - s["time"][0]) / 86400, 1 / 24)
        width = span_days / max(60, 3 * len(times))  # bars stay thin whatever the time scale
        ax.bar(times, s["inflow"], width=width, color="#2a9d8f", label="inflow")
        ax.bar(times, [-v for v in s["outflow"]], width=width, color="#e76f51", label="outflow")
        ax.step(times, s["balance"], where="post", color="#264653", linewidth=2, label="balance")
        ax.axhline(0, color="#999", linewidth=0.5)
        ax.set_ylabel(symbol)
        ax.set_title(f"treasury {ledger.target.treasury[:10]}… — {symbol}")
        ax.legend(loc="upper left")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"iwo-series": json.dumps(data)})
    plt.close(fig)
    return data
