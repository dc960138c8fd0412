"""`iwo members`, `iwo resign`: who belongs to a collective."""

from __future__ import annotations

import click

from .base import Out, chain_command, group, when


def member_text(r: dict) -> list[str]:
    lines = [
        f"{r['address']}",
        f"  standing      {r['standing']}" + (f" (owes {r['owes_periods']} period(s))" if r["owes_periods"] else ""),
        f"  member now    {'yes' if r['member'] else 'no'}",
        f"  roll index    {r['index']}",
        f"  joined        {when(r['joined'])}",
        f"  paid through  {when(r['paid_through'])}",
    ]
    if r["left"]:
        lines.append(f"  left          {when(r['left'])}")
    return lines


def register(main: click.Group) -> None:
    @group(main, "members", "List members or show one.")
    def members():
        """Members of a collective and their dues standing."""

    @chain_command(members, "list", "List members and their standing.", account=False)
    @click.option("--all", "include_former", is_flag=True, help="Include former members.")
    def members_list(s, c, include_former):
        """Lists members with their dues standing (paid up, in grace, lapsed)."""
        from ..membership import members as rows

        found = rows(s, c, include_former)
        return Out(
            found,
            lambda rows: (
                [
                    f"{r['address']}  {r['standing']:<13} joined {when(r['joined'])}  paid through {when(r['paid_through'])}"
                    for r in rows
                ]
                or ["no members"]
            ),
        )

    @chain_command(members, "show", "Show one member.", account=False)
    @click.argument("address")
    def members_show(s, c, address):
        """Shows ADDRESS's membership (an address or account name): joined, left, paid through, standing."""
        from ..membership import member

        return Out(member(s, c, s.address(address, "member")), member_text)

    @chain_command(main, "resign", "Give up your membership card.")
    def resign(s, c):
        """Resigns the --account from the collective (its card is burnt). Votes already cast stay."""
        from ..membership import resign as leave

        return Out(leave(s, c), lambda d: f"{d['resigned']} resigned; {d['members']} members remain")
