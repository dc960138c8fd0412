"""Mutual aid (IwoMutualAid): its terms in words, claims filed, objected to, voted on, settled and
paid by the month, and the proposals only a vote may make (new terms, an award, the end of a
claim). Every rule the contract enforces is checked first and refused in one line (nothing sent);
a claim says what it will pay and when before it is filed.

Each claim's story is rebuilt from the aid contract's events in the shared log store (the
contract keeps only each member's latest claim): filing, objections and votes with their
reasons, the decision, each month's allowance and demand (`MonthOpened`: the pro-rata factor),
withdrawals and lapsed instalments, deposits returned or kept. `story()` does it from the logs
alone, so the auditor's view (`ledger.aid_book`) and the commands tell the same story.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import assets
from .contracts import Contract, is_eth
from .errors import IwoError
from .limits import (
    AID_MONTH,
    AID_YEAR,
    MAX_AID_AMOUNT,
    MAX_AID_MONTHS,
    MAX_DIVISOR,
    MAX_OBJECTIONS,
    MAX_PHASE,
    MAX_REASON,
    MAX_UNCLAIMED,
    MAX_WAITING,
    MIN_DIVISOR,
    N_CATEGORIES,
    check_text,
)
from .registry import Collective, history
from .session import Session
from .units import format_duration, format_time

# The five categories every collective starts with (bits 0-4); 5-7 are the collective's own.
CATEGORY_NAMES = ("illness", "lost income", "equipment", "legal", "other")
# IMutualAid.ClaimState, flag bit by flag bit
STATES = ("contest", "voting", "decidable", "approved", "denied", "tied", "ended")
STATE_FLAGS = {name: 1 << i for i, name in enumerate(STATES)}
UNDECIDED = ("contest", "voting", "decidable")
STATE_WORDS = {
    "contest": "in its contest window",
    "voting": "under vote",
    "decidable": "decided, waiting for `iwo aid settle`",
    "approved": "approved",
    "denied": "denied",
    "tied": "tied (nothing paid)",
    "ended": "ended",
    "undecided": "undecided",
}
AGAINST, FOR = 0, 1
ID_SHIFT = 16  # claim id = claimant's roll index << 16 | their claim number
BPS = 10_000
# IMutualAid.Terms, in order
TERMS_FIELDS = (
    "waiting_period",
    "contest_window",
    "vote_period",
    "min_objections",
    "objection_bps",
    "quorum_bps",
    "max_months",
    "throttle_divisor",
    "unclaimed_months",
    "categories",
    "deposit",
    "auto_approve_max",
    "claim_cap",
    "member_cap",
)
AMOUNT_TERMS = ("deposit", "auto_approve_max", "claim_cap", "member_cap")
EVENTS = (
    "TermsChanged",
    "ClaimFiled",
    "ClaimAwarded",
    "ClaimObjected",
    "ClaimSupported",
    "ClaimReason",
    "ClaimDecided",
    "ClaimEnded",
    "MonthOpened",
    "Withdrawn",
    "DepositReturned",
    "DepositKept",
)


# ---- small words -------------------------------------------------------------------------------------
def require(c: Collective) -> Contract:
    """The collective's aid contract, or one clear line when it has none."""
    if c.aid is None:
        raise IwoError(f"{c.alias} has no mutual-aid contract (it was created before mutual aid)")
    return c.aid


def claim_id(index: int, seq: int) -> int:
    return index << ID_SHIFT | seq


def claimant_index(cid: int) -> int:
    return cid >> ID_SHIFT


def month_of(ts: int) -> int:
    return ts // AID_MONTH


def month_start(month: int) -> int:
    return month * AID_MONTH


def month_text(month: int) -> str:
    """'month 20581 (2026-06-15 to 2026-07-15)': an aid month and its days (UTC)."""
    first = format_time(month_start(month))[:10]
    last = format_time(month_start(month + 1) - 1)[:10]
    return f"month {month} ({first} to {last})"


def state_name(flag: int) -> str:
    value = int(flag)
    if value <= 0 or value & (value - 1) or value.bit_length() > len(STATES):
        raise ValueError(f"not a claim state flag: {flag}")
    return STATES[value.bit_length() - 1]


def category_name(index: int) -> str:
    return CATEGORY_NAMES[index] if index < len(CATEGORY_NAMES) else f"category {index}"


def parse_category(text: str | int) -> int:
    """A category by name ('illness', 'lost-income', 'lost income') or number (0-7)."""
    word = str(text).strip().lower().replace("-", " ").replace("_", " ")
    if word.isascii() and word.isdigit():
        value = int(word)
        if value < N_CATEGORIES:
            return value
    elif word in CATEGORY_NAMES:
        return CATEGORY_NAMES.index(word)
    elif word.startswith("category ") and word[9:].isascii() and word[9:].isdigit() and int(word[9:]) < N_CATEGORIES:
        return int(word[9:])
    names = ", ".join(n.replace(" ", "-") for n in CATEGORY_NAMES)
    raise IwoError(f"unknown category {text!r} (use {names}, or a number 0 to {N_CATEGORIES - 1})")


def categories_of(mask: int) -> list[int]:
    return [i for i in range(N_CATEGORIES) if mask >> i & 1]


def percent(part: int, whole: int) -> str:
    """part / whole as a percentage rounded down to 0.01 % ('57.14%')."""
    if whole == 0:
        return "0%"
    hundredths = part * 10_000 // whole
    return f"{hundredths // 100}.{hundredths % 100:02d}%".replace(".00%", "%")


def bps_text(bps: int) -> str:
    return f"{bps / 100:g}%"


def evidence_hash(file: str | None, given: str | None) -> bytes:
    """The evidence's hash: sha256 of FILE, or 32 bytes given as hex; zero for none."""
    if file and given:
        raise IwoError("give --evidence FILE or --evidence-hash HEX, not both")
    if file:
        try:
            return hashlib.sha256(Path(file).read_bytes()).digest()
        except OSError as exc:
            raise IwoError(f"cannot read {file}: {exc.strerror or exc}") from None
    if given:
        text = given.strip().lower().removeprefix("0x")
        if len(text) != 64 or not text.isascii() or any(ch not in "0123456789abcdef" for ch in text):
            raise IwoError(f"--evidence-hash must be 32 bytes in hex (64 digits), got {given!r}")
        return bytes.fromhex(text)
    return bytes(32)


# ---- terms ---------------------------------------------------------------------------------------------
def as_terms(raw) -> dict:
    """A decoded `Terms` struct (Record, dict or tuple) as a dict of ints."""
    if isinstance(raw, dict):
        return {f: int(raw[f]) for f in TERMS_FIELDS}
    return {f: int(v) for f, v in zip(TERMS_FIELDS, raw)}


def terms_tuple(t: dict) -> tuple:
    return tuple(int(t[f]) for f in TERMS_FIELDS)


