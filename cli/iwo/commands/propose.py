"""`iwo propose …`: make a proposal; each subcommand builds its actions."""

from __future__ import annotations

import click

from ..limits import MAX_ACTIONS, MAX_CALLDATA, MAX_DESCRIPTION
from .base import AMOUNT, DURATION, Out, chain_command, group, when
from .collectives import check_settings, settings_options


def _message(f):
    return click.option(
        "--message",
        "-m",
        "description",
        required=True,
        help=f"What the proposal is about (at most {MAX_DESCRIPTION} bytes of UTF-8).",
    )(f)


def _created(p: dict) -> list[str]:
    return [
        f"proposal #{p['id']} created ({p['state']}); voting opens {when(p['vote_start'])}, ends {when(p['vote_end'])}"
    ] + [f"  - {line}" for line in p["explained"]]


def _propose(s, c, actions, description) -> Out:
    from ..proposals import propose

    return Out(propose(s, c, actions, description), _created)


def register(main: click.Group) -> None:
    @group(main, "propose", "Make a proposal (spend, signal, admit, revoke, settings, dues, call).")
    def propose():
        """Make a proposal (see below)."""

    propose.help = (
        f"Make a proposal. Each subcommand builds the actions (at most {MAX_ACTIONS}, each at most {MAX_CALLDATA} "
        "bytes of calldata) and checks them as the governor would run them; -m gives the description."
    )

    @chain_command(propose, "spend", "Pay someone from the treasury's free balance.")
    @click.option("--to", "to", required=True, metavar="ADDR", help="Recipient (an address or account name).")
    @click.option("--amount", required=True, type=AMOUNT, help="Amount, e.g. 0.2")
    @click.option("--asset", default="ETH", show_default=True, metavar="ETH|TOKEN")
    @_message
    def spend(s, c, to, amount, asset, description):
        """Proposes paying AMOUNT from the treasury's free balance (not the mutual-aid pool) to --to.
        Benefits to members are paid by mutual aid (`iwo aid`), not by spend proposals."""
        from ..proposals import spend as build

        return _propose(s, c, [build(s, c, to, amount, asset)], description)

    @chain_command(propose, "pool", "Move free money into the mutual-aid pool, or back.")
    @click.option("--fund", "fund", type=AMOUNT, help="Amount to move from the free balance into the pool.")
    @click.option("--release", type=AMOUNT, help="Amount to move from the pool back to the free balance.")
    @click.option("--asset", default="ETH", show_default=True, metavar="ETH|TOKEN")
    @_message
    def pool(s, c, fund, release, asset, description):
        """Proposes moving money between the free balance and the ring-fenced mutual-aid pool."""
        from ..proposals import pool_move

        if bool(fund) == bool(release):
            raise click.UsageError("give one of --fund and --release")
        return _propose(s, c, [pool_move(s, c, fund or release, asset, bool(fund))], description)

    @chain_command(propose, "signal", "A decision with no on-chain action.")
    @click.option(
        "--text-file",
        type=click.Path(exists=True, dir_okay=False),
        help="A document adopted by this decision; its sha256 is added to the description.",
    )
    @_message
    def signal(s, c, text_file, description):
        """Proposes a signal-only decision (e.g. adopting a rate guideline or a contract template)."""
        if text_file:
            import hashlib
            from pathlib import Path

            digest = hashlib.sha256(Path(text_file).read_bytes()).hexdigest()
            description = f"{description}\n\nDocument: {Path(text_file).name} sha256:{digest}"
        return _propose(s, c, [], description)

    @chain_command(propose, "adopt", "Adopt a document (a rate guideline, a contract template).")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option(
        "--title", required=True, help="The document's title (a later adoption with the same title supersedes it)."
    )
    @click.option(
        "--kind",
        type=click.Choice(["contract-template", "rate-guideline", "policy", "other"]),
        default="other",
        show_default=True,
    )
    @click.option("--supersedes", metavar="SHA256", help="The sha256 of an adopted text this one replaces.")
    @_message
    def adopt(s, c, file, title, kind, supersedes, description):
        """Proposes adopting FILE: a signal proposal whose description records the title, kind and
        sha256 of the text (the text itself stays off-chain). Once executed it is listed by
        `iwo docs list` and files can be checked with `iwo docs verify`."""
        from ..documents import adopt_description

        return _propose(s, c, [], adopt_description(description, title, file, kind, supersedes))

    @chain_command(propose, "rate-category", "Add (or remove) a category of the rate board.")
    @click.argument("category")
    @click.option("--remove", is_flag=True, help="Stop taking asks in this category.")
    @_message
    def rate_category(s, c, category, remove, description):
        """Proposes that the collective takes members' asks in CATEGORY (or no longer, --remove)."""
        from ..ratesboard import category_action

        return _propose(s, c, [category_action(s, category, not remove)], description)

    @chain_command(propose, "rate-cap", "Which asset asks are in, and their sane maximum.")
    @click.option("--asset", default="ETH", show_default=True, metavar="ETH|TOKEN")
    @click.option("--max", "maximum", required=True, type=AMOUNT, help="Largest ask per unit taken (0: none).")
    @_message
    def rate_cap(s, c, asset, maximum, description):
        """Proposes the largest ask per unit the collective takes in ASSET (absurd asks refused)."""
        from ..ratesboard import cap_action

        return _propose(s, c, [cap_action(s, asset, maximum)], description)

    @chain_command(propose, "admit", "Admit a new member.")
    @click.argument("address")
    @_message
    def admit(s, c, address, description):
        """Proposes admitting ADDRESS (an address or account name; a card is issued when it executes)."""
        from ..proposals import admit as build

        return _propose(s, c, [build(s, c, address)], description)

    @chain_command(propose, "revoke", "Revoke a member (constitutional).")
    @click.argument("address")
    @_message
    def revoke(s, c, address, description):
        """Proposes revoking ADDRESS's membership (needs the constitutional threshold)."""
        from ..proposals import revoke as build

        return _propose(s, c, [build(s, c, address)], description)

    @chain_command(propose, "settings", "Change voting settings (constitutional).")
    @lambda f: settings_options(f, defaults=False)
    @_message
    def settings(s, c, description, **changes):
        """Proposes new voting settings; options not given keep their current value."""
        from ..proposals import settings_change

        names = {"timelock": "timelock_delay"}
        chosen = {names.get(k, k): v for k, v in changes.items() if v is not None}
        if not chosen:
            raise click.UsageError("give at least one setting to change")
        new, action = settings_change(s, c, chosen)
        check_settings(new)
        return _propose(s, c, [action], description)

    @chain_command(propose, "dues", "Change the dues (constitutional).")
    @click.option("--amount", required=True, type=AMOUNT)
    @click.option("--asset", default="ETH", show_default=True, metavar="ETH|TOKEN")
    @click.option("--period", required=True, type=DURATION)
    @_message
    def dues(s, c, amount, asset, period, description):
        """Proposes new dues terms (amount per period, asset, period)."""
        from ..limits import MAX_PERIOD
        from ..proposals import dues_change

        if not 0 < period <= MAX_PERIOD:
            raise click.BadParameter("must be more than zero and at most 5 years", param_hint="--period")
        return _propose(s, c, [dues_change(s, c, amount, asset, period)], description)

    @chain_command(propose, "call", "Any contract call, by signature.")
    @click.argument("target")
    @click.argument("signature")
    @click.argument("args", nargs=-1)
    @click.option("--value", default="0", type=AMOUNT, help="ETH sent with the call, paid by whoever executes it.")
    @_message
    def call(s, c, target, signature, args, value, description):
        """Proposes calling SIGNATURE (e.g. 'transfer(address,uint256)') on TARGET (an address or
        account name) with ARGS."""
        from .. import assets
        from ..contracts import ETH
        from ..proposals import call as build

        wei = assets.to_units(s, value, ETH, allow_zero=True, what="--value")
        return _propose(s, c, [build(s, target, signature, list(args), wei)], description)
