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
__all__ = [
    "SCHEMA_VERSION",
    "Cache",
    "Progress",
    "Target",
    "aid_book",
    "asset_meta",
    "audit",
    "audit_escrow",
    "audit_pool",
    "build",
    "build_escrow",
    "find_target",
    "scan",
]


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
    escrow: str | None = None  # the collective's work escrow (from CollectiveCreated), when known

    @property
    def source(self) -> str:
        return collective_source(self.governor)

    @property
    def contracts(self) -> dict[str, str]:
        """The collective's contracts whose events make its history (as `registry.Collective.contracts`)."""
        found = {self.governor: "IwoGovernor", self.treasury: "IwoTreasury"}
        if self.aid:
            found[self.aid] = "IwoMutualAid"
        if self.escrow:
            found[self.escrow] = "IwoEscrow"
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


def asset_meta(rpc: Rpc, asset: str) -> tuple[str, int]:
    """An asset's symbol and decimals (ETH for the zero address; a token's own answers)."""
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
        if name == "FeeReceived":
            entries += _fee_entries(log, target)
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
    entries = _escrow_credit_entries(entries, collective, target)
    entries.sort(key=lambda e: (e[0], e[1]))

    assets = {ETH: ("ETH", 18)}
    for token in tokens:
        assets[token] = asset_meta(rpc, token)
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
    return _escrow_fee_row(name, args, amount)


# ---- the escrow's fees in the treasury's books ------------------------------------------------------
def _fee_entries(log: dict, target: Target) -> list[tuple]:
    """A treasury `FeeReceived` as a ledger entry. It is the escrow's fee for a job only when its
    source is the collective's escrow (anyone may call `receive_fee`: for a token it is only a
    statement, so one from elsewhere is not income and makes no row; for ETH the value did
    arrive with it and is counted, named for what it is)."""
    args = log["args"]
    if log["address"] != target.treasury:
        return []
    from_escrow = target.escrow is not None and args["source"] == target.escrow
    if not from_escrow and int(args["asset"], 16) != 0:
        return []
    kind = "FeeReceived" if from_escrow else "FeeStatedElsewhere"
    return [
        (log["block"], log["log_index"], log["tx"], kind, dict(args, escrow_known=bool(target.escrow)), args["asset"])
    ]


def _escrow_credit_entries(entries: list[tuple], collective: list[dict], target: Target) -> list[tuple]:
    """Token arrivals explained by the escrow: a fee the token refused to deliver to the treasury
    was credited to it in the escrow (`PaymentDeferred`) and arrives later, with no treasury
    event, when someone calls the escrow's `withdraw` for the treasury (`Withdrawn`)."""
    if not target.escrow:
        return entries
    escrow_logs = [log for log in collective if log["address"] == target.escrow]
    job_of_tx = {log["tx"]: int(log["args"]["job_id"]) for log in escrow_logs if "job_id" in log["args"]}
    credited: dict[str, list[int]] = {}  # asset -> jobs whose fee is credited and not yet withdrawn
    withdrawals: dict[tuple, list[int]] = {}  # (tx, asset, amount) -> the jobs it pays the fees of
    for log in escrow_logs:
        args = log["args"]
        if args.get("account") != target.treasury:
            continue
        if log["name"] == "PaymentDeferred":
            credited.setdefault(args["asset"], []).append(job_of_tx.get(log["tx"], 0))
        elif log["name"] == "Withdrawn":
            withdrawals[(log["tx"], args["asset"], int(args["amount"]))] = credited.pop(args["asset"], [])
    out = []
    for entry in entries:
        block, log_index, tx, name, args, asset = entry
        key = (tx, asset, int(args.get("amount", 0)))
        if name == "TokenIn" and args["other"] == target.escrow and key in withdrawals:
            jobs = sorted(set(withdrawals.pop(key)))
            entry = (block, log_index, tx, "EscrowCreditWithdrawn", dict(args, jobs=jobs), asset)
        out.append(entry)
    return out


