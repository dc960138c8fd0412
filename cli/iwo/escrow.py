"""The work escrow from the command line: jobs and milestones, disputes and their panels,
credited payments, reviews. Domain layer: no click, no printing.

A job's terms (client, worker, asset, fee, review window, settings version) are not stored by
the escrow but hashed into its storage key: they are read here from the job's `JobCreated`
event in the log store and passed again with every call. Each action first checks what the
contract would refuse (one line, nothing sent), then `tx.send` simulates it, so a refusal not
foreseen here still carries the contract's own reason.

Milestones are numbered from 1 here (the contract's index, in its events, is one less).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime
from typing import NamedTuple

from . import assets, block_header, home
from .contracts import ETH, Contract, is_eth
from .errors import IwoError
from .escrow_books import BPS, EVENTS, RULINGS, EscrowBooks, JobBook
from .limits import (
    BLOCKHASH_WINDOW,
    MAX_DRAW_ATTEMPTS,
    MAX_MILESTONE_AMOUNT,
    MAX_MILESTONES,
    MAX_RATING,
    MAX_REVIEW_WINDOW,
    MAX_TERM,
    MIN_REVIEW_WINDOW,
)
from .rates import from_bytes32, to_bytes32
from .registry import Collective, history
from .session import Session
from .units import format_duration, format_time, parse_amount, parse_duration

# Milestone stages (IwoEscrow's FUNDED, DELIVERED, DISPUTED, SETTLED).
FUNDED, DELIVERED, DISPUTED, SETTLED = 1, 2, 3, 4
STAGES = {FUNDED: "funded", DELIVERED: "delivered", DISPUTED: "disputed", SETTLED: "settled"}
ZERO32 = "0x" + "00" * 32
# Where `iwo panel commit` keeps a panelist's split and salt until the reveal (data folder).
VOTES_FILE = "panel-votes.json"
# Events about one job, read by id from the log store (AppealRuled is keyed by its proposal).
JOB_EVENTS = (
    "JobCreated",
    "MilestoneFunded",
    "MilestonesAdded",
    "Delivered",
    "Released",
    "Refunded",
    "Reclaimed",
    "DisputeOpened",
    "DrawRearmed",
    "PanelDrawn",
    "VoteCommitted",
    "VoteRevealed",
    "AppealFiled",
    "DisputeSettled",
    "PanelistNoShow",
    "Reviewed",
)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2}))?", re.ASCII)
_HEX32 = re.compile(r"(0x)?[0-9a-fA-F]{64}", re.ASCII)


# ---- parsing what a user types ---------------------------------------------------------------------
def parse_due(text: str, now: int) -> int:
    """A delivery deadline: a duration from now ('30d', '2w') or a UTC date ('2027-01-31', the
    end of that day; '2027-01-31 12:00')."""
    value = str(text).strip()
    match = _DATE.fullmatch(value)
    if match:
        year, month, day, hour, minute = match.groups()
        try:
            if hour is None:
                moment = datetime(int(year), int(month), int(day), 23, 59, 59, tzinfo=UTC)
            else:
                moment = datetime(int(year), int(month), int(day), int(hour), int(minute), tzinfo=UTC)
        except ValueError:
            raise IwoError(f"not a date: {text!r}") from None
        return int(moment.timestamp())
    try:
        return now + parse_duration(value)
    except ValueError:
        raise IwoError(
            f"not a due date: {text!r} (a duration from now like 30d, or a UTC date like 2027-01-31)"
        ) from None


def parse_milestones(s: Session, texts: list[str], asset: str, now: int, existing: int = 0) -> list[tuple[int, int]]:
    """(amount, deadline) of each `AMOUNT@DUE` (e.g. '0.5@30d', '120@2027-01-31'), checked as the
    escrow checks them: 1 to MAX_MILESTONES per job, amounts above zero, deadlines ahead."""
    if not texts:
        raise IwoError("give at least one milestone: --milestone AMOUNT@DUE (e.g. 0.5@30d)")
    if existing + len(texts) > MAX_MILESTONES:
        has = f" (the job has {existing})" if existing else ""
        raise IwoError(f"at most {MAX_MILESTONES} milestones per job{has}; {len(texts)} given")
    out = []
    for n, text in enumerate(texts, existing + 1):
        amount_text, sep, due_text = str(text).partition("@")
        if not sep or not amount_text.strip() or not due_text.strip():
            raise IwoError(f"milestone {n}: write AMOUNT@DUE, e.g. 0.5@30d or 0.5@2027-01-31 (got {text!r})")
        amount = assets.to_units(s, amount_text.strip(), asset, what=f"milestone {n} amount")
        if amount > MAX_MILESTONE_AMOUNT:
            raise IwoError(f"milestone {n} amount {amount_text.strip()!r} is above what the escrow can hold")
        deadline = parse_due(due_text, now)
        if deadline <= now:
            raise IwoError(
                f"milestone {n} is due {format_time(deadline)}, which is not in the future "
                f"(chain time {format_time(now)})"
            )
        if deadline > now + MAX_TERM:
            raise IwoError(f"milestone {n} is due {format_time(deadline)}: at most {MAX_TERM // 86_400} days ahead")
        out.append((amount, deadline))
    return out


def parse_quantity(text: str | None) -> int:
    """Units of work in thousandths ('5000' -> 5000000, '2.5' -> 2500)."""
    if text is None:
        return 0
    try:
        value = parse_amount(text, 3)
    except ValueError as exc:
        raise IwoError(f"--quantity: {exc}") from None
    if value == 0 or value >= 2**255:
        raise IwoError(f"--quantity must be more than zero (got {text!r})")
    return value


def digest(path: str | None, given: str | None, what: str, required: bool = False) -> str:
    """A 0x-prefixed 32-byte hash: the sha256 of a file, or one given as 64 hex digits."""
    if path and given:
        raise IwoError(f"give either {what} FILE or {what}-hash HEX, not both")
    if path:
        try:
            with open(path, "rb") as fh:
                return "0x" + hashlib.sha256(fh.read()).hexdigest()
        except OSError as exc:
            raise IwoError(f"cannot read {path}: {exc.strerror}") from None
    if given:
        value = given.strip().lower().removeprefix("sha256:")
        if not _HEX32.fullmatch(value):
            raise IwoError(f"{what}-hash takes 64 hex digits (a sha256), got {given!r}")
        return "0x" + value.removeprefix("0x")
    if required:
        raise IwoError(f"give {what} FILE or {what}-hash HEX")
    return ZERO32


def _salt(text: str) -> bytes:
    value = text.strip().lower()
    if not _HEX32.fullmatch(value):
        raise IwoError("--salt takes 64 hex digits (32 bytes)")
    return bytes.fromhex(value.removeprefix("0x"))


# ---- finding a job -----------------------------------------------------------------------------------
def escrow_of(c: Collective) -> Contract:
    if c.escrow is None:
        raise IwoError(f"{c.alias} has no work escrow (it was created before escrows existed)")
    return c.escrow


def _logs(s: Session, c: Collective, names: tuple[str, ...]) -> list[dict]:
    """The escrow's events of these names, in chain order."""
    escrow = escrow_of(c)
    store = history(s, c)
    return [log for log in store.logs(s.chain_id, c.source, names=names) if log["address"] == escrow.address]