def check_terms(t: dict, fmt=str) -> None:
    """Refuses, in the words of the options, terms the contract would refuse (`_pack0`/`_pack1`)."""
    checks = [
        (t["waiting_period"] <= MAX_WAITING, f"--waiting must be at most {format_duration(MAX_WAITING)}"),
        (
            0 < t["contest_window"] <= MAX_PHASE,
            f"--contest must be more than 0 and at most {format_duration(MAX_PHASE)}",
        ),
        (
            0 < t["vote_period"] <= MAX_PHASE,
            f"--vote-period must be more than 0 and at most {format_duration(MAX_PHASE)}",
        ),
        (0 < t["min_objections"] <= MAX_OBJECTIONS, f"--min-objections must be 1 to {MAX_OBJECTIONS:,}"),
        (0 < t["objection_bps"] <= BPS, "--objection-share must be more than 0% and at most 100%"),
        (t["quorum_bps"] <= BPS, "--quorum must be at most 100%"),
        (0 < t["max_months"] <= MAX_AID_MONTHS, f"--max-months must be 1 to {MAX_AID_MONTHS}"),
        (MIN_DIVISOR <= t["throttle_divisor"] <= MAX_DIVISOR, f"--throttle must be {MIN_DIVISOR} to {MAX_DIVISOR}"),
        (t["unclaimed_months"] <= MAX_UNCLAIMED, f"--unclaimed-months must be 0 to {MAX_UNCLAIMED}"),
        (0 < t["categories"] < 2**N_CATEGORIES, "--categories must enable at least one category"),
    ]
    for name in AMOUNT_TERMS:
        flag = "--" + name.replace("_max", "").replace("_", "-")
        checks.append((t[name] <= MAX_AID_AMOUNT, f"{flag} must be at most {fmt(MAX_AID_AMOUNT)}"))
    for ok, message in checks:
        if not ok:
            raise IwoError(message)


def terms_lines(t: dict, fmt) -> list[str]:
    """The terms in words; `fmt(amount)` writes an amount in the aid asset."""
    names = ", ".join(category_name(i) for i in categories_of(t["categories"]))
    lines = []
    if t["claim_cap"] == 0 or t["member_cap"] == 0:
        lines.append(
            "no claim can be filed yet: the per-claim and per-member caps are 0 until a vote sets them "
            "(`iwo propose aid-terms --claim-cap ... --member-cap ... --auto-approve ...`)"
        )
    deposit = (
        f"{fmt(t['deposit'])}, returned when the claim is approved or tied, kept in the pool when it is denied"
        if t["deposit"]
        else "none"
    )
    unclaimed = t["unclaimed_months"]
    lines += [
        f"who may claim: a member in good standing whose card (dues covered) is at least "
        f"{format_duration(t['waiting_period'])} old; one open claim at a time",
        f"categories: {names}",
        f"per claim: at most {fmt(t['claim_cap'])} in all (monthly amount x months), at most {t['max_months']} months",
        f"per member: at most {fmt(t['member_cap'])} of approved claims filed within 365 days",
        f"small claims (at most {fmt(t['auto_approve_max'])} in all): approved when the "
        f"{format_duration(t['contest_window'])} contest window ends, unless {t['min_objections']} members or "
        f"{bps_text(t['objection_bps'])} of them object (whichever is fewer)",
        f"larger or objected claims: a {format_duration(t['vote_period'])} vote of the members eligible when the "
        f"claim was filed, quorum {bps_text(t['quorum_bps'])}; more For than Against approves, fewer denies, "
        "a tie or no quorum pays nothing",
        f"deposit: {deposit}",
        f"payouts: one instalment a month from the month after approval; all claims together get at most "
        f"the pool / {t['throttle_divisor']} a month, each cut pro-rata when they ask more",
        "unclaimed instalments: withdrawable during their month"
        + (f" and the {unclaimed} month{'s' if unclaimed != 1 else ''} after" if unclaimed else "")
        + ", then they lapse and stay in the pool",
    ]
    return lines


def asset_of(s: Session, c: Collective) -> str:
    return s.call(require(c), "asset")


def terms_view(s: Session, c: Collective) -> dict:
    """The terms in force (and each earlier version), the pool and this month's limit."""
    aid = require(c)
    asset, version, raw, pool, limit, opened = s.calls(
        [
            (aid, "asset", ()),
            (aid, "terms_version", ()),
            (aid, "terms", ()),
            (aid, "pool", ()),
            (aid, "monthly_limit", ()),
            (aid, "last_opened_month", ()),
        ]
    )
    t = as_terms(raw)
    now = s.now()
    store = history(s, c)
    changes = [
        {
            "version": int(log["args"]["version"]),
            "proposal": int(log["args"]["proposal_id"]),
            "block": log["block"],
            "tx": log["tx"],
        }
        for log in store.logs(s.chain_id, c.source, names=("TermsChanged",))
        if log["address"] == aid.address
    ]

    def fmt(value):
        return assets.fmt(s, value, asset)

    return {
        "aid": aid.address,
        "asset": asset,
        "version": int(version),
        "terms": t,
        "terms_text": terms_lines(t, fmt),
        "amounts_text": {k: fmt(t[k]) for k in AMOUNT_TERMS},
        "categories": [category_name(i) for i in categories_of(t["categories"])],
        "pool": int(pool),
        "pool_text": fmt(int(pool)),
        "monthly_limit": int(limit),
        "monthly_limit_text": fmt(int(limit)),
        "now": now,
        "month": month_of(now),
        "month_text": month_text(month_of(now)),
        "next_month_from": month_start(month_of(now) + 1),
        "last_opened_month": int(opened),
        "changes": changes,
    }


def terms_change(s: Session, c: Collective, changes: dict) -> tuple[dict, dict, tuple]:
    """(old terms, new terms, the `set_terms` action): the terms in force with `changes` (amounts as
    typed, in the aid asset; `categories` as a list of names or numbers), checked as the contract
    will check them."""
    aid = require(c)
    asset, raw = s.calls([(aid, "asset", ()), (aid, "terms", ())])
    old = as_terms(raw)
    new = dict(old)
    for name, value in changes.items():
        if value is None:
            continue
        if name not in TERMS_FIELDS:
            raise IwoError(f"unknown aid term {name}")
        if name in AMOUNT_TERMS:
            value = assets.to_units(s, value, asset, allow_zero=True, what="--" + name.replace("_", "-"))
        elif name == "categories":
            value = sum(1 << parse_category(v) for v in value)
        new[name] = int(value)
    check_terms(new, lambda v: assets.fmt(s, v, asset))
    if new == old:
        raise IwoError("these are the terms in force already: give at least one term to change")
    return old, new, (aid.address, 0, aid.encode("set_terms", terms_tuple(new)))


