"""The rate board and paid rates: members' posted asks (IwoRates, one board per chain, keyed by
the collective's governor) and what finished escrow jobs paid per unit, turned into published
figures only by `rates.aggregate` (k-anonymity, no one over 25 %, 12 months, no min/max)."""

from __future__ import annotations

from fractions import Fraction

from . import assets, home, logstore
from .contracts import Contract, decode_log, topic_address
from .errors import IwoError
from .rates import Observation, aggregate, from_bytes32, to_bytes32
from .registry import Collective, log_store, recorded_deployment
from .session import Session

BOARD_EVENTS = ("RatePosted", "RateWithdrawn", "CategorySet", "AssetCapSet")


def board(s: Session) -> Contract:
    found = recorded_deployment(s) or home.deployment(s.chain_id)
    if not found or "rates" not in found:
        raise IwoError(f"no rate board recorded for chain {s.chain_id}: deploy it with `iwo deploy`")
    return Contract("IwoRates", found["rates"])


def sync(s: Session, c: Collective) -> tuple[logstore.LogStore, str]:
    """The board's events for this collective, up to the head (cached, incremental)."""
    b = board(s)
    store = log_store()
    source = f"rates:{b.address}:{c.address}"
    start = int((home.deployment(s.chain_id) or {}).get("block", 0))
    logstore.sync(
        s.rpc,
        store,
        s.chain_id,
        source,
        [b.address],
        [[b.topic(n) for n in BOARD_EVENTS], topic_address(c.address)],
        start,
        lambda log: decode_log("IwoRates", log),
        s.block_number(),
        to_hash=s.head()["hash"],
    )
    return store, source


def settings(s: Session, c: Collective) -> dict:
    """The collective's accepted categories and asset caps (set by its votes)."""
    store, source = sync(s, c)
    categories: dict[str, bool] = {}
    caps: dict[str, int] = {}
    for log in store.logs(s.chain_id, source, names=("CategorySet", "AssetCapSet")):
        a = log["args"]
        if log["name"] == "CategorySet":
            categories[from_bytes32(a["category"])] = bool(a["accepted"])
        else:
            caps[a["asset"]] = int(a["max_amount"])
    return {"categories": sorted(k for k, v in categories.items() if v), "caps": {k: v for k, v in caps.items() if v}}


def current_asks(s: Session, c: Collective) -> list[dict]:
    """Each member's current ask per category: the latest post unless withdrawn after it."""
    from .proposals import block_times

    store, source = sync(s, c)
    latest: dict[tuple[str, str], dict | None] = {}
    for log in store.logs(s.chain_id, source, names=("RatePosted", "RateWithdrawn")):
        a = log["args"]
        key = (a["member"], from_bytes32(a["category"]))
        latest[key] = log if log["name"] == "RatePosted" else None
    asks = [log for log in latest.values() if log is not None]
    times = block_times(s, {log["block"] for log in asks})
    return [
        {
            "member": log["args"]["member"],
            "category": from_bytes32(log["args"]["category"]),
            "unit": from_bytes32(log["args"]["unit"]),
            "asset": log["args"]["asset"],
            "amount": int(log["args"]["amount"]),
            "time": times[log["block"]],
            "tx": log["tx"],
        }
        for log in asks
    ]


def paid_jobs(s: Session, c: Collective) -> list[dict]:
    """Finished escrow jobs that recorded a category, a unit and a quantity: what the worker was
    paid gross (the client's releases, payment by silence and the worker's share of rulings), at
    the block the job ended (the escrow's books, `escrow_books`, say how each event moves money)."""
    from .escrow import all_books
    from .proposals import block_times

    if c.escrow is None:
        return []
    done = [
        {
            "job_id": j.job_id,
            "worker": j.worker,
            "asset": j.asset,
            "category": j.category,
            "unit": j.unit,
            "quantity": j.quantity,
            "paid": j.released + j.by_silence + j.ruled_to_worker,
            "block": j.last_block,
        }
        for j in all_books(s, c).jobs.values()
        if j.ended and j.category and j.unit and j.quantity
    ]
    done = [j for j in done if j["paid"]]
    times = block_times(s, {j["block"] for j in done})
    for j in done:
        j["time"] = times[j["block"]]
    return done