def job_logs(s: Session, c: Collective, job_id: int) -> list[dict]:
    """Every escrow event about one job, in chain order (read by id: no scan)."""
    escrow = escrow_of(c)
    store = history(s, c)
    found = []
    for name in JOB_EVENTS:
        found += store.by_key(s.chain_id, c.source, name, job_id)
    found += [
        log for log in store.logs(s.chain_id, c.source, names=("AppealRuled",)) if log["args"]["job_id"] == job_id
    ]
    found = [log for log in found if log["address"] == escrow.address]
    return sorted(found, key=lambda log: (log["block"], log["log_index"]))


def load(s: Session, c: Collective, job_id: int) -> tuple[JobBook, list[dict]]:
    """A job's books and its events; refuses an id that names no job."""
    logs = job_logs(s, c, job_id)
    if not any(log["name"] == "JobCreated" for log in logs):
        count = len(_logs(s, c, ("JobCreated",)))
        raise IwoError(
            f"no job #{job_id} in {c.alias} (ids run 1 to {count})"
            if count
            else f"no job #{job_id}: {c.alias} has none yet"
        )
    books = EscrowBooks()
    for log in logs:
        books.apply(log)
    return books.jobs[job_id], logs


def all_books(s: Session, c: Collective) -> EscrowBooks:
    """The books of every job of the collective's escrow."""
    books = EscrowBooks()
    for log in _logs(s, c, EVENTS):
        books.apply(log)
    return books


def _pick(job: JobBook, number: int | None) -> int:
    """The contract index of milestone `number` (from 1); the only one when not named."""
    count = len(job.milestones)
    if number is None:
        if count == 1:
            return 0
        raise IwoError(f"job #{job.job_id} has {count} milestones: name one with --milestone N (1 to {count})")
    if not 1 <= number <= count:
        raise IwoError(f"job #{job.job_id} has no milestone {number} (1 to {count})")
    return number - 1


def _name(job: JobBook, index: int) -> str:
    return f"milestone {index + 1} of job #{job.job_id}"


def _hint(job: JobBook, index: int) -> str:
    """The ` --milestone N` to add to a suggested command (nothing for a one-milestone job)."""
    return f" --milestone {index + 1}" if len(job.milestones) > 1 else ""


def _views(s: Session, c: Collective, job: JobBook) -> tuple[dict, list[dict], dict]:
    """The chain's view of a job: its state, each milestone, and its settings (one batch)."""
    escrow = escrow_of(c)
    terms = job.terms
    reads = [(escrow, "job", (job.job_id, terms)), (escrow, "settings_at", (job.version,))]
    reads += [(escrow, "milestone", (job.job_id, terms, i)) for i in range(len(job.milestones))]
    out = s.calls(reads)
    return dict(out[0]), [dict(m) for m in out[2:]], dict(out[1])


def _me(s: Session) -> str:
    return s.require_signer().address


class _Target(NamedTuple):
    """What a milestone command acts on, read once: the escrow, the job's book, the milestone's
    contract index and chain view, the job's settings and the signer."""

    escrow: Contract
    job: JobBook
    index: int
    m: dict
    settings: dict
    me: str


def _target(s: Session, c: Collective, job_id: int, number: int | None, party: str = "", verb: str = "") -> _Target:
    """The milestone `number` of job `job_id` (see `_pick`); with `party` ("client" or "worker"),
    only that party of the job may `verb` it (checked before the chain's views are read)."""
    escrow = escrow_of(c)
    job, _ = load(s, c, job_id)
    index = _pick(job, number)
    me = _me(s)
    if party and me != getattr(job, party):
        raise IwoError(f"only the {party} of job #{job_id} ({getattr(job, party)}) {verb}; --account is {me}")
    _, views, settings = _views(s, c, job)
    return _Target(escrow, job, index, views[index], settings, me)


def _fmt(s: Session, amount: int, asset: str) -> str:
    return assets.fmt(s, amount, asset)


def _amount(s: Session, text: str | None, job: JobBook, remaining: int, index: int) -> int:
    """An amount to take from a milestone: all it holds when not given."""
    if text is None:
        return remaining
    amount = assets.to_units(s, text, job.asset, what="--amount")
    if amount > remaining:
        raise IwoError(f"{_name(job, index)} holds only {_fmt(s, remaining, job.asset)}")
    return amount


def _open_stage(job: JobBook, index: int, stage: int) -> None:
    if stage == DISPUTED:
        raise IwoError(f"{_name(job, index)} is disputed: only the ruling settles it (iwo panel settle)")
    if stage == SETTLED:
        raise IwoError(f"{_name(job, index)} is already settled")


def _pay(s: Session, asset: str, escrow: Contract, amount: int) -> int:
    """Readies a payment into the escrow: the ETH value to send, or a token approved (0 to send).
    Refuses an account that does not hold the amount."""
    if not is_eth(asset):
        if amount:
            assets.approve(s, asset, escrow.address, amount)
        return 0
    me = _me(s)
    if s.rpc.balance(me) < amount:
        raise IwoError(f"{me} holds less than {_fmt(s, amount, asset)}")
    return amount


def _sent(receipt) -> dict:
    return {"tx": receipt.tx_hash, "block": receipt.block_number}


# ---- jobs -----------------------------------------------------------------------------------------
def terms_record(s: Session, c: Collective, terms_hash: str) -> dict:
    """What a terms hash is: an adopted document of the collective (a contract template ideally)."""
    from .documents import by_hash

    if int(terms_hash, 16) == 0:
        return {"sha256": None, "adopted": False, "template": False, "document": None}
    found = by_hash(s, c, terms_hash)
    return {
        "sha256": terms_hash.removeprefix("0x"),
        "adopted": found is not None,
        "template": found is not None and found.kind == "contract-template",
        "document": None
        if found is None
        else {"title": found.title, "kind": found.kind, "proposal_id": found.proposal_id, "current": found.current},
    }


def terms_words(t: dict) -> str:
    """A terms record in words."""
    if t["sha256"] is None:
        return "no terms recorded"
    d = t["document"]
    if d is None:
        return f"sha256 {t['sha256'][:12]}…, not a text the collective adopted"
    what = "the adopted contract template" if t["template"] else f"the adopted document ({d['kind']})"
    old = "" if d["current"] else ", since superseded"
    return f"{what} {d['title']!r} (proposal #{d['proposal_id']}{old})"


