"""Connecting to a network with Ape, choosing an account, loading our contracts,
and sending transactions only after a successful simulation.

Everything that imports Ape does so inside functions, so importing this module
is cheap (keeps `iwo --help` fast).
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import home, node
from .errors import IwoError

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LOCAL = "local"
ERC20_ABI = [
    {
        "type": "function",
        "name": "decimals",
        "stateMutability": "view",
        "inputs": [],
        "outputs": [{"name": "", "type": "uint8"}],
    },
    {
        "type": "function",
        "name": "symbol",
        "stateMutability": "view",
        "inputs": [],
        "outputs": [{"name": "", "type": "string"}],
    },
    {
        "type": "function",
        "name": "balanceOf",
        "stateMutability": "view",
        "inputs": [{"name": "owner", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    },
    {
        "type": "function",
        "name": "allowance",
        "stateMutability": "view",
        "inputs": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    },
    {
        "type": "function",
        "name": "approve",
        "stateMutability": "nonpayable",
        "inputs": [{"name": "spender", "type": "address"}, {"name": "amount", "type": "uint256"}],
        "outputs": [{"name": "", "type": "bool"}],
    },
]


def quiet_ape():
    """Silence Ape's import-time warning and its INFO chatter on stderr."""
    warnings.filterwarnings("ignore", message=".*import_remapping.*")
    from ape.logging import logger
    from ape_ethereum.trace import Trace

    logger.set_level("ERROR")  # Ape logs to stdout; the CLI says what matters itself
    # ape-foundry prints a call trace to stdout on every revert, including the
    # simulations we run on purpose; the CLI reports the revert reason itself.
    Trace.show = lambda self, *args, **kwargs: None


@cache
def contract_type(name: str):
    from ethpm_types import ContractType

    if name == "ERC20":
        return ContractType(contractName="ERC20", abi=ERC20_ABI)
    path = ARTIFACTS / f"{name}.json"
    if not path.exists():
        raise IwoError(f"contract artifacts missing ({path}); run `make compile`")
    return ContractType.model_validate(json.loads(path.read_text()))


def container(name: str):
    from ape.contracts import ContractContainer

    return ContractContainer(contract_type(name))


def at(name: str, address: str):
    """Our contract at `address`; its type is cached so receipts and logs decode."""
    from ape import chain

    return chain.contracts.instance_at(address, contract_type=contract_type(name))


def checksum(address: str, what: str = "address") -> str:
    """Validates an address; accepts all-lower/upper hex, refuses a wrong mixed-case checksum."""
    from eth_utils import is_checksum_address, is_hex_address, to_checksum_address

    text = str(address).strip()
    if not is_hex_address(text):
        raise IwoError(f"not an address: {address!r} ({what})")
    body = text[2:]
    if body != body.lower() and body != body.upper() and not is_checksum_address(text):
        raise IwoError(f"bad checksum in address {address!r} ({what}); check for a typo")
    return to_checksum_address(text)


def resolve_address(text: str, what: str, is_local: bool) -> str:
    """An address, or on the local node a test account name (test0..test9)."""
    match = re.fullmatch(r"test(\d)", str(text).strip())
    if match:
        if not is_local:
            raise IwoError(f"{text} names a test account; those exist only on the local node")
        from ape import accounts

        return accounts.test_accounts[int(match.group(1))].address
    return checksum(text, what)


