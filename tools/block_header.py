"""RLP block headers for tests and the bench: the CLI's encoder (`iwo.block_header`, the one
definition) and a synthetic header for in-process EVMs.

    header = encode(block)            # block: the JSON of eth_getBlockByNumber(n, false)
    header = synthetic(number, mix)   # a well-formed header for tests (titanoboa has no real ones)
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from iwo.block_header import FIELDS, encode  # noqa: E402

__all__ = ["FIELDS", "encode", "synthetic"]


def synthetic(number: int, mix_hash: bytes, *, timestamp: int = 1_700_000_000, extra: bytes = b"") -> bytes:
    """A Cancun-shaped header of block `number` with the given mixHash (for in-process EVM tests)."""
    zero32 = b"\x00" * 32
    return encode(
        {
            "parentHash": number.to_bytes(32, "big"),
            "sha3Uncles": zero32,
            "miner": b"\x00" * 20,
            "stateRoot": zero32,
            "transactionsRoot": zero32,
            "receiptsRoot": zero32,
            "logsBloom": b"\x00" * 256,
            "difficulty": 0,
            "number": number,
            "gasLimit": 30_000_000,
            "gasUsed": 0,
            "timestamp": timestamp,
            "extraData": extra,
            "mixHash": mix_hash,
            "nonce": b"\x00" * 8,
            "baseFeePerGas": 10**9,
            "withdrawalsRoot": zero32,
            "blobGasUsed": 0,
            "excessBlobGas": 0,
            "parentBeaconBlockRoot": zero32,
        }
    )
