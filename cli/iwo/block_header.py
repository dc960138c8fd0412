"""RLP block headers, as `IwoEscrow.draw_panel` takes them (its keccak256 must equal the block hash).

    header = encode(block)         # block: the JSON of eth_getBlockByNumber(n, false)
    header = fetch(rpc, number)    # the same, read from a node and checked against the block hash

The escrow reads the header's mixHash (the block's prevrandao) to seed a panel draw. Fields are
encoded in the order of the Ethereum yellow paper and its fork additions; a field absent from the
JSON (an older fork) ends the list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import IwoError

if TYPE_CHECKING:
    from .rpc import Rpc

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
    import rlp

    items = []
    for name, kind in FIELDS:
        if name not in block or block[name] is None:
            break
        items.append(_bytes(block[name]) if kind == "b" else _int(block[name]))
    return rlp.encode(items)


def fetch(rpc: Rpc, number: int) -> bytes:
    """The RLP header of block `number` from the node, checked against its block hash (a chain
    whose header carries fields this module does not know would not hash right)."""
    from eth_utils import keccak

    block = rpc.block(number)
    header = encode(block)
    if "0x" + keccak(header).hex() != block["hash"]:
        raise IwoError(
            f"cannot rebuild the header of block {number} from this node's answer (its hash differs): "
            "the chain's header format is not one iwo knows"
        )
    return header
