"""Our contracts from the shipped artifacts: ABI encoding and decoding with eth-abi, no Ape.

    gov = Contract.of("IwoGovernor", address)
    data = gov.encode("propose", actions, description)       # calldata
    view = gov.decode("proposal", raw)                        # a struct -> a Record (fields by name)
    name, args = decode_log("IwoGovernor", log)               # an eth_getLogs entry -> event name, args

`Record` is a dict whose fields also read as attributes (`view.vote_end`). Addresses
decode checksummed. Artifacts are exported by `make compile` into `iwo/artifacts/`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .errors import IwoError

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ETH = "0x0000000000000000000000000000000000000000"

# The ERC-20 functions iwo reads or calls on a token.
ERC20_ABI = [
    {"type": "function", "name": "decimals", "stateMutability": "view", "inputs": [], "outputs": [{"type": "uint8"}]},
    {"type": "function", "name": "symbol", "stateMutability": "view", "inputs": [], "outputs": [{"type": "string"}]},
    {
        "type": "function",
        "name": "balanceOf",
        "stateMutability": "view",
        "inputs": [{"name": "owner", "type": "address"}],
        "outputs": [{"type": "uint256"}],
    },
    {
        "type": "function",
        "name": "allowance",
        "stateMutability": "view",
        "inputs": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"}],
        "outputs": [{"type": "uint256"}],
    },
    {
        "type": "function",
        "name": "approve",
        "stateMutability": "nonpayable",
        "inputs": [{"name": "spender", "type": "address"}, {"name": "amount", "type": "uint256"}],
        "outputs": [{"type": "bool"}],
    },
    {
        "type": "event",
        "name": "Transfer",
        "anonymous": False,
        "inputs": [
            {"name": "sender", "type": "address", "indexed": True},
            {"name": "receiver", "type": "address", "indexed": True},
            {"name": "amount", "type": "uint256", "indexed": False},
        ],
    },
]


class Record(dict):
    """A decoded struct or event: a dict whose keys also read as attributes."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@lru_cache(maxsize=65536)
def checksum(raw: bytes | str) -> str:
    """EIP-55 checksummed address from 20 raw bytes or hex (cached: the same few addresses recur)."""
    from eth_utils import to_checksum_address

    return to_checksum_address(raw)


def parse_address(text: str, what: str = "address") -> str:
    """Validates an address typed by a user: all-lower/upper hex, or a correct EIP-55 checksum."""
    from eth_utils import is_checksum_address, is_hex_address

    value = str(text).strip()
    if not value.isascii() or not is_hex_address(value) or not value.startswith("0x"):
        raise IwoError(f"not an address: {text!r} ({what})")
    body = value[2:]
    if body != body.lower() and body != body.upper() and not is_checksum_address(value):
        raise IwoError(f"bad checksum in address {text!r} ({what}); check for a typo")
    return checksum(value)


def is_eth(asset: str) -> bool:
    return int(asset, 16) == 0


def _type(entry: dict) -> str:
    t = entry["type"]
    if t.startswith("tuple"):
        return "(" + ",".join(_type(c) for c in entry["components"]) + ")" + t[len("tuple") :]
    return t


def _plain(entry: dict, value):
    """A decoded ABI value in plain Python: checksummed addresses, Records for structs, hex bytes in logs."""
    t = entry["type"]
    if t.endswith("]"):
        inner = dict(entry, type=t[: t.rindex("[")])
        return [_plain(inner, v) for v in value]
    if t == "tuple":
        return Record((c["name"], _plain(c, v)) for c, v in zip(entry["components"], value))
    if t == "address":
        return checksum(value)
    return value