TERM_LABELS = {
    "waiting_period": "waiting period",
    "contest_window": "contest window",
    "vote_period": "vote period",
    "min_objections": "objections needed",
    "objection_bps": "objection share",
    "quorum_bps": "quorum",
    "max_months": "longest claim (months)",
    "throttle_divisor": "monthly throttle (pool / N)",
    "unclaimed_months": "unclaimed window (months)",
    "categories": "categories",
    "deposit": "deposit",
    "auto_approve_max": "auto-approval threshold",
    "claim_cap": "per-claim cap",
    "member_cap": "per-member cap",
}


def term_value(name: str, value: int, fmt) -> str:
    if name in AMOUNT_TERMS:
        return fmt(value)
    if name.endswith("_bps"):
        return bps_text(value)
    if name in ("waiting_period", "contest_window", "vote_period"):
        return format_duration(value)
    if name == "categories":
        return ", ".join(category_name(i) for i in categories_of(value))
    return str(value)


def terms_diff(old: dict, new: dict, fmt) -> list[str]:
    """What changes between two versions of the terms, in words."""
    return [
        f"{TERM_LABELS[name]} {term_value(name, old[name], fmt)} -> {term_value(name, new[name], fmt)}"
        for name in TERMS_FIELDS
        if old[name] != new[name]
    ]


# ---- the story of every claim, from events -----------------------------------------------------------------
def aid_logs(store, chain_id: int, source: str, aid_address: str, end: int | None = None) -> list[dict]:
    return [log for log in store.logs(chain_id, source, end=end, names=EVENTS) if log["address"] == aid_address]


def story(logs: list[dict], terms_at: dict[int, dict], now: int, times: dict[int, int] | None = None) -> dict:
    """Every claim and every opened month, rebuilt from the aid contract's events alone.

    `terms_at` gives the terms of each version a claim was filed under (contest and vote windows,
    unclaimed window, deposit); `now` is the chain time the lapses and open windows are judged at;
    `times` the block times known (for the claims' filing times). A claim's `state` here is final
    once decided; an undecided one is 'undecided' (its phase needs the chain: `claims()`)."""
    times = times or {}
    claims: dict[int, dict] = {}
    months: dict[int, dict] = {}
    ballots: dict[tuple[str, str], dict] = {}
    for log in logs:
        name, a, block, tx = log["name"], log["args"], log["block"], log["tx"]
        cid = int(a["claim_id"]) if "claim_id" in a else None
        claim = claims.get(cid) if cid is not None else None
        if name == "ClaimFiled":
            version = int(a["terms_version"])
            t = terms_at.get(version)
            filed = times.get(block)
            small = bool(a["small"])
            vote_start = None
            if filed is not None and t is not None:
                vote_start = filed + (t["contest_window"] if small else 0)
            claims[cid] = {
                "id": cid,
                "claimant": a["member"],
                "index": claimant_index(cid),
                "number": cid & ((1 << ID_SHIFT) - 1),
                "category": int(a["category"]),
                "category_text": category_name(int(a["category"])),
                "monthly": int(a["monthly"]),
                "months": int(a["months"]),
                "total": int(a["monthly"]) * int(a["months"]),
                "evidence": a["evidence"],
                "terms_version": version,
                "small": small,
                "awarded_by": None,
                "filed": filed,
                "filed_block": block,
                "filed_tx": tx,
                "snapshot": filed - 1 if filed else None,
                "contest_end": vote_start if small else None,
                "vote_end": vote_start + t["vote_period"] if vote_start is not None else None,
                "state": "undecided",
                "votes": {"for": 0, "against": 0},
                "ballots": [],
                "decision": None,
                "ended": None,
                "first_month": None,
                "months_due": 0,
                "months_settled": 0,
                "deposit": (t or {}).get("deposit", 0),
                "deposit_state": "held" if (t or {}).get("deposit", 0) else None,
                "withdrawals": [],
                "paid": 0,
            }
        elif name == "ClaimAwarded" and claim:
            claim["awarded_by"] = int(a["proposal_id"])
            claim["deposit"], claim["deposit_state"] = 0, None
            claim["contest_end"] = claim["vote_end"] = None
        elif name in ("ClaimObjected", "ClaimSupported") and claim:
            support = "against" if name == "ClaimObjected" else "for"
            claim["votes"][support] += 1
            ballot = {"member": a["member"], "support": support, "reason": "", "block": block, "tx": tx}
            objection = (
                support == "against"
                and claim["small"]
                and (claim["contest_end"] is None or times.get(block, 0) < claim["contest_end"])
            )
            ballot["objection"] = objection
            claim["ballots"].append(ballot)
            ballots[(tx, a["member"])] = ballot
        elif name == "ClaimReason" and (tx, a["member"]) in ballots:
            ballots[(tx, a["member"])]["reason"] = a["reason"]
        elif name == "ClaimDecided" and claim:
            outcome = state_name(int(a["outcome"]))
            claim["state"] = outcome
            claim["decision"] = {
                "outcome": outcome,
                "votes_for": int(a["votes_for"]),
                "votes_against": int(a["votes_against"]),
                "quorum_base": int(a["quorum_base"]),
                "first_month": int(a["first_month"]) or None,
                "window_total": int(a["window_total"]),
                "block": block,
                "tx": tx,
            }
            if outcome == "approved":
                claim["first_month"] = int(a["first_month"])
                claim["months_due"] = claim["months"]
        elif name == "ClaimEnded" and claim:
            claim["state"] = "ended"
            claim["months_due"] = int(a["months_due"])
            claim["months_settled"] = min(claim["months_settled"], claim["months_due"])
            claim["ended"] = {"proposal_id": int(a["proposal_id"]) or None, "months_due": int(a["months_due"])}
            claim["ended"] |= {"block": block, "tx": tx}
        elif name == "MonthOpened":
            month = int(a["month"])
            months[month] = {
                "month": month,
                "pool": int(a["pool"]),
                "divisor": int(a["divisor"]),
                "allowed": int(a["allowed"]),
                "demand": int(a["demand"]),
                "cut": int(a["allowed"]) < int(a["demand"]),
                "block": block,
                "tx": tx,
            }
        elif name == "Withdrawn" and claim:
            claim["withdrawals"].append(
                {
                    "to_month": int(a["to_month"]),
                    "lapsed_months": int(a["lapsed_months"]),
                    "amount": int(a["amount"]),
                    "block": block,
                    "tx": tx,
                }
            )
            claim["paid"] += int(a["amount"])
            claim["months_settled"] = int(a["to_month"]) + 1 - claim["first_month"]
        elif name == "DepositReturned" and claim:
            claim["deposit_state"] = "returned"
        elif name == "DepositKept" and claim:
            claim["deposit_state"] = "kept"
    now_month = month_of(now)
    for claim in claims.values():
        t = terms_at.get(claim["terms_version"]) or {}
        claim["schedule"] = schedule(claim, months, t.get("unclaimed_months", MAX_UNCLAIMED), now_month)
    return {"claims": claims, "months": months}