def _warn_terms(s: Session, c: Collective, record: dict) -> list[str]:
    if record["sha256"] is None:
        return ["no terms given (--terms FILE): the job records no agreed text"]
    if not record["adopted"]:
        return [
            f"the terms (sha256 {record['sha256'][:12]}…) are not a text {c.alias} adopted "
            "(see `iwo docs list`): both sides should keep a copy"
        ]
    if not record["template"]:
        return [f"the terms are an adopted {record['document']['kind']}, not a contract template"]
    return []


def _warn_category(s: Session, c: Collective, category: bytes) -> list[str]:
    """A category the rate board does not accept for this collective will not count in paid rates."""
    if category == b"\0" * 32:
        return []
    board = home.deployment(s.chain_id).get("rates")
    if not board:
        return []
    try:
        accepted = s.call(Contract("IwoRates", board), "accepts", c.governor.address, category)
    except IwoError:
        return []
    if accepted:
        return []
    return [
        f"category {from_bytes32(category)!r} is not one of {c.alias}'s categories (set by vote): "
        "the job will not count in its paid rates"
    ]


def create(
    s: Session,
    c: Collective,
    worker: str,
    asset_text: str,
    milestone_texts: list[str],
    terms_file: str | None = None,
    terms_hash: str | None = None,
    category: str | None = None,
    unit: str | None = None,
    quantity_text: str | None = None,
    review_window: int | None = None,
) -> dict:
    """Creates and funds a job (the --account is the client): ETH sent with it, or a token
    approved first."""
    escrow = escrow_of(c)
    me = _me(s)
    who = s.address(worker, "--worker")
    if who == me:
        raise IwoError(f"the client cannot be the worker: {me} is the --account")
    asset = assets.parse_asset(asset_text)
    if not is_eth(asset):
        assets.info(s, asset)  # a token at all (symbol and decimals), before anything else
    now = s.now()
    milestones = parse_milestones(s, milestone_texts, asset, now)
    if review_window is not None and not MIN_REVIEW_WINDOW <= review_window <= MAX_REVIEW_WINDOW:
        raise IwoError(
            f"--review-window must be {format_duration(MIN_REVIEW_WINDOW)} to {format_duration(MAX_REVIEW_WINDOW)} "
            "(leave it out for the collective's default)"
        )
    terms = digest(terms_file, terms_hash, "--terms")
    category_word = to_bytes32(category, "--category", optional=True)
    unit_word = to_bytes32(unit, "--unit", optional=True)
    quantity = parse_quantity(quantity_text)
    if quantity and unit_word == b"\0" * 32:
        raise IwoError("--quantity needs --unit (what is counted)")
    is_member, good = s.calls([(c.governor, "is_member", (who,)), (c.governor, "in_good_standing", (who,))])
    if not is_member:
        raise IwoError(f"{who} is not a member of {c.alias}: the worker must be a member in good standing")
    if not good:
        raise IwoError(f"{who} is behind on dues: the worker must be a member in good standing")
    record = terms_record(s, c, terms)
    warnings = _warn_terms(s, c, record) + _warn_category(s, c, category_word)
    total = sum(a for a, _ in milestones)
    value = _pay(s, asset, escrow, total)
    receipt = s.transact(
        escrow,
        "create_job",
        who,
        asset,
        [(a, d) for a, d in milestones],
        review_window or 0,
        bytes.fromhex(terms[2:]),
        category_word,
        unit_word,
        quantity,
        value=value,
    )
    event = receipt.event(escrow, "JobCreated")
    return {
        "job_id": int(event.job_id),
        "client": me,
        "worker": who,
        "asset": asset,
        "total": total,
        "total_text": _fmt(s, total, asset),
        "fee_bps": int(event.fee_bps),
        "review_window": int(event.review_window),
        "review_window_text": format_duration(int(event.review_window)),
        "milestones": [
            {"milestone": n, "amount": a, "amount_text": _fmt(s, a, asset), "deadline": d}
            for n, (a, d) in enumerate(milestones, 1)
        ],
        "terms": record,
        "terms_text": terms_words(record),
        "category": from_bytes32(category_word),
        "unit": from_bytes32(unit_word),
        "quantity": quantity,
        "warnings": warnings,
        **_sent(receipt),
    }


def add(s: Session, c: Collective, job_id: int, milestone_texts: list[str]) -> dict:
    """The client adds funded milestones to a job (the escrow's only way to fund more)."""
    escrow = escrow_of(c)
    job, _ = load(s, c, job_id)
    me = _me(s)
    if me != job.client:
        raise IwoError(f"only the client of job #{job_id} ({job.client}) adds milestones; --account is {me}")
    if job.reviews:
        raise IwoError(f"job #{job_id} was reviewed: a reviewed job takes no more milestones")
    now = s.now()
    milestones = parse_milestones(s, milestone_texts, job.asset, now, existing=len(job.milestones))
    is_member, good = s.calls(
        [(c.governor, "is_member", (job.worker,)), (c.governor, "in_good_standing", (job.worker,))]
    )
    if not good:
        state = "is behind on dues" if is_member else f"is no longer a member of {c.alias}"
        raise IwoError(f"the worker {job.worker} {state}: no new milestones until in good standing")
    total = sum(a for a, _ in milestones)
    value = _pay(s, job.asset, escrow, total)
    receipt = s.transact(escrow, "add_milestones", job_id, job.terms, [(a, d) for a, d in milestones], value=value)
    event = receipt.event(escrow, "MilestonesAdded")
    first = int(event.first)
    return {
        "job_id": job_id,
        "total": total,
        "total_text": _fmt(s, total, job.asset),
        "milestones": [
            {"milestone": n, "amount": a, "amount_text": _fmt(s, a, job.asset), "deadline": d}
            for n, (a, d) in enumerate(milestones, first + 1)
        ],
        "count": first + len(milestones),
        **_sent(receipt),
    }


def deliver(
    s: Session, c: Collective, job_id: int, number: int | None, evidence_file: str | None, evidence_hash: str | None
) -> dict:
    """The worker delivers a milestone (by its deadline): the client's review window starts."""
    escrow, job, index, m, _, _ = _target(s, c, job_id, number, "worker", "delivers")
    evidence = digest(evidence_file, evidence_hash, "--evidence")
    if m["stage"] == DELIVERED:
        raise IwoError(f"{_name(job, index)} was already delivered on {format_time(m['delivered_at'])}")
    _open_stage(job, index, m["stage"])
    now = s.now()
    if now > m["deadline"]:
        raise IwoError(
            f"{_name(job, index)} was due {format_time(m['deadline'])}: too late to deliver (the client may reclaim it)"
        )
    receipt = s.transact(escrow, "deliver", job_id, job.terms, index, bytes.fromhex(evidence[2:]))
    event = receipt.event(escrow, "Delivered")
    return {
        "job_id": job_id,
        "milestone": index + 1,
        "evidence": evidence,
        "review_end": int(event.review_end),
        "remaining": int(m["remaining"]),
        "remaining_text": _fmt(s, int(m["remaining"]), job.asset),
        "release_command": f"iwo job release {job_id}{_hint(job, index)}",
        **_sent(receipt),
    }


