"""`iwo create`, `iwo collectives`, `iwo deploy`: making and finding collectives."""

from __future__ import annotations

import click

from ..errors import IwoError
from ..limits import MAX_DURATION, MAX_FOUNDERS, MAX_NAME, MAX_PERIOD, MAX_SYMBOL
from ..units import format_duration
from .base import AMOUNT, DURATION, PERCENT, Out, chain_command


def check_settings(settings) -> None:
    """Clear messages for settings the contract would refuse (it checks them again)."""
    checks = [
        (settings.voting_delay > 0, "--voting-delay", "must be more than zero (so a proposer can cancel before votes)"),
        (settings.voting_period > 0, "--voting-period", "must be more than zero"),
        (settings.execution_window > 0, "--execution-window", "must be more than zero"),
        (0 < settings.quorum_bps <= 10000, "--quorum", "must be more than 0% and at most 100%"),
        (5000 < settings.constitutional_bps <= 10000, "--threshold", "must be more than 50% and at most 100%"),
    ]
    options = {
        "voting_delay": "--voting-delay",
        "voting_period": "--voting-period",
        "timelock_delay": "--timelock",
        "execution_window": "--execution-window",
        "dues_grace": "--grace",
    }
    for name, hint in options.items():
        checks.append(
            (getattr(settings, name) <= MAX_DURATION, hint, f"must be at most {format_duration(MAX_DURATION)}")
        )
    for ok, hint, message in checks:
        if not ok:
            raise click.BadParameter(message, param_hint=hint)


def settings_options(f, defaults: bool = True):
    """The voting settings, as options (with their defaults for `create`, none for a change)."""
    from ..collective import DEFAULTS

    def default(value, kind):
        if not defaults:
            return None
        return format_duration(value) if kind == "d" else f"{value / 100:g}%"

    specs = [
        ("--execution-window", "execution_window", "d", "Time to queue a passed proposal, and then to execute it."),
        ("--timelock", "timelock", "d", "Wait between queue and execution."),
        ("--voting-period", "voting_period", "d", "How long voting lasts."),
        ("--voting-delay", "voting_delay", "d", "Time between proposing and the opening of the vote."),
        (
            "--threshold",
            "constitutional_bps",
            "%",
            "For-share of For+Against needed by constitutional proposals (settings, dues, revocations).",
        ),
        (
            "--quorum",
            "quorum_bps",
            "%",
            "Share of the members at the snapshot who must vote (For, Against or Abstain).",
        ),
        ("--grace", "dues_grace", "d", "Grace after paid-through before a member lapses."),
    ]
    for flag, field, kind, text in specs:
        attr = field if field != "timelock" else "timelock_delay"
        f = click.option(
            flag,
            field,
            type=DURATION if kind == "d" else PERCENT,
            default=default(getattr(DEFAULTS, attr), kind),
            show_default=defaults,
            help=text + " Durations: 30d, 12h, 1w2d or seconds, at most 365d.",
        )(f)
    return f


def register(main: click.Group) -> None:
    @chain_command(main, "create", "Create a collective in one transaction.", collective=False)
    @click.argument("name")
    @click.option(
        "--founder",
        "founders",
        multiple=True,
        required=True,
        metavar="ADDR",
        help=f"A founding member: an address or account name (repeat for each, at most {MAX_FOUNDERS}).",
    )
    @click.option("--dues", required=True, type=AMOUNT, help="Dues per period, e.g. 0.01 (in the dues asset).")
    @click.option(
        "--dues-asset", default="ETH", show_default=True, metavar="ETH|TOKEN", help="ETH or an ERC-20 address."
    )
    @click.option(
        "--period", default="30d", show_default=True, type=DURATION, help="Length of a dues period (at most 5 years)."
    )
    @settings_options
    @click.option(
        "--symbol", default="IWO", show_default=True, help=f"Symbol of the card (at most {MAX_SYMBOL} bytes)."
    )
    @click.option("--alias", help="Local name for the collective (default: from NAME; a-z, 0-9, - and _).")
    def create(s, name, founders, dues, dues_asset, period, symbol, alias, **settings):
        from .. import assets, registry
        from ..collective import Settings

        out = _create(s, name, founders, dues, dues_asset, period, symbol, alias, settings, assets, registry, Settings)
        return Out(
            out,
            lambda d: [
                f"created {d['name']!r} as {d['alias']} (collective #{d['collective_id']}, chain {d['chain_id']})",
                f"  governor {d['governor']}",
                f"  treasury {d['treasury']}",
                f"  card     {d['card']}",
                f"  founders {', '.join(d['founders'])}",
                f"  gas used {d['gas_used']:,}",
            ],
        )

    create.help = (
        f"Creates collective NAME (at most {MAX_NAME} bytes) through the factory — deploying the factory first on "
        "a fresh local node — and remembers it under an alias for this chain."
    )

    @chain_command(main, "collectives", "List collectives known here and in the factory registry.", collective=False)
    def collectives(s):
        """Lists the collectives remembered locally and those the factory registry knows on this chain."""
        from .. import registry

        rows = registry.collectives(s)
        return Out(
            rows,
            lambda rows: (
                [
                    f"{'#' + str(r['id']) if r['id'] else '-':>4}  {r['alias'] or '-':<20} {r['governor']}  {r['name']}"
                    for r in rows
                ]
                or [f"no collectives on chain {s.chain_id} yet"]
            ),
        )

    @chain_command(main, "deploy", "Deploy the iwo factory on a chain (once per chain).", collective=False)
    def deploy(s):
        """Deploys the locked implementations and the factory from the contracts shipped with iwo,
        unless this chain already has them, and records them in the data folder. Needed once per
        chain before `iwo create` there (the local node does it by itself)."""
        from .. import registry

        found = registry.deploy(s, log=lambda m: click.echo(m, err=True))
        data = {k: v for k, v in found.items()} | {"chain_id": s.chain_id}
        return Out(
            data,
            lambda d: (
                f"iwo factory on chain {d['chain_id']}: {d['factory']}"
                + (" (already deployed)" if d["reused"] else " (deployed now)")
            ),
        )


def _create(s, name, founders, dues, dues_asset, period, symbol, alias, settings, assets, registry, Settings):
    values = Settings(
        voting_delay=settings["voting_delay"],
        voting_period=settings["voting_period"],
        timelock_delay=settings["timelock"],
        execution_window=settings["execution_window"],
        quorum_bps=settings["quorum_bps"],
        constitutional_bps=settings["constitutional_bps"],
        dues_grace=settings["dues_grace"],
    )
    check_settings(values)
    if not 0 < period <= MAX_PERIOD:
        raise click.BadParameter(
            f"must be more than zero and at most {format_duration(MAX_PERIOD)}", param_hint="--period"
        )
    if len(founders) > MAX_FOUNDERS:
        raise IwoError(f"at most {MAX_FOUNDERS} founders ({len(founders)} given)")
    registry.check_name(name, symbol)
    chosen = registry.validate_alias(alias or registry.default_alias(name))
    addresses = [s.address(f, "--founder") for f in founders]
    dupes = sorted({a for a in addresses if addresses.count(a) > 1})
    if dupes:
        raise IwoError(f"founder listed twice: {', '.join(dupes)}")
    if any(int(a, 16) == 0 for a in addresses):
        raise IwoError("the zero address cannot be a founder")
    asset = assets.parse_asset(dues_asset)
    amount = assets.to_units(s, dues, asset, what="--dues")
    return registry.create(
        s,
        name,
        symbol,
        addresses,
        asset,
        amount,
        period,
        values.as_tuple(),
        chosen,
        log=lambda m: click.echo(m, err=True),
    )