@dataclass
class Session:
    """A connection to one chain, with the acting account (if any)."""

    network: str
    chain_id: int
    is_local: bool
    account: Any = None
    passphrase: Callable[[str], str] | None = None
    _unlocked: bool = field(default=False, repr=False)
    ape_prompts: bool = False  # in `ape run` scripts Ape asks for passphrases itself
    notice: Callable[[str], None] = field(default=lambda _message: None, repr=False)

    # ---- accounts -------------------------------------------------------------------
    def address(self, text: str, what: str = "address") -> str:
        return resolve_address(text, what, self.is_local)

    def require_account(self):
        if self.account is None:
            raise IwoError("this command needs an account: pass --account ALIAS")
        return self.account

    def unlock(self):
        """Unlocks a keyfile account once (env APE_ACCOUNTS_<alias>_PASSPHRASE or prompt)."""
        account = self.require_account()
        if self._unlocked or self.ape_prompts or not hasattr(account, "set_autosign"):
            return
        from ape.exceptions import AccountsError

        alias = getattr(account, "alias", "")
        secret = os.environ.get(f"APE_ACCOUNTS_{alias}_PASSPHRASE")
        if secret is None:
            if self.passphrase is None:
                raise IwoError(f"account {alias!r} is locked: set APE_ACCOUNTS_{alias}_PASSPHRASE")
            secret = self.passphrase(alias)
        try:
            account.set_autosign(True, passphrase=secret)
        except (AccountsError, ValueError) as exc:
            raise IwoError(f"wrong passphrase for account {alias!r}") from exc
        except Exception as exc:  # eth-keyfile raises its own types
            if "password" in str(exc).lower() or "mac" in str(exc).lower():
                raise IwoError(f"wrong passphrase for account {alias!r}") from exc
            raise
        self._unlocked = True

    # ---- transactions ---------------------------------------------------------------
    def transact(self, method, *args, value: int = 0):
        """Simulates, and only if the call would succeed, signs and sends. Returns the receipt.

        The signed transaction's hash is journaled before it is broadcast and dropped once
        its receipt is in, so re-running a command whose node died mid-way does not send the
        same call twice: an earlier transaction that was mined is reported instead."""
        from . import journal

        account = self.require_account()
        data = bytes(method.encode_input(*args))
        target = method.contract.address
        k = journal.key(self.chain_id, account.address, target, data, value)
        earlier = self._earlier(k)
        if earlier is not None:
            return earlier
        simulate(method, *args, sender=account, value=value)
        self.unlock()
        try:
            txn = account.prepare_transaction(method.as_transaction(*args, sender=account, value=value))
            signed = account.sign_transaction(txn)
            if signed is None:
                raise IwoError("the account did not sign; nothing sent")
            journal.remember(k, _hex(signed.txn_hash), f"{method.abis[0].name} on {target}")
            from ape import networks

            receipt = networks.provider.send_transaction(signed)
        except Exception as exc:
            raise translate(exc) from exc
        journal.forget(k)
        return receipt

    def _earlier(self, k: str):
        """The receipt of an interrupted earlier attempt of the same call, if it was mined."""
        from ape import networks
        from web3.exceptions import TransactionNotFound

        from . import journal

        entry = journal.pending(k)
        if entry is None:
            return None
        web3 = networks.provider.web3
        try:
            raw = web3.eth.get_transaction_receipt(entry["tx"])
        except TransactionNotFound:
            try:
                web3.eth.get_transaction(entry["tx"])
            except TransactionNotFound:
                journal.forget(k)  # it never reached the chain: send anew
                return None
            raw = web3.eth.wait_for_transaction_receipt(entry["tx"], timeout=120)
        journal.forget(k)
        if raw["status"] != 1:
            return None  # it failed: try again (the simulation will say why if it still would)
        self.notice(f"an earlier run of this command already sent it (tx {entry['tx']}); not sending again")
        return networks.provider.get_receipt(entry["tx"])

    def deploy(self, name: str, *args):
        account = self.require_account()
        self.unlock()
        try:
            return account.deploy(container(name), *args)
        except Exception as exc:
            raise translate(exc) from exc


def _hex(value) -> str:
    text = value.hex() if isinstance(value, (bytes, bytearray)) else str(value)
    return text if text.startswith("0x") else "0x" + text


def simulate(method, *args, sender=None, value: int = 0):
    """eth_call of a state-changing method; a revert becomes an IwoError with its reason."""
    try:
        return method.call(*args, sender=sender, value=value)
    except Exception as exc:
        raise translate(exc, simulated=True) from exc


def translate(exc: Exception, simulated: bool = False) -> Exception:
    """Turns Ape/web3/network exceptions into one-line IwoErrors; others pass through."""
    if isinstance(exc, IwoError):
        return exc
    from ape.exceptions import ContractLogicError, OutOfGasError, ProviderNotConnectedError, VirtualMachineError

    prefix = "refused, nothing sent: " if simulated else "transaction failed: "
    if (
        "insufficient funds" in str(exc).lower()
        or "insufficient funds" in str(getattr(exc, "revert_message", "") or "").lower()
    ):
        return IwoError(prefix + "the account cannot pay for this (insufficient funds)")
    if isinstance(exc, ContractLogicError):
        reason = exc.revert_message or "reverted without a reason"
        if "insufficient funds" in reason.lower():
            return IwoError(prefix + "the account cannot pay for this (insufficient funds)")
        return IwoError(prefix + reason)
    if isinstance(exc, OutOfGasError):
        return IwoError(prefix + "out of gas")
    if isinstance(exc, ProviderNotConnectedError) or _is_connection_error(exc):
        return IwoError("the node does not answer (is it running? `iwo node status`)")
    if isinstance(exc, VirtualMachineError):
        return IwoError(prefix + (str(exc).splitlines() or ["reverted"])[0])
    return exc


