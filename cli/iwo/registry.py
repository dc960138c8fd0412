"""Collectives: create one, find one by alias or address, list them, and keep their events.

The data folder remembers, per chain id, each collective's alias and contract addresses
and each chain's deployment (implementations + factory). A collective named by an alias
recorded for another chain is refused in one line, so a command never acts on the wrong
chain. `history(s, c)` brings the collective's events into the shared log store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import clearsign, home, logstore, tx
from .contracts import Contract, checksum, decode_log, knows_log, parse_address
from .errors import IwoError
from .limits import MAX_NAME, MAX_SYMBOL, check_text
from .session import Session

ALIAS_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")
MAX_ALIAS = 40
# Implementations the factory clones, in its constructor's order.
IMPLEMENTATIONS = ("IwoCard", "IwoTreasury", "IwoGovernor", "IwoMutualAid", "IwoEscrow")
# the data folder's key for each implementation's address
_KEYS = {
    "IwoCard": "card",
    "IwoTreasury": "treasury",
    "IwoGovernor": "governor",
    "IwoMutualAid": "aid",
    "IwoEscrow": "escrow",
}


@dataclass
class Collective:
    """The contracts of one collective on one chain, and where its history starts."""

    alias: str
    chain_id: int
    governor: Contract
    card: Contract
    treasury: Contract
    start_block: int = 0
    aid: Contract | None = None
    escrow: Contract | None = None
    extra: dict = field(default_factory=dict)

    @property
    def address(self) -> str:
        return self.governor.address

    @property
    def source(self) -> str:
        """Its name in the log store."""
        return collective_source(self.governor.address)

    @property
    def contracts(self) -> dict[str, str]:
        """address -> artifact name of every contract whose events make its history."""
        found = {self.governor.address: "IwoGovernor", self.treasury.address: "IwoTreasury"}
        if self.aid is not None:
            found[self.aid.address] = "IwoMutualAid"
        if self.escrow is not None:
            found[self.escrow.address] = "IwoEscrow"
        return found

    def record(self) -> dict:
        out = {
            "governor": self.governor.address,
            "card": self.card.address,
            "treasury": self.treasury.address,
            "block": self.start_block,
        }
        if self.aid is not None:
            out["aid"] = self.aid.address
        if self.escrow is not None:
            out["escrow"] = self.escrow.address
        return out


# ---- aliases -----------------------------------------------------------------------------------------
def validate_alias(alias: str) -> str:
    value = alias.strip().lower()
    if not value or not set(value) <= ALIAS_CHARS or len(value) > MAX_ALIAS:
        raise IwoError(f"alias {alias!r} must be 1-{MAX_ALIAS} of a-z, 0-9, '-' and '_'")
    return value


def default_alias(name: str) -> str:
    out = "".join(ch if ch in ALIAS_CHARS else "-" for ch in name.strip().lower())
    return "-".join(part for part in out.split("-") if part)[:MAX_ALIAS] or "collective"


def _entry(value) -> dict:
    if isinstance(value, dict):
        return value
    return {"governor": value, "block": 0}  # an older data folder kept the governor only


def _elsewhere(alias: str, chain_id: int) -> list[int]:
    """Chains other than `chain_id` on which `alias` is recorded."""
    everything = home.read_json("collectives.json")
    return sorted(int(c) for c, names in everything.items() if alias in names and int(c) != chain_id)


def resolve(s: Session, which: str | None) -> Collective:
    """A collective by alias, by governor address, or the only one known on this chain."""
    known = home.aliases(s.chain_id)
    if which is None:
        if len(known) == 1:
            which = next(iter(known))
        elif not known:
            other = sorted(int(c) for c, names in home.read_json("collectives.json").items() if names)
            hint = f" (this data folder knows collectives on chain {', '.join(map(str, other))})" if other else ""
            raise IwoError(
                f"no collective known on chain {s.chain_id}: create one with `iwo create` or name one with -c{hint}"
            )
        else:
            raise IwoError(f"several collectives known ({', '.join(sorted(known))}): name one with -c")
    text = which.strip()
    if text.lower() in known:
        entry = _entry(known[text.lower()])
        governor = checksum(entry["governor"])
        alias = text.lower()
        block = int(entry.get("block", 0))
        card, treasury, aid, escrow = entry.get("card"), entry.get("treasury"), entry.get("aid"), entry.get("escrow")
    elif text.startswith("0x"):
        governor, alias, block = parse_address(text, "collective"), text, 0
        card = treasury = aid = escrow = None
        for name, value in known.items():
            if _entry(value)["governor"].lower() == governor.lower():
                entry = _entry(value)
                alias, block = name, int(entry.get("block", 0))
                card, treasury, aid, escrow = (entry.get(k) for k in ("card", "treasury", "aid", "escrow"))
    else:
        other = _elsewhere(text.lower(), s.chain_id)
        if other:
            raise IwoError(
                f"collective {text!r} was recorded on chain {', '.join(map(str, other))}, but {s.network} "
                f"is chain {s.chain_id}: point --rpc/--network at the right node"
            )
        raise IwoError(
            f"unknown collective {text!r} (known on chain {s.chain_id}: {', '.join(sorted(known)) or 'none'})"
        )
    gov = Contract("IwoGovernor", governor)
    if card and treasury:
        code = s.rpc.call("eth_getCode", [governor, "latest"])
    else:
        code, card, treasury = s.rpc.batch(
            [
                ("eth_getCode", [governor, "latest"]),
                ("eth_call", [{"to": governor, "data": "0x" + gov.encode("card").hex()}, "latest"]),
                ("eth_call", [{"to": governor, "data": "0x" + gov.encode("treasury").hex()}, "latest"]),
            ],
            errors=True,
        )
    if not isinstance(code, str) or code in ("0x", "0x0"):
        raise IwoError(f"no contract at {governor} on chain {s.chain_id} (was the chain reset?)")
    if isinstance(card, Exception) or isinstance(treasury, Exception):
        raise IwoError(f"{governor} is not an iwo governor")
    if isinstance(card, str) and len(card) == 66:  # raw eth_call answers
        card, treasury = checksum(bytes.fromhex(card[2:])[-20:]), checksum(bytes.fromhex(treasury[2:])[-20:])
    if aid is None:
        try:
            aid = s.call(Contract("IwoTreasury", checksum(treasury)), "aid")
        except IwoError:
            aid = None  # a treasury from before mutual aid
    return Collective(
        alias,
        s.chain_id,
        gov,
        Contract("IwoCard", checksum(card)),
        Contract("IwoTreasury", checksum(treasury)),
        block,
        Contract("IwoMutualAid", checksum(aid)) if aid else None,
        Contract("IwoEscrow", checksum(escrow)) if escrow else _escrow_of(s, governor),
    )


def _escrow_of(s: Session, governor: str) -> Contract | None:
    """The escrow the factory created with `governor` (from its CollectiveCreated event)."""
    for row in _registry(s):
        if row["governor"] == governor and row.get("escrow"):
            return Contract("IwoEscrow", row["escrow"])
    return None


# ---- deployments -------------------------------------------------------------------------------------
def recorded_deployment(s: Session) -> dict | None:
    """The recorded implementations + factory of this chain, if their code is still there."""
    found = home.deployment(s.chain_id)
    if not found:
        return None
    wanted = ("factory", "rates", *(_KEYS[n] for n in IMPLEMENTATIONS))
    names = [n for n in wanted if n in found]
    codes = s.rpc.batch([("eth_getCode", [found[n], "latest"]) for n in names])
    if len(names) < len(wanted) or any(c in ("0x", "0x0") for c in codes):
        home.forget_chain(s.chain_id)  # the chain was reset: our records are stale
        return None
    return found


def deploy(s: Session, log=lambda _m: None) -> dict:
    """Deploys the locked implementations and the factory from the shipped artifacts (unless this
    chain has them) and records them."""
    found = recorded_deployment(s)
    if found:
        return found | {"reused": True}
    start = s.block_number()
    addresses = {}
    for name in IMPLEMENTATIONS:
        addresses[name] = tx.deploy(s, name)
    factory = tx.deploy(s, "IwoFactory", *(addresses[n] for n in IMPLEMENTATIONS))
    log(f"deployed the iwo factory at {factory} (with {len(IMPLEMENTATIONS)} locked implementations)")
    rates = tx.deploy(s, "IwoRates")  # one rate board per chain, keyed by collective
    found = {_KEYS[n]: addresses[n] for n in IMPLEMENTATIONS} | {"factory": factory, "rates": rates, "block": start}
    home.save_deployment(s.chain_id, found)
    return found | {"reused": False}


# ---- create and list ---------------------------------------------------------------------------------
def check_name(name: str, symbol: str) -> None:
    if not name.strip():
        raise IwoError("the collective needs a name")
    check_text(name, MAX_NAME, "name")
    if not symbol.strip():
        raise IwoError("--symbol cannot be empty")
    check_text(symbol, MAX_SYMBOL, "--symbol")


def create(
    s: Session,
    name: str,
    symbol: str,
    founders: list[str],
    dues_asset: str,
    dues_amount: int,
    dues_period: int,
    settings_tuple: tuple,
    alias: str,
    log=lambda _m: None,
) -> dict:
    """Creates a collective through the factory (deploying it first on a fresh local node)."""
    if alias in home.aliases(s.chain_id):
        raise IwoError(f"alias {alias!r} is already used on chain {s.chain_id}; pick another with --alias")
    deployment = deploy(s, log) if s.is_local_node else recorded_deployment(s)
    if not deployment:
        raise IwoError(
            f"no iwo factory recorded for chain {s.chain_id}: deploy it first with "
            f"`iwo deploy` (same --rpc/--network and account)"
        )
    factory = Contract("IwoFactory", deployment["factory"])
    args = (name, symbol, founders, dues_asset, dues_amount, dues_period, settings_tuple)
    receipt = s.transact(factory, "create_collective", *args)
    event = receipt.event(factory, "CollectiveCreated")
    c = Collective(
        alias,
        s.chain_id,
        Contract("IwoGovernor", event.governor),
        Contract("IwoCard", event.card),
        Contract("IwoTreasury", event.treasury),
        receipt.block_number,
        Contract("IwoMutualAid", event.aid),
        Contract("IwoEscrow", event.escrow),
    )
    home.save_alias(s.chain_id, alias, c.record())
    descriptor = clearsign.write(s.chain_id, alias, c.governor.address, name)
    return {
        "alias": alias,
        "name": name,
        "collective_id": int(event.collective_id),
        "governor": c.governor.address,
        "card": c.card.address,
        "treasury": c.treasury.address,
        "aid": c.aid.address,
        "escrow": c.escrow.address,
        "founders": founders,
        "chain_id": s.chain_id,
        "block": receipt.block_number,
        "tx": receipt.tx_hash,
        "gas_used": receipt.gas_used,
        "clear_signing": descriptor,
    }


def _registry(s: Session) -> list[dict]:
    """The CollectiveCreated events of this chain's recorded factory (from the log store)."""
    deployment = recorded_deployment(s)
    if not deployment:
        return []
    factory = Contract("IwoFactory", deployment["factory"])
    store = log_store()
    source = f"factory:{factory.address}"
    logstore.sync(
        s.rpc,
        store,
        s.chain_id,
        source,
        [factory.address],
        [factory.topic("CollectiveCreated")],
        int(deployment.get("block", 0)),
        lambda log: decode_log("IwoFactory", log),
        s.block_number(),
        to_hash=s.head()["hash"],
    )
    return [log["args"] for log in store.logs(s.chain_id, source, names=("CollectiveCreated",))]