def schedule(claim: dict, months: dict[int, dict], unclaimed: int, now_month: int) -> list[dict]:
    """Each instalment of an approved claim: its month, the month's factor, the amount it pays
    (floor(monthly x allowed / demand), once the month is opened) and whether it was paid, lapsed,
    is due or is still to come. A withdrawal whose amount differs from its months' is marked."""
    first = claim["first_month"]
    if not first:
        return []
    paid_in: dict[int, dict] = {}
    lapsed_in: dict[int, dict] = {}
    next_month = first
    for w in claim["withdrawals"]:
        for k in range(next_month, next_month + w["lapsed_months"]):
            lapsed_in[k] = w
        for k in range(next_month + w["lapsed_months"], w["to_month"] + 1):
            paid_in[k] = w
        next_month = w["to_month"] + 1
    rows = []
    for k in range(first, first + claim["months_due"]):
        record = months.get(k)
        amount = claim["monthly"] * record["allowed"] // record["demand"] if record and record["demand"] else None
        if k in paid_in:
            status, tx = "paid", paid_in[k]["tx"]
        elif k in lapsed_in:
            status, tx = "lapsed", lapsed_in[k]["tx"]
        elif now_month > k + unclaimed:
            status, tx = "lapsed", None
        elif k <= now_month:
            status, tx = "due", None
        else:
            status, tx = "upcoming", None
        rows.append(
            {
                "month": k,
                "month_text": month_text(k),
                "from": month_start(k),
                "withdraw_by": month_start(k + unclaimed + 1),
                "status": status,
                "amount": amount,
                "cut": bool(record and record["cut"]),
                "factor": percent(record["allowed"], record["demand"]) if record and record["demand"] else None,
                "allowed": record["allowed"] if record else None,
                "demand": record["demand"] if record else None,
                "tx": tx,
            }
        )
    for w in claim["withdrawals"]:
        computed = sum(r["amount"] or 0 for r in rows if r["status"] == "paid" and r["tx"] == w["tx"])
        w["matches_months"] = computed == w["amount"]
    return rows


# ---- claims with their state now ----------------------------------------------------------------------------
def _terms_versions(s: Session, aid: Contract, versions: set[int]) -> dict[int, dict]:
    ordered = sorted(versions)
    return {v: as_terms(t) for v, t in zip(ordered, s.calls([(aid, "terms_at", (v,)) for v in ordered]))}


def claims(s: Session, c: Collective) -> dict:
    """Every claim: its story from events and, for each member's latest claim (`latest`), the
    contract's view now (state by time, tallies, months due and settled). Returns {"claims": {id:
    claim}, "months": {month: record}, "asset", "now", "terms_at": {version: terms}, "terms_version"}."""
    from .proposals import block_times

    aid = require(c)
    store = history(s, c)
    logs = aid_logs(store, s.chain_id, c.source, aid.address)
    filed = [log for log in logs if log["name"] == "ClaimFiled"]
    versions = {int(log["args"]["terms_version"]) for log in filed}
    asset, current = s.calls([(aid, "asset", ()), (aid, "terms_version", ())])
    terms_at = _terms_versions(s, aid, versions | {int(current)})
    times = block_times(s, {log["block"] for log in logs if log["name"] in ("ClaimFiled", "ClaimObjected")})
    now = s.now()
    book = story(logs, terms_at, now, times)
    ids = sorted(book["claims"])
    views = s.calls([(aid, "claim", (cid,)) for cid in ids], errors=True) if ids else []
    for cid, view in zip(ids, views):
        claim = book["claims"][cid]
        claim["latest"] = not isinstance(view, Exception)
        if claim["latest"]:
            _merge_view(claim, view, book["months"], terms_at, now)
    book |= {"asset": asset, "now": now, "terms_at": terms_at, "terms_version": int(current)}
    return book


def _merge_view(claim: dict, view, months: dict, terms_at: dict, now: int) -> None:
    claim["state"] = state_name(int(view["state"]))
    claim["votes"] = {"for": int(view["votes_for"]), "against": int(view["votes_against"])}
    claim["filed"], claim["snapshot"] = int(view["filed"]), int(view["snapshot"])
    claim["contest_end"] = int(view["contest_end"]) or None
    if claim["awarded_by"] is None:
        claim["vote_end"] = int(view["vote_end"])
    claim["deposit_state"] = "held" if view["deposit_held"] else claim["deposit_state"]
    if int(view["first_month"]):
        claim["first_month"] = int(view["first_month"])
        claim["months_due"] = int(view["months_due"])
        claim["months_settled"] = int(view["months_settled"])
    unclaimed = terms_at.get(claim["terms_version"], {}).get("unclaimed_months", MAX_UNCLAIMED)
    claim["schedule"] = schedule(claim, months, unclaimed, month_of(now))


def deadline(claim: dict, now: int) -> tuple[str, int | None]:
    """What comes next for a claim, in words, and when (None: nothing by time)."""
    state = claim["state"]
    if state == "contest":
        return "contest window ends", claim["contest_end"]
    if state == "voting":
        return "vote ends", claim["vote_end"]
    if state == "decidable":
        return "decision due: `iwo aid settle`", None
    if state in ("approved", "ended"):
        due = [r for r in claim["schedule"] if r["status"] in ("due", "upcoming")]
        if not due:
            return ("fully paid" if claim["paid"] else "closed"), None
        r = due[0]
        if r["status"] == "due":
            return f"instalment for {month_text(r['month'])} withdrawable until", r["withdraw_by"]
        return "next instalment withdrawable from", r["from"]
    return STATE_WORDS[state], None


def decision_words(claim: dict) -> str:
    """How a claim was decided, in words ('approved by vote: for 2, against 0 of 5 members')."""
    d = claim["decision"]
    if d is None:
        return STATE_WORDS[claim["state"]]
    if claim["awarded_by"]:
        return f"{d['outcome']} by proposal #{claim['awarded_by']}"
    if not d["quorum_base"]:
        objections = d["votes_against"]
        few = f" ({objections} objection{'s' if objections != 1 else ''}, fewer than needed)" if objections else ""
        return f"{d['outcome']} by silence: the contest window ended{few}"
    return f"{d['outcome']} by vote: for {d['votes_for']}, against {d['votes_against']} of {d['quorum_base']} members"


def get_claim(s: Session, c: Collective, cid: int, book: dict | None = None) -> dict:
    book = book or claims(s, c)
    claim = book["claims"].get(cid)
    if claim is None:
        known = sorted(book["claims"])
        hint = f" (claims: {', '.join('#' + str(k) for k in known[-8:])})" if known else " (it has none yet)"
        raise IwoError(f"no claim #{cid} in {c.alias}{hint}")
    return claim


