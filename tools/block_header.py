"""RLP block headers, as `IwoEscrow.draw_panel` takes them (its keccak256 must equal the block hash).

    header = encode(block)            # block: the JSON of eth_getBlockByNumber(n, false)
    header = synthetic(number, mix)   # a well-formed header for tests (titanoboa has no real ones)

The escrow reads the header's mixHash (the block's prevrandao) to seed a panel draw. Fields are
encoded in the order of the Ethereum yellow paper and its fork additions; a field absent from the
JSON (an older fork) ends the list.
"""

from __future__ import annotations

import rlp

# (JSON name, kind): "b" bytes as they are, "i" an integer (minimal big-endian bytes)
FIELDS = (
    ("parentHash", "b"),
    ("sha3Uncles", "b"),
    ("miner", "b"),
    ("stateRoot", "b"),
    ("transactionsRoot", "b"),
    ("receiptsRoot", "b"),
    ("logsBloom", "b"),
    ("difficulty", "i"),
    ("number", "i"),
    ("gasLimit", "i"),
    ("gasUsed", "i"),
    ("timestamp", "i"),
    ("extraData", "b"),
    ("mixHash", "b"),
    ("nonce", "b"),
    ("baseFeePerGas", "i"),  # London
    ("withdrawalsRoot", "b"),  # Shanghai
    ("blobGasUsed", "i"),  # Cancun
    ("excessBlobGas", "i"),
    ("parentBeaconBlockRoot", "b"),
    ("requestsHash", "b"),  # Prague
)


def _bytes(value) -> bytes:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    return bytes.fromhex(str(value).removeprefix("0x"))


def _int(value) -> bytes:
    n = value if isinstance(value, int) else int(str(value), 16)
    return n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""


def encode(block: dict) -> bytes:
    """The RLP header of a block given as JSON-RPC returns it (hex strings) or with ints/bytes."""
    items = []
    for name, kind in FIELDS:
        if name not in block or block[name] is None:
            break
        items.append(_bytes(block[name]) if kind == "b" else _int(block[name]))
    return rlp.encode(items)


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
