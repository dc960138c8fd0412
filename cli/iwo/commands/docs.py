"""`iwo docs`: the texts the collective adopted by vote (rate guidelines, contract templates)."""

from __future__ import annotations

import click

from .base import Out, chain_command, group, when


def _line(d: dict) -> str:
    state = "current" if d["current"] else ("superseded" if d["adopted"] else "not adopted")
    adopted = when(d["adopted_time"]) if d["adopted"] else "-"
    return f"#{d['proposal_id']:<4} {state:<11} {adopted:<20}  {d['sha256'][:12]}…  {d['kind']:<17} {d['title']}"


def _show(d: dict) -> list[str]:
    lines = [
        d["title"],
        f"  kind          {d['kind']}",
        f"  sha256        {d['sha256']}",
        f"  proposal      #{d['proposal_id']}",
        f"  adopted       {when(d['adopted_time']) if d['adopted'] else 'no (the proposal was not executed)'}",
        f"  status        {'current' if d['current'] else ('superseded' if d['adopted'] else 'not adopted')}",
    ]
    if d["supersedes"]:
        lines.append(f"  supersedes    {d['supersedes']}")
    if d["superseded_by"]:
        lines.append(f"  superseded by {d['superseded_by']}")
    return lines


def register(main: click.Group) -> None:
    @group(main, "docs", "Texts the collective adopted by vote: list, show, verify a file.")
    def docs():
        """Documents adopted by signal proposals (`iwo propose adopt`): rate guidelines, contract
        templates, policies. Each is known by its sha256; the text itself stays off-chain."""

    @chain_command(docs, "list", "List adopted documents.", account=False)
    @click.option("--all", "everything", is_flag=True, help="Also superseded ones and proposals not (yet) adopted.")
    def docs_list(s, c, everything):
        """Lists adopted documents: title, kind, hash, the proposal that adopted it, when, and
        what it superseded."""
        from ..documents import as_dict, documents

        rows = [as_dict(d) for d in documents(s, c) if everything or d.current]
        return Out(rows, lambda rows: [_line(d) for d in rows] or ["no adopted documents"])

    @chain_command(docs, "show", "Show one document's record.", account=False)
    @click.argument("key")
    def docs_show(s, c, key):
        """Shows the record of a document named by its proposal (#N), its sha256 (8+ hex digits
        are enough) or its title."""
        from ..documents import as_dict, find

        return Out(as_dict(find(s, c, key)), _show)

    @chain_command(docs, "verify", "Is this file exactly an adopted text?", account=False)
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    def docs_verify(s, c, file):
        """Checks that FILE is byte for byte an adopted text (by its sha256) and says which one,
        and whether it is still current. Exit 0 when it is adopted, 1 otherwise."""
        from ..documents import verify

        result = verify(s, c, file)

        def text(r):
            d = r["document"]
            if d is None:
                return f"{file} is not a document of {c.alias} (sha256 {r['sha256']})"
            if not r["adopted"]:
                return f"{file} was proposed as {d['title']!r} in #{d['proposal_id']} but never adopted"
            status = "current" if r["current"] else f"superseded by {d['superseded_by'][:12]}…"
            return f"{file} is exactly {d['title']!r}, adopted by proposal #{d['proposal_id']} on {when(d['adopted_time'])} ({status})"

        return Out(result, text, exit_code=0 if result["adopted"] else 1)