def _prepare(entry: dict, value):
    """A Python value (Record/dict/tuple for structs) in the shape eth-abi encodes."""
    t = entry["type"]
    if t.endswith("]"):
        inner = dict(entry, type=t[: t.rindex("[")])
        return [_prepare(inner, v) for v in value]
    if t == "tuple":
        if isinstance(value, dict):
            return tuple(_prepare(c, value[c["name"]]) for c in entry["components"])
        return tuple(_prepare(c, v) for c, v in zip(entry["components"], value))
    return value


@dataclass(frozen=True)
class Function:
    name: str
    inputs: tuple
    outputs: tuple
    mutability: str

    @property
    def signature(self) -> str:
        return f"{self.name}({','.join(_type(i) for i in self.inputs)})"

    @property
    def selector(self) -> bytes:
        return selector(self.signature)

    def encode(self, *args) -> bytes:
        from eth_abi import encode

        if len(args) != len(self.inputs):
            raise TypeError(f"{self.signature} takes {len(self.inputs)} arguments, {len(args)} given")
        values = [_prepare(i, a) for i, a in zip(self.inputs, args)]
        return self.selector + encode([_type(i) for i in self.inputs], values)

    def decode(self, data: bytes):
        """The return value: one output unwrapped, several as a tuple, a struct as a Record."""
        from eth_abi import decode

        if not self.outputs:
            return None
        values = decode([_type(o) for o in self.outputs], bytes(data))
        plain = [_plain(o, v) for o, v in zip(self.outputs, values)]
        return plain[0] if len(plain) == 1 else tuple(plain)

    def decode_input(self, data: bytes) -> list:
        from eth_abi import decode

        values = decode([_type(i) for i in self.inputs], bytes(data)[4:])
        return [_plain(i, v) for i, v in zip(self.inputs, values)]


@cache
def selector(signature: str) -> bytes:
    """The 4-byte function selector of a signature like 'transfer(address,uint256)'."""
    from eth_utils import keccak

    return keccak(text=signature)[:4]


@cache
def abi(name: str) -> list[dict]:
    """The ABI of one of our contracts (or 'ERC20')."""
    if name == "ERC20":
        return ERC20_ABI
    path = ARTIFACTS / f"{name}.json"
    if not path.exists():
        raise IwoError(f"contract artifacts missing ({path}); reinstall iwo or run `make compile`")
    return json.loads(path.read_text())["abi"]


@cache
def bytecode(name: str) -> bytes:
    """Deployment bytecode of one of our contracts."""
    data = json.loads((ARTIFACTS / f"{name}.json").read_text())
    code = data["deploymentBytecode"]["bytecode"]
    return bytes.fromhex(code[2:])


@cache
def functions(name: str) -> dict[str, list[Function]]:
    out: dict[str, list[Function]] = {}
    for entry in abi(name):
        if entry["type"] == "function":
            fn = Function(entry["name"], tuple(entry["inputs"]), tuple(entry["outputs"]), entry["stateMutability"])
            out.setdefault(fn.name, []).append(fn)
    return out


@cache
def constructor(name: str) -> Function:
    for entry in abi(name):
        if entry["type"] == "constructor":
            return Function("constructor", tuple(entry["inputs"]), (), entry.get("stateMutability", "nonpayable"))
    return Function("constructor", (), (), "nonpayable")


def function(contract: str, name: str, nargs: int | None = None) -> Function:
    """A function of `contract` by name (and by argument count when a default argument
    gives it two ABI entries)."""
    found = functions(contract).get(name)
    if not found:
        raise KeyError(f"{contract} has no function {name}")
    if nargs is not None:
        for fn in found:
            if len(fn.inputs) == nargs:
                return fn
        raise KeyError(f"{contract}.{name} takes no {nargs} arguments")
    return max(found, key=lambda f: len(f.inputs))


@cache
def _events(contract: str) -> dict[str, dict]:
    from eth_utils import keccak

    out = {}
    for entry in abi(contract):
        if entry["type"] == "event":
            signature = f"{entry['name']}({','.join(_type(i) for i in entry['inputs'])})"
            out["0x" + keccak(text=signature).hex()] = entry
    return out