def latest_of(s: Session, c: Collective, member: str) -> int | None:
    """The id of `member`'s latest claim, None if they never claimed."""
    aid = require(c)
    view = s.call(c.governor, "member", member)
    if not int(view["joined"]):
        return None
    window = s.call(aid, "member_window", int(view["index"]))
    count = int(window["claims"])
    return claim_id(int(view["index"]), count) if count else None


# ---- filing a claim: what it will pay and when -----------------------------------------------------------------
def plan_claim(s: Session, c: Collective, category_text: str, monthly_text: str, months: int, evidence: bytes) -> dict:
    """Checks a claim the signer wants to file as the contract will (each refusal one line) and
    says what it will pay and when: the decision path and its dates, the first month, the caps
    left, the deposit and the monthly throttle now."""
    aid = require(c)
    me = s.require_signer().address
    asset, version, raw, member, good, limit, pool = s.calls(
        [
            (aid, "asset", ()),
            (aid, "terms_version", ()),
            (aid, "terms", ()),
            (c.governor, "member", (me,)),
            (c.governor, "in_good_standing", (me,)),
            (aid, "monthly_limit", ()),
            (aid, "pool", ()),
        ]
    )
    t = as_terms(raw)

    def fmt(value):
        return assets.fmt(s, value, asset)

    category = parse_category(category_text)
    monthly = assets.to_units(s, monthly_text, asset, what="--monthly")
    if t["claim_cap"] == 0 or t["member_cap"] == 0:
        raise IwoError(
            "no claim can be filed yet: the aid terms in force set no amounts (per-claim and per-member caps "
            "are 0); a vote must set them first: `iwo propose aid-terms --claim-cap ... --member-cap ... "
            "--auto-approve ...`"
        )
    if not t["categories"] >> category & 1:
        enabled = ", ".join(category_name(i) for i in categories_of(t["categories"]))
        raise IwoError(f"category {category_name(category)} is not enabled (enabled: {enabled})")
    if months < 1:
        raise IwoError("--months must be at least 1 (a one-off is 1 month)")
    if months > t["max_months"]:
        raise IwoError(f"at most {t['max_months']} months per claim (asked {months})")
    total = monthly * months
    if monthly > MAX_AID_AMOUNT or total > t["claim_cap"]:
        raise IwoError(
            f"{fmt(total)} in all ({fmt(monthly)} x {months}) is over the per-claim cap of {fmt(t['claim_cap'])}"
        )
    if not good:
        if not member["is_member"]:
            raise IwoError(f"{me} is not a member of {c.alias}: only members may claim")
        raise IwoError(f"{me} is behind on dues: pay the arrears (`iwo dues pay`), then claim")
    now = s.now()
    index = int(member["index"])
    eligible, window = s.calls(
        [(c.governor, "eligible_at", (me, now - t["waiting_period"])), (aid, "member_window", (index,))]
    )
    if not eligible:
        since = int(member["joined"]) + t["waiting_period"]
        raise IwoError(
            f"{me} cannot claim yet: the waiting period is {format_duration(t['waiting_period'])} of membership "
            f"with dues covered (about {format_time(since, now)})"
        )
    count = int(window["claims"])
    if count:
        latest = claim_id(index, count)
        view = s.call(aid, "claim", latest)
        state = state_name(int(view["state"]))
        if state in UNDECIDED:
            raise IwoError(f"claim #{latest} is still open ({STATE_WORDS[state]}): one open claim per member")
        if state in ("approved", "ended") and int(view["first_month"]):
            unclaimed = as_terms(s.call(aid, "terms_at", int(view["terms_version"])))["unclaimed_months"]
            first, due = int(view["first_month"]), int(view["months_due"])
            if first + int(view["months_settled"]) < first + due and month_of(now) < first + due + unclaimed:
                closes = month_start(first + due + unclaimed)
                raise IwoError(
                    f"claim #{latest} is still open: one open claim per member; it closes when its last "
                    f"instalment is withdrawn or lapses ({format_time(closes, now)})"
                )
        if view["deposit_held"]:
            raise IwoError(f"take back the deposit of claim #{latest} first: `iwo aid reclaim {latest}`")
    used = int(window["window_total"]) if now < int(window["window_start"]) + AID_YEAR else 0
    if used + total > t["member_cap"]:
        start = int(window["window_start"])
        raise IwoError(
            f"over the member cap: {fmt(used)} of {fmt(t['member_cap'])} used in the 12 months from "
            f"{format_time(start)[:10]}, {fmt(t['member_cap'] - used)} left; this claim is {fmt(total)}"
        )
    small = total <= t["auto_approve_max"]
    decided = now + (t["contest_window"] if small else t["vote_period"])
    first = month_of(decided) + 1
    plan = {
        "claimant": me,
        "category": category,
        "category_text": category_name(category),
        "monthly": monthly,
        "months": months,
        "total": total,
        "evidence": "0x" + evidence.hex(),
        "terms_version": int(version),
        "small": small,
        "decided_by": decided,
        "first_month": first,
        "last_month": first + months - 1,
        "deposit": t["deposit"],
        "claim_cap": t["claim_cap"],
        "member_cap": t["member_cap"],
        "member_cap_used": used,
        "member_cap_left": t["member_cap"] - used - total,
        "monthly_limit": int(limit),
        "pool": int(pool),
        "asset": asset,
    }
    plan["text"] = claim_plan_lines(plan, t, fmt, now)
    return plan


def claim_plan_lines(plan: dict, t: dict, fmt, now: int) -> list[str]:
    months = plan["months"]
    what = f"{fmt(plan['monthly'])} a month for {months} months" if months > 1 else f"{fmt(plan['monthly'])}, once"
    lines = [f"claim ({plan['category_text']}): {what}, {fmt(plan['total'])} in all"]
    if plan["small"]:
        lines.append(
            f"small claim (at most {fmt(t['auto_approve_max'])}): approved when its contest window ends "
            f"({format_time(plan['decided_by'], now)}) unless {t['min_objections']} members or "
            f"{bps_text(t['objection_bps'])} of them object; then anyone records it with `iwo aid settle`"
        )
    else:
        lines.append(
            f"over the auto-approval threshold of {fmt(t['auto_approve_max'])}: the members vote until "
            f"{format_time(plan['decided_by'], now)} (quorum {bps_text(t['quorum_bps'])}), then `iwo aid settle`"
        )
    span = month_text(plan["first_month"])
    if months > 1:
        span += f" to {month_text(plan['last_month'])}"
    lines += [
        f"if approved then: paid from {span}, one instalment a month, each withdrawn with `iwo aid withdraw` "
        f"(while in good standing) within {t['unclaimed_months']} month(s) after its month",
        f"throttle: all running claims together get at most the pool / {t['throttle_divisor']} a month "
        f"(now {fmt(plan['monthly_limit'])} of a pool of {fmt(plan['pool'])}); when they ask more, each is "
        "cut pro-rata",
        f"caps: {fmt(plan['total'])} of the {fmt(plan['claim_cap'])} per-claim cap; you have used "
        f"{fmt(plan['member_cap_used'])} of your {fmt(plan['member_cap'])} per 12 months, "
        f"{fmt(plan['member_cap_left'])} left after this claim",
        (
            f"deposit: {fmt(plan['deposit'])} sent with the claim, returned when it is approved or tied, "
            "kept in the pool when it is denied"
        )
        if plan["deposit"]
        else "deposit: none",
    ]
    return lines


