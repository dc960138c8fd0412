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
    return Target(s.chain_id, c.governor.address, c.treasury.address, c.start_block or _creation(s, c), extra, aid)


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
    def ledger(s, c, tokens, to_block, from_block, asset, csv_path, plot_path):
        """Lists every treasury movement in order, per asset, with running balances: dues (member
        and periods), donations, plain transfers in, and each executed proposal's payments (id and
        description). Read-only; works against any JSON-RPC node with --rpc."""
        from dataclasses import asdict

        from .. import ledger as ledgers
        from ..errors import IwoError
        from ..registry import log_store

        target = _target(s, c, tokens)
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
        ok = result.ok and not data["aid_flags"]
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
                    f"{'books balance' if d['ok'] else 'books do NOT balance'} at block {d['block']} "
                    f"({d['rows']} movements, {d['samples_checked']} sampled blocks checked)"
                ]
            ),
            exit_code=0 if ok else 1,
        )


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
        metas.setdefault(row["asset"], ledgers._asset_meta(s.rpc, row["asset"]))
    return {"aid": rows, "aid_flags": flags, "aid_assets": metas}