def _escrow_fee_row(name: str, args: dict, amount: int):
    """Ledger rows of the escrow's fees (see `_fee_entries`, `_escrow_credit_entries`)."""
    if name == "FeeReceived":
        job = int(args["job_id"])
        return ("in", args["source"], amount, f"escrow fee for job #{job}" if job else "escrow fee", {})
    if name == "FeeStatedElsewhere":
        if not args["escrow_known"]:
            return (
                "in",
                args["source"],
                amount,
                "ETH sent with a fee statement (the collective's escrow is unknown here)",
                {},
            )
        return (
            "in",
            args["source"],
            amount,
            "ETH sent with a fee statement by an account that is not the collective's escrow (not escrow income)",
            {},
        )
    if name == "EscrowCreditWithdrawn":
        jobs = ", ".join(f"#{j}" for j in args["jobs"] if j) or "earlier jobs"
        return (
            "in",
            args["other"],
            amount,
            f"escrow fees for job {jobs}, credited when the token refused the transfer, withdrawn from the escrow",
            {},
        )
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


# ---- the escrow's books: holdings per job and per asset, reconciled with the chain ----------------------
@dataclass
class EscrowRow:
    block: int
    time: int
    tx: str
    log_index: int
    job_id: int | None
    milestone: int | None  # from 1
    kind: str  # the escrow event
    asset: str
    symbol: str
    change: int  # what the escrow holds in `asset`: + deposits and refused payments, - payouts
    change_text: str
    holdings: int  # after this event, rebuilt from the events
    holdings_text: str
    what: str
    reported_balance: int | None = None  # the escrow's own balance figure in the event


@dataclass
class EscrowLedger:
    target: Target
    to_block: int
    rows: list[EscrowRow]
    holdings: dict[str, int]  # per asset, rebuilt
    jobs: dict  # job id -> escrow_books.JobBook
    credits: dict[tuple[str, str], int]  # (account, asset) -> credited, not yet withdrawn
    assets: dict[str, tuple[str, int]]
    fee_logs: list[dict]  # the treasury's FeeReceived events (for the cross-check)
    fees_paid: list[dict]  # each fee the escrow's events say it paid: tx, block, job_id, asset, fee
    treasury_credits: list[tuple[str, str, int]]  # (tx, asset, amount) of fees credited to the treasury
    flags: list[str] = field(default_factory=list)


def _escrow_what(log: dict, books, meta: tuple[str, int]) -> str:
    """An escrow event that moves money, in words."""
    from .escrow_books import RULINGS

    a, name = log["args"], log["name"]
    job = f"job #{a['job_id']}" if "job_id" in a else ""
    m = f" milestone {int(a['milestone']) + 1}" if "milestone" in a else ""
    if name == "JobCreated":
        count = len(books.jobs[int(a["job_id"])].milestones)
        return f"{job} created by {a['client']} for {a['worker']}: {count} milestone(s) funded"
    if name == "MilestonesAdded":
        return f"{job}: {a['count']} milestone(s) added and funded by the client"
    if name == "DisputeOpened":
        return f"{job}{m} disputed: the client paid the dispute fee"
    if name == "Released":
        how = "by silence (after the review window)" if a["by_silence"] else "by the client"
        return f"{job}{m} released {how}, fee {fmt(int(a['fee']), meta)} to the treasury"
    if name == "Refunded":
        return f"{job}{m} refunded to the client by the worker"
    if name == "Reclaimed":
        return f"{job}{m} reclaimed for the client"
    if name == "DisputeSettled":
        panel = int(a["panel_share"]) * len(a["panelists_paid"])
        return (
            f"{job}{m} dispute settled by {RULINGS[int(a['ruling'])]}: {fmt(int(a['worker_amount']), meta)} to the "
            f"worker, {fmt(int(a['client_amount']), meta)} to the client, fee {fmt(int(a['fee']), meta)}, "
            f"{fmt(panel, meta)} to the panel"
        )
    if name == "PaymentDeferred":
        return f"a payment to {a['account']} was refused: credited, it stays here until withdrawn"
    if name == "Withdrawn":
        return f"credit of {a['account']} withdrawn"
    return name


