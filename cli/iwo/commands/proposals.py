"""`iwo proposals`: list them, show one in full, see who voted."""

from __future__ import annotations

import click

from .base import ID, Out, chain_command, group, when
from .status import proposal_line


def proposal_text(p: dict, now: int, votes: list[dict]) -> list[str]:
    lines = [
        f"proposal #{p['id']}: {p['state']}{' (constitutional)' if p['constitutional'] else ''}",
        f"proposer {p['proposer']}",
        "",
        p["description"] or "",
        "",
        "what it does:",
    ] + [f"  - {line}" for line in p["explained"]]
    lines += [
        "",
        f"votes: for {p['votes']['for']}, against {p['votes']['against']}, abstain {p['votes']['abstain']}; "
        f"quorum {p['quorum']} of {p['members_at_snapshot']} members; passes with {p['approval_needed']}",
        f"snapshot     {when(p['snapshot'], now)}",
        f"voting opens {when(p['vote_start'], now)}",
        f"voting ends  {when(p['vote_end'], now)}",
    ]
    if p["eta"]:
        lines.append(f"executable   {when(p['eta'], now)}")
    label = "execute by  " if p["eta"] else "queue by    "
    lines.append(f"{label} {when(p['execution_deadline'], now)}")
    if votes:
        lines += ["", "who voted:"] + [vote_line(v) for v in votes]
    return lines


def vote_line(v: dict) -> str:
    reason = f' — "{v["reason"]}"' if v["reason"] else ""
    return f"  {v['voter']}  {v['support']:<7} {when(v['time'])}{reason}"


def register(main: click.Group) -> None:
    @group(main, "proposals", "List proposals, show one in full, see who voted.")
    def proposals():
        """Proposals: state, tallies, quorum, timings, their actions in words, and who voted."""

    @chain_command(proposals, "list", "List proposals.", account=False)
    @click.option("--open", "open_only", is_flag=True, help="Only pending, active, succeeded or queued ones.")
    def proposals_list(s, c, open_only):
        """Lists the collective's proposals with state and tallies."""
        from ..proposals import proposals as rows

        now = s.now()
        return Out(rows(s, c, open_only), lambda rows: [proposal_line(p, now) for p in rows] or ["no proposals"])

    @chain_command(proposals, "show", "Show one proposal in full.", account=False)
    @click.argument("proposal_id", type=ID)
    def proposals_show(s, c, proposal_id):
        """Shows a proposal: state, tallies against quorum, timings, each action in words, and who
        voted how and why."""
        from ..proposals import proposal, votes

        p = proposal(s, c, proposal_id)
        p["voters"] = votes(s, c, proposal_id)
        now = s.now()
        return Out(p, lambda p: proposal_text(p, now, p["voters"]))

    @chain_command(proposals, "votes", "Who voted on a proposal, how and why.", account=False)
    @click.argument("proposal_id", type=ID)
    def proposals_votes(s, c, proposal_id):
        """Lists each vote on PROPOSAL_ID: voter, choice, time and reason."""
        from ..proposals import votes

        found = votes(s, c, proposal_id)
        return Out(found, lambda rows: [vote_line(v) for v in rows] or [f"no votes on #{proposal_id} yet"])