def _is_connection_error(exc: Exception) -> bool:
    import requests

    seen = exc
    for _ in range(6):
        if seen is None:
            return False
        if isinstance(seen, (ConnectionError, requests.exceptions.ConnectionError, TimeoutError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def resolve_network(network: str | None) -> tuple[str, bool]:
    """'local' (default) -> our node through ape-foundry; anything else is an Ape network choice."""
    if network in (None, "", LOCAL):
        running = node.require_running()
        os.environ["APE_FOUNDRY_HOST"] = running.url
        return "ethereum:local:foundry", True
    return network, False


def load_account(alias: str | None, is_local: bool):
    from ape import accounts

    if alias is None:
        return accounts.test_accounts[0] if is_local else None
    match = re.fullmatch(r"test(\d+)", alias)
    if match:
        if not is_local:
            raise IwoError(f"{alias} is a test account; those exist only on the local node")
        index = int(match.group(1))
        if index >= 10:
            raise IwoError(f"no test account {alias} (test0 to test9)")
        return accounts.test_accounts[index]
    try:
        return accounts.load(alias)
    except Exception:
        raise IwoError(f"no account named {alias!r} (see `ape accounts list`)") from None


def _without_options_list(message: str) -> str:
    """First line of an Ape lookup error, whose list of options follows on later lines."""
    lines = [line.strip() for line in message.splitlines() if line.strip()] or ["not found"]
    first, options = lines[0], lines[1:]
    if not first.endswith("Options:"):
        return first
    first = first.removesuffix("Options:").strip().rstrip(".")
    if options and len(options) <= 12:
        return f"{first} (options: {', '.join(options)})"
    return f"{first} (see `ape networks list`)"


@contextmanager
def session(network: str | None = None, account: str | None = None, passphrase: Callable[[str], str] | None = None):
    """Connects to `network` (default: the local node) and yields a Session."""
    quiet_ape()
    from ape import networks
    from ape.exceptions import ApeException

    choice, is_local = resolve_network(network)
    try:
        context = networks.parse_network_choice(choice)
    except ApeException as exc:
        raise IwoError(f"unknown network {network!r}: {_without_options_list(str(exc))}") from None
    try:
        context.__enter__()
    except Exception as exc:
        raise IwoError(f"cannot connect to {network or 'the local node'}: {str(exc).splitlines()[0]}") from None
    try:
        provider = networks.provider
        chain_id = provider.chain_id
        yield Session(choice, chain_id, is_local, load_account(account, is_local), passphrase)
    except Exception as exc:
        raise translate(exc) from exc
    finally:
        try:
            context.__exit__(None, None, None)
        except Exception:
            pass


def recorded_deployment(chain_id: int) -> dict | None:
    """The recorded implementations + factory of this chain, if their code is still there."""
    from ape import chain

    found = home.deployment(chain_id)
    if not found:
        return None
    if not all(chain.get_code(found[k]) for k in ("card", "treasury", "governor", "factory")):
        home.forget_chain(chain_id)  # the chain was reset: our records are stale
        return None
    return found


def ensure_deployment(s: Session, log=lambda _msg: None) -> dict:
    """Deploys implementations and factory unless this chain already has them; records them."""
    found = recorded_deployment(s.chain_id)
    if found:
        return found
    card = s.deploy("IwoCard")
    treasury = s.deploy("IwoTreasury")
    governor = s.deploy("IwoGovernor")
    factory = s.deploy("IwoFactory", card.address, treasury.address, governor.address)
    from ape import chain

    found = {
        "card": card.address,
        "treasury": treasury.address,
        "governor": governor.address,
        "factory": factory.address,
        "block": chain.blocks.head.number,
    }
    home.save_deployment(s.chain_id, found)
    log(f"deployed the iwo factory at {factory.address}")
    return found
