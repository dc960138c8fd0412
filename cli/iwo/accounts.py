"""Who signs: the local node's test accounts, Ape's keyfile accounts by alias, or any
keystore file. Keys are read with eth-account; a keystore is decrypted only when
something must be signed, and never taken from the command line.

- ``test0`` … ``test9``: the accounts of the local node (anvil's well-known test mnemonic),
  only on the local node;
- an Ape alias: ``$APE_DATA_FOLDER/accounts/<alias>.json`` (default ``~/.ape``), passphrase
  from ``APE_ACCOUNTS_<alias>_PASSPHRASE`` or a hidden prompt;
- ``--keyfile PATH``: any encrypted JSON keystore, passphrase from ``IWO_KEYFILE_PASSPHRASE``
  or a hidden prompt.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .contracts import parse_address
from .errors import IwoError

TEST_MNEMONIC = "test test test test test test test test test test test junk"
# The first ten addresses of TEST_MNEMONIC (m/44'/60'/0'/0/i), as anvil creates them; a test
# derives them again. Kept here so naming `test3` as an address needs no key derivation.
TEST_ADDRESSES = (
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
    "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
    "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
    "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
    "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
)
KEYFILE_PASSPHRASE_ENV = "IWO_KEYFILE_PASSPHRASE"
_TEST_NAME = re.compile(r"test(\d+)", re.ASCII)
_ALIAS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", re.ASCII)

Passphrase = Callable[[str, str], str]  # (label, environment variable) -> passphrase


def ape_accounts_folder() -> Path:
    return Path(os.environ.get("APE_DATA_FOLDER") or Path.home() / ".ape") / "accounts"


def passphrase_env(alias: str) -> str:
    """Ape's environment variable for an alias's passphrase."""
    return f"APE_ACCOUNTS_{alias}_PASSPHRASE"


def test_index(name: str) -> int | None:
    """N for 'testN' (0..9), None for anything else; an out-of-range N is an error."""
    match = _TEST_NAME.fullmatch(str(name).strip())
    if not match:
        return None
    index = int(match.group(1))
    if index >= len(TEST_ADDRESSES):
        raise IwoError(f"no test account {name} (test0 to test{len(TEST_ADDRESSES) - 1})")
    return index


def _read_keystore(path: Path, label: str) -> dict:
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise IwoError(f"no keystore file at {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IwoError(f"cannot read keystore {path}: {exc}") from None
    except ValueError:
        raise IwoError(f"{label}: {path} is not a JSON keystore") from None
    if not isinstance(data, dict) or not isinstance(data.get("crypto") or data.get("Crypto"), dict):
        raise IwoError(f"{label}: {path} is not an encrypted JSON keystore")
    if not isinstance(data.get("address"), str):
        raise IwoError(f"{label}: {path} does not record its address")
    return data


def ape_alias_path(alias: str) -> Path | None:
    """The keyfile of Ape alias `alias`, if there is one."""
    if not _ALIAS.fullmatch(alias):
        return None
    path = ape_accounts_folder() / f"{alias}.json"
    return path if path.is_file() else None


def known_address(name: str, is_local: bool) -> str | None:
    """The address a name stands for without decrypting anything: testN (local node only) or an
    Ape alias. None when `name` is neither."""
    index = test_index(name)
    if index is not None:
        if not is_local:
            raise IwoError(f"{name} names a test account; those exist only on the local node")
        return TEST_ADDRESSES[index]
    path = ape_alias_path(str(name).strip())
    if path is not None:
        raw = _read_keystore(path, f"account {name!r}")["address"]
        return parse_address(raw if raw.startswith("0x") else "0x" + raw, f"account {name}")
    return None


def resolve_address(text: str, what: str, is_local: bool) -> str:
    """An address typed by a user, or the name of a known account (testN, an Ape alias)."""
    value = str(text).strip()
    if value.startswith("0x"):
        return parse_address(value, what)
    found = known_address(value, is_local)
    if found is None:
        raise IwoError(f"not an address or known account: {text!r} ({what})")
    return found


@dataclass
class Signer:
    """An account that can sign transactions and EIP-712 messages; its key is loaded on first use."""

    address: str
    label: str
    _load: Callable[[], bytes] = field(repr=False)
    _key: bytes | None = field(default=None, repr=False)

    def key(self) -> bytes:
        if self._key is None:
            self._key = self._load()
        return self._key

    def unlock(self) -> None:
        """Decrypts now (so a wrong passphrase is reported before anything else happens)."""
        self.key()

    def sign_transaction(self, tx: dict) -> tuple[bytes, str]:
        """(raw signed transaction, its hash)."""
        from eth_account import Account

        signed = Account.sign_transaction(tx, self.key())
        raw = bytes(signed.raw_transaction)
        return raw, "0x" + bytes(signed.hash).hex()

    def sign_typed_data(self, full_message: dict) -> bytes:
        """65-byte r|s|v signature of EIP-712 typed data (as eth_signTypedData_v4 gives)."""
        from eth_account import Account
        from eth_account.messages import encode_typed_data

        signed = Account.sign_message(encode_typed_data(full_message=full_message), self.key())
        return bytes(signed.signature)


def _test_key(index: int) -> bytes:
    from eth_account import Account

    Account.enable_unaudited_hdwallet_features()
    account = Account.from_mnemonic(TEST_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
    return bytes(account.key)


def _decrypt(data: dict, path: Path, label: str, env: str, passphrase: Passphrase | None) -> bytes:
    from eth_account import Account

    secret = os.environ.get(env)
    if secret is None:
        if passphrase is None:
            raise IwoError(f"{label} is locked and there is no terminal to ask: set {env}")
        secret = passphrase(label, env)
    try:
        return bytes(Account.decrypt(data, secret))
    except ValueError as exc:
        if "mac" in str(exc).lower() or "password" in str(exc).lower():
            raise IwoError(f"wrong passphrase for {label}") from None
        raise IwoError(f"{label}: cannot decrypt {path} ({exc})") from None
    except Exception as exc:  # unknown cipher or KDF, broken fields
        raise IwoError(f"{label}: cannot decrypt {path} ({type(exc).__name__})") from None


def signer(
    name: str | None,
    keyfile: str | None,
    is_local: bool,
    passphrase: Passphrase | None = None,
) -> Signer | None:
    """The signer for `--account NAME` or `--keyfile PATH` (default on the local node: test0).

    Nothing is decrypted here; a keystore's passphrase is asked for when it first signs."""
    if name and keyfile:
        raise IwoError("give either --account or --keyfile, not both")
    if keyfile:
        path = Path(keyfile).expanduser()
        data = _read_keystore(path, f"keyfile {path}")
        raw = data["address"]
        address = parse_address(raw if raw.startswith("0x") else "0x" + raw, f"keyfile {path}")
        label = f"keyfile {path.name}"
        return Signer(address, label, lambda: _decrypt(data, path, label, KEYFILE_PASSPHRASE_ENV, passphrase))
    if name is None:
        if not is_local:
            return None
        name = "test0"
    index = test_index(name)
    if index is not None:
        if not is_local:
            raise IwoError(f"{name} is a test account; those exist only on the local node")
        return Signer(TEST_ADDRESSES[index], name, lambda: _test_key(index))
    alias = str(name).strip()
    path = ape_alias_path(alias)
    if path is None:
        raise IwoError(
            f"no account named {name!r} (test0..test9 on the local node, an Ape alias from "
            f"`ape accounts list`, or --keyfile PATH)"
        )
    data = _read_keystore(path, f"account {alias!r}")
    raw = data["address"]
    address = parse_address(raw if raw.startswith("0x") else "0x" + raw, f"account {alias}")
    label = f"account {alias!r}"
    return Signer(address, alias, lambda: _decrypt(data, path, label, passphrase_env(alias), passphrase))
