"""`iwo propose …`: make a proposal; each subcommand builds its actions."""

from __future__ import annotations

import click

from ..limits import MAX_ACTIONS, MAX_CALLDATA, MAX_DESCRIPTION
from .base import AMOUNT, COUNT, DURATION, ID, PERCENT, Out, chain_command, group, when
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
    @group(main, "propose", "Make a proposal (spend, signal, admit, revoke, settings, dues, aid-…, call).")
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

    # ---- mutual aid: what only a vote may do --------------------------------------------------------------
    @chain_command(propose, "aid-terms", "Change the mutual-aid terms (caps, windows, throttle).")
    @_aid_terms_options
    @_message
    def aid_terms(s, c, description, **changes):
        """Proposes new mutual-aid terms; options not given keep their value in force (`iwo aid
        terms`). Amounts are in the aid asset. A new collective's caps are 0, so no claim can be
        filed before a first vote sets at least --claim-cap, --member-cap and --auto-approve.
        Claims already filed keep the terms they were filed under."""
        from ..aid import terms_change

        chosen = {k: v for k, v in changes.items() if v is not None and v != ()}
        if not chosen:
            raise click.UsageError("give at least one term to change")
        _, _, action = terms_change(s, c, chosen)
        return _propose(s, c, [action], description)

    @chain_command(propose, "aid-award", "Award a member mutual aid by vote.")
    @click.argument("member")
    @click.option("--category", required=True, help="illness, lost-income, equipment, legal, other (or 0-7).")
    @click.option("--monthly", required=True, type=AMOUNT, help="Amount per month, in the aid asset.")
    @click.option("--months", default="1", show_default=True, type=COUNT, help="Number of months (1: a one-off).")
    @click.option("--evidence", type=click.Path(exists=True, dir_okay=False), help="A file: its sha256 is recorded.")
    @click.option("--evidence-hash", metavar="HEX", help="The evidence's hash, 32 bytes in hex.")
    @_message
    def aid_award(s, c, member, category, monthly, months, evidence, evidence_hash, description):
        """Proposes awarding MEMBER an approved mutual-aid claim: no waiting period, contest or
        deposit, but the categories, the caps and the one-open-claim rule of the terms in force
        apply, and it is paid month by month like any claim."""
        from ..aid import award_action
        from ..aid import evidence_hash as hashed

        action = award_action(s, c, member, category, monthly, months, hashed(evidence, evidence_hash))
        return _propose(s, c, [action], description)

    @chain_command(propose, "aid-end", "End a running mutual-aid claim by vote.")
    @click.argument("claim_id", type=ID)
    @_message
    def aid_end(s, c, claim_id, description):
        """Proposes ending CLAIM_ID, an approved claim: no instalment after the month in which the
        proposal is executed."""
        from ..aid import end_action

        return _propose(s, c, [end_action(s, c, claim_id)], description)


def _aid_terms_options(f):
    """Each mutual-aid term as an option (none given: it keeps its value in force)."""
    from ..limits import MAX_AID_MONTHS, MAX_DIVISOR, MAX_UNCLAIMED, MIN_DIVISOR

    specs = [
        ("--member-cap", "member_cap", AMOUNT, "Most a member may be approved in 12 months (approved claims)."),
        ("--claim-cap", "claim_cap", AMOUNT, "Most one claim may ask in all (monthly x months)."),
        (
            "--auto-approve",
            "auto_approve_max",
            AMOUNT,
            "Claims asking at most this in all are approved unless objected.",
        ),
        ("--deposit", "deposit", AMOUNT, "Deposit sent with a claim: back when approved or tied, kept when denied."),
        (
            "--unclaimed-months",
            "unclaimed_months",
            COUNT,
            f"Months an instalment stays withdrawable after its month (0-{MAX_UNCLAIMED}).",
        ),
        ("--throttle", "throttle_divisor", COUNT, f"A month pays at most pool / this ({MIN_DIVISOR}-{MAX_DIVISOR})."),
        ("--max-months", "max_months", COUNT, f"Longest claim in months (1-{MAX_AID_MONTHS})."),
        ("--quorum", "quorum_bps", PERCENT, "Share of the members at a claim's snapshot who must vote on it."),
        (
            "--objection-share",
            "objection_bps",
            PERCENT,
            "Share of the members whose objections send a small claim to a vote.",
        ),
        (
            "--min-objections",
            "min_objections",
            COUNT,
            "Number of objections that send a small claim to a vote (or the share, if fewer).",
        ),
        ("--vote-period", "vote_period", DURATION, "How long a claim's vote lasts (at most 14d)."),
        ("--contest", "contest_window", DURATION, "How long a small claim may be objected to (at most 14d)."),
        (
            "--waiting",
            "waiting_period",
            DURATION,
            "Membership (dues covered) needed before a first claim (at most 365d).",
        ),
    ]
    for flag, name, kind, text in specs:
        f = click.option(flag, name, type=kind, help=text)(f)
    f = click.option(
        "--category",
        "categories",
        multiple=True,
        metavar="NAME",
        help="Enabled categories, replacing the list (repeat; illness, lost-income, equipment, legal, other, 5-7).",
    )(f)
    return f