def build_escrow(rpc: Rpc, cache: Cache, target: Target, to_block: int | None = None, progress=Progress()):
    """The escrow's movements, holdings per asset after each, and per job, from its events alone
    (the one definition of how each event moves money is `escrow_books`)."""
    from .escrow_books import EVENTS, EscrowBooks

    if not target.escrow:
        raise IwoError("this collective has no work escrow known to iwo")
    to_block = scan(rpc, cache, target, to_block, progress)
    logs = cache.logs(target.chain_id, target.source, target.start_block, to_block, names=(*EVENTS, "FeeReceived"))
    fee_logs = [log for log in logs if log["address"] == target.treasury and log["name"] == "FeeReceived"]
    books = EscrowBooks()
    assets = {ETH: ("ETH", 18)}
    moves, fees_paid, treasury_credits = [], [], []
    for log in logs:
        if log["address"] != target.escrow:
            continue
        a = log["args"]
        if log["name"] in ("Released", "DisputeSettled") and int(a["fee"]):
            job = books.jobs[int(a["job_id"])]
            fees_paid.append(
                {"tx": log["tx"], "block": log["block"], "job_id": job.job_id, "asset": job.asset, "fee": int(a["fee"])}
            )
        if log["name"] == "PaymentDeferred" and a["account"] == target.treasury:
            treasury_credits.append((log["tx"], a["asset"], int(a["amount"])))
        moved = books.apply(log)
        if moved is None:
            continue
        asset, change = moved
        if asset not in assets:
            assets[asset] = asset_meta(rpc, asset)
        moves.append((log, asset, change, books.holdings[asset], _escrow_what(log, books, assets[asset])))
    times = _timestamps(rpc, cache, target.chain_id, {log["block"] for log, *_ in moves})
    rows, flags, gap = [], [], {}
    for log, asset, change, held, what in moves:
        a, meta = log["args"], assets[asset]
        reported = a.get("balance")
        rows.append(
            EscrowRow(
                block=log["block"],
                time=times[log["block"]],
                tx=log["tx"],
                log_index=log["log_index"],
                job_id=int(a["job_id"]) if "job_id" in a else None,
                milestone=int(a["milestone"]) + 1 if "milestone" in a else None,
                kind=log["name"],
                asset=asset,
                symbol=meta[0],
                change=change,
                change_text=fmt(abs(change), meta),
                holdings=held,
                holdings_text=fmt(held, meta),
                what=what,
                reported_balance=reported,
            )
        )
        # each event states the escrow's balance after the move: a jump its events do not explain
        if reported is not None and int(reported) - held != gap.get(asset, 0):
            flags.append(
                f"escrow {meta[0]}: by block {log['block']} the escrow reports "
                f"{fmt(int(reported) - held - gap.get(asset, 0), meta)} more than its events explain"
            )
            gap[asset] = int(reported) - held
    for asset in books.holdings:
        assets.setdefault(asset, asset_meta(rpc, asset))
    return EscrowLedger(
        target,
        to_block,
        rows,
        {a: books.holdings.get(a, 0) for a in assets},
        books.jobs,
        {k: v for k, v in books.credits.items() if v},
        assets,
        fee_logs,
        fees_paid,
        treasury_credits,
        flags,
    )


@dataclass
class EscrowAudit:
    ok: bool
    block: int
    escrow: str
    assets: list[AssetAudit]
    jobs: list[dict]  # open jobs: held per the events and per the chain
    credits: list[dict]  # credited payments: per the events and per the chain
    flags: list[str]
    notes: list[str] = field(default_factory=list)


def _batch_calls(rpc: Rpc, calls: list[tuple[str, bytes]], block: int) -> list[bytes]:
    raw = rpc.batch([("eth_call", [{"to": to, "data": "0x" + data.hex()}, hex(block)]) for to, data in calls])
    return [bytes.fromhex(r[2:]) for r in raw]


