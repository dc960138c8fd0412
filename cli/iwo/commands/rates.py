"""`iwo rates`: what members ask and what finished jobs paid, per category — published only where
nobody can be singled out (see iwo.rates) — and members' own asks."""

from __future__ import annotations

import click

from .base import AMOUNT, CONTEXT, IwoGroup, Out, chain_command


class _RatesGroup(IwoGroup):
    """`iwo rates [CATEGORY]` reads the figures; `iwo rates post|withdraw|categories` act."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["show", *args]  # a category or an option of `show`
        return super().parse_args(ctx, args)


def _cell_line(r: dict) -> str:
    head = f"{r['category']:<18} per {r['unit']:<8} {r['symbol']:<6} {'asks' if r['source'] == 'ask' else 'paid':<4}"
    if not r["published"]:
        return f"{head}  withheld: {r['reason']}"
    p = r["percentiles_text"]
    parts = [f"p{k} {p[k]}" for k in ("10", "25", "50", "75", "90") if k in p]
    return f"{head}  {r['members']} members  " + "  ".join(parts)


def register(main: click.Group) -> None:
    @main.group(
        cls=_RatesGroup,
        invoke_without_command=True,
        short_help="What members ask and are paid, per category (k-anonymous).",
        context_settings=CONTEXT,
    )
    @click.pass_context
    def rates(ctx):
        """Rates in the collective, per category, unit and asset: members' current asks and what
        finished escrow jobs paid per unit. A figure is published only from 5 or more members,
        each counted once (no one over 25 %), from the last 12 months, and never the minimum or
        maximum: 25th/50th/75th percentiles, 10th/90th from 10 members. Asks are public.

        `iwo rates [CATEGORY]` shows them; `post`, `withdraw` and `categories` below."""
        if ctx.invoked_subcommand is None:
            ctx.invoke(show)

    @chain_command(rates, "show", "Published rates (all categories, or one).", account=False)
    @click.argument("category", required=False)
    def show(s, c, category=None):
        """Shows the published figures per category (or for CATEGORY), and why a cell is withheld."""
        from ..ratesboard import summary

        data = summary(s, c, category)
        return Out(
            data,
            lambda d: (
                [_cell_line(r) for r in d["cells"]]
                or [f"no rates yet (categories: {', '.join(d['categories']) or 'none, a vote adds them'})"]
            ),
        )

    @chain_command(rates, "post", "Post your ask in a category (public).")
    @click.argument("category")
    @click.argument("amount", type=AMOUNT)
    @click.option("--unit", required=True, help="Unit of work: hour, word, page, project … (at most 32 bytes).")
    @click.option("--asset", default="ETH", show_default=True, metavar="ETH|TOKEN")
    def post(s, c, category, amount, unit, asset):
        """Posts (or replaces) your ask: AMOUNT per --unit in CATEGORY. Only members in good
        standing; one current ask per member and category; asks are public on-chain."""
        from ..ratesboard import post as put

        return Out(
            put(s, c, category, amount, asset, unit),
            lambda d: f"posted your ask: {d['amount_text']} per {d['unit']} in {d['category']}",
        )

    @chain_command(rates, "withdraw", "Withdraw your ask in a category.")
    @click.argument("category")
    def withdraw(s, c, category):
        """Withdraws your current ask in CATEGORY."""
        from ..ratesboard import withdraw as take_back

        return Out(take_back(s, c, category), lambda d: f"withdrew your ask in {d['category']}")

    @chain_command(rates, "categories", "Categories and assets the collective takes.", account=False)
    def categories(s, c):
        """Lists the categories (set by vote: `iwo propose rate-category`) and the largest ask per
        unit the collective takes in each asset (`iwo propose rate-cap`)."""
        from .. import assets
        from ..ratesboard import settings

        data = settings(s, c)

        def text(d):
            caps = [f"  {assets.fmt(s, v, a)} per unit at most" for a, v in d["caps"].items()]
            return ["categories: " + (", ".join(d["categories"]) or "none yet")] + (caps or ["  no asset taken yet"])

        return Out(data, text)