def release(s: Session, c: Collective, job_id: int, number: int | None, amount_text: str | None) -> dict:
    """The client releases (whole or part) at any time; anyone releases a delivered milestone
    whole once its review window has passed (silence means payment)."""
    escrow, job, index, m, _, me = _target(s, c, job_id, number)
    _open_stage(job, index, m["stage"])
    if me == job.client:
        amount = _amount(s, amount_text, job, int(m["remaining"]), index)
        receipt = s.transact(escrow, "release", job_id, job.terms, index, amount)
    else:
        if amount_text is not None:
            raise IwoError(f"only the client of job #{job_id} ({job.client}) releases part of a milestone")
        if m["stage"] == FUNDED:
            raise IwoError(f"{_name(job, index)} is not delivered: only its client ({job.client}) can release it now")
        review_end = int(m["delivered_at"]) + job.review_window
        if s.now() < review_end:
            raise IwoError(
                f"the client may review {_name(job, index)} until {format_time(review_end)}: "
                "only the client can release it before then"
            )
        receipt = s.transact(escrow, "release_after_review", job_id, job.terms, index)
    event = receipt.event(escrow, "Released")
    amount, fee = int(event.amount), int(event.fee)
    return {
        "job_id": job_id,
        "milestone": index + 1,
        "amount": amount,
        "amount_text": _fmt(s, amount, job.asset),
        "worker": job.worker,
        "to_worker": amount - fee,
        "to_worker_text": _fmt(s, amount - fee, job.asset),
        "fee": fee,
        "fee_text": _fmt(s, fee, job.asset),
        "by_silence": bool(event.by_silence),
        "remaining": int(event.remaining),
        "remaining_text": _fmt(s, int(event.remaining), job.asset),
        "deferred": _deferred(receipt, escrow),
        **_sent(receipt),
    }


def _deferred(receipt, escrow: Contract) -> list[dict]:
    """Payments in a receipt that their recipient refused (credited, to be withdrawn)."""
    return [
        {"account": e.account, "asset": e.asset, "amount": int(e.amount)}
        for e in receipt.events(escrow, "PaymentDeferred")
    ]


def refund(s: Session, c: Collective, job_id: int, number: int | None, amount_text: str | None) -> dict:
    """The worker gives (part of) a milestone back to the client, before it is disputed or settled."""
    escrow, job, index, m, _, _ = _target(s, c, job_id, number, "worker", "refunds")
    _open_stage(job, index, m["stage"])
    amount = _amount(s, amount_text, job, int(m["remaining"]), index)
    receipt = s.transact(escrow, "refund", job_id, job.terms, index, amount)
    event = receipt.event(escrow, "Refunded")
    return {
        "job_id": job_id,
        "milestone": index + 1,
        "amount": amount,
        "amount_text": _fmt(s, amount, job.asset),
        "client": job.client,
        "remaining": int(event.remaining),
        "remaining_text": _fmt(s, int(event.remaining), job.asset),
        "deferred": _deferred(receipt, escrow),
        **_sent(receipt),
    }


def reclaim(s: Session, c: Collective, job_id: int, number: int | None) -> dict:
    """Returns an undelivered milestone to the client: anyone after its deadline, the client
    earlier once the worker has left the collective."""
    escrow, job, index, m, _, me = _target(s, c, job_id, number)
    if m["stage"] == DELIVERED:
        raise IwoError(f"{_name(job, index)} was delivered: it is released or disputed, not reclaimed")
    _open_stage(job, index, m["stage"])
    if s.now() <= m["deadline"]:
        if me != job.client:
            raise IwoError(
                f"{_name(job, index)} is due {format_time(m['deadline'])}: anyone may reclaim it only after that"
            )
        if s.call(c.governor, "is_member", job.worker):
            raise IwoError(
                f"{_name(job, index)} is due {format_time(m['deadline'])} and the worker is still a member: "
                "the client may reclaim it earlier only once the worker has left"
            )
    receipt = s.transact(escrow, "reclaim", job_id, job.terms, index)
    event = receipt.event(escrow, "Reclaimed")
    return {
        "job_id": job_id,
        "milestone": index + 1,
        "amount": int(event.amount),
        "amount_text": _fmt(s, int(event.amount), job.asset),
        "client": job.client,
        "worker_left": bool(event.worker_left),
        "deferred": _deferred(receipt, escrow),
        **_sent(receipt),
    }


def dispute(s: Session, c: Collective, job_id: int, number: int | None) -> dict:
    """The client disputes a delivered milestone within its review window, paying the dispute fee."""
    escrow, job, index, m, settings, _ = _target(s, c, job_id, number, "client", "disputes")
    if m["stage"] == FUNDED:
        raise IwoError(f"{_name(job, index)} is not delivered: there is nothing to dispute yet")
    _open_stage(job, index, m["stage"])
    review_end = int(m["delivered_at"]) + job.review_window
    if s.now() >= review_end:
        raise IwoError(
            f"the review window of {_name(job, index)} closed {format_time(review_end)}: "
            "too late to dispute (silence means payment)"
        )
    fee = int(s.call(escrow, "dispute_fee", job_id, job.terms, index))
    value = _pay(s, job.asset, escrow, fee)
    receipt = s.transact(escrow, "open_dispute", job_id, job.terms, index, value=value)
    event = receipt.event(escrow, "DisputeOpened")
    reveal_end = int(event.reveal_end)
    return {
        "job_id": job_id,
        "milestone": index + 1,
        "amount": int(event.amount),
        "amount_text": _fmt(s, int(event.amount), job.asset),
        "dispute_fee": fee,
        "dispute_fee_text": _fmt(s, fee, job.asset),
        "draw_block": int(event.draw_block),
        "panel_size": int(settings["panel_size"]),
        "commit_end": int(event.commit_end),
        "reveal_end": reveal_end,
        "appeal_end": reveal_end + int(settings["appeal_window"]),
        "appeal_deadline": reveal_end + int(settings["appeal_period"]),
        "draw_command": f"iwo panel draw {job_id}{_hint(job, index)}",
        **_sent(receipt),
    }


def withdraw(s: Session, c: Collective, account: str | None, asset_text: str | None) -> dict:
    """Pays out what the escrow credited to `account` (payments it once refused), per asset."""
    escrow = escrow_of(c)
    who = s.address(account, "--for") if account else _me(s)
    if asset_text:
        wanted = [assets.parse_asset(asset_text)]
    else:
        wanted = [ETH] + sorted({j.asset for j in all_books(s, c).jobs.values() if not is_eth(j.asset)})
    credits = s.calls([(escrow, "claimable", (who, a)) for a in wanted])
    due = [a for a, v in zip(wanted, credits) if int(v)]
    if not due:
        where = f" in {assets.info(s, wanted[0])[0]}" if asset_text else ""
        raise IwoError(f"nothing is credited to {who} in the escrow{where}")
    paid = []
    for asset in due:
        receipt = s.transact(escrow, "withdraw", who, asset)
        event = receipt.event(escrow, "Withdrawn")
        paid.append(
            {
                "asset": asset,
                "amount": int(event.amount),
                "amount_text": _fmt(s, int(event.amount), asset),
                **_sent(receipt),
            }
        )
    return {"account": who, "paid": paid}