def observations(s: Session, c: Collective) -> list[Observation]:
    out = [
        Observation(a["member"], a["category"], a["unit"], a["asset"], Fraction(a["amount"]), a["time"], "ask")
        for a in current_asks(s, c)
    ]
    for j in paid_jobs(s, c):
        per_unit = Fraction(j["paid"] * 1000, j["quantity"])  # quantity is in thousandths
        out.append(Observation(j["worker"], j["category"], j["unit"], j["asset"], per_unit, j["time"], "paid"))
    return out


def summary(s: Session, c: Collective, category: str | None = None) -> dict:
    """Published rates per (category, unit, asset, source), built by `rates.aggregate` alone."""
    accepted = settings(s, c)["categories"]
    wanted = None
    if category is not None:
        name = from_bytes32(to_bytes32(category, "category"))
        wanted = {name}
    obs = observations(s, c)
    cells = aggregate(obs, s.now(), wanted)
    infos = assets.infos(s, sorted({cell.asset for cell in cells}))
    rows = []
    for cell in cells:
        symbol, decimals = infos[cell.asset]
        row = {
            "category": cell.category,
            "unit": cell.unit,
            "asset": cell.asset,
            "symbol": symbol,
            "source": cell.source,
            "members": cell.members,
            "published": cell.published,
            "reason": cell.reason,
            "percentiles": {str(p): int(round(v)) for p, v in cell.percentiles.items()},
        }
        row["percentiles_text"] = {p: assets.fmt(s, v, cell.asset) for p, v in row["percentiles"].items()}
        rows.append(row)
    return {
        "categories": accepted,
        "cells": rows,
        "asks": sum(o.source == "ask" for o in obs),
        "paid_jobs": sum(o.source == "paid" for o in obs),
    }


def post(s: Session, c: Collective, category: str, amount_text: str, asset_text: str, unit: str) -> dict:
    """Posts (or replaces) the member's ask in a category."""
    b = board(s)
    me = s.require_signer().address
    cat, per = to_bytes32(category, "category"), to_bytes32(unit, "--unit")
    asset = assets.parse_asset(asset_text)
    amount = assets.to_units(s, amount_text, asset, what="amount")
    good, accepted, cap = s.calls(
        [
            (c.governor, "in_good_standing", (me,)),
            (b, "accepts", (c.address, cat)),
            (b, "asset_cap", (c.address, asset)),
        ]
    )
    if not good:
        raise IwoError(f"{me} is not a member in good standing of {c.alias}: only they post asks")
    if not accepted:
        known = ", ".join(settings(s, c)["categories"]) or "none yet (a vote adds them)"
        raise IwoError(f"{c.alias} takes no asks in category {from_bytes32(cat)!r} (its categories: {known})")
    if not cap:
        raise IwoError(
            f"{c.alias} takes no asks in {assets.info(s, asset)[0]} (a vote sets which assets and their caps)"
        )
    if amount > cap:
        raise IwoError(f"amount above the collective's cap of {assets.fmt(s, cap, asset)} per unit")
    receipt = s.transact(b, "post_rate", c.address, cat, amount, asset, per)
    return {
        "member": me,
        "category": from_bytes32(cat),
        "unit": from_bytes32(per),
        "amount": amount,
        "amount_text": assets.fmt(s, amount, asset),
        "tx": receipt.tx_hash,
        "gas_used": receipt.gas_used,
    }


def withdraw(s: Session, c: Collective, category: str) -> dict:
    b = board(s)
    me = s.require_signer().address
    cat = to_bytes32(category, "category")
    mine = [a for a in current_asks(s, c) if a["member"] == me and a["category"] == from_bytes32(cat)]
    if not mine:
        raise IwoError(f"{me} has no current ask in {from_bytes32(cat)!r}")
    receipt = s.transact(b, "withdraw_rate", c.address, cat)
    return {"member": me, "category": from_bytes32(cat), "tx": receipt.tx_hash}


def category_action(s: Session, category: str, accepted: bool) -> tuple:
    b = board(s)
    return (b.address, 0, b.encode("set_category", to_bytes32(category, "category"), accepted))


def cap_action(s: Session, asset_text: str, amount_text: str) -> tuple:
    b = board(s)
    asset = assets.parse_asset(asset_text)
    amount = assets.to_units(s, amount_text, asset, allow_zero=True, what="--max")
    return (b.address, 0, b.encode("set_asset_cap", asset, amount))
