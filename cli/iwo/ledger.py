"""The auditor's view: every treasury movement rebuilt from chain events, reconciled
to on-chain balances, from any JSON-RPC node (no Ape, no account, read-only).

    scan      paginated eth_getLogs of the collective's contracts and of every token
              the treasury holds, cached in SQLite (only new blocks are read next
              time; a reorg near the head rolls the cache back to the common ancestor)
    rows      the ledger: block, time, tx, direction, counterparty, asset, amount,
              running balance, and what it was for (dues with member and periods,
              donations, plain transfers in, each executed proposal's payments with
              its id and description, mutual-aid payouts; moves into and out of
              the ring-fenced mutual-aid pool are shown as `=` rows)
    audit     rebuilt balance == on-chain balance, per asset, at the last block and at
              sampled earlier blocks; anything unexplained is a flagged line
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC
from decimal import Decimal
from pathlib import Path

from eth_abi import decode as abi_decode
from eth_utils import keccak, to_checksum_address

from .contracts import ETH, checksum, topic_address
from .errors import IwoError
from .logstore import SCHEMA_VERSION, LogStore, Progress
from .registry import collective_source, sync_collective
from .rpc import Rpc, RpcError

TRANSFER_TOPIC = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
# treasury events that move money, or move it between the free balance and the aid pool
OUTFLOWS = ("Payment", "AidPaid")
POOL_MOVES = ("PoolFunded", "PoolReleased")
FLOWS = ("DuesPaid", "DonationReceived", "EthReceived", *OUTFLOWS, *POOL_MOVES)
Cache = LogStore  # the ledger reads the shared log store
__all__ = ["SCHEMA_VERSION", "Cache", "Progress", "Target", "audit", "build", "find_target", "scan"]


# ---- the collective, as an auditor finds it -------------------------------------------------------
@dataclass
class Target:
    chain_id: int
    governor: str
    treasury: str
    start_block: int
    # tokens to follow even if no treasury event names them (e.g. only ever sent by plain transfer)
    extra_tokens: tuple[str, ...] = ()
    aid: str | None = None  # the collective's mutual-aid contract, when it has one

    @property
    def source(self) -> str:
        return collective_source(self.governor)

    @property
    def contracts(self) -> dict[str, str]:
        """The collective's contracts whose events make its history (as `registry.Collective.contracts`)."""
        found = {self.governor: "IwoGovernor", self.treasury: "IwoTreasury"}
        if self.aid:
            found[self.aid] = "IwoMutualAid"
        return found


def _address_call(rpc: Rpc, to: str, signature: str, block="latest") -> str:
    try:
        out = rpc.eth_call(to, keccak(text=signature)[:4], block)
    except RpcError as exc:  # a contract without that function reverts
        if "revert" not in str(exc).lower():
            raise
        out = b""
    if len(out) != 32:
        raise IwoError(f"{to} is not an iwo governor (no {signature})")
    return to_checksum_address(out[-20:])


def find_target(rpc: Rpc, governor: str) -> Target:
    """Finds the treasury of `governor` and the block the treasury was created in."""
    try:
        governor = to_checksum_address(governor)
    except ValueError:
        raise IwoError(f"not an address: {governor!r}") from None
    if not rpc.code(governor):
        raise IwoError(f"no contract at {governor} on this chain")
    treasury = _address_call(rpc, governor, "treasury()")
    try:
        aid = _address_call(rpc, treasury, "aid()")
    except IwoError:
        aid = None  # a treasury from before mutual aid
    head = rpc.block_number()
    low, high = 0, head  # first block where the treasury has code
    while low < high:
        mid = (low + high) // 2
        try:
            has_code = bool(rpc.code(treasury, mid))
        except RpcError:  # a node without history: scan from genesis
            return Target(rpc.chain_id(), governor, treasury, 0, aid=aid)
        if has_code:
            high = mid
        else:
            low = mid + 1
    return Target(rpc.chain_id(), governor, treasury, low, aid=aid)