def file_claim(s: Session, c: Collective, plan: dict) -> dict:
    aid = require(c)
    args = (plan["category"], plan["monthly"], plan["months"], bytes.fromhex(plan["evidence"][2:]))
    if plan["deposit"] and not is_eth(plan["asset"]):
        assets.approve(s, plan["asset"], aid.address, plan["deposit"])
        receipt = s.transact(aid, "file_claim", *args)
    else:
        receipt = s.transact(aid, "file_claim", *args, value=plan["deposit"])
    event = receipt.event(aid, "ClaimFiled")
    return plan | {"id": int(event.claim_id), "tx": receipt.tx_hash, "state": "contest" if plan["small"] else "voting"}


# ---- ballots -------------------------------------------------------------------------------------------------
def _who(s: Session, c: Collective, voter: str, claims: list[tuple[int, int]]) -> list[dict]:
    """For each (claim id, snapshot): what a ballot by `voter` depends on — eligible at the snapshot
    (and if not, whether they held a card then), their own claim, already counted — in one batch."""
    aid = require(c)
    member = s.call(c.governor, "member", voter)
    index, joined = int(member["index"]), bool(int(member["joined"]))  # never admitted: index 0, joined 0
    requests = []
    for cid, snapshot in claims:
        requests += [
            (c.governor, "eligible_at", (voter, snapshot)),
            (c.governor, "was_member_at", (voter, snapshot)),
            (aid, "has_voted", (cid, index)),
        ]
    answers = s.calls(requests)
    return [
        {
            "eligible": bool(answers[3 * i]),
            "was_member": bool(answers[3 * i + 1]),
            "own": joined and index == claimant_index(cid),
            "voted": joined and bool(answers[3 * i + 2]),
        }
        for i, (cid, _) in enumerate(claims)
    ]


def _unknown(s: Session, c: Collective, cid: int) -> str:
    store = history(s, c)
    if store.by_key(s.chain_id, c.source, "ClaimFiled", cid):
        return f"claim #{cid} is closed: the same member has filed a later claim"
    return f"no claim #{cid} in {c.alias}"


# ballot refusal codes (the page says them to the member, the CLI to whoever runs it)
MAY, CLOSED, NOT_ELIGIBLE, ARREARS, OWN, VOTED, CONTEST_ONLY, VOTE_ONLY = (
    "may_vote",
    "closed",
    "not_member",
    "arrears",
    "own",
    "voted",
    "contest",
    "vote",
)


def ballot_code(view: dict, who: dict, objecting: bool) -> str:
    """Whether a ballot (an objection, or a vote) may be cast now, as a code."""
    state = state_name(int(view["state"]))
    if who["own"]:
        return OWN
    if who["voted"]:
        return VOTED
    if state == "contest" and not objecting:
        return CONTEST_ONLY
    if state == "voting" and objecting:
        return VOTE_ONLY
    if state not in ("contest", "voting"):
        return CLOSED
    if not who["eligible"]:
        return ARREARS if who["was_member"] else NOT_ELIGIBLE
    return MAY


def ballot_words(code: str, cid: int, view: dict, now: int, you: bool = False, who: str = "") -> str:
    name, was, has = ("you", "were", "have") if you else (who, "was", "has")
    state = state_name(int(view["state"]))
    if code == OWN:
        owner = "your own" if you else f"{who}'s own"
        return f"claim #{cid} is {owner}: a claimant does not vote on it"
    if code == VOTED:
        return f"{name} {has} already objected to or voted on claim #{cid}"
    if code == CONTEST_ONLY:
        return (
            f"claim #{cid} is in its contest window until {format_time(int(view['contest_end']), now)}: members may "
            "only object now (`iwo aid object`); it goes to a vote only if enough of them do"
        )
    if code == VOTE_ONLY:
        return (
            f"claim #{cid} is under vote until {format_time(int(view['vote_end']), now)}: vote on it (`iwo aid vote`)"
        )
    if code == CLOSED:
        if state == "decidable":
            return f"the ballot on claim #{cid} has closed: its decision is due (`iwo aid settle {cid}`)"
        return f"claim #{cid} is {STATE_WORDS[state]}: no more ballots"
    if code == ARREARS:
        return (
            f"{name} {was} behind on dues when claim #{cid} was filed, so {'you' if you else 'they'} cannot vote "
            "on it (paying the arrears that cover that time restores the vote)"
        )
    if code == NOT_ELIGIBLE:
        return f"{name} {was} not a member when claim #{cid} was filed, so {'you' if you else 'they'} cannot vote on it"
    raise ValueError(code)


def check_ballot(s: Session, c: Collective, cid: int, voter: str, objecting: bool, reason: str) -> dict:
    check_text(reason, MAX_REASON, "--reason")
    view = _claim_view(s, c, cid)
    who = _who(s, c, voter, [(cid, int(view["snapshot"]))])[0]
    code = ballot_code(view, who, objecting)
    if code != MAY:
        raise IwoError(ballot_words(code, cid, view, s.now(), who=voter))
    return view


def object_to(s: Session, c: Collective, cid: int, reason: str) -> dict:
    aid = require(c)
    me = s.require_signer().address
    view = check_ballot(s, c, cid, me, True, reason)
    receipt = s.transact(aid, "object", cid, reason) if reason else s.transact(aid, "object", cid)
    after = s.call(aid, "claim", cid)
    return {
        "claim": cid,
        "member": me,
        "reason": reason,
        "objections": int(after["votes_against"]),
        "objected": bool(s.call(aid, "objected", cid)),
        "contest_end": int(view["contest_end"]),
        "tx": receipt.tx_hash,
    }


def vote(s: Session, c: Collective, cid: int, support_word: str, reason: str) -> dict:
    aid = require(c)
    me = s.require_signer().address
    support = {"for": FOR, "against": AGAINST}.get(support_word.lower())
    if support is None:
        raise IwoError(f"a claim vote is for or against, not {support_word!r}")
    view = check_ballot(s, c, cid, me, False, reason)
    receipt = s.transact(aid, "vote", cid, support, reason)
    after = s.call(aid, "claim", cid)
    return {
        "claim": cid,
        "voter": me,
        "support": support_word.lower(),
        "reason": reason,
        "votes": {"for": int(after["votes_for"]), "against": int(after["votes_against"])},
        "vote_end": int(view["vote_end"]),
        "tx": receipt.tx_hash,
    }