def review(s: Session, c: Collective, job_id: int, rating: int, text_file: str | None, text_hash: str | None) -> dict:
    """A party reviews the other once the job has ended: a rating 1-5 and the hash of a text."""
    escrow = escrow_of(c)
    job, _ = load(s, c, job_id)
    me = _me(s)
    if me not in (job.client, job.worker):
        raise IwoError(f"only the client or the worker of job #{job_id} can review it; --account is {me}")
    if not 1 <= rating <= MAX_RATING:
        raise IwoError(f"--rating must be 1 to {MAX_RATING}")
    text = digest(text_file, text_hash, "--text")
    state, views, _ = _views(s, c, job)
    as_client = me == job.client
    if state["client_reviewed" if as_client else "worker_reviewed"]:
        side = "client" if as_client else "worker"
        raise IwoError(f"you already reviewed job #{job_id} (as its {side}): one review per side")
    if not state["ended"]:
        waiting = [i for i, m in enumerate(views) if m["stage"] != SETTLED]
        raise IwoError(
            f"job #{job_id} has not ended ({_name(job, waiting[0])} is {STAGES[views[waiting[0]]['stage']]}): "
            "reviews open once every milestone is settled"
        )
    receipt = s.transact(escrow, "review", job_id, job.terms, rating, bytes.fromhex(text[2:]))
    event = receipt.event(escrow, "Reviewed")
    return {
        "job_id": job_id,
        "reviewer": me,
        "reviewee": event.reviewee,
        "by_client": bool(event.by_client),
        "rating": rating,
        "text_hash": text,
        **_sent(receipt),
    }


# ---- reading jobs -----------------------------------------------------------------------------------
def _when(ts: int | None) -> str:
    return format_time(ts)


def _next(job: JobBook, index: int, m: dict, d: dict | None, settings: dict, now: int) -> str:
    """What can happen next to a milestone, in words."""
    hint = _hint(job, index)
    jid = job.job_id
    stage = m["stage"]
    if stage == FUNDED:
        if now <= m["deadline"]:
            return (
                f"the worker delivers by {format_time(m['deadline'], now)}; the client may release it at any time; "
                "after the deadline anyone may return it to the client"
            )
        return (
            f"not delivered by {_when(m['deadline'])}: anyone may return it to the client (iwo job reclaim {jid}{hint})"
        )
    if stage == DELIVERED:
        end = m["delivered_at"] + job.review_window
        if now < end:
            return (
                f"the client may release or dispute until {format_time(end, now)}; after that anyone may release "
                "it to the worker (silence means payment)"
            )
        return (
            f"the review window ended {_when(end)}: anyone may release it to the worker (iwo job release {jid}{hint})"
        )
    if stage == DISPUTED and d is not None:
        if d["appeal_split"] is not None:
            return f"the collective ruled {d['appeal_split'] / 100:g}% to the worker on appeal: anyone may settle now (iwo panel settle {jid}{hint})"
        if d["appealed_by"]:
            if now < d["appeal_deadline"]:
                return (
                    f"appealed: the collective may rule by an executed proposal until "
                    f"{format_time(d['appeal_deadline'], now)}; then anyone may settle"
                )
            return f"the appeal deadline passed: anyone may settle now (iwo panel settle {jid}{hint})"
        if d["panel"] is None and now < d["commit_end"]:
            return (
                f"anyone may draw the panel of {settings['panel_size']} once block {d['draw_block'] + 1} is mined, before "
                f"{format_time(d['commit_end'], now)} (iwo panel draw {jid}{hint})"
            )
        if d["panel"] is not None and now < d["commit_end"]:
            return (
                f"panelists seal their votes until {format_time(d['commit_end'], now)}, then reveal them until "
                f"{_when(d['reveal_end'])}"
            )
        if d["panel"] is not None and now < d["reveal_end"]:
            return (
                f"panelists reveal their votes until {format_time(d['reveal_end'], now)} "
                f"({len(d['revealed'])} of {len(d['panel'])} revealed)"
            )
        if now < d["reveal_end"]:
            return f"no panel was drawn: the default rule applies unless a party appeals from {_when(d['reveal_end'])}"
        if now < d["appeal_end"]:
            return (
                f"either party may appeal to the collective until {format_time(d['appeal_end'], now)} "
                f"(iwo panel appeal {jid}{hint}); then anyone may settle"
            )
        return f"final: anyone may settle it now (iwo panel settle {jid}{hint})"
    return "settled"


def _dispute(logs: list[dict], index: int, settings: dict) -> dict | None:
    """A milestone's dispute as its events tell it (None if it was never disputed)."""
    d = None
    for log in logs:
        args = log["args"]
        if log["name"] not in ("DisputeOpened", "DrawRearmed", "PanelDrawn", "VoteCommitted", "VoteRevealed",
                               "AppealFiled", "AppealRuled", "DisputeSettled", "PanelistNoShow"):  # fmt: skip
            continue
        if int(args["milestone"]) != index:
            continue
        if log["name"] == "DisputeOpened":
            reveal_end = int(args["reveal_end"])
            d = {
                "opened_block": log["block"],
                "amount": int(args["amount"]),
                "dispute_fee": int(args["dispute_fee"]),
                "draw_block": int(args["draw_block"]),
                "commit_end": int(args["commit_end"]),
                "reveal_end": reveal_end,
                "appeal_end": reveal_end + int(settings["appeal_window"]),
                "appeal_deadline": reveal_end + int(settings["appeal_period"]),
                "panel": None,
                "attempts": None,
                "committed": [],
                "revealed": {},
                "appealed_by": None,
                "appeal_split": None,
                "appeal_proposal": None,
                "settled": None,
                "no_shows": [],
            }
        elif d is None:
            continue
        elif log["name"] == "DrawRearmed":
            d["draw_block"] = int(args["draw_block"])
        elif log["name"] == "PanelDrawn":
            d["panel"], d["attempts"] = list(args["panelists"]), int(args["attempts"])
        elif log["name"] == "VoteCommitted":
            if args["panelist"] not in d["committed"]:
                d["committed"].append(args["panelist"])
        elif log["name"] == "VoteRevealed":
            d["revealed"][args["panelist"]] = int(args["split"])
        elif log["name"] == "AppealFiled":
            d["appealed_by"] = args["appellant"]
        elif log["name"] == "AppealRuled":
            d["appeal_split"], d["appeal_proposal"] = int(args["split"]), int(args["proposal_id"])
        elif log["name"] == "PanelistNoShow":
            d["no_shows"].append(args["panelist"])
        elif log["name"] == "DisputeSettled":
            d["settled"] = {
                "ruling": int(args["ruling"]),
                "ruling_text": RULINGS[int(args["ruling"])],
                "split": int(args["split"]),
                "worker_amount": int(args["worker_amount"]),
                "fee": int(args["fee"]),
                "client_amount": int(args["client_amount"]),
                "panelists_paid": list(args["panelists_paid"]),
                "panel_share": int(args["panel_share"]),
                "block": log["block"],
            }
    return d


