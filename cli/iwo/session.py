"""A connection to one chain, and who acts on it.

    s = connect(network=None, rpc_url=None, account="test1")   # the local node by default
    s.call(contract, "member_count")                          # one eth_call, decoded
    s.calls([(gov, "proposal", (1,)), (gov, "can_vote", (1, a))])   # one batch
    s.transact(contract, "pay_dues", member, 1, value=10**16)  # simulate, sign, send, receipt

Where: the local node (`iwo node start`) unless `--rpc URL` (any EVM JSON-RPC node) or
`--network ecosystem:network:provider` (an Ape network choice; only resolving it imports
Ape). Test accounts (test0..test9) work on a development node (anvil) only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import accounts, node, tx
from .contracts import Contract
from .errors import IwoError
from .rpc import Rpc, RpcError

LOCAL = "local"


@dataclass
class Session:
    rpc: Rpc
    chain_id: int
    is_local: bool  # a development node whose test accounts are known (anvil)
    network: str  # what the user named: "the local node", a URL or an Ape choice
    is_local_node: bool = False  # the node `iwo node start` runs (iwo deploys its factory there unasked)
    signer: accounts.Signer | None = None
    notice: Callable[[str], None] = field(default=lambda _message: None, repr=False)
    _head: dict | None = field(default=None, repr=False)
    synced: dict = field(default_factory=dict, repr=False)  # log sources brought up to the head

    # ---- accounts --------------------------------------------------------------------------
    def address(self, text: str, what: str = "address") -> str:
        """An address, or the name of a known account (testN on a dev node, an Ape alias)."""
        return accounts.resolve_address(text, what, self.is_local)

    def require_signer(self) -> accounts.Signer:
        if self.signer is None:
            raise IwoError("this command needs an account: pass --account ALIAS or --keyfile PATH")
        return self.signer

    # ---- the head --------------------------------------------------------------------------
    def head(self) -> dict:
        """The latest block (read once per session and after each transaction)."""
        if self._head is None:
            self._head = self.rpc.block("latest")
        return self._head

    def now(self) -> int:
        """The chain's time: the latest block's timestamp."""
        return int(self.head()["timestamp"], 16)

    def block_number(self) -> int:
        return int(self.head()["number"], 16)

    def after_transaction(self, _receipt) -> None:
        self._head = None

    # ---- reading -----------------------------------------------------------------------------
    def call(self, contract: Contract, method: str, *args, block: int | str = "latest"):
        fn = contract.fn(method, len(args))
        tag = hex(block) if isinstance(block, int) else block
        try:
            out = self.rpc.call("eth_call", [{"to": contract.address, "data": "0x" + fn.encode(*args).hex()}, tag])
        except RpcError as exc:
            raise _read_error(contract, method, exc) from None
        return _decode(contract, fn, out)

    def calls(self, requests: Sequence[tuple[Contract, str, tuple]], errors: bool = False) -> list:
        """Several view calls in one batch; results in order (an IwoError in place of a revert
        with `errors=True`)."""
        fns = [c.fn(m, len(a)) for c, m, a in requests]
        raw = self.rpc.batch(
            [
                ("eth_call", [{"to": c.address, "data": "0x" + fn.encode(*a).hex()}, "latest"])
                for (c, _, a), fn in zip(requests, fns)
            ],
            errors=True,
        )
        out = []
        for (c, m, _), fn, item in zip(requests, fns, raw):
            if isinstance(item, RpcError):
                error = _read_error(c, m, item)
                if not errors:
                    raise error
                out.append(error)
            else:
                try:
                    out.append(_decode(c, fn, item))
                except IwoError as error:
                    if not errors:
                        raise
                    out.append(error)
        return out

    # ---- writing -----------------------------------------------------------------------------
    def transact(self, contract: Contract, method: str, *args, value: int = 0) -> tx.Receipt:
        data = contract.encode(method, *args)
        return tx.send(self, contract.address, data, value, what=f"{method} on {contract.name} {contract.address}")

    def simulate(self, contract: Contract, method: str, *args, value: int = 0, sender: str | None = None):
        data = contract.encode(method, *args)
        out = tx.simulate(self, contract.address, data, value, sender)
        return contract.decode(method, out, len(args))


def _decode(contract: Contract, fn, raw: str):
    try:
        return fn.decode(bytes.fromhex(raw[2:]))
    except Exception:
        raise IwoError(f"{contract.address} gave no valid answer to {fn.name}() (is it the right contract?)") from None


def _read_error(contract: Contract, method: str, exc: RpcError) -> IwoError:
    reason = tx.reason_of(exc)
    if reason is not None:
        error = IwoError(reason)
        error.reverted = True  # type: ignore[attr-defined]
        return error
    return exc


# ---- connecting -------------------------------------------------------------------------------------
def resolve(network: str | None, rpc_url: str | None) -> tuple[str, str, int | None]:
    """(URL, label, expected chain id or None) of the node to talk to."""
    if network and rpc_url:
        raise IwoError("give either --network or --rpc, not both")
    if rpc_url:
        return rpc_url.strip(), rpc_url.strip(), None
    if network in (None, "", LOCAL) or str(network) in ("ethereum:local", "ethereum:local:foundry"):
        running = node.require_running()
        return running.url, "the local node", None
    url, chain_id = _ape_network_url(network)
    return url, network, chain_id


def _ape_network_url(choice: str) -> tuple[str, int | None]:
    """The RPC URL of an Ape network choice. A URL in the provider slot is taken as it is;
    otherwise Ape (imported only here) reads it from the user's Ape configuration."""
    parts = choice.split(":", 2)
    if len(parts) == 3 and parts[2].startswith(("http://", "https://")):
        return parts[2], None
    if len(parts) != 3 or not all(parts):
        raise IwoError(f"not a network choice: {choice!r} (use ecosystem:network:provider, e.g. base:mainnet:node)")
    import logging
    import warnings

    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    try:
        from ape import networks
        from ape.exceptions import ApeException
    except ImportError:
        raise IwoError(
            f"--network {choice} needs Ape's network configuration (pip install eth-ape), or give --rpc URL"
        ) from None
    ecosystem, net, provider = parts
    try:
        network = networks.get_ecosystem(ecosystem).get_network(net)
        chosen = network.get_provider(provider)
    except (ApeException, KeyError, ValueError) as exc:
        raise IwoError(f"unknown network {choice!r}: {_first_line(str(exc))}") from None
    uri = ape_provider_url(chosen)
    if uri is None:
        raise IwoError(
            f"no RPC URL configured for {ecosystem}:{net} in Ape: add it to ape-config.yaml "
            f"(node: {{{ecosystem}: {{{net}: {{uri: https://…}}}}}}) or pass --rpc URL"
        )
    try:
        chain_id = int(network.chain_id) if net not in ("local",) and not net.endswith("-fork") else None
    except Exception:
        chain_id = None  # a custom network Ape knows no chain id for
    return uri, chain_id