# ---- decisions, payouts, deposits ------------------------------------------------------------------------------
def _claim_view(s: Session, c: Collective, cid: int) -> dict:
    try:
        return dict(s.call(require(c), "claim", cid))
    except IwoError as exc:
        if "unknown claim" in str(exc):
            raise IwoError(_unknown(s, c, cid)) from None
        raise


def settle(s: Session, c: Collective, cid: int) -> dict:
    aid = require(c)
    s.require_signer()
    view = _claim_view(s, c, cid)
    state, now = state_name(int(view["state"])), s.now()
    if state == "contest":
        raise IwoError(f"claim #{cid} is in its contest window until {format_time(int(view['contest_end']), now)}")
    if state == "voting":
        raise IwoError(f"the vote on claim #{cid} is open until {format_time(int(view['vote_end']), now)}")
    if state != "decidable":
        raise IwoError(f"claim #{cid} is already decided: {STATE_WORDS[state]}")
    receipt = s.transact(aid, "settle", cid)
    decided = receipt.event(aid, "ClaimDecided")
    outcome = state_name(int(decided.outcome))
    out = {
        "claim": cid,
        "outcome": outcome,
        "votes": {"for": int(decided.votes_for), "against": int(decided.votes_against)},
        "quorum_base": int(decided.quorum_base),
        "first_month": int(decided.first_month) or None,
        "deposit_kept": bool(receipt.events(aid, "DepositKept")),
        "deposit_held": bool(view["deposit_held"]) and outcome != "denied",
        "tx": receipt.tx_hash,
    }
    return out


def _own_claim(s: Session, c: Collective, cid: int | None) -> tuple[Contract, str, int, dict, str]:
    """For the signer's own claim commands: the aid contract, the signer, the claim (their latest
    when `cid` is None), its view and its state's name."""
    aid = require(c)
    me = s.require_signer().address
    if cid is None:
        cid = latest_of(s, c, me)
        if cid is None:
            raise IwoError(f"{me} has no claim in {c.alias}")
    view = _claim_view(s, c, cid)
    return aid, me, cid, view, state_name(int(view["state"]))


def plan_withdraw(s: Session, c: Collective, cid: int | None) -> dict:
    """What `withdraw` pays now, month by month (each at its month's factor; lapsed months said),
    after checking who may withdraw and that something is due."""
    aid, me, cid, view, state = _own_claim(s, c, cid)
    member, good, asset = s.calls(
        [(c.governor, "member", (me,)), (c.governor, "in_good_standing", (me,)), (aid, "asset", ())]
    )
    if state not in ("approved", "ended") or not int(view["first_month"]):
        raise IwoError(f"claim #{cid} is {STATE_WORDS[state]}: only an approved claim pays")
    if not int(member["joined"]) or int(member["index"]) != claimant_index(cid):
        raise IwoError(f"only the claimant of claim #{cid} withdraws its instalments, not {me}")
    if not good:
        raise IwoError(
            f"{me} is not in good standing: instalments are paused while dues are behind "
            "(pay the arrears with `iwo dues pay`, then withdraw)"
        )
    now = s.now()
    now_month = month_of(now)
    first, due, settled = int(view["first_month"]), int(view["months_due"]), int(view["months_settled"])
    next_month, due_end = first + settled, first + due
    if next_month >= due_end:
        raise IwoError(f"claim #{cid} is fully paid: every instalment was withdrawn or has lapsed")
    if next_month > now_month:
        raise IwoError(
            f"nothing due yet on claim #{cid}: the next instalment is for {month_text(next_month)}, "
            f"withdrawable from {format_time(month_start(next_month), now)}"
        )
    unclaimed = as_terms(s.call(aid, "terms_at", int(view["terms_version"])))["unclaimed_months"]
    from_month = max(next_month, now_month - unclaimed)
    last = min(now_month, due_end - 1)
    records = {
        k: r
        for k, r in zip(
            range(from_month, last + 1), s.calls([(aid, "month_record", (k,)) for k in range(from_month, last + 1)])
        )
    }
    total = int(s.simulate(aid, "withdraw", cid))
    monthly = int(view["monthly"])
    rows, known = [], 0
    for k in range(next_month, from_month):
        rows.append({"month": k, "month_text": month_text(k), "status": "lapsed", "amount": 0})
    opening = []  # months this withdrawal opens: their allowance is fixed when it runs
    for k in range(from_month, last + 1):
        r = records[k]
        if r["opened"]:
            demand, allowed = int(r["demand"]), int(r["allowed"])
            amount = monthly * allowed // demand if demand else 0
            known += amount
            rows.append(
                {
                    "month": k,
                    "month_text": month_text(k),
                    "status": "due",
                    "amount": amount,
                    "allowed": allowed,
                    "demand": demand,
                    "cut": allowed < demand,
                    "factor": percent(allowed, demand),
                }
            )
        else:
            opening.append({"month": k, "month_text": month_text(k), "status": "due", "opens": True})
            rows.append(opening[-1])
    if len(opening) == 1:  # the simulated total tells this month's amount exactly
        row = opening[0]
        row |= {"amount": total - known, "cut": total - known < monthly, "factor": percent(total - known, monthly)}
    elif opening:  # several: only their sum is known until they open
        for row in opening:
            row |= {"amount": None, "cut": False, "factor": None, "together": total - known}
    return {
        "claim": cid,
        "claimant": me,
        "asset": asset,
        "monthly": monthly,
        "months": rows,
        "amount": total,
        "next_after": last + 1 if last + 1 < due_end else None,
    }


def withdraw(s: Session, c: Collective, plan: dict) -> dict:
    aid = require(c)
    receipt = s.transact(aid, "withdraw", plan["claim"])
    event = receipt.event(aid, "Withdrawn")
    for opened in receipt.events(aid, "MonthOpened"):
        allowed, demand = int(opened.allowed), int(opened.demand)
        for row in plan["months"]:
            if row.get("opens") and row["month"] == int(opened.month) and demand:
                row |= {
                    "amount": plan["monthly"] * allowed // demand,
                    "allowed": allowed,
                    "demand": demand,
                    "pool": int(opened.pool),
                    "cut": allowed < demand,
                    "factor": percent(allowed, demand),
                }
                row.pop("together", None)
    return plan | {"amount": int(event.amount), "lapsed_months": int(event.lapsed_months), "tx": receipt.tx_hash}


