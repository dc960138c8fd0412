"""In-flight transactions, so that re-running a command after a crash is safe.

Before a signed transaction is broadcast, its hash is written here under a key
made of the chain, the sender and the exact call (target, data, value). Once
its receipt is in, the entry is removed. If the node (or the command) dies in
between, the entry stays; re-running the same command finds it and, instead of
sending the call a second time, reports the earlier transaction if it was
mined, or sends anew if it never made it into the chain.
"""

from __future__ import annotations

import hashlib
import time

from . import home

FILE = "pending.json"
MAX_AGE = 24 * 3600  # older entries are forgotten


def key(chain_id: int, sender: str, target: str, data: bytes, value: int) -> str:
    digest = hashlib.sha256(f"{chain_id}|{sender.lower()}|{target.lower()}|{value}|".encode() + bytes(data))
    return digest.hexdigest()


def pending(k: str) -> dict | None:
    entries = home.read_json(FILE)
    entry = entries.get(k)
    if entry and time.time() - entry.get("time", 0) > MAX_AGE:
        forget(k)
        return None
    return entry


def remember(k: str, tx_hash: str, what: str) -> None:
    entries = home.read_json(FILE)
    entries[k] = {"tx": tx_hash, "time": int(time.time()), "what": what}
    home.write_json(FILE, entries)


def forget(k: str) -> None:
    entries = home.read_json(FILE)
    if entries.pop(k, None) is not None:
        home.write_json(FILE, entries)