def _history(s: Session, job: JobBook, logs: list[dict], index: int, times: dict[int, int]) -> list[dict]:
    """A milestone's steps in words, oldest first."""
    f = lambda v: _fmt(s, int(v), job.asset)  # noqa: E731
    out = []
    for log in logs:
        args, name = log["args"], log["name"]
        if "milestone" not in args or int(args["milestone"]) != index:
            continue
        if name == "MilestoneFunded":
            what = f"funded {f(args['amount'])}, due {_when(int(args['deadline']))}"
        elif name == "Delivered":
            evidence = "" if args["evidence"] == ZERO32 else f" (evidence {args['evidence'][2:14]}…)"
            what = f"delivered{evidence}"
        elif name == "Released":
            how = "by silence (after the review window)" if args["by_silence"] else "by the client"
            what = f"released {f(args['amount'])} {how}: {f(int(args['amount']) - int(args['fee']))} to the worker, fee {f(args['fee'])}"
        elif name == "Refunded":
            what = f"refunded {f(args['amount'])} to the client by the worker"
        elif name == "Reclaimed":
            why = " (the worker had left)" if args["worker_left"] else " (not delivered by the deadline)"
            what = f"reclaimed {f(args['amount'])} for the client{why}"
        elif name == "DisputeOpened":
            what = f"disputed by the client ({f(args['amount'])} at stake, dispute fee {f(args['dispute_fee'])})"
        elif name == "DrawRearmed":
            what = f"draw re-armed to block {args['draw_block']}"
        elif name == "PanelDrawn":
            what = f"panel drawn: {', '.join(args['panelists']) or 'nobody eligible'}"
        elif name == "VoteRevealed":
            what = f"{args['panelist']} revealed {int(args['split']) / 100:g}% to the worker"
        elif name == "AppealFiled":
            what = f"appealed to the collective by {args['appellant']}"
        elif name == "AppealRuled":
            what = f"the collective ruled {int(args['split']) / 100:g}% to the worker (proposal #{args['proposal_id']})"
        elif name == "DisputeSettled":
            what = (
                f"settled by {RULINGS[int(args['ruling'])]} ({int(args['split']) / 100:g}% to the worker): "
                f"{f(args['worker_amount'])} to the worker, {f(args['client_amount'])} to the client, "
                f"fee {f(args['fee'])}"
                + (
                    f", {f(args['panel_share'])} to each of {len(args['panelists_paid'])} panelist(s)"
                    if args["panelists_paid"]
                    else ""
                )
            )
        else:
            continue
        out.append({"block": log["block"], "time": times.get(log["block"]), "what": what})
    return out


def show(s: Session, c: Collective, job_id: int) -> dict:
    """Everything about a job: terms, each milestone's state, deadlines and history, reviews."""
    from .proposals import block_times

    job, logs = load(s, c, job_id)
    state, views, settings = _views(s, c, job)
    now = s.now()
    times = block_times(s, {log["block"] for log in logs})
    terms = terms_record(s, c, job.terms_hash)
    milestones = []
    for index, (mb, m) in enumerate(zip(job.milestones, views)):
        d = _dispute(logs, index, settings)
        stage = int(m["stage"])
        review_end = int(m["delivered_at"]) + job.review_window if m["delivered_at"] else None
        milestones.append(
            {
                "milestone": index + 1,
                "index": index,
                "amount": mb.amount,
                "amount_text": _fmt(s, mb.amount, job.asset),
                "remaining": int(m["remaining"]),
                "remaining_text": _fmt(s, int(m["remaining"]), job.asset),
                "stage": STAGES[stage],
                "deadline": int(m["deadline"]),
                "delivered_at": int(m["delivered_at"]) or None,
                "review_end": review_end,
                "ended_by": mb.ended_by,
                "dispute": d,
                "next": _next(job, index, m, d, settings, now),
                "history": _history(s, job, logs, index, times),
            }
        )
    symbol = assets.info(s, job.asset)[0]
    return {
        "job_id": job_id,
        "escrow": escrow_of(c).address,
        "client": job.client,
        "worker": job.worker,
        "asset": job.asset,
        "symbol": symbol,
        "fee_bps": job.fee_bps,
        "review_window": job.review_window,
        "review_window_text": format_duration(job.review_window),
        "settings_version": job.version,
        "dispute_fee_bps": int(settings["dispute_fee_bps"]),
        "default_split": int(settings["default_split"]),
        "panel_size": int(settings["panel_size"]),
        "terms": terms,
        "terms_text": terms_words(terms),
        "category": job.category,
        "unit": job.unit,
        "quantity": job.quantity,
        "funded": job.funded,
        "funded_text": _fmt(s, job.funded, job.asset),
        "held": job.held,
        "held_text": _fmt(s, job.held, job.asset),
        "ended": bool(state["ended"]),
        "client_reviewed": bool(state["client_reviewed"]),
        "worker_reviewed": bool(state["worker_reviewed"]),
        "created_block": job.block,
        "created_time": times.get(job.block),
        "now": now,
        "milestones": milestones,
        "reviews": [r | {"time": times.get(r["block"])} for r in job.reviews],
    }


def jobs(
    s: Session,
    c: Collective,
    client: str | None = None,
    worker: str | None = None,
    only: str | None = None,
) -> list[dict]:
    """Jobs of the collective's escrow from its events, newest last; `only` 'open' or 'ended'."""
    books = all_books(s, c)
    who_client = s.address(client, "--client") if client else None
    who_worker = s.address(worker, "--worker") if worker else None
    rows = []
    for job in books.jobs.values():
        if who_client and job.client != who_client:
            continue
        if who_worker and job.worker != who_worker:
            continue
        if only == "open" and job.ended or only == "ended" and not job.ended:
            continue
        rows.append(
            {
                "job_id": job.job_id,
                "client": job.client,
                "worker": job.worker,
                "asset": job.asset,
                "ended": job.ended,
                "milestones": len(job.milestones),
                "settled": job.settled,
                "open_disputes": sum(1 for m in job.milestones if m.dispute_fee),
                "funded": job.funded,
                "funded_text": _fmt(s, job.funded, job.asset),
                "held": job.held,
                "held_text": _fmt(s, job.held, job.asset),
                "category": job.category,
                "reviews": len(job.reviews),
            }
        )
    return rows