def reclaim(s: Session, c: Collective, cid: int | None) -> dict:
    aid, me, cid, view, state = _own_claim(s, c, cid)
    if not view["deposit_held"]:
        raise IwoError(
            f"no deposit is held for claim #{cid}"
            + (" (it was kept: the claim was denied)" if state == "denied" else "")
        )
    if state not in ("approved", "ended", "tied"):
        raise IwoError(f"claim #{cid} is {STATE_WORDS[state]}: its deposit comes back once it is approved or tied")
    member = s.call(c.governor, "member", me)
    if not int(member["joined"]) or int(member["index"]) != claimant_index(cid):
        raise IwoError(f"only the claimant of claim #{cid} takes back its deposit, not {me}")
    receipt = s.transact(aid, "reclaim_deposit", cid)
    event = receipt.event(aid, "DepositReturned")
    return {
        "claim": cid,
        "member": me,
        "amount": int(event.amount),
        "asset": s.call(aid, "asset"),
        "tx": receipt.tx_hash,
    }


def stop(s: Session, c: Collective, cid: int) -> dict:
    aid = require(c)
    s.require_signer()
    view = _claim_view(s, c, cid)
    state = state_name(int(view["state"]))
    if state != "approved":
        raise IwoError(f"claim #{cid} is {STATE_WORDS[state]}: only a running (approved) claim can be stopped")
    store = history(s, c)
    claimant = store.by_key(s.chain_id, c.source, "ClaimFiled", cid)[0]["args"]["member"]
    if s.call(c.governor, "is_member", claimant):
        raise IwoError(
            f"{claimant} is still a member: a claim is stopped only once its claimant has left "
            "(the collective may end it by vote: `iwo propose aid-end`)"
        )
    receipt = s.transact(aid, "stop", cid, claimant)
    event = receipt.event(aid, "ClaimEnded")
    return {"claim": cid, "claimant": claimant, "months_due": int(event.months_due), "tx": receipt.tx_hash}


# ---- proposals only a vote may make --------------------------------------------------------------------------------
def award_action(
    s: Session, c: Collective, member_text: str, category_text: str, monthly_text: str, months: int, evidence: bytes
) -> tuple:
    """`award(member, ...)`: an approved claim decided by the proposal itself (no waiting period,
    contest or deposit; the categories, caps and one-open-claim rule apply)."""
    aid = require(c)
    who = s.address(member_text, "member")
    asset, raw, is_member = s.calls([(aid, "asset", ()), (aid, "terms", ()), (c.governor, "is_member", (who,))])
    t = as_terms(raw)
    category = parse_category(category_text)
    monthly = assets.to_units(s, monthly_text, asset, what="--monthly")
    if not is_member:
        raise IwoError(f"{who} is not a member of {c.alias}: aid is awarded to members")
    if not t["categories"] >> category & 1:
        raise IwoError(f"category {category_name(category)} is not enabled by the terms in force")
    if not 1 <= months <= t["max_months"]:
        raise IwoError(f"--months must be 1 to {t['max_months']} (the terms in force)")
    if monthly * months > t["claim_cap"]:
        raise IwoError(
            f"{assets.fmt(s, monthly * months, asset)} in all is over the per-claim cap of "
            f"{assets.fmt(s, t['claim_cap'], asset)}"
        )
    return (aid.address, 0, aid.encode("award", who, category, monthly, months, evidence))


def end_action(s: Session, c: Collective, cid: int) -> tuple:
    aid = require(c)
    view = _claim_view(s, c, cid)
    state = state_name(int(view["state"]))
    if state != "approved":
        raise IwoError(f"claim #{cid} is {STATE_WORDS[state]}: only a running (approved) claim can be ended")
    return (aid.address, 0, aid.encode("end_claim", cid))


def describe(s: Session, c: Collective, name: str, args: list, context: dict) -> str | None:
    """An aid action of a proposal in words (see describe.py); None for a function it does not know."""
    asset = context.get("aid_asset")

    def fmt(value):
        return assets.fmt(s, value, asset) if asset is not None else f"{value} units"

    if name == "set_terms":
        new = as_terms(args[0])
        old = context.get("aid_terms")
        changes = terms_diff(old, new, fmt) if old else []
        if changes:
            return "change the mutual-aid terms: " + "; ".join(changes) + " (claims keep their terms)"
        amounts = ("claim_cap", "member_cap", "auto_approve_max", "deposit")
        return "set the mutual-aid terms to those in force now: " + "; ".join(
            f"{TERM_LABELS[k]} {term_value(k, new[k], fmt)}" for k in amounts
        )
    if name == "award":
        who, category, monthly, months, evidence = args
        what = f"{fmt(monthly)} a month for {months} months" if months > 1 else f"{fmt(monthly)} once"
        proof = "" if not any(bytes(evidence)) else f", evidence {('0x' + bytes(evidence).hex())[:18]}..."
        return f"award {who} mutual aid ({category_name(category)}): {what}, {fmt(monthly * months)} in all{proof}"
    if name == "end_claim":
        return f"end mutual-aid claim #{args[0]} after the current month (no later instalment)"
    return None


def describe_context(s: Session, c: Collective) -> dict:
    aid = require(c)
    asset, raw = s.calls([(aid, "asset", ()), (aid, "terms", ())])
    return {"aid_asset": asset, "aid_terms": as_terms(raw)}


# ---- the member page (iwo serve): open claims, who may vote on them, the call a wallet sends ---------------------
def open_claims(book: dict) -> list[dict]:
    """The claims members may object to or vote on now (contest window or vote open)."""
    return [r for r in book["claims"].values() if r.get("latest") and r["state"] in ("contest", "voting")]


def ballot_answers(s: Session, c: Collective, voter: str, rows: list[dict]) -> dict[int, dict]:
    """For each open claim row: may `voter` object (contest window) or vote (vote open) now and, if
    not, why — {id: {"may_vote", "code", "reason", "support"}} — in two reads."""
    if not rows:
        return {}
    whos = _who(s, c, voter, [(r["id"], r["snapshot"]) for r in rows])
    now = s.now()
    out = {}
    for r, who in zip(rows, whos):
        view = {"state": STATE_FLAGS[r["state"]], "contest_end": r["contest_end"] or 0, "vote_end": r["vote_end"]}
        code = ballot_code(view, who, r["state"] == "contest")
        cast = next((b for b in r["ballots"] if b["member"] == voter), None)
        out[r["id"]] = {
            "may_vote": code == MAY,
            "code": code,
            "reason": None if code == MAY else ballot_words(code, r["id"], view, now, you=True),
            "support": cast and ("object" if cast.get("objection") else cast["support"]),
        }
    return out


def wallet_call(s: Session, c: Collective, cid: int, support: str, voter: str, reason: str) -> tuple[dict, bytes]:
    """(the claim's view, the calldata of the voter's objection or vote) after checking that the
    contract would take it now (each refusal one line)."""
    aid = require(c)
    objecting = support == "object"
    view = check_ballot(s, c, cid, voter, objecting, reason)
    if objecting:
        data = aid.encode("object", cid, reason)
    else:
        data = aid.encode("vote", cid, FOR if support == "for" else AGAINST, reason)
    return view, data