# ---- scanning ---------------------------------------------------------------------------------------
def _token_sources(target: Target, tokens: list[str]) -> dict[str, tuple[list[str], list]]:
    out = {}
    for token in tokens:
        out[f"in:{token}:{target.treasury}"] = ([token], [TRANSFER_TOPIC, None, topic_address(target.treasury)])
        out[f"out:{token}:{target.treasury}"] = ([token], [TRANSFER_TOPIC, topic_address(target.treasury)])
    return out


def _transfer(log: dict) -> tuple[str, dict]:
    topics = log["topics"]
    return "Transfer", {
        "sender": checksum(bytes.fromhex(topics[1][2:])[-20:]),
        "receiver": checksum(bytes.fromhex(topics[2][2:])[-20:]),
        "amount": int(log["data"], 16),
    }


def scan(
    rpc: Rpc,
    cache: LogStore,
    target: Target,
    to_block: int | None = None,
    progress: Progress = Progress(),
    chunk: int = 5_000,
) -> int:
    """Brings the store up to `to_block` (default: head) for the collective and its tokens."""
    from .logstore import check_reorg, sync

    head = rpc.block_number()
    to_block = head if to_block is None else min(to_block, head)
    check_reorg(rpc, cache, target.chain_id)
    sync_collective(
        rpc,
        cache,
        target.chain_id,
        target.governor,
        target.contracts,
        target.start_block,
        to_block,
        None,
        progress,
        chunk,
    )
    # tokens are found in the collective's events: then scan the transfers of every token they name,
    # catching up the ones already followed before reading a new one from the treasury's creation
    tokens = sorted(
        _tokens_seen(cache, target, to_block),
        key=lambda t: (cache.scanned_to(target.chain_id, f"in:{t}:{target.treasury}") is None, t),
    )
    for source, (addresses, topics) in _token_sources(target, tokens).items():
        sync(
            rpc,
            cache,
            target.chain_id,
            source,
            addresses,
            topics,
            target.start_block,
            _transfer,
            to_block,
            progress,
            chunk,
        )
    return to_block


def _tokens_seen(cache: LogStore, target: Target, to_block: int) -> set[str]:
    return cache.assets(target.chain_id, target.source, to_block) | set(target.extra_tokens)


# ---- the ledger -------------------------------------------------------------------------------------
@dataclass
class Row:
    block: int
    time: int
    tx: str
    log_index: int
    direction: str  # in | out | reserve
    counterparty: str
    asset: str
    symbol: str
    amount: int
    amount_text: str
    balance: int
    balance_text: str
    kind: str
    what: str
    proposal_id: int | None = None
    member: str | None = None
    periods: int | None = None
    flagged: bool = False
    reported_balance: int | None = None


@dataclass
class Ledger:
    target: Target
    from_block: int
    to_block: int
    rows: list[Row]
    opening: dict[str, int]
    closing: dict[str, int]
    assets: dict[str, tuple[str, int]]
    flags: list[str] = field(default_factory=list)

    def as_dicts(self) -> list[dict]:
        return [asdict(r) for r in self.rows]


def _asset_meta(rpc: Rpc, asset: str) -> tuple[str, int]:
    if int(asset, 16) == 0:
        return "ETH", 18
    try:
        symbol = abi_decode(["string"], rpc.eth_call(asset, keccak(text="symbol()")[:4]))[0]
    except Exception:
        symbol = asset[:8]
    try:
        decimals = abi_decode(["uint8"], rpc.eth_call(asset, keccak(text="decimals()")[:4]))[0]
    except Exception:
        decimals = 0
    return symbol, decimals


def fmt(amount: int, meta: tuple[str, int]) -> str:
    symbol, decimals = meta
    text = format((Decimal(amount) / (Decimal(10) ** decimals)).normalize(), "f") if decimals else str(amount)
    return f"{text} {symbol}"


def balance_at(rpc: Rpc, asset: str, holder: str, block: int) -> int:
    if int(asset, 16) == 0:
        return rpc.balance(holder, block)
    data = keccak(text="balanceOf(address)")[:4] + bytes.fromhex(topic_address(holder)[2:])
    return int.from_bytes(rpc.eth_call(asset, data, block), "big")


def _timestamps(rpc: Rpc, cache: Cache, chain_id: int, numbers: set[int]) -> dict[int, int]:
    known = cache.timestamps(chain_id, numbers)
    for number in sorted(numbers - set(known)):
        block = rpc.block(number)
        known[number] = int(block["timestamp"], 16)
        cache.store_block(chain_id, number, block["hash"], known[number])
    return known