def audit_escrow(rpc: Rpc, book: EscrowLedger) -> EscrowAudit:
    """The escrow's rebuilt holdings must equal the chain at the last block: per asset (its
    balance), per open job (what its milestones hold plus open dispute fees, by the escrow's own
    views) and per credited account (`claimable`); each fee the escrow paid must be in the
    treasury's books (FeeReceived) or credited to the treasury."""
    from .contracts import function

    escrow, block = book.target.escrow, book.to_block
    flags, notes = list(book.flags), []
    results = []
    for asset, meta in book.assets.items():
        rebuilt = book.holdings.get(asset, 0)
        on_chain = balance_at(rpc, asset, escrow, block)
        results.append(AssetAudit(asset, meta[0], rebuilt, on_chain, on_chain - rebuilt, on_chain == rebuilt))
        if on_chain != rebuilt:
            flags.append(
                f"escrow {meta[0]}: on-chain balance {fmt(on_chain, meta)} at block {block}, events explain "
                f"{fmt(rebuilt, meta)}; {fmt(abs(on_chain - rebuilt), meta)} "
                + (
                    "arrived without any escrow event (sent to it directly: no call can move it)"
                    if on_chain > rebuilt
                    else "left without any event"
                )
            )
    # open jobs, milestone by milestone, as the escrow's views see them
    milestone_fn, fee_fn = function("IwoEscrow", "milestone"), function("IwoEscrow", "dispute_fee")
    open_jobs = [j for j in book.jobs.values() if j.held]
    slots = [(j, i) for j in open_jobs for i in range(len(j.milestones))]
    views = [
        milestone_fn.decode(out)
        for out in _batch_calls(rpc, [(escrow, milestone_fn.encode(j.job_id, j.terms, i)) for j, i in slots], block)
    ]
    disputed = [(j, i) for (j, i), v in zip(slots, views) if int(v["stage"]) == 3]
    fees = _batch_calls(rpc, [(escrow, fee_fn.encode(j.job_id, j.terms, i)) for j, i in disputed], block)
    chain_held = {j.job_id: 0 for j in open_jobs}
    for (j, _), v in zip(slots, views):
        chain_held[j.job_id] += int(v["remaining"])
    for (j, _), out in zip(disputed, fees):
        chain_held[j.job_id] += fee_fn.decode(out)
    jobs = []
    for j in open_jobs:
        meta = book.assets[j.asset]
        ok = chain_held[j.job_id] == j.held
        jobs.append(
            {
                "job_id": j.job_id,
                "asset": j.asset,
                "symbol": meta[0],
                "rebuilt": j.held,
                "on_chain": chain_held[j.job_id],
                "ok": ok,
            }
        )
        if not ok:
            flags.append(
                f"escrow job #{j.job_id}: its milestones hold {fmt(chain_held[j.job_id], meta)} on chain, events "
                f"explain {fmt(j.held, meta)}"
            )
    # credited payments, per account and asset
    claimable = function("IwoEscrow", "claimable")
    pairs = sorted(book.credits)
    owed = _batch_calls(rpc, [(escrow, claimable.encode(a, t)) for a, t in pairs], block)
    credits = []
    for (account, asset), out in zip(pairs, owed):
        chain = claimable.decode(out)
        meta = book.assets[asset]
        credits.append(
            {
                "account": account,
                "asset": asset,
                "symbol": meta[0],
                "rebuilt": book.credits[(account, asset)],
                "on_chain": chain,
                "ok": chain == book.credits[(account, asset)],
            }
        )
        if not credits[-1]["ok"]:
            flags.append(
                f"escrow credit of {account}: {fmt(chain, meta)} on chain, events explain "
                f"{fmt(book.credits[(account, asset)], meta)}"
            )
    # every fee the escrow paid is in the treasury's books, or credited to the treasury
    stated = {}
    for log in book.fee_logs:
        a = log["args"]
        if a["source"] == escrow:
            key = (log["tx"], a["asset"], int(a["amount"]))
            stated[key] = stated.get(key, 0) + 1
        else:
            meta = book.assets.get(a["asset"]) or asset_meta(rpc, a["asset"])
            notes.append(
                f"block {log['block']}: a FeeReceived of {fmt(int(a['amount']), meta)} from {a['source']}, which is "
                "not the collective's escrow, is not counted as escrow income"
            )
    credited = {}
    for key in book.treasury_credits:
        credited[key] = credited.get(key, 0) + 1
    for paid in book.fees_paid:
        key = (paid["tx"], paid["asset"], paid["fee"])
        if stated.get(key):
            stated[key] -= 1
        elif credited.get(key):
            credited[key] -= 1
        else:
            flags.append(
                f"escrow job #{paid['job_id']}: a fee of {fmt(paid['fee'], book.assets[paid['asset']])} in tx "
                f"{paid['tx']} is neither in the treasury's books (FeeReceived) nor credited to the treasury"
            )
    flags = list(dict.fromkeys(flags))
    return EscrowAudit(not flags, block, escrow, results, jobs, credits, flags, notes)


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


