"""`iwo status`: a collective at a glance."""

from __future__ import annotations

import click

from .base import Out, chain_command, when


def proposal_line(p: dict, now: int) -> str:
    from ..proposals import deadline as next_deadline

    v = p["votes"]
    deadline = next_deadline(p)
    extra = f"; {deadline[0]} {when(deadline[1], now)}" if deadline else ""
    desc = (p["description"] or "").splitlines()[0][:60] if p["description"] else ""
    return (
        f"#{p['id']:<3} {p['state']:<9} for {v['for']} / against {v['against']} / abstain {v['abstain']} "
        f"(quorum {p['quorum']} of {p['members_at_snapshot']}){extra}  {desc}"
    )


def status_text(d: dict) -> list[str]:
    now = d["block_time"]
    lines = [
        f"{d['name']} ({d['collective']}, chain {d['chain_id']}) — governor {d['governor']}",
        f"dues {d['dues']['amount_text']} per {d['dues']['period_text']}, grace {d['dues']['grace_text']}; "
        f"chain time {when(now)}",
        "",
        f"members ({len(d['members'])}):",
    ]
    for m in d["members"]:
        lines.append(f"  {m['address']}  {m['standing']:<9} paid through {when(m['paid_through'])}")
    lines += ["", "treasury:"]
    for b in d["balances"]:
        pool = f" ({b['pool_text']} of it in the mutual-aid pool)" if b["pool"] else ""
        lines.append(f"  {b['balance_text']}{pool}")
    lines += ["", f"open proposals ({len(d['open_proposals'])}):"]
    for p in d["open_proposals"]:
        lines.append("  " + proposal_line(p, now))
    return lines


def register(main: click.Group) -> None:
    @chain_command(main, "status", "Members, treasury and open proposals at a glance.", account=False)
    def status(s, c):
        """Shows members and their dues standing, treasury balances, and open proposals with
        deadlines and tallies."""
        from ..overview import status as overview

        return Out(overview(s, c), status_text)