# ---- panels -------------------------------------------------------------------------------------------
def _disputed(s: Session, c: Collective, job_id: int, number: int | None) -> tuple:
    """(job, index, dispute, milestone view, settings) of an open dispute."""
    job, logs = load(s, c, job_id)
    index = _pick(job, number)
    _, views, settings = _views(s, c, job)
    d = _dispute(logs, index, settings)
    if d is None:
        raise IwoError(f"{_name(job, index)} is not disputed")
    if d["settled"] is not None:
        raise IwoError(f"the dispute on {_name(job, index)} is already settled")
    return job, index, d, views[index], settings


def holders(s: Session, c: Collective) -> dict[int, str]:
    """Roll index -> the account holding it (from the governor's MemberAdmitted events)."""
    store = history(s, c)
    out: dict[int, str] = {}
    for log in store.logs(s.chain_id, c.source, names=("MemberAdmitted",)):
        if log["address"] == c.governor.address:
            out.setdefault(int(log["args"]["index"]), log["args"]["member"])
    return out


def draw(s: Session, c: Collective, job_id: int, number: int | None) -> dict:
    """Draws a dispute's panel (anyone): the draw block's header from the node, and for each
    roll index the walk visits, the member holding it (from the governor's events)."""
    escrow = escrow_of(c)
    job, index, d, m, settings = _disputed(s, c, job_id, number)
    if d["panel"] is not None:
        raise IwoError(f"the panel of {_name(job, index)} is already drawn: {', '.join(d['panel'])}")
    now, head = s.now(), s.block_number()
    if now >= d["commit_end"]:
        raise IwoError(
            f"too late to draw: commits closed {_when(d['commit_end'])}; the default rule applies "
            f"unless a party appeals (anyone may settle from {_when(d['appeal_end'])})"
        )
    draw_block = d["draw_block"]
    base = {"job_id": job_id, "milestone": index + 1, "draw_block": draw_block}
    if head <= draw_block:  # the draw reads the draw block's hash: from the block after it
        wait = draw_block + 1 - head
        raise IwoError(
            f"the panel can be drawn from block {draw_block + 1}, after its draw block (the chain is at block "
            f"{head}): try again in {wait} block{'s' if wait > 1 else ''}"
        )
    if head + 1 > draw_block + BLOCKHASH_WINDOW:
        receipt = s.transact(escrow, "rearm_draw", job_id, job.terms, index)
        event = receipt.event(escrow, "DrawRearmed")
        return base | {"rearmed": True, "new_draw_block": int(event.draw_block), "panel": None, **_sent(receipt)}
    header = block_header.fetch(s.rpc, draw_block)
    order = s.call(escrow, "draw_order", job_id, job.terms, index, header, MAX_DRAW_ATTEMPTS)
    roll = holders(s, c)
    missing = sorted({int(i) for i in order} - set(roll))
    if missing:
        raise IwoError(
            f"roll index {missing[0]} has no known holder in {c.alias}'s events (is the log store complete?)"
        )
    snapshot = int(m["disputed_at"]) - 1
    candidates = list(dict.fromkeys(roll[int(i)] for i in order))
    eligible = dict(zip(candidates, s.calls([(c.governor, "eligible_at", (a, snapshot)) for a in candidates])))
    size = int(settings["panel_size"])
    hints, seated = [], []
    for i in order:
        if len(seated) == size:
            break
        who = roll[int(i)]
        hints.append(who)
        if who not in (job.worker, job.client) and who not in seated and eligible[who]:
            seated.append(who)
    receipt = s.transact(escrow, "draw_panel", job_id, job.terms, index, header, hints)
    event = receipt.event(escrow, "PanelDrawn")
    return base | {
        "rearmed": False,
        "panel": list(event.panelists),
        "attempts": int(event.attempts),
        "panel_size": size,
        "commit_end": d["commit_end"],
        "reveal_end": d["reveal_end"],
        **_sent(receipt),
    }


def _seat(job: JobBook, index: int, d: dict, me: str) -> int:
    if d["panel"] is None:
        raise IwoError(
            f"the panel of {_name(job, index)} is not drawn yet (iwo panel draw {job.job_id}{_hint(job, index)})"
        )
    if me not in d["panel"]:
        raise IwoError(f"{me} is not on the panel of {_name(job, index)}")
    return d["panel"].index(me)


def _vote_key(s: Session, escrow: Contract, job_id: int, index: int, voter: str) -> str:
    return f"{s.chain_id}:{escrow.address}:{job_id}:{index}:{voter}"


def votes_path() -> str:
    return str(home.home() / VOTES_FILE)


def commit(
    s: Session,
    c: Collective,
    job_id: int,
    number: int | None,
    split: int,
    salt_text: str | None = None,
    keep: bool = True,
) -> dict:
    """Seals a panelist's vote (the worker's share in basis points) with a secret salt. The salt
    is kept in the data folder (written before sending) so that `reveal` finds it, unless
    `keep` is False: then the caller must keep the salt it is given."""
    escrow = escrow_of(c)
    job, index, d, _, _ = _disputed(s, c, job_id, number)
    me = _me(s)
    seat = _seat(job, index, d, me)
    if s.now() >= d["commit_end"]:
        raise IwoError(f"commits on {_name(job, index)} closed {_when(d['commit_end'])}")
    if not 0 <= split <= BPS:
        raise IwoError("--split must be 0% to 100%")
    salt = _salt(salt_text) if salt_text else secrets.token_bytes(32)
    sealed = s.call(escrow, "commitment", job_id, index, me, split, salt)
    key = _vote_key(s, escrow, job_id, index, me)
    votes = home.read_json(VOTES_FILE)
    earlier = votes.get(key)
    if keep:
        votes[key] = {"split": split, "salt": "0x" + salt.hex(), "seat": seat}
        home.write_json(VOTES_FILE, votes)
    try:
        receipt = s.transact(escrow, "commit_vote", job_id, index, d["panel"], seat, sealed)
    except BaseException:
        if keep:  # nothing sealed: put back what was kept before
            votes = home.read_json(VOTES_FILE)
            if earlier is None:
                votes.pop(key, None)
            else:
                votes[key] = earlier
            home.write_json(VOTES_FILE, votes)
        raise
    return {
        "job_id": job_id,
        "milestone": index + 1,
        "panelist": me,
        "seat": seat + 1,
        "split": split,
        "salt": None if keep else "0x" + salt.hex(),
        "kept_in": votes_path() if keep else None,
        "commit_end": d["commit_end"],
        "reveal_end": d["reveal_end"],
        "replaced": me in d["committed"],
        **_sent(receipt),
    }