# ---- the mutual-aid pool and its claims ------------------------------------------------------------------
# Kept apart from the treasury ledger above: the pool is a reservation inside the treasury's
# balance, rebuilt here per asset from the treasury's events (dues shares, earmarked gifts and
# kept deposits in; fund and release by vote; instalments out), with the aid contract's story
# of every claim (decision, each month's allowance and demand, withdrawals and lapses).
POOL_EVENTS = ("DuesPaid", "DonationReceived", "PoolFunded", "PoolReleased", "AidPaid")


@dataclass
class PoolRow:
    block: int
    time: int
    tx: str
    log_index: int
    direction: str  # in | out | note (a month opened, instalments lapsed: the pool does not move)
    asset: str
    symbol: str
    amount: int
    amount_text: str
    pool: int
    pool_text: str
    kind: str
    what: str
    claim_id: int | None = None
    proposal_id: int | None = None
    reported_pool: int | None = None
    flagged: bool = False


@dataclass
class AidBook:
    target: Target
    to_block: int
    time: int
    aid_asset: str
    rows: list[PoolRow]
    closing: dict[str, int]  # asset -> the pool rebuilt from events
    assets: dict[str, tuple[str, int]]
    claims: list[dict]
    months: list[dict]
    terms: dict[int, dict]
    flags: list[str] = field(default_factory=list)


def _aid_terms(rpc: Rpc, aid: str, logs: list[dict], block: int) -> dict[int, dict]:
    """Every terms version: 0 from the contract (its defaults), the others from `TermsChanged`."""
    from .aid import as_terms
    from .contracts import Contract

    fn = Contract("IwoMutualAid", aid).fn("terms_at")
    found = {0: as_terms(fn.decode(rpc.eth_call(aid, fn.encode(0), block)))}
    for log in logs:
        if log["name"] == "TermsChanged":
            found[int(log["args"]["version"])] = as_terms(log["args"]["terms"])
    return found