def topic(contract: str, name: str) -> str:
    """topic0 of an event."""
    for t, entry in _events(contract).items():
        if entry["name"] == name:
            return t
    raise KeyError(f"{contract} has no event {name}")


def event_names(contract: str) -> list[str]:
    return [e["name"] for e in _events(contract).values()]


def knows_log(contract: str, log: dict) -> bool:
    return bool(log.get("topics")) and log["topics"][0] in _events(contract)


def decode_log(contract: str, log: dict) -> tuple[str, Record]:
    """(event name, args) of an eth_getLogs/receipt log emitted by `contract`."""
    from eth_abi import decode

    entry = _events(contract)[log["topics"][0]]
    topics = iter(log["topics"][1:])
    plain = [i for i in entry["inputs"] if not i["indexed"]]
    data = bytes.fromhex(log["data"][2:])
    values = dict(zip((i["name"] for i in plain), decode([_type(i) for i in plain], data))) if plain else {}
    args = Record()
    for i in entry["inputs"]:
        if i["indexed"]:
            args[i["name"]] = _topic_value(i["type"], bytes.fromhex(next(topics)[2:]))
        else:
            args[i["name"]] = _jsonable(_plain(i, values[i["name"]]))
    return entry["name"], args


def _topic_value(abi_type: str, raw: bytes):
    """An indexed event argument from its 32-byte topic (dynamic types are hashes: hex)."""
    if abi_type == "address":
        return checksum(raw[-20:])
    if abi_type == "bool":
        return raw[-1] == 1
    if abi_type.startswith("uint"):
        return int.from_bytes(raw, "big")
    if abi_type.startswith("int"):
        return int.from_bytes(raw, "big", signed=True)
    return "0x" + raw.hex()  # bytesN, and the hash of a string, bytes or array


def _jsonable(value):
    """Bytes as 0x-hex (logs are cached as JSON)."""
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, Record):
        return Record((k, _jsonable(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def topic_address(address: str) -> str:
    """An address as a 32-byte log topic."""
    return "0x" + "0" * 24 + address[2:].lower()


def revert_reason(data) -> str | None:
    """The reason string of `Error(string)` revert data, or a named panic; None if neither."""
    if isinstance(data, dict):  # some nodes nest it: {"data": "0x..."}
        data = data.get("data")
    if not isinstance(data, str) or not data.startswith("0x"):
        return None
    raw = bytes.fromhex(data[2:]) if len(data) % 2 == 0 else b""
    from eth_abi import decode

    try:
        if raw[:4] == bytes.fromhex("08c379a0"):
            return decode(["string"], raw[4:])[0]
        if raw[:4] == bytes.fromhex("4e487b71"):
            code = decode(["uint256"], raw[4:])[0]
            return {0x01: "assertion failed", 0x11: "arithmetic overflow", 0x12: "division by zero"}.get(
                code, f"panic 0x{code:02x}"
            )
    except Exception:
        return None
    return None


@dataclass(frozen=True)
class Contract:
    """One of our contracts (by artifact name) at an address."""

    name: str
    address: str

    def fn(self, method: str, nargs: int | None = None) -> Function:
        return function(self.name, method, nargs)

    def encode(self, method: str, *args) -> bytes:
        return self.fn(method, len(args)).encode(*args)

    def decode(self, method: str, data: bytes, nargs: int | None = None):
        return self.fn(method, nargs).decode(data)

    def topic(self, event: str) -> str:
        return topic(self.name, event)

    def decode_input(self, data: bytes) -> tuple[str, list] | None:
        """(method name, arguments) when `data` calls a function of this contract, else None."""
        if len(data) < 4:
            return None
        for fns in functions(self.name).values():
            for fn in fns:
                if fn.selector == bytes(data[:4]):
                    try:
                        return fn.name, fn.decode_input(data)
                    except Exception:
                        return None
        return None