def build(
    rpc: Rpc,
    cache: Cache,
    target: Target,
    from_block: int | None = None,
    to_block: int | None = None,
    progress: Progress = Progress(),
) -> Ledger:
    """Scans (using the cache) and returns the ledger of [from_block, to_block]."""
    to_block = scan(rpc, cache, target, to_block, progress)
    start = target.start_block
    from_block = start if from_block is None else max(from_block, start)
    if from_block > to_block:
        raise IwoError(f"--from-block {from_block} is after --to-block {to_block}")
    collective = cache.logs(target.chain_id, target.source, start, to_block)
    tokens = sorted(_tokens_seen(cache, target, to_block))
    transfers = []
    for token in tokens:
        for direction in ("in", "out"):
            for log in cache.logs(target.chain_id, f"{direction}:{token}:{target.treasury}", start, to_block):
                transfers.append((direction, token, log))

    descriptions: dict[int, str] = {}
    entries = []  # (block, log_index, tx, kind, args, asset)
    for log in collective:
        name, args = log["name"], log["args"]
        if log["address"] == target.governor:
            if name == "ProposalCreated":
                descriptions[int(args["proposal_id"])] = args["description"]
            continue
        if name in ("DuesTermsChanged", "PoolShareChanged") or name not in FLOWS:
            continue
        entries.append((log["block"], log["log_index"], log["tx"], name, args, args.get("asset", ETH)))
    # token transfers explained by a treasury event in the same transaction are not counted twice
    explained: dict[tuple, int] = {}
    for _, _, tx, name, args, asset in entries:
        if int(asset, 16) != 0 and name not in POOL_MOVES:
            direction = "out" if name in OUTFLOWS else "in"
            key = (tx, asset, direction, int(args["amount"]))
            explained[key] = explained.get(key, 0) + 1
    for direction, token, log in transfers:
        amount = log["args"]["amount"]
        key = (log["tx"], token, direction, amount)
        if explained.get(key):
            explained[key] -= 1
            continue
        other = log["args"]["sender" if direction == "in" else "receiver"]
        entries.append(
            (
                log["block"],
                log["log_index"],
                log["tx"],
                "TokenIn" if direction == "in" else "TokenOut",
                {"amount": amount, "other": other},
                token,
            )
        )
    entries.sort(key=lambda e: (e[0], e[1]))

    assets = {ETH: ("ETH", 18)}
    for token in tokens:
        assets[token] = _asset_meta(rpc, token)
    # balances before the window are rebuilt from the (cached) events before it too
    opening = {a: 0 for a in assets}
    running = dict(opening)
    times = _timestamps(rpc, cache, target.chain_id, {e[0] for e in entries if from_block <= e[0] <= to_block})
    rows = []
    for block, log_index, tx, name, args, asset in entries:
        row = _row(name, args, asset, assets[asset], descriptions)
        if row is None:
            continue
        direction, counterparty, amount, what, extra = row
        if direction == "in":
            running[asset] += amount
        elif direction == "out":
            running[asset] -= amount
        if block < from_block:
            opening[asset] = running[asset]
            continue
        rows.append(
            Row(
                block=block,
                time=times[block],
                tx=tx,
                log_index=log_index,
                direction=direction,
                counterparty=counterparty,
                asset=asset,
                symbol=assets[asset][0],
                amount=amount,
                amount_text=fmt(amount, assets[asset]),
                balance=running[asset],
                balance_text=fmt(running[asset], assets[asset]),
                kind=name,
                what=what,
                reported_balance=args.get("balance"),
                flagged=name == "TokenOut",
                **extra,
            )
        )
    return Ledger(target, from_block, to_block, rows, opening, dict(running), assets)