def collectives(s: Session) -> list[dict]:
    """Collectives known locally (aliases) and those in this chain's factory registry."""
    rows: dict[str, dict] = {}
    for alias, value in home.aliases(s.chain_id).items():
        address = checksum(_entry(value)["governor"])
        rows[address] = {"alias": alias, "governor": address, "id": None, "name": None}
    for args in _registry(s):
        row = rows.setdefault(args["governor"], {"alias": None, "governor": args["governor"]})
        row.update(id=int(args["collective_id"]), name=args["name"])
    missing = [r for r in rows.values() if r.get("name") is None]
    if missing:
        cards = s.calls([(Contract("IwoGovernor", r["governor"]), "card", ()) for r in missing], errors=True)
        names = s.calls(
            [(Contract("IwoCard", c), "name", ()) for c in cards if not isinstance(c, Exception)], errors=True
        )
        it = iter(names)
        for row, card in zip(missing, cards):
            value = None if isinstance(card, Exception) else next(it)
            row["name"] = "(unreachable)" if value is None or isinstance(value, Exception) else value
    return sorted(rows.values(), key=lambda r: (r["id"] is None, r["id"] or 0, r["alias"] or ""))


# ---- history -----------------------------------------------------------------------------------------
_STORES: dict[str, logstore.LogStore] = {}