def aid_book(
    rpc: Rpc, cache: Cache, target: Target, to_block: int | None = None, progress: Progress = Progress()
) -> AidBook:
    """The pool per asset rebuilt from events (each movement with the pool after it, each month's
    opening and each lapse as a note) and every claim with its decision and its months."""
    from . import aid as aids

    if not target.aid:
        raise IwoError("this collective has no mutual-aid contract")
    to_block = scan(rpc, cache, target, to_block, progress)
    logs = cache.logs(target.chain_id, target.source, target.start_block, to_block)
    aid_logs = [log for log in logs if log["address"] == target.aid and log["name"] in aids.EVENTS]
    terms = _aid_terms(rpc, target.aid, aid_logs, to_block)
    wanted = {log["block"] for log in logs if log["name"] in (*POOL_EVENTS, *aids.EVENTS)}
    times = _timestamps(rpc, cache, target.chain_id, wanted | {to_block})
    book = aids.story(aid_logs, terms, times[to_block], times)
    raw = rpc.eth_call(target.aid, keccak(text="asset()")[:4], to_block)
    aid_asset = to_checksum_address(raw[-20:])
    metas: dict[str, tuple[str, int]] = {}

    def meta(asset: str) -> tuple[str, int]:
        if asset not in metas:
            metas[asset] = asset_meta(rpc, asset)
        return metas[asset]

    kept = {log["tx"]: int(log["args"]["claim_id"]) for log in aid_logs if log["name"] == "DepositKept"}
    running: dict[str, int] = {aid_asset: 0}
    rows: list[PoolRow] = []
    flags: list[str] = []
    for log in logs:
        row = _pool_row(log, target, aid_asset, kept, book, meta)
        if row is None:
            continue
        direction, asset, amount, kind, what, extra = row
        running.setdefault(asset, 0)
        running[asset] += amount if direction == "in" else -amount if direction == "out" else 0
        reported = extra.pop("reported_pool", None)
        flagged = reported is not None and reported != running[asset]
        if flagged:
            flags.append(
                f"{meta(asset)[0]} pool: block {log['block']} tx {log['tx']} reports a pool of "
                f"{fmt(reported, meta(asset))}, its events explain {fmt(running[asset], meta(asset))}"
            )
            running[asset] = reported  # follow the chain from here, so one gap is said once
        rows.append(
            PoolRow(
                block=log["block"],
                time=times[log["block"]],
                tx=log["tx"],
                log_index=log["log_index"],
                direction=direction,
                asset=asset,
                symbol=meta(asset)[0],
                amount=amount,
                amount_text=fmt(amount, meta(asset)),
                pool=running[asset],
                pool_text=fmt(running[asset], meta(asset)),
                kind=kind,
                what=what,
                reported_pool=reported,
                flagged=flagged,
                **extra,
            )
        )
    claims = sorted(book["claims"].values(), key=lambda c: (c["filed_block"], c["id"]))
    for claim in claims:
        for w in claim["withdrawals"]:
            if not w.get("matches_months", True):
                flags.append(
                    f"claim #{claim['id']}: the withdrawal in tx {w['tx']} paid "
                    f"{fmt(w['amount'], meta(aid_asset))}; its months' factors explain another amount"
                )
    for asset in running:
        meta(asset)
    months = sorted(book["months"].values(), key=lambda m: m["month"])
    return AidBook(target, to_block, times[to_block], aid_asset, rows, running, metas, claims, months, terms, flags)


