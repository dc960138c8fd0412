"""The one event store every reader shares: proposals, members, votes, the ledger, the page.

Logs are fetched with paginated `eth_getLogs` (ranges a node refuses are halved, see
`Rpc.get_logs`), decoded once, and kept in SQLite (`<data folder>/logs.sqlite`) per chain
and per *source* (a named set of addresses and topics). Each source remembers how far it
was scanned, so the next `sync` reads only new blocks; an interrupted scan resumes where
it stopped (every stored range is one transaction); a reorg near the head rolls the
store back to the newest block whose hash the chain still has.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .contracts import checksum
from .rpc import Rpc, RpcError

SCHEMA_VERSION = 5  # 4: indexed bytes32 arguments are hex, not numbers; 5: a scan mark per address
FILE = "logs.sqlite"

Decoder = Callable[[dict], "tuple[str, dict] | None"]  # raw log -> (event name, args), None to skip


@dataclass
class Progress:
    """Reports scanned blocks; the CLI draws a bar on stderr from it."""

    callback: Callable[[str, int, int], None] | None = None

    def __call__(self, source: str, done: int, total: int):
        if self.callback:
            self.callback(source, done, total)


class LogStore:
    """SQLite store of decoded logs, block hashes/times and how far each source was scanned."""

    def __init__(self, path: Path | str):
        self.path = str(path)
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
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
                log_index INTEGER, address TEXT, name TEXT, args TEXT, key INTEGER,
                PRIMARY KEY(chain_id, source, tx_hash, log_index));
            CREATE INDEX IF NOT EXISTS logs_by_block ON logs(chain_id, source, block_number);
            CREATE INDEX IF NOT EXISTS logs_by_name ON logs(chain_id, source, name, key);
            CREATE TABLE IF NOT EXISTS blocks(chain_id INTEGER, number INTEGER, hash TEXT, timestamp INTEGER,
                PRIMARY KEY(chain_id, number));
            CREATE TABLE IF NOT EXISTS scans(chain_id INTEGER, source TEXT, address TEXT, start_block INTEGER,
                scanned_to INTEGER, PRIMARY KEY(chain_id, source, address));
        """)
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES('schema', ?)", (str(SCHEMA_VERSION),))

    def close(self):
        self.db.close()

    # ---- scan marks and anchors ----------------------------------------------------------------
    def scanned_to(self, chain_id: int, source: str) -> int | None:
        """How far every address of the source was scanned (None before its first scan)."""
        row = self.db.execute(
            "SELECT MIN(scanned_to) FROM scans WHERE chain_id=? AND source=?", (chain_id, source)
        ).fetchone()
        return None if row is None else row[0]

    def marks(self, chain_id: int, source: str) -> dict[str, int]:
        """Each scanned address of a source and how far it was scanned: an address added to a
        source later (a collective's escrow the auditor did not know of) is scanned from the
        source's start on its own, never assumed scanned with the others."""
        return dict(
            self.db.execute("SELECT address, scanned_to FROM scans WHERE chain_id=? AND source=?", (chain_id, source))
        )

    def block_hash(self, chain_id: int, number: int) -> str | None:
        row = self.db.execute("SELECT hash FROM blocks WHERE chain_id=? AND number=?", (chain_id, number)).fetchone()
        return None if row is None else row[0]

    def anchored_blocks(self, chain_id: int) -> list[tuple[int, str]]:
        return self.db.execute(
            "SELECT number, hash FROM blocks WHERE chain_id=? AND hash IS NOT NULL ORDER BY number DESC", (chain_id,)
        ).fetchall()

    def rollback(self, chain_id: int, keep_to: int):
        """Forgets everything after block `keep_to` (a reorg replaced it)."""
        with self.db:
            self.db.execute("DELETE FROM logs WHERE chain_id=? AND block_number>?", (chain_id, keep_to))
            self.db.execute("DELETE FROM blocks WHERE chain_id=? AND number>?", (chain_id, keep_to))
            self.db.execute(
                "UPDATE scans SET scanned_to=? WHERE chain_id=? AND scanned_to>?", (keep_to, chain_id, keep_to)
            )

    def forget_chain(self, chain_id: int):
        """Drops everything of a chain whose state is gone (a local node started afresh)."""
        with self.db:
            for table in ("logs", "blocks", "scans"):
                self.db.execute(f"DELETE FROM {table} WHERE chain_id=?", (chain_id,))

    def store_range(
        self,
        chain_id: int,
        source: str,
        start: int,
        to_block: int,
        to_hash: str,
        logs: list[tuple[dict, str, dict]],
        addresses: list[str],
    ):
        """Atomically stores a scanned range's decoded logs and moves the marks of the source's
        `addresses` (those the range was fetched for) to `to_block`."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO logs VALUES(?,?,?,?,?,?,?,?,?,?)",
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
                        _key(args),
                    )
                    for log, name, args in logs
                ],
            )
            self.db.execute(
                "INSERT OR REPLACE INTO blocks(chain_id, number, hash, timestamp) VALUES(?,?,?,"
                "(SELECT timestamp FROM blocks WHERE chain_id=? AND number=?))",
                (chain_id, to_block, to_hash, chain_id, to_block),
            )
            self.db.executemany(
                "INSERT INTO scans VALUES(?,?,?,?,?) ON CONFLICT(chain_id, source, address) DO UPDATE "
                "SET scanned_to=excluded.scanned_to",
                [(chain_id, source, checksum(a), start, to_block) for a in addresses],
            )

    # ---- reading ---------------------------------------------------------------------------------
    def logs(
        self, chain_id: int, source: str, start: int = 0, end: int | None = None, names: tuple[str, ...] = ()
    ) -> list[dict]:
        """Stored logs of a source in chain order, optionally only some event names."""
        sql = "SELECT block_number, tx_hash, log_index, address, name, args FROM logs WHERE chain_id=? AND source=?"
        params: list = [chain_id, source]
        if start:
            sql += " AND block_number>=?"
            params.append(start)
        if end is not None:
            sql += " AND block_number<=?"
            params.append(end)
        if names:
            sql += f" AND name IN ({','.join('?' * len(names))})"
            params.extend(names)
        rows = self.db.execute(sql + " ORDER BY block_number, log_index", params).fetchall()
        return [_row(r) for r in rows]

    def by_key(self, chain_id: int, source: str, name: str, key: int) -> list[dict]:
        """Logs of one event whose id (proposal_id, job_id, claim_id ...) is `key`, by index."""
        rows = self.db.execute(
            "SELECT block_number, tx_hash, log_index, address, name, args FROM logs "
            "WHERE chain_id=? AND source=? AND name=? AND key=? ORDER BY block_number, log_index",
            (chain_id, source, name, key),
        ).fetchall()
        return [_row(r) for r in rows]

    def count(self, chain_id: int, source: str, name: str) -> int:
        return self.db.execute(
            "SELECT COUNT(*) FROM logs WHERE chain_id=? AND source=? AND name=?", (chain_id, source, name)
        ).fetchone()[0]

    def assets(self, chain_id: int, source: str, end: int) -> set[str]:
        """Every token named in a source's events (decoded JSON, queried in SQLite)."""
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


