"""`iwo ledger`, `iwo audit`: the auditor's view, from chain events alone (no account needed)."""

from __future__ import annotations

import sys

import click

from .base import COUNT, OUT_FILE, Out, chain_command, when


def _progress():
    from ..logstore import Progress

    if not sys.stderr.isatty():
        return Progress()

    def draw(source, done, total):
        width = 30
        filled = int(width * done / max(total, 1))
        click.echo(
            f"\rscanning {source.split(':')[0]:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} blocks",
            err=True,
            nl=done >= total,
        )

    return Progress(draw)


def _target(s, c, tokens):
    from ..ledger import Target

    extra = tuple(s.address(t, "--token") for t in tokens)
    aid = c.aid.address if c.aid else None
    escrow = c.escrow.address if c.escrow else None
    start = c.start_block or _creation(s, c)
    return Target(s.chain_id, c.governor.address, c.treasury.address, start, extra, aid, escrow)


def _creation(s, c) -> int:
    from ..ledger import find_target

    return find_target(s.rpc, c.governor.address).start_block


def _auditor_options(f):
    f = click.option("--to-block", type=COUNT, help="Last block (default: the head).")(f)
    f = click.option(
        "--token",
        "tokens",
        multiple=True,
        metavar="ADDR",
        help="Also follow this token (found automatically when a treasury event names it).",
    )(f)
    return f