def ape_provider_url(provider) -> str | None:
    """The HTTP RPC URL an Ape provider would use, if it has one configured."""
    for attribute in ("http_uri", "uri"):
        try:
            uri = getattr(provider, attribute, None)
        except Exception:  # Ape raises when no URI is configured
            uri = None
        if isinstance(uri, str) and uri.startswith(("http://", "https://")):
            return uri
    return None


def _first_line(message: str) -> str:
    """First line of an Ape lookup error, whose list of options follows on later lines."""
    lines = [line.strip() for line in message.splitlines() if line.strip()] or ["not found"]
    first, options = lines[0], lines[1:]
    if not first.endswith("Options:"):
        return first
    first = first.removesuffix("Options:").strip().rstrip(".")
    if options and len(options) <= 12:
        return f"{first} (options: {', '.join(options)})"
    return f"{first} (see `ape networks list`)"


def connect(
    network: str | None = None,
    rpc_url: str | None = None,
    account: str | None = None,
    keyfile: str | None = None,
    passphrase: accounts.Passphrase | None = None,
    expect_chain: int | None = None,
) -> Session:
    """Opens a session: one batch asks the node its chain id, client and latest block."""
    url, label, known_chain = resolve(network, rpc_url)
    expect_chain = expect_chain if expect_chain is not None else known_chain
    rpc = Rpc(url, retries=2, backoff=0.2, timeout=30.0)
    try:
        chain_hex, client, head = rpc.batch(
            [("eth_chainId", []), ("web3_clientVersion", []), ("eth_getBlockByNumber", ["latest", False])],
            errors=True,
        )
    except RpcError as exc:
        raise IwoError(f"cannot reach {label}: {exc}") from None
    if isinstance(chain_hex, RpcError) or isinstance(head, RpcError) or not isinstance(head, dict):
        raise IwoError(f"{label} does not answer like an Ethereum node")
    chain_id = int(chain_hex, 16)
    if expect_chain is not None and chain_id != expect_chain:
        raise IwoError(f"{label} is chain {chain_id}, not chain {expect_chain}")
    is_dev = isinstance(client, str) and client.lower().startswith("anvil")
    s = Session(rpc, chain_id, is_dev, label, is_local_node=label == "the local node", _head=head)
    s.signer = accounts.signer(account, keyfile, is_dev, passphrase)
    return s