_KEYS = ("proposal_id", "job_id", "claim_id", "dispute_id")


def _key(args: dict) -> int | None:
    """The id an event is about, indexed for `by_key` (first of proposal/job/claim/dispute id)."""
    for name in _KEYS:
        value = args.get(name)
        if isinstance(value, int) and value < 2**63:
            return value
    return None


def _row(r) -> dict:
    return {"block": r[0], "tx": r[1], "log_index": r[2], "address": r[3], "name": r[4], "args": json.loads(r[5])}


# ---- keeping a source up to date ----------------------------------------------------------------
def check_reorg(rpc: Rpc, store: LogStore, chain_id: int, newest: dict | None = None) -> None:
    """Rolls the store back to the newest anchored block whose hash the chain still has.

    `newest`, if given, is the chain's block at the newest anchor's height (fetched by the
    caller in a batch), which saves a request on the usual path (no reorg)."""
    anchored = store.anchored_blocks(chain_id)
    if not anchored:
        return
    number, stored = anchored[0]
    if newest is not None and int(newest["number"], 16) == number:
        current = newest["hash"]
    else:
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
    store.rollback(chain_id, keep)


def sync(
    rpc: Rpc,
    store: LogStore,
    chain_id: int,
    source: str,
    addresses: list[str],
    topics: list,
    start_block: int,
    decode: Decoder,
    to_block: int,
    progress: Progress | None = None,
    chunk: int = 5_000,
    to_hash: str | None = None,
) -> None:
    """Brings `source` up to `to_block`: fetches, for each address, only the blocks after its mark
    (from `start_block` for an address never scanned); addresses sharing a mark are fetched together,
    the least advanced first, so they all end at `to_block`.

    `to_hash`, the hash of `to_block` when the caller already has it, saves a request."""
    marks = store.marks(chain_id, source)
    groups: dict[int, list[str]] = {}
    for address in addresses:
        mark = marks.get(checksum(address))
        start = start_block if mark is None else max(mark + 1, start_block)
        if start <= to_block:
            groups.setdefault(start, []).append(address)
    for start in sorted(groups):
        _fetch(
            rpc,
            store,
            chain_id,
            source,
            groups[start],
            topics,
            start,
            start_block,
            decode,
            to_block,
            progress,
            chunk,
            to_hash,
        )


def _fetch(
    rpc, store, chain_id, source, addresses, topics, start, start_block, decode, to_block, progress, chunk, to_hash
):
    """One group of `sync`: the addresses' logs from `start` to `to_block`, stored range by range."""
    total = to_block - start + 1

    def keep(a, b, logs):
        block_hash = to_hash if (b == to_block and to_hash) else rpc.block(b)["hash"]
        decoded = []
        for log in logs:
            if log.get("removed"):
                continue
            found = decode(log)
            if found is not None:
                decoded.append((log, *found))
        store.store_range(chain_id, source, start_block, b, block_hash, decoded, addresses)
        if progress:
            progress(source, b - start + 1, total)

    rpc.get_logs(addresses, topics, start, to_block, keep, chunk=chunk)