def _row(name, args, asset, meta, descriptions):
    amount = int(args.get("amount", 0))
    if name == "DuesPaid":
        pooled = int(args.get("to_pool", 0))
        return (
            "in",
            args["payer"],
            amount,
            f"dues, {args['periods']} period(s) for {args['member']}"
            + (f" ({fmt(pooled, meta)} to the aid pool)" if pooled else ""),
            {"member": args["member"], "periods": int(args["periods"])},
        )
    if name == "DonationReceived":
        kind = "donation to the mutual-aid pool" if int(args.get("to_pool", 0)) else "donation"
        return ("in", args["donor"], amount, kind + (f": {args['memo']}" if args["memo"] else ""), {})
    if name == "EthReceived":
        return ("in", args["sender"], amount, "ETH received without a call (plain transfer)", {})
    if name == "TokenIn":
        return ("in", args["other"], amount, "plain token transfer in (no treasury call)", {})
    if name == "Payment":
        pid = int(args["proposal_id"])
        text = (descriptions.get(pid) or "").splitlines()[0:1]
        return (
            "out",
            args["recipient"],
            amount,
            f"payment by proposal #{pid}" + (f": {text[0]}" if text else ""),
            {"proposal_id": pid},
        )
    if name in POOL_MOVES:
        pid = int(args["proposal_id"])
        into = name == "PoolFunded"
        moved = "into the mutual-aid pool" if into else "out of the mutual-aid pool to the free balance"
        return (
            "reserve",
            "pool",
            amount,
            f"moved {moved} by proposal #{pid} (pool now {fmt(int(args['pool']), meta)})",
            {"proposal_id": pid},
        )
    if name == "AidPaid":
        claim = int(args["claim_id"])
        return ("out", args["member"], amount, f"mutual aid paid for claim #{claim}", {"member": args["member"]})
    if name == "TokenOut":
        return ("out", args["other"], amount, "UNEXPLAINED: tokens left the treasury without a treasury event", {})
    return None


# ---- reconciliation -----------------------------------------------------------------------------------
@dataclass
class AssetAudit:
    asset: str
    symbol: str
    rebuilt: int
    on_chain: int
    difference: int
    ok: bool


@dataclass
class Audit:
    ok: bool
    block: int
    assets: list[AssetAudit]
    flags: list[str]
    samples_checked: int
    notes: list[str] = field(default_factory=list)  # limits of the check, not discrepancies


