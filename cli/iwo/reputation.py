"""A client's and a member's record in the collective's work escrow, from its events alone.

    r = record(books, address)        # pure: the escrow's books (escrow_books.replay) and an address
    r = reputation(s, c, address)     # the same for a collective on a chain, amounts in words
    text(r), sentences(r)             # the record in words: for `iwo reputation`, for the vote page

For each role the address played (client, worker): jobs and how many ended; per asset, what the
client funded, and how the money paid to workers was paid — released by the client, by silence
(anyone, after the review window), after a dispute (the worker's gross share of rulings) — with
each path's share of the total, and what went back to the client (refunds, reclaims, the client's
share of rulings); disputes (a client opens them, a worker faces them) and disputes lost (a
ruling that gave the other side more than half; an even split is lost by nobody); the average
rating received from the other side, with its count. And panel service: seats held, no-shows.
The vote page shows the same record in sentences (`iwo serve`'s `/api/reputation/ADDR`; nothing
here imports click).
"""

from __future__ import annotations

from .escrow_books import BPS, EscrowBooks, JobBook

ROLES = ("client", "worker")
_PATHS = ("released", "by_silence", "after_dispute")


def _money(jobs: list[JobBook]) -> dict[str, dict]:
    """Per asset: funded, paid to the worker by path (gross), back to the client, shares in bps."""
    out: dict[str, dict] = {}
    for job in jobs:
        row = out.setdefault(
            job.asset,
            {
                "funded": 0,
                "released": 0,
                "by_silence": 0,
                "after_dispute": 0,
                "refunded": 0,
                "reclaimed": 0,
                "ruled_back": 0,
            },
        )
        row["funded"] += job.funded
        row["released"] += job.released
        row["by_silence"] += job.by_silence
        row["after_dispute"] += job.ruled_to_worker
        row["refunded"] += job.refunded
        row["reclaimed"] += job.reclaimed
        row["ruled_back"] += job.ruled_to_client
    for row in out.values():
        paid = sum(row[p] for p in _PATHS)
        row["paid"] = paid
        row["returned"] = row["refunded"] + row["reclaimed"] + row["ruled_back"]
        row["shares_bps"] = {p: (row[p] * BPS // paid if paid else None) for p in _PATHS}
    return out


def _rating(jobs: list[JobBook], address: str, by_client: bool) -> dict:
    ratings = [r["rating"] for j in jobs for r in j.reviews if r["reviewee"] == address and r["by_client"] == by_client]
    return {"average": round(sum(ratings) / len(ratings), 2) if ratings else None, "count": len(ratings)}


def _role(jobs: list[JobBook], address: str, role: str) -> dict:
    disputes = [d for j in jobs for d in j.disputes]
    lost = [d for d in disputes if (d["split"] > BPS // 2 if role == "client" else d["split"] < BPS // 2)]
    out = {
        "jobs": len(jobs),
        "ended": sum(1 for j in jobs if j.ended),
        "money": _money(jobs),
        "disputes": len(disputes) + sum(1 for j in jobs for m in j.milestones if m.dispute_fee),
        "disputes_settled": len(disputes),
        "disputes_lost": len(lost),
        # reviews a client receives come from workers (by_client False), and the other way round
        "rating": _rating(jobs, address, by_client=role == "worker"),
    }
    if role == "worker":
        out["missed_deadlines"] = sum(1 for j in jobs for m in j.milestones if m.ended_by == "reclaim")
    return out


def record(books: EscrowBooks, address: str) -> dict:
    """The record of `address` in these books (see the module's notes)."""
    return {
        "address": address,
        "as_client": _role([j for j in books.jobs.values() if j.client == address], address, "client"),
        "as_worker": _role([j for j in books.jobs.values() if j.worker == address], address, "worker"),
        "panel": {"seats": books.seats.get(address, 0), "no_shows": books.no_shows.get(address, 0)},
    }


def reputation(s, c, address: str, books: EscrowBooks | None = None) -> dict:
    """`record` for a collective's escrow, with every amount also in words; `books` are the
    escrow's books when the caller already holds them (the vote page keeps them per block)."""
    from . import assets
    from .escrow import all_books

    r = record(books if books is not None else all_books(s, c), address)
    for role in ("as_client", "as_worker"):
        for asset, row in r[role]["money"].items():
            row["asset"] = asset
            row["symbol"] = assets.info(s, asset)[0]
            for key in ("funded", "paid", "returned", *_PATHS, "refunded", "reclaimed", "ruled_back"):
                row[f"{key}_text"] = assets.fmt(s, row[key], asset)
    r["collective"] = c.alias
    return r


def _pct(bps: int | None) -> str:
    return "-" if bps is None else f"{bps / 100:g}%"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def text(r: dict) -> list[str]:
    """The record in words (for `iwo reputation`)."""
    lines = [f"{r['address']} in {r['collective']}"]
    for role, other in (("client", "workers"), ("worker", "clients")):
        data = r[f"as_{role}"]
        if not data["jobs"]:
            lines.append(f"as a {role}: no jobs")
            continue
        lines.append(f"as a {role}: {_plural(data['jobs'], 'job')} ({data['ended']} ended)")
        for row in data["money"].values():
            shares = row["shares_bps"]
            paid = (
                f"paid {row['paid_text']}: {_pct(shares['released'])} released by the client, "
                f"{_pct(shares['by_silence'])} by silence, {_pct(shares['after_dispute'])} after a dispute"
                if row["paid"]
                else "nothing paid to the worker yet"
            )
            lines.append(
                f"  {row['symbol']}: funded {row['funded_text']}; {paid}; back to the client {row['returned_text']} "
                f"(refunded {row['refunded_text']}, reclaimed {row['reclaimed_text']}, by rulings {row['ruled_back_text']})"
            )
        verb = "opened" if role == "client" else "faced"
        extra = ""
        if role == "worker":
            extra = f"; {_plural(data['missed_deadlines'], 'milestone')} reclaimed after a missed deadline"
        lines.append(f"  disputes: {data['disputes']} {verb}, {data['disputes_lost']} lost{extra}")
        rating = data["rating"]
        lines.append(
            f"  rated {rating['average']:.1f}/5 by {other} ({_plural(rating['count'], 'review')})"
            if rating["count"]
            else f"  not rated by {other} yet"
        )
    p = r["panel"]
    lines.append(f"panel service: {_plural(p['seats'], 'seat')}, {_plural(p['no_shows'], 'no-show')}")
    return lines


def _paid_sentence(row: dict, to: str, back: str) -> str:
    """One asset's money in a sentence (the amounts in words from `reputation`)."""
    shares = row["shares_bps"]
    paid = (
        f"{row['paid_text']} paid to {to} ({_pct(shares['released'])} released by the client, "
        f"{_pct(shares['by_silence'])} by silence, {_pct(shares['after_dispute'])} after a dispute)"
        if row["paid"]
        else f"nothing paid to {to} yet"
    )
    return f"{row['symbol']}: {row['funded_text']} funded; {paid}; {row['returned_text']} back to {back}."


def sentences(r: dict) -> list[str]:
    """The record in sentences (for the vote page): one per role, then panel service."""
    p = r["panel"]
    if not r["as_client"]["jobs"] and not r["as_worker"]["jobs"] and not p["seats"]:
        return ["No jobs as a client or as a worker, and no panel seat: no record yet."]
    out = []
    for role, other, to, back in (
        ("client", "workers", "workers", "this client"),
        ("worker", "clients", "this worker", "clients"),
    ):
        data = r[f"as_{role}"]
        if not data["jobs"]:
            out.append(f"As a {role}: no jobs.")
            continue
        words = [f"As a {role}: {_plural(data['jobs'], 'job')}, {data['ended']} ended."]
        words += [_paid_sentence(row, to, back) for row in data["money"].values()]
        if role == "client":
            words.append(f"Disputes: {data['disputes']} opened, {data['disputes_lost']} lost.")
        else:
            words.append(
                f"Disputes: {data['disputes']} faced, {data['disputes_lost']} lost; "
                f"{_plural(data['missed_deadlines'], 'milestone')} reclaimed after a missed deadline."
            )
        rating = data["rating"]
        words.append(
            f"Rated {rating['average']:.1f}/5 by {other} ({_plural(rating['count'], 'review')})."
            if rating["count"]
            else f"Not rated by {other} yet."
        )
        out.append(" ".join(words))
    out.append(f"Panel service: {_plural(p['seats'], 'seat')}, {_plural(p['no_shows'], 'no-show')}.")
    return out