def log_store() -> logstore.LogStore:
    """The data folder's log store (one connection per process)."""
    path = str(home.home() / logstore.FILE)
    if path not in _STORES:
        _STORES[path] = logstore.LogStore(path)
    return _STORES[path]


def collective_source(governor: str) -> str:
    """The log store's name for everything a collective's contracts emitted."""
    return f"collective:{governor}"


def sync_collective(
    rpc,
    store: logstore.LogStore,
    chain_id: int,
    governor: str,
    contracts: dict[str, str],
    start_block: int,
    to_block: int,
    to_hash: str | None = None,
    progress: logstore.Progress | None = None,
    chunk: int = 5_000,
) -> None:
    """Brings the collective's events (all events of `contracts`: address -> artifact name) up to
    `to_block`. The CLI, the ledger and the page share this one source."""

    def decode(log):
        name = contracts.get(checksum(log["address"]))
        if name is None or not knows_log(name, log):
            return None
        return decode_log(name, log)

    logstore.sync(
        rpc,
        store,
        chain_id,
        collective_source(governor),
        list(contracts),
        [],
        start_block,
        decode,
        to_block,
        progress,
        chunk,
        to_hash,
    )


def history(s: Session, c: Collective, progress: logstore.Progress | None = None) -> logstore.LogStore:
    """The log store, with `c`'s events up to the head this session read (once per session)."""
    store = log_store()
    head = s.head()
    key = (c.source, head["hash"])
    if s.synced.get(key):
        return store
    logstore.check_reorg(s.rpc, store, s.chain_id, newest=head)
    sync_collective(
        s.rpc, store, s.chain_id, c.address, c.contracts, c.start_block, int(head["number"], 16), head["hash"], progress
    )
    s.synced[key] = True
    return store