def _pool_row(log: dict, target: Target, aid_asset: str, kept: dict, book: dict, meta):
    """(direction, asset, amount, kind, what, extra) of one event's part in the pool's story, or None."""
    from .aid import month_text, percent

    name, args = log["name"], log["args"]
    if log["address"] == target.aid:
        m = meta(aid_asset)
        if name == "MonthOpened":
            allowed, demand = int(args["allowed"]), int(args["demand"])
            if not demand:
                return None
            verdict = "paid in full" if allowed == demand else f"each claim cut to {percent(allowed, demand)}"
            what = (
                f"{month_text(int(args['month']))} opened: the pool {fmt(int(args['pool']), m)} / "
                f"{args['divisor']} allows {fmt(allowed, m)} for {fmt(demand, m)} asked: {verdict}"
            )
            return ("note", aid_asset, 0, "month opened", what, {})
        if name == "Withdrawn" and int(args["lapsed_months"]):
            cid = int(args["claim_id"])
            claim = book["claims"].get(cid, {})
            lapsed = [r for r in claim.get("schedule", []) if r["tx"] == log["tx"] and r["status"] == "lapsed"]
            amount = sum(r["amount"] or 0 for r in lapsed)
            what = (
                f"claim #{cid}: {len(lapsed)} instalment(s) lapsed unclaimed "
                f"({', '.join(str(r['month']) for r in lapsed)}): {fmt(amount, m)} stays in the pool"
            )
            return ("note", aid_asset, amount, "lapsed", what, {"claim_id": cid})
        return None
    if log["address"] != target.treasury or name not in POOL_EVENTS:
        return None
    asset = args.get("asset", ETH)
    m = meta(asset)
    if name == "DuesPaid":
        share = int(args["to_pool"])
        if not share:
            return None
        what = (
            f"share of dues: {fmt(share, m)} of {fmt(int(args['amount']), m)} paid for {args['member']} "
            f"({args['periods']} period(s))"
        )
        return ("in", asset, share, "dues share", what, {"reported_pool": int(args["pool"])})
    if name == "DonationReceived":
        share = int(args["to_pool"])
        if not share:
            return None
        if args["donor"] == target.aid:
            cid = kept.get(log["tx"])
            return (
                "in",
                asset,
                share,
                "deposit kept",
                f"deposit of denied claim #{cid} kept in the pool",
                {"reported_pool": int(args["pool"]), "claim_id": cid},
            )
        memo = f": {args['memo']}" if args["memo"] else ""
        what = f"gift earmarked for the pool from {args['donor']}{memo}"
        return ("in", asset, share, "earmarked gift", what, {"reported_pool": int(args["pool"])})
    if name in ("PoolFunded", "PoolReleased"):
        pid = int(args["proposal_id"])
        into = name == "PoolFunded"
        what = f"moved {'in from' if into else 'back to'} the free balance by proposal #{pid}"
        extra = {"reported_pool": int(args["pool"]), "proposal_id": pid}
        return ("in" if into else "out", asset, int(args["amount"]), "fund" if into else "release", what, extra)
    cid = int(args["claim_id"])  # AidPaid
    claim = book["claims"].get(cid, {})
    paid = [r for r in claim.get("schedule", []) if r["tx"] == log["tx"] and r["status"] == "paid"]
    cut = [r for r in paid if r["cut"]]
    months = ", ".join(str(r["month"]) for r in paid)
    label = "month" if len(paid) == 1 else "months"
    what = f"instalments of claim #{cid} to {args['member']}" + (f" ({label} {months})" if months else "")
    if cut:
        what += "; cut pro-rata: " + ", ".join(f"month {r['month']} at {r['factor']}" for r in cut)
    return ("out", asset, int(args["amount"]), "aid paid", what, {"reported_pool": int(args["pool"]), "claim_id": cid})


def audit_pool(rpc: Rpc, book: AidBook) -> tuple[list[dict], list[str]]:
    """The pool rebuilt from events against `treasury.pool(asset)`, per asset, at the book's last
    block; and the deposits the aid contract holds against its balance. (rows, flags)"""
    target, block = book.target, book.to_block
    selector_pool = keccak(text="pool(address)")[:4]
    results, flags = [], list(book.flags)
    for asset, rebuilt in book.closing.items():
        meta = book.assets[asset]
        raw = rpc.eth_call(target.treasury, selector_pool + bytes.fromhex(topic_address(asset)[2:]), block)
        on_chain = int.from_bytes(raw, "big")
        ok = on_chain == rebuilt
        results.append(
            {"what": "pool", "asset": asset, "symbol": meta[0], "rebuilt": rebuilt, "on_chain": on_chain, "ok": ok}
        )
        if not ok:
            flags.append(
                f"{meta[0]} pool: the treasury reserves {fmt(on_chain, meta)} at block {block}, its events "
                f"explain {fmt(rebuilt, meta)}"
            )
    held = sum(c["deposit"] for c in book.claims if c["deposit_state"] == "held")
    meta = book.assets.get(book.aid_asset) or asset_meta(rpc, book.aid_asset)
    on_chain = balance_at(rpc, book.aid_asset, target.aid, block)
    results.append(
        {
            "what": "deposits",
            "asset": book.aid_asset,
            "symbol": meta[0],
            "rebuilt": held,
            "on_chain": on_chain,
            "ok": on_chain == held,
        }
    )
    if on_chain != held:
        flags.append(
            f"{meta[0]} deposits: the aid contract holds {fmt(on_chain, meta)} at block {block}, the claims' "
            f"deposits held explain {fmt(held, meta)}"
        )
    return results, list(dict.fromkeys(flags))