def register(main: click.Group) -> None:
    @chain_command(main, "ledger", "Every treasury movement, from chain events.", account=False)
    @_auditor_options
    @click.option("--from-block", type=COUNT, help="First block shown (default: the treasury's creation).")
    @click.option("--asset", metavar="ETH|TOKEN|SYMBOL", help="Only movements of this asset.")
    @click.option("--csv", "csv_path", type=OUT_FILE, help="Also write CSV here.")
    @click.option("--plot", "plot_path", type=OUT_FILE, help="Also draw balance and flows per asset into this PNG.")
    @click.option(
        "--escrow", "escrow_view", is_flag=True, help="The work escrow's books instead: holdings per job and per asset."
    )
    def ledger(s, c, tokens, to_block, from_block, asset, csv_path, plot_path, escrow_view):
        """Lists every treasury movement in order, per asset, with running balances: dues (member
        and periods), donations, plain transfers in, each executed proposal's payments (id and
        description), the escrow's fees (with the job). With --escrow: the work escrow's
        movements, what it holds per asset after each, per open job, and credited payments.
        Read-only; works against any JSON-RPC node with --rpc."""
        from dataclasses import asdict

        from .. import ledger as ledgers
        from ..errors import IwoError
        from ..registry import log_store

        target = _target(s, c, tokens)
        if escrow_view:
            if from_block or asset or csv_path or plot_path:
                raise click.UsageError("--escrow shows the whole escrow: without --from-block, --asset, --csv, --plot")
            return _escrow_ledger(ledgers.build_escrow(s.rpc, log_store(), target, to_block, _progress()))
        book = ledgers.build(s.rpc, log_store(), target, from_block, to_block, _progress())
        rows = book.rows
        if asset:
            wanted = asset.strip().lower()
            rows = [r for r in rows if wanted in (r.asset.lower(), r.symbol.lower())]
            if not rows and not any(wanted in (a.lower(), m[0].lower()) for a, m in book.assets.items()):
                raise IwoError(f"the treasury never held {asset!r}")
        if csv_path:
            from pathlib import Path

            Path(csv_path).write_text(ledgers.to_csv(rows))
        if plot_path:
            ledgers.plot(book, plot_path)
        data = {
            "governor": target.governor,
            "treasury": target.treasury,
            "chain_id": target.chain_id,
            "from_block": book.from_block,
            "to_block": book.to_block,
            "closing": {book.assets[a][0]: v for a, v in book.closing.items()},
            "rows": [asdict(r) for r in rows],
        }

        def text(d):
            out = []
            for r in d["rows"]:
                sign = "+" if r["direction"] == "in" else "-" if r["direction"] == "out" else "="
                out.append(
                    f"{when(r['time'])}  block {r['block']:>6}  {sign} {r['amount_text']:>16}  {r['what']:<70}  "
                    f"balance {r['balance_text']}" + ("  [FLAGGED]" if r["flagged"] else "")
                )
            out.append("closing: " + ", ".join(f"{ledgers.fmt(v, book.assets[a])}" for a, v in book.closing.items()))
            return out

        return Out(data, text)

    @chain_command(main, "audit", "Reconcile the treasury's events with its balances.", account=False)
    @_auditor_options
    @click.option("--samples", default="5", show_default=True, type=COUNT, help="Earlier blocks to check as well.")
    def audit(s, c, tokens, to_block, samples):
        """Rebuilds each asset's balance from events and compares it with the on-chain balance at
        the last block scanned and at sampled earlier blocks. Exit 0 when the books balance,
        1 when they do not (each unexplained difference is listed)."""
        from dataclasses import asdict

        from .. import ledger as ledgers
        from ..registry import log_store

        target = _target(s, c, tokens)
        book = ledgers.build(s.rpc, log_store(), target, None, to_block, _progress())
        result = ledgers.audit(s.rpc, book, samples)
        data = asdict(result) | {"treasury": target.treasury, "rows": len(book.rows)}
        data |= _aid_audit(s, target, book.to_block)
        escrow = _escrow_audit(s, target, book.to_block)
        if escrow is not None:
            data["escrow"] = escrow
        data["treasury_ok"] = result.ok and not data["aid_flags"]
        ok = data["treasury_ok"] and (escrow is None or escrow["ok"])
        data["ok"] = ok
        metas = dict(book.assets) | data.pop("aid_assets")
        return Out(
            data,
            lambda d: (
                [
                    f"{a['symbol']:<6} events {ledgers.fmt(a['rebuilt'], book.assets[a['asset']])}, chain "
                    f"{ledgers.fmt(a['on_chain'], book.assets[a['asset']])}: {'ok' if a['ok'] else 'MISMATCH'}"
                    for a in d["assets"]
                ]
                + [
                    f"{a['what']:<8} {a['symbol']:<6} events {ledgers.fmt(a['rebuilt'], metas[a['asset']])}, chain "
                    f"{ledgers.fmt(a['on_chain'], metas[a['asset']])}: {'ok' if a['ok'] else 'MISMATCH'}"
                    for a in d["aid"]
                ]
                + [f"FLAG: {f}" for f in d["flags"] + d["aid_flags"]]
                + [
                    f"{'books balance' if d['treasury_ok'] else 'books do NOT balance'} at block {d['block']} "
                    f"({d['rows']} movements, {d['samples_checked']} sampled blocks checked)"
                ]
                + (_escrow_audit_text(d["escrow"]) + [_verdict(d)] if "escrow" in d else [])
            ),
            exit_code=0 if ok else 1,
        )


def _verdict(d: dict) -> str:
    """The audit's last line when the collective has an escrow: every book, or which do not balance."""
    if d["ok"]:
        return f"all books balance at block {d['block']} (treasury, aid pool, escrow)"
    wrong = [name for name, ok in (("the treasury's", d["treasury_ok"]), ("the escrow's", d["escrow"]["ok"])) if not ok]
    return f"books do NOT balance at block {d['block']}: {' and '.join(wrong)}"