def reveal(
    s: Session,
    c: Collective,
    job_id: int,
    number: int | None,
    split: int | None = None,
    salt_text: str | None = None,
) -> dict:
    """Opens a panelist's sealed vote, with the split and salt kept by `commit` (or given)."""
    escrow = escrow_of(c)
    job, index, d, _, _ = _disputed(s, c, job_id, number)
    me = _me(s)
    seat = _seat(job, index, d, me)
    if me in d["revealed"]:
        raise IwoError(f"you already revealed your vote on {_name(job, index)} ({d['revealed'][me] / 100:g}%)")
    if me not in d["committed"]:
        raise IwoError(f"you sealed no vote on {_name(job, index)}: there is nothing to reveal")
    now = s.now()
    if now < d["commit_end"]:
        raise IwoError(f"reveals on {_name(job, index)} open when commits close, {format_time(d['commit_end'], now)}")
    if now >= d["reveal_end"]:
        raise IwoError(f"reveals on {_name(job, index)} closed {_when(d['reveal_end'])}")
    key = _vote_key(s, escrow, job_id, index, me)
    if (split is None) != (salt_text is None):
        raise IwoError("give both --split and --salt, or neither (to use the vote kept by `iwo panel commit`)")
    if split is None:
        kept = home.read_json(VOTES_FILE).get(key)
        if kept is None:
            raise IwoError(
                f"no sealed vote of {me} on {_name(job, index)} is kept in {votes_path()}: give --split and --salt"
            )
        split, salt = int(kept["split"]), bytes.fromhex(kept["salt"][2:])
    else:
        salt = _salt(salt_text)
    receipt = s.transact(escrow, "reveal_vote", job_id, index, seat, split, salt)
    votes = home.read_json(VOTES_FILE)
    if votes.pop(key, None) is not None:
        home.write_json(VOTES_FILE, votes)
    return {
        "job_id": job_id,
        "milestone": index + 1,
        "panelist": me,
        "split": split,
        "revealed": len(d["revealed"]) + 1,
        "panel_size": len(d["panel"]),
        "reveal_end": d["reveal_end"],
        **_sent(receipt),
    }


def appeal(s: Session, c: Collective, job_id: int, number: int | None) -> dict:
    """A party appeals the panel's outcome to the whole collective, within the appeal window."""
    escrow = escrow_of(c)
    job, index, d, _, _ = _disputed(s, c, job_id, number)
    me = _me(s)
    if me not in (job.client, job.worker):
        raise IwoError(f"only the client or the worker of job #{job_id} may appeal; --account is {me}")
    if d["appealed_by"]:
        raise IwoError(f"{_name(job, index)} was already appealed by {d['appealed_by']}")
    now = s.now()
    if now < d["reveal_end"]:
        raise IwoError(f"the panel is still voting: appeals open {format_time(d['reveal_end'], now)}")
    if now >= d["appeal_end"]:
        raise IwoError(f"the appeal window of {_name(job, index)} closed {_when(d['appeal_end'])}")
    receipt = s.transact(escrow, "file_appeal", job_id, job.terms, index)
    event = receipt.event(escrow, "AppealFiled")
    return {
        "job_id": job_id,
        "milestone": index + 1,
        "appellant": me,
        "deadline": int(event.deadline),
        "panel_median": _median(list(d["revealed"].values())),
        "rule_command": f"iwo panel rule {job_id}{_hint(job, index)} --split PERCENT -m '…'",
        **_sent(receipt),
    }


def _median(values: list[int]) -> int | None:
    """The escrow's median (the mean of the middle two, rounded down, for an even count)."""
    if not values:
        return None
    ordered, n = sorted(values), len(values)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) // 2


def rule(s: Session, c: Collective, job_id: int, number: int | None, split: int, description: str) -> dict:
    """Proposes the collective's ruling on an appealed dispute: a proposal whose action calls the
    escrow's `rule_on_appeal`; it must be executed before the appeal deadline."""
    from .collective import Settings
    from .proposals import propose

    escrow = escrow_of(c)
    job, index, d, _, _ = _disputed(s, c, job_id, number)
    if not d["appealed_by"]:
        raise IwoError(f"{_name(job, index)} was not appealed: the collective rules only on an appeal")
    if d["appeal_split"] is not None:
        raise IwoError(f"the collective already ruled on {_name(job, index)} ({d['appeal_split'] / 100:g}%)")
    if not 0 <= split <= BPS:
        raise IwoError("--split must be 0% to 100%")
    settings = Settings.from_struct(s.call(c.governor, "settings"))
    ready = s.now() + settings.voting_delay + settings.voting_period + settings.timelock_delay
    if ready >= d["appeal_deadline"]:
        raise IwoError(
            f"a proposal made now is executable from {_when(ready)} at the earliest, after the appeal deadline "
            f"{_when(d['appeal_deadline'])}: the panel's outcome will stand"
        )
    action = (escrow.address, 0, escrow.encode("rule_on_appeal", job_id, job.terms, index, split))
    return propose(s, c, [action], description) | {"deadline": d["appeal_deadline"]}


def settle(s: Session, c: Collective, job_id: int, number: int | None) -> dict:
    """Pays out a final dispute (anyone): by the collective's ruling on appeal, the panel's
    median of a majority, or the job's default rule."""
    escrow = escrow_of(c)
    job, index, d, _, settings = _disputed(s, c, job_id, number)
    now = s.now()
    if d["appeal_split"] is None:
        if d["appealed_by"] and now < d["appeal_deadline"]:
            raise IwoError(
                f"{_name(job, index)} is under appeal until {format_time(d['appeal_deadline'], now)} "
                "(or until the collective rules)"
            )
        if not d["appealed_by"] and now < d["appeal_end"]:
            raise IwoError(
                f"the dispute on {_name(job, index)} is final from {format_time(d['appeal_end'], now)} "
                "(the end of the appeal window)"
            )
    receipt = s.transact(escrow, "settle_dispute", job_id, job.terms, index, d["panel"] or [])
    event = receipt.event(escrow, "DisputeSettled")
    f = lambda v: _fmt(s, int(v), job.asset)  # noqa: E731
    return {
        "job_id": job_id,
        "milestone": index + 1,
        "ruling": int(event.ruling),
        "ruling_text": RULINGS[int(event.ruling)],
        "split": int(event.split),
        "worker": job.worker,
        "worker_amount": int(event.worker_amount),
        "worker_amount_text": f(event.worker_amount),
        "fee": int(event.fee),
        "fee_text": f(event.fee),
        "client": job.client,
        "client_amount": int(event.client_amount),
        "client_amount_text": f(event.client_amount),
        "panelists_paid": list(event.panelists_paid),
        "panel_share": int(event.panel_share),
        "panel_share_text": f(event.panel_share),
        "no_shows": [e.panelist for e in receipt.events(escrow, "PanelistNoShow")],
        "default_split": int(settings["default_split"]),
        "deferred": _deferred(receipt, escrow),
        **_sent(receipt),
    }