def audit(rpc: Rpc, ledger: Ledger, samples: int = 5) -> Audit:
    """Rebuilt balances must equal on-chain balances at the last block and at sampled blocks."""
    target = ledger.target
    flags: list[str] = []
    results = []
    for asset, meta in ledger.assets.items():
        rebuilt = ledger.closing[asset]
        on_chain = balance_at(rpc, asset, target.treasury, ledger.to_block)
        difference = on_chain - rebuilt
        results.append(AssetAudit(asset, meta[0], rebuilt, on_chain, difference, difference == 0))
        if difference:
            where = _first_divergence(rpc, ledger, asset)
            how = (
                "arrived without any call or event (forced in: selfdestruct, coinbase reward or a state override)"
                if difference > 0
                else "left without any event"
            )
            flags.append(
                f"{meta[0]}: on-chain balance {fmt(on_chain, meta)} at block {ledger.to_block}, events "
                f"explain {fmt(rebuilt, meta)}; {fmt(abs(difference), meta)} {how}"
                + (f"; first seen at block {where}" if where is not None else "")
            )
    reported_gap: dict[str, int] = {}
    for row in ledger.rows:
        if row.flagged:
            flags.append(f"block {row.block} tx {row.tx}: {row.what} ({row.amount_text} to {row.counterparty})")
        # the treasury reports its balance after each move: a jump the events do not explain
        # shows when something arrived outside them, even on a node without history
        if row.reported_balance is not None:
            gap = row.reported_balance - row.balance
            if gap != reported_gap.get(row.asset, 0):
                meta = ledger.assets[row.asset]
                flags.append(
                    f"{meta[0]}: by block {row.block} the treasury reports "
                    f"{fmt(gap - reported_gap.get(row.asset, 0), meta)} more than its events explain"
                )
                reported_gap[row.asset] = gap
    checked = 0
    notes: list[str] = []
    if ledger.rows and samples:
        step = max(1, len(ledger.rows) // samples)
        for row in ledger.rows[::step][:samples]:
            try:
                actual = balance_at(rpc, row.asset, target.treasury, row.block)
            except RpcError:
                notes.append("the node keeps no historical state: sampled earlier balances were not checked")
                break
            checked += 1
            expected = _rebuilt_at(ledger, row.asset, row.block)
            if actual != expected:
                meta = ledger.assets[row.asset]
                flags.append(
                    f"{meta[0]}: at block {row.block} the chain holds {fmt(actual, meta)}, events explain "
                    f"{fmt(expected, meta)}"
                )
    flags = list(dict.fromkeys(flags))
    return Audit(ok=not flags, block=ledger.to_block, assets=results, flags=flags, samples_checked=checked, notes=notes)


def _rebuilt_at(ledger: Ledger, asset: str, block: int) -> int:
    value = ledger.opening[asset]
    for row in ledger.rows:
        if row.block > block:
            break
        if row.asset == asset:
            value = row.balance
    return value


def _first_divergence(rpc: Rpc, ledger: Ledger, asset: str) -> int | None:
    """Binary search for the first block where chain and events disagree (needs history)."""
    low, high = ledger.from_block, ledger.to_block
    try:
        if balance_at(rpc, asset, ledger.target.treasury, low) != _rebuilt_at(ledger, asset, low):
            return low
        while low < high:
            mid = (low + high) // 2
            if balance_at(rpc, asset, ledger.target.treasury, mid) != _rebuilt_at(ledger, asset, mid):
                high = mid
            else:
                low = mid + 1
    except RpcError:
        return None
    return low


# ---- exports -------------------------------------------------------------------------------------------
CSV_FIELDS = (
    "block",
    "time",
    "tx",
    "direction",
    "counterparty",
    "asset",
    "symbol",
    "amount",
    "amount_text",
    "balance",
    "balance_text",
    "kind",
    "what",
    "proposal_id",
    "member",
    "periods",
    "flagged",
)


def to_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(asdict(row))
    return out.getvalue()


def series(ledger: Ledger) -> dict[str, dict]:
    """Per asset: times, running balances, inflows and outflows (what the chart draws)."""
    out = {}
    symbols = [m[0] for m in ledger.assets.values()]
    for asset, meta in ledger.assets.items():
        rows = [r for r in ledger.rows if r.asset == asset and r.direction != "reserve"]
        if not rows:
            continue
        scale = 10 ** meta[1]
        # two tokens may share a symbol: then the label also names the address
        label = meta[0] if symbols.count(meta[0]) == 1 else f"{meta[0]} ({asset[:10]})"
        out[label] = {
            "asset": asset,
            "time": [r.time for r in rows],
            "balance": [r.balance / scale for r in rows],
            "inflow": [r.amount / scale if r.direction == "in" else 0 for r in rows],
            "outflow": [r.amount / scale if r.direction == "out" else 0 for r in rows],
        }
    return out


def plot(ledger: Ledger, path: str | Path) -> dict:
    """Draws balance per asset over time with inflow/outflow bars into a PNG; the plotted
    series are also stored in the PNG's text metadata (key 'iwo-series') for checking."""
    import matplotlib

    matplotlib.use("Agg")
    from datetime import datetime

    import matplotlib.pyplot as plt

    data = series(ledger)
    if not data:
        raise IwoError("nothing to plot: the ledger has no movements")
    fig, axes = plt.subplots(len(data), 1, figsize=(10, 3.6 * len(data)), squeeze=False)
    for ax, (symbol, s) in zip(axes[:, 0], data.items()):
        times = [datetime.fromtimestamp(t, UTC) for t in s["time"]]
        span_days = max((s["time"][-1] - s["time"][0]) / 86400, 1 / 24)
        width = span_days / max(60, 3 * len(times))  # bars stay thin whatever the time scale
        ax.bar(times, s["inflow"], width=width, color="#2a9d8f", label="inflow")
        ax.bar(times, [-v for v in s["outflow"]], width=width, color="#e76f51", label="outflow")
        ax.step(times, s["balance"], where="post", color="#264653", linewidth=2, label="balance")
        ax.axhline(0, color="#999", linewidth=0.5)
        ax.set_ylabel(symbol)
        ax.set_title(f"treasury {ledger.target.treasury[:10]}… — {symbol}")
        ax.legend(loc="upper left")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"iwo-series": json.dumps(data)})
    plt.close(fig)
    return data