def _escrow_ledger(book) -> Out:
    """`iwo ledger --escrow`: the escrow's movements, holdings per asset, per open job, credits."""
    from dataclasses import asdict

    from .. import ledger as ledgers

    data = {
        "escrow": book.target.escrow,
        "chain_id": book.target.chain_id,
        "to_block": book.to_block,
        "holdings": {book.assets[a][0]: v for a, v in book.holdings.items()},
        "jobs": [
            {
                "job_id": j.job_id,
                "asset": j.asset,
                "held": j.held,
                "held_text": ledgers.fmt(j.held, book.assets[j.asset]),
            }
            for j in book.jobs.values()
            if j.held
        ],
        "credits": [
            {"account": a, "asset": t, "amount": v, "amount_text": ledgers.fmt(v, book.assets[t])}
            for (a, t), v in sorted(book.credits.items())
        ],
        "rows": [asdict(r) for r in book.rows],
        "flags": book.flags,
    }

    def text(d):
        out = []
        for r in d["rows"]:
            sign = "+" if r["change"] > 0 else "-" if r["change"] < 0 else " "
            out.append(
                f"{when(r['time'])}  block {r['block']:>6}  {sign} {r['change_text']:>16}  {r['what']:<70}  "
                f"holds {r['holdings_text']}"
            )
        out += [f"held for job #{j['job_id']}: {j['held_text']}" for j in d["jobs"]]
        out += [f"credited to {c['account']}, awaiting withdrawal: {c['amount_text']}" for c in d["credits"]]
        out += [f"FLAG: {f}" for f in d["flags"]]
        out.append("escrow holds: " + ", ".join(ledgers.fmt(v, book.assets[a]) for a, v in book.holdings.items()))
        return out

    return Out(data, text)


def _escrow_audit(s, target, to_block) -> dict | None:
    """The escrow's reconciliation (None when the collective has no escrow known to iwo)."""
    from dataclasses import asdict

    from .. import ledger as ledgers
    from ..registry import log_store

    if not target.escrow:
        return None
    book = ledgers.build_escrow(s.rpc, log_store(), target, to_block)
    result = ledgers.audit_escrow(s.rpc, book)
    return asdict(result) | {"rows": len(book.rows), "assets_meta": {a: list(m) for a, m in book.assets.items()}}


def _escrow_audit_text(d: dict) -> list[str]:
    from .. import ledger as ledgers

    meta = {a: tuple(m) for a, m in d["assets_meta"].items()}

    def f(value, asset):
        return ledgers.fmt(value, meta[asset])

    def state(ok):
        return "ok" if ok else "MISMATCH"

    lines = [f"escrow {d['escrow']}:"]
    lines += [
        f"  {a['symbol']:<6} events {f(a['rebuilt'], a['asset'])}, chain {f(a['on_chain'], a['asset'])}: {state(a['ok'])}"
        for a in d["assets"]
    ]
    lines += [
        f"  job #{j['job_id']} holds: events {f(j['rebuilt'], j['asset'])}, chain {f(j['on_chain'], j['asset'])}: "
        f"{state(j['ok'])}"
        for j in d["jobs"]
    ]
    lines += [
        f"  credited to {c['account']}: events {f(c['rebuilt'], c['asset'])}, chain {f(c['on_chain'], c['asset'])}: "
        f"{state(c['ok'])}"
        for c in d["credits"]
    ]
    lines += [f"FLAG: {x}" for x in d["flags"]] + [f"note: {x}" for x in d["notes"]]
    lines.append(
        f"{'escrow books balance' if d['ok'] else 'escrow books do NOT balance'} at block {d['block']} "
        f"({d['rows']} movements, {len(d['jobs'])} open jobs)"
    )
    return lines


def _aid_audit(s, target, to_block: int) -> dict:
    """Mutual aid in the audit: the pool per asset rebuilt from events against the treasury's
    `pool(asset)`, the deposits the aid contract holds, and every withdrawal against its months'
    factors (see `ledger.aid_book`)."""
    from .. import ledger as ledgers
    from ..registry import log_store

    if not target.aid:
        return {"aid": [], "aid_flags": [], "aid_assets": {}}
    book = ledgers.aid_book(s.rpc, log_store(), target, to_block)
    rows, flags = ledgers.audit_pool(s.rpc, book)
    metas = dict(book.assets)
    for row in rows:
        metas.setdefault(row["asset"], ledgers.asset_meta(s.rpc, row["asset"]))
    return {"aid": rows, "aid_flags": flags, "aid_assets": metas}
