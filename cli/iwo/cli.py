"""The `iwo` command line: parses, calls one domain function, prints.

Chain commands connect to the local node by default (`iwo node start`), or to
any Ape network with --network. Accounts are Ape accounts (--account ALIAS;
test0..test9 on the local node); passphrases come from Ape's environment
variable APE_ACCOUNTS_<alias>_PASSPHRASE or a hidden prompt, never from the
command line. Every command that prints data takes --json.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from datetime import UTC, datetime

import click

from . import __version__
from .errors import IwoError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# ---- shared options and output ------------------------------------------------------------------
def json_option(f):
    """--json: print the command's data as JSON instead of text."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(f)


def chain_options(f):
    """--network and --account, shared by every command that talks to a chain."""
    f = click.option(
        "--account",
        "-a",
        envvar="IWO_ACCOUNT",
        metavar="ALIAS",
        help="Ape account alias (test0..test9 on the local node; default test0 there).",
    )(f)
    f = click.option(
        "--network",
        "-n",
        envvar="IWO_NETWORK",
        metavar="CHOICE",
        help="Ape network choice, e.g. ethereum:sepolia:node (default: the local node).",
    )(f)
    return f


def collective_option(f):
    return click.option(
        "--collective",
        "-c",
        envvar="IWO_COLLECTIVE",
        metavar="NAME",
        help="Collective alias or governor address (default: the only one known).",
    )(f)


def emit(data, as_json: bool, text=None):
    """Prints `data` as JSON, or as text via `text(data)` (a str or list of lines)."""
    if as_json or text is None:
        click.echo(json.dumps(data, indent=2, default=str))
        return
    out = text(data)
    click.echo(out if isinstance(out, str) else "\n".join(out))


def _prompt_passphrase(alias: str) -> str:
    if not sys.stdin.isatty():
        raise IwoError(f"account {alias!r} is locked and there is no terminal: set APE_ACCOUNTS_{alias}_PASSPHRASE")
    return click.prompt(f"Passphrase for {alias}", hide_input=True)


@contextlib.contextmanager
def _session(network, account):
    from .chain import session

    with session(network, account, passphrase=_prompt_passphrase) as s:
        s.notice = lambda message: click.echo(message, err=True)
        yield s


def when(ts: int | None, now: int | None = None) -> str:
    if not ts:
        return "-"
    text = datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")
    if now is not None:
        from .units import format_duration

        delta = ts - now
        text += f" (in {format_duration(delta)})" if delta > 0 else f" ({format_duration(-delta)} ago)"
    return text


class IwoGroup(click.Group):
    """Turns domain errors into one clear line and a non-zero exit, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except IwoError as exc:
            raise click.ClickException(str(exc)) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            raise click.ClickException("interrupted") from None
        except Exception as exc:  # last line of defence: one line, details on request
            if os.environ.get("IWO_DEBUG"):
                raise
            first = str(exc).splitlines()[0] if str(exc) else ""
            raise click.ClickException(
                f"unexpected error: {type(exc).__name__}: {first} (set IWO_DEBUG=1 for details)"
            ) from None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _parse(kind, fn, value):
    try:
        return fn(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=kind) from None


def _duration(value):
    from .units import parse_duration

    return None if value is None else _parse("duration", parse_duration, value)


def _bps(value):
    from .units import parse_bps

    return None if value is None else _parse("percentage", parse_bps, value)


# ---- the group ------------------------------------------------------------------------------
@click.group(cls=IwoGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="iwo")
def main():
    """iwo: run an independent worker organization on-chain.

    Create a collective, admit members, collect dues, propose, vote (directly or
    by a signed vote someone else relays), queue and execute. Start with
    `iwo node start` to try it on a local chain.
    """


# ---- node -----------------------------------------------------------------------------------
@main.group(short_help="Run a local chain for trying iwo.", cls=IwoGroup)
def node():
    """A local anvil node whose state persists in the data folder (.iwo or $IWO_HOME)."""


@node.command("start", short_help="Start the local node.")
@click.option("--port", type=int, help="Port to listen on (default: a free one).")
@json_option
def node_start(port, as_json):
    """Starts the local node in the background (or reports the running one)."""
    from . import node as nodes

    info, started = nodes.start(port)
    data = {"pid": info.pid, "port": info.port, "url": info.url, "state_file": info.state, "started": started}
    emit(
        data,
        as_json,
        lambda d: (
            f"local node {'started' if started else 'already running'} at {d['url']} "
            f"(pid {d['pid']}; state kept in {d['state_file']})"
        ),
    )


@node.command("stop", short_help="Stop the local node (its state is kept).")
@json_option
def node_stop(as_json):
    """Stops the local node; its chain state is written to the data folder first."""
    from . import node as nodes

    stopped = nodes.stop()
    emit({"stopped": stopped}, as_json, lambda d: "local node stopped" if stopped else "no local node was running")


@node.command("status", short_help="Is the local node running?")
@json_option
def node_status(as_json):
    """Tells whether the local node runs and answers, and where."""
    from . import node as nodes

    info = nodes.info()
    data = {"running": bool(info and nodes.answering(info))}
    if info:
        data |= {"pid": info.pid, "port": info.port, "url": info.url, "state_file": info.state}
    emit(
        data,
        as_json,
        lambda d: (
            f"running at {d['url']} (pid {d['pid']})"
            if d["running"]
            else ("not running" if not info else f"process {info.pid} exists but does not answer")
        ),
    )
    if not data["running"]:
        sys.exit(1)


@node.command("advance", short_help="Move the local chain's clock forward.")
@click.argument("duration")
@json_option
def node_advance(duration, as_json):
    """Moves the local node's clock forward by DURATION (e.g. 1d, 3d1h) and mines a block."""
    from . import node as nodes

    seconds = _duration(duration)
    if seconds <= 0:
        raise click.BadParameter("must be more than zero", param_hint="DURATION")
    ts = nodes.advance(seconds)
    emit({"block_time": ts}, as_json, lambda d: f"local chain time is now {when(ts)}")


# ---- collectives ----------------------------------------------------------------------------
@main.command(short_help="Create a collective in one transaction.")
@click.argument("name")
@click.option(
    "--founder", "founders", multiple=True, required=True, metavar="ADDR", help="A founding member (repeat for each)."
)
@click.option("--dues", required=True, metavar="AMOUNT", help="Dues per period, e.g. 0.01 (in the dues asset).")
@click.option("--dues-asset", default="ETH", show_default=True, metavar="ETH|TOKEN", help="ETH or an ERC-20 address.")
@click.option("--period", default="30d", show_default=True, help="Length of a dues period.")
@click.option("--grace", default="7d", show_default=True, help="Grace after paid-through before a member lapses.")
@click.option("--quorum", default="25%", show_default=True, help="Share of members who must vote.")
@click.option(
    "--threshold",
    default="66.67%",
    show_default=True,
    help="For-share needed by constitutional proposals (settings, dues, revocations).",
)
@click.option("--voting-delay", default="1d", show_default=True, help="Time before voting opens.")
@click.option("--voting-period", default="3d", show_default=True, help="How long voting lasts.")
@click.option("--timelock", default="1d", show_default=True, help="Wait between queue and execution.")
@click.option("--execution-window", default="7d", show_default=True, help="Time to queue, and then to execute.")
@click.option("--symbol", default="IWO", show_default=True, help="Symbol of the membership card.")
@click.option("--alias", help="Local name for the collective (default: from NAME).")
@chain_options
@json_option
def create(
    name,
    founders,
    dues,
    dues_asset,
    period,
    grace,
    quorum,
    threshold,
    voting_delay,
    voting_period,
    timelock,
    execution_window,
    symbol,
    alias,
    network,
    account,
    as_json,
):
    """Creates collective NAME through the factory (deploying the factory first on a fresh
    local chain) and remembers it under an alias for this chain."""
    from . import ops
    from .collective import Settings

    settings = Settings(
        voting_delay=_duration(voting_delay),
        voting_period=_duration(voting_period),
        timelock_delay=_duration(timelock),
        execution_window=_duration(execution_window),
        quorum_bps=_bps(quorum),
        constitutional_bps=_bps(threshold),
        dues_grace=_duration(grace),
    )
    _check_settings(settings)
    dues_period = _duration(period)
    if dues_period <= 0:
        raise click.BadParameter("must be more than zero", param_hint="--period")
    with _session(network, account) as s:
        data = ops.create(
            s,
            name,
            symbol,
            list(founders),
            dues,
            dues_asset,
            dues_period,
            settings,
            alias,
            log=lambda m: click.echo(m, err=True),
        )
    emit(
        data,
        as_json,
        lambda d: [
            f"created {d['name']!r} as {d['alias']} (collective #{d['collective_id']})",
            f"  governor {d['governor']}",
            f"  treasury {d['treasury']}",
            f"  card     {d['card']}",
            f"  founders {', '.join(d['founders'])}",
            f"  gas used {d['gas_used']:,}",
        ],
    )


def _check_settings(settings):
    """Clear messages for settings the contract would refuse (it checks them again)."""
    year = 365 * 86400
    checks = [
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
        checks.append((getattr(settings, name) <= year, hint, "must be at most 365d"))
    for ok, hint, message in checks:
        if not ok:
            raise click.BadParameter(message, param_hint=hint)


@main.command(short_help="List collectives known here and in the factory registry.")
@chain_options
@json_option
def collectives(network, account, as_json):
    """Lists the collectives remembered locally and those the factory registry knows on this chain."""
    from . import ops

    with _session(network, account) as s:
        rows = ops.collectives(s)
    emit(
        rows,
        as_json,
        lambda rows: (
            [
                f"{'#' + str(r['id']) if r['id'] else '-':>4}  {r['alias'] or '-':<20} {r['governor']}  {r['name']}"
                for r in rows
            ]
            or ["no collectives on this chain yet"]
        ),
    )


@main.command(short_help="Members, treasury and open proposals at a glance.")
@click.argument("collective", required=False)
@chain_options
@json_option
def status(collective, network, account, as_json):
    """Shows members and their dues standing, treasury balances, and open proposals with
    deadlines and tallies."""
    from . import ops

    with _session(network, account) as s:
        data = ops.status(ops.resolve(s, collective))
    emit(data, as_json, _status_text)


def _status_text(d):
    now = d["block_time"]
    lines = [
        f"{d['name']} ({d['collective']}) — governor {d['governor']}",
        f"dues {d['dues']['amount_text']} per {d['dues']['period_text']}; chain time {when(now)}",
        "",
        f"members ({len(d['members'])}):",
    ]
    for m in d["members"]:
        lines.append(f"  {m['address']}  {m['standing']:<9} paid through {when(m['paid_through'])}")
    lines += ["", "treasury:"]
    for b in d["balances"]:
        reserved = f" ({b['reserved_for_benefits']} reserved for benefits)" if b["reserved_for_benefits"] else ""
        lines.append(f"  {b['balance_text']}{reserved}")
    lines += ["", f"open proposals ({len(d['open_proposals'])}):"]
    for p in d["open_proposals"]:
        lines.append("  " + _proposal_line(p, now))
    return lines


def _proposal_line(p, now):
    v = p["votes"]
    deadline = {
        "Pending": ("voting opens", p["vote_start"]),
        "Active": ("voting ends", p["vote_end"]),
        "Succeeded": ("queue by", p["execution_deadline"]),
        "Queued": ("executable from", p["eta"]),
    }.get(p["state"])
    extra = f"; {deadline[0]} {when(deadline[1], now)}" if deadline else ""
    desc = (p["description"] or "").splitlines()[0][:60] if p["description"] else ""
    return (
        f"#{p['id']:<3} {p['state']:<9} for {v['for']} / against {v['against']} / abstain {v['abstain']} "
        f"(quorum {p['quorum']} of {p['members_at_snapshot']}){extra}  {desc}"
    )


# ---- members ----------------------------------------------------------------------------------
@main.group(short_help="List members or show one.", cls=IwoGroup)
def members():
    """Members of a collective and their dues standing."""


@members.command("list", short_help="List members and their standing.")
@click.option("--all", "include_former", is_flag=True, help="Include former members.")
@collective_option
@chain_options
@json_option
def members_list(include_former, collective, network, account, as_json):
    """Lists members with their dues standing (paid up, in grace, lapsed)."""
    from . import ops

    with _session(network, account) as s:
        rows = ops.members(ops.resolve(s, collective), include_former)
    emit(
        rows,
        as_json,
        lambda rows: (
            [
                f"{r['address']}  {r['standing']:<13} joined {when(r['joined'])}  paid through {when(r['paid_through'])}"
                for r in rows
            ]
            or ["no members"]
        ),
    )


@members.command("show", short_help="Show one member.")
@click.argument("address")
@collective_option
@chain_options
@json_option
def members_show(address, collective, network, account, as_json):
    """Shows ADDRESS's membership: joined, left, paid through, standing."""
    from . import ops

    with _session(network, account) as s:
        row = ops.member_row(ops.resolve(s, collective), s.address(address, "member"))
    emit(row, as_json, lambda r: [f"{k}: {v}" for k, v in r.items()])


@main.command(short_help="Give up your membership card.")
@collective_option
@chain_options
@json_option
def resign(collective, network, account, as_json):
    """Resigns the --account from the collective (its card is burnt)."""
    from . import ops

    with _session(network, account) as s:
        data = ops.resign(s, ops.resolve(s, collective))
    emit(data, as_json, lambda d: f"{d['resigned']} resigned; {d['members']} members remain")


# ---- money ----------------------------------------------------------------------------------------
@main.group(short_help="Pay dues or see who is paid up.", cls=IwoGroup)
def dues():
    """Dues: pay whole periods for yourself or someone else; see standing."""


@dues.command("pay", short_help="Pay dues for a member.")
@click.option("--for", "member", metavar="ADDR", help="Member to pay for (default: the --account).")
@click.option("--periods", default=1, show_default=True, type=int, help="Whole periods to pay.")
@collective_option
@chain_options
@json_option
def dues_pay(member, periods, collective, network, account, as_json):
    """Pays PERIODS whole periods of dues (approving the token first if dues are in a token)."""
    from . import ops

    with _session(network, account) as s:
        data = ops.pay_dues(s, ops.resolve(s, collective), member, periods)
    emit(
        data,
        as_json,
        lambda d: (
            f"paid {d['amount_text']} ({_plural(d['periods'], 'period')}) for {d['member']}; "
            f"paid through {when(d['paid_through'])}"
        ),
    )


@dues.command("status", short_help="Dues terms and each member's standing.")
@click.argument("address", required=False)
@collective_option
@chain_options
@json_option
def dues_status(address, collective, network, account, as_json):
    """Shows the dues terms and the standing of every member (or of ADDRESS)."""
    from . import ops

    with _session(network, account) as s:
        c = ops.resolve(s, collective)
        rows = [ops.member_row(c, s.address(address, "member"))] if address else ops.members(c)
        data = {"terms": ops.dues_terms(c), "members": rows}
    emit(
        data,
        as_json,
        lambda d: (
            [f"dues {d['terms']['amount_text']} per {d['terms']['period_text']}, grace {d['terms']['grace'] // 86400}d"]
            + [
                f"  {r['address']}  {r['standing']:<13} paid through {when(r['paid_through'])}"
                + (f"  owes {r['owes_periods']} period(s)" if r["owes_periods"] else "")
                for r in d["members"]
            ]
        ),
    )


@main.command(short_help="Donate ETH or tokens to the treasury.")
@click.argument("amount")
@click.option("--asset", default="ETH", show_default=True, metavar="ETH|TOKEN", help="What to donate.")
@click.option("--memo", default="", help="A note kept with the donation.")
@collective_option
@chain_options
@json_option
def donate(amount, asset, memo, collective, network, account, as_json):
    """Donates AMOUNT of ETH or a token to the collective's treasury."""
    from . import ops

    with _session(network, account) as s:
        data = ops.donate(s, ops.resolve(s, collective), asset, amount, memo)
    emit(data, as_json, lambda d: f"donated {d['amount_text']}; the treasury holds {d['balance_text']}")


@main.command(short_help="Withdraw benefits granted to you.")
@click.option("--asset", default="ETH", show_default=True, metavar="ETH|TOKEN")
@collective_option
@chain_options
@json_option
def claim(asset, collective, network, account, as_json):
    """Withdraws everything the collective granted to the --account in ASSET."""
    from . import ops

    with _session(network, account) as s:
        data = ops.claim(s, ops.resolve(s, collective), asset)
    emit(data, as_json, lambda d: f"claimed {d['amount_text']}")


def _auditor_target(collective, rpc_url, tokens=()):
    """(rpc, cache, target) for the auditor commands: any JSON-RPC node, no Ape, no account."""
    from . import home, ledger, node
    from .rpc import Rpc

    if rpc_url is None:
        rpc_url = node.require_running().url
    rpc = Rpc(rpc_url)
    chain_id = rpc.chain_id()
    known = home.aliases(chain_id)
    if collective is None:
        if len(known) != 1:
            raise IwoError("name the collective (its governor address, or an alias known for this chain)")
        collective = next(iter(known))
    entry = known.get(collective.lower())
    governor = (entry["governor"] if isinstance(entry, dict) else entry) if entry else collective
    if not str(governor).startswith("0x"):
        raise IwoError(f"unknown collective {collective!r} (known here: {', '.join(sorted(known)) or 'none'})")
    from .chain import checksum  # refuses a mis-typed checksum, as every other command does

    governor = checksum(governor, "collective")
    target = ledger.find_target(rpc, governor)
    target.extra_tokens = tuple(checksum(t, "token") for t in tokens)
    return rpc, ledger.Cache(home.home() / "ledger.sqlite"), target


def _progress():
    from .ledger import Progress

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


def auditor_options(f):
    f = click.option(
        "--rpc", "rpc_url", metavar="URL", envvar="IWO_RPC", help="Any JSON-RPC node (default: the local node)."
    )(f)
    f = click.option("--to-block", type=int, help="Last block (default: the head).")(f)
    f = click.option("--from-block", type=int, help="First block shown (default: the treasury's creation).")(f)
    f = click.option(
        "--token",
        "tokens",
        multiple=True,
        metavar="ADDR",
        help="Also follow this token (found automatically when a treasury event names it).",
    )(f)
    return json_option(f)


@main.command(short_help="Every treasury movement, from chain events.")
@click.argument("collective", required=False)
@auditor_options
@click.option("--asset", metavar="ETH|TOKEN|SYMBOL", help="Only movements of this asset.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, writable=True), help="Also write CSV here.")
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Also draw balance and flows per asset into this PNG.",
)
def ledger(collective, rpc_url, from_block, to_block, tokens, as_json, asset, csv_path, plot_path):
    """Lists every treasury movement in order, per asset, with running balances: dues (member
    and periods), donations, plain transfers in, and each executed proposal's payments (id and
    description). Read-only; works against any JSON-RPC node with --rpc."""
    from dataclasses import asdict

    from . import ledger as ledgers

    rpc, cache, target = _auditor_target(collective, rpc_url, tokens)
    book = ledgers.build(rpc, cache, target, from_block, to_block, _progress())
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
    emit(
        data,
        as_json,
        lambda d: (
            [
                f"{when(r['time'])}  block {r['block']:>6}  {'+' if r['direction'] == 'in' else '-' if r['direction'] == 'out' else '='} "
                f"{r['amount_text']:>16}  {r['what'][:70]:<70}  balance {r['balance_text']}"
                + ("  [FLAGGED]" if r["flagged"] else "")
                for r in d["rows"]
            ]
            + ["closing: " + ", ".join(f"{ledgers.fmt(v, book.assets[a])}" for a, v in book.closing.items())]
        ),
    )


@main.command(short_help="Reconcile the treasury's events with its balances.")
@click.argument("collective", required=False)
@auditor_options
@click.option("--samples", default=5, show_default=True, help="Earlier blocks to check as well.")
def audit(collective, rpc_url, from_block, to_block, tokens, as_json, samples):
    """Rebuilds each asset's balance from events and compares it with the on-chain balance at
    the last block scanned and at sampled earlier blocks. Exit 0 when the books balance,
    1 when they do not (each unexplained difference is listed)."""
    from dataclasses import asdict

    from . import ledger as ledgers

    if from_block is not None:
        raise click.UsageError("an audit always starts at the treasury's creation; use --to-block to stop earlier")
    rpc, cache, target = _auditor_target(collective, rpc_url, tokens)
    book = ledgers.build(rpc, cache, target, None, to_block, _progress())
    result = ledgers.audit(rpc, book, samples)
    data = asdict(result) | {"treasury": target.treasury, "rows": len(book.rows)}
    emit(
        data,
        as_json,
        lambda d: (
            [
                f"{a['symbol']:<6} events {ledgers.fmt(a['rebuilt'], book.assets[a['asset']])}, chain "
                f"{ledgers.fmt(a['on_chain'], book.assets[a['asset']])}: {'ok' if a['ok'] else 'MISMATCH'}"
                for a in d["assets"]
            ]
            + [f"FLAG: {f}" for f in d["flags"]]
            + [
                f"{'books balance' if d['ok'] else 'books do NOT balance'} at block {d['block']} "
                f"({d['rows']} movements, {d['samples_checked']} sampled blocks checked)"
            ]
        ),
    )
    if not result.ok:
        sys.exit(1)


# ---- proposals ----------------------------------------------------------------------------------
@main.group(short_help="Make a proposal (spend, signal, admit, revoke, settings, dues, call).", cls=IwoGroup)
def propose():
    """Make a proposal. Each subcommand builds the actions; -m gives the description."""


def _propose(network, account, collective, as_json, description, build):
    from . import ops

    with _session(network, account) as s:
        c = ops.resolve(s, collective)
        data = ops.propose(s, c, build(c), description)
    emit(
        data,
        as_json,
        lambda p: (
            [
                f"proposal #{p['id']} created ({p['state']}); voting opens {when(p['vote_start'])}, "
                f"ends {when(p['vote_end'])}"
            ]
            + [f"  - {line}" for line in p["explained"]]
        ),
    )


def proposal_options(f):
    f = click.option("--message", "-m", "description", required=True, help="What the proposal is about.")(f)
    return json_option(chain_options(collective_option(f)))


@propose.command("spend", short_help="Pay someone, or grant a member a benefit.")
@click.option("--to", "to", required=True, metavar="ADDR", help="Recipient.")
@click.option("--amount", required=True, help="Amount, e.g. 0.2")
@click.option("--asset", default="ETH", show_default=True, metavar="ETH|TOKEN")
@click.option("--benefit", is_flag=True, help="Grant to a member who then claims it (pull) instead of paying.")
@proposal_options
def propose_spend(to, amount, asset, benefit, collective, network, account, as_json, description):
    """Proposes paying AMOUNT from the treasury to --to (or granting it as a member benefit)."""
    from . import ops

    _propose(
        network,
        account,
        collective,
        as_json,
        description,
        lambda c: [ops.build_action(c, "spend", to=to, amount=amount, asset=asset, benefit=benefit)],
    )


@propose.command("signal", short_help="A decision with no on-chain action.")
@click.option(
    "--text-file",
    type=click.Path(exists=True, dir_okay=False),
    help="A document adopted by this decision; its sha256 is added to the description.",
)
@proposal_options
def propose_signal(text_file, collective, network, account, as_json, description):
    """Proposes a signal-only decision (e.g. adopting a rate guideline or a contract template)."""
    if text_file:
        import hashlib
        from pathlib import Path

        digest = hashlib.sha256(Path(text_file).read_bytes()).hexdigest()
        description = f"{description}\n\nDocument: {Path(text_file).name} sha256:{digest}"
    _propose(network, account, collective, as_json, description, lambda c: [])


@propose.command("admit", short_help="Admit a new member.")
@click.argument("address")
@proposal_options
def propose_admit(address, collective, network, account, as_json, description):
    """Proposes admitting ADDRESS (a card is issued when the proposal executes)."""
    from . import ops

    _propose(
        network, account, collective, as_json, description, lambda c: [ops.build_action(c, "admit", member=address)]
    )


@propose.command("revoke", short_help="Revoke a member (constitutional).")
@click.argument("address")
@proposal_options
def propose_revoke(address, collective, network, account, as_json, description):
    """Proposes revoking ADDRESS's membership (needs the constitutional threshold)."""
    from . import ops

    _propose(
        network, account, collective, as_json, description, lambda c: [ops.build_action(c, "revoke", member=address)]
    )


@propose.command("settings", short_help="Change voting settings (constitutional).")
@click.option("--voting-delay")
@click.option("--voting-period")
@click.option("--timelock")
@click.option("--execution-window")
@click.option("--quorum")
@click.option("--threshold")
@click.option("--grace")
@proposal_options
def propose_settings(
    voting_delay,
    voting_period,
    timelock,
    execution_window,
    quorum,
    threshold,
    grace,
    collective,
    network,
    account,
    as_json,
    description,
):
    """Proposes new voting settings; options not given keep their current value."""
    from . import ops
    from .collective import Settings

    changes = {
        k: v
        for k, v in {
            "voting_delay": _duration(voting_delay),
            "voting_period": _duration(voting_period),
            "timelock_delay": _duration(timelock),
            "execution_window": _duration(execution_window),
            "quorum_bps": _bps(quorum),
            "constitutional_bps": _bps(threshold),
            "dues_grace": _duration(grace),
        }.items()
        if v is not None
    }
    if not changes:
        raise click.UsageError("give at least one setting to change")

    def build(c):
        new = Settings.from_struct(c.governor.settings()).replace(**changes)
        _check_settings(new)
        return [ops.build_action(c, "settings", settings=new)]

    _propose(network, account, collective, as_json, description, build)


@propose.command("dues", short_help="Change the dues (constitutional).")
@click.option("--amount", required=True)
@click.option("--asset", default="ETH", show_default=True, metavar="ETH|TOKEN")
@click.option("--period", required=True)
@proposal_options
def propose_dues(amount, asset, period, collective, network, account, as_json, description):
    """Proposes new dues terms (amount per period, asset, period)."""
    from . import ops

    seconds = _duration(period)
    if seconds <= 0:
        raise click.BadParameter("must be more than zero", param_hint="--period")
    _propose(
        network,
        account,
        collective,
        as_json,
        description,
        lambda c: [ops.build_action(c, "dues", amount=amount, asset=asset, period=seconds)],
    )


@propose.command("call", short_help="Any contract call, by signature.")
@click.argument("target")
@click.argument("signature")
@click.argument("args", nargs=-1)
@click.option("--value", default="0", help="ETH to send with the call (from the executor).")
@proposal_options
def propose_call(target, signature, args, value, collective, network, account, as_json, description):
    """Proposes calling SIGNATURE (e.g. 'transfer(address,uint256)') on TARGET with ARGS."""
    from . import ops
    from .units import parse_amount

    wei = _parse("--value", lambda v: parse_amount(v, 18), value)
    _propose(
        network,
        account,
        collective,
        as_json,
        description,
        lambda c: [ops.build_call(target, signature, list(args), wei)],
    )


@main.group(short_help="List proposals or show one in full.", cls=IwoGroup)
def proposals():
    """Proposals: state, tallies, quorum, timings, and their actions in words."""


@proposals.command("list", short_help="List proposals.")
@click.option("--open", "open_only", is_flag=True, help="Only pending, active, succeeded or queued ones.")
@collective_option
@chain_options
@json_option
def proposals_list(open_only, collective, network, account, as_json):
    """Lists the collective's proposals with state and tallies."""
    from . import ops

    with _session(network, account) as s:
        c = ops.resolve(s, collective)
        rows = ops.proposals(c, open_only)
        now = ops._now()
    emit(rows, as_json, lambda rows: [_proposal_line(p, now) for p in rows] or ["no proposals"])


@proposals.command("show", short_help="Show one proposal in full.")
@click.argument("proposal_id", type=int)
@collective_option
@chain_options
@json_option
def proposals_show(proposal_id, collective, network, account, as_json):
    """Shows a proposal: state, tallies against quorum, timings, and each action in words."""
    from . import ops

    with _session(network, account) as s:
        c = ops.resolve(s, collective)
        p = ops.proposal(c, proposal_id)
        now = ops._now()
    emit(
        p,
        as_json,
        lambda p: (
            [
                f"proposal #{p['id']}: {p['state']}{' (constitutional)' if p['constitutional'] else ''}",
                f"proposer {p['proposer']}",
                "",
                p["description"] or "",
                "",
                "what it does:",
            ]
            + [f"  - {line}" for line in p["explained"]]
            + [
                "",
                f"votes: for {p['votes']['for']}, against {p['votes']['against']}, abstain {p['votes']['abstain']}; "
                f"quorum {p['quorum']} of {p['members_at_snapshot']} members; passes with {p['approval_needed']}",
                f"snapshot     {when(p['snapshot'], now)}",
                f"voting opens {when(p['vote_start'], now)}",
                f"voting ends  {when(p['vote_end'], now)}",
                f"executable   {when(p['eta'], now)}",
                f"expires      {when(p['execution_deadline'], now)}",
            ]
        ),
    )


@main.command(short_help="Vote for, against or abstain.")
@click.argument("proposal_id", type=int)
@click.argument("support", type=click.Choice(["for", "against", "abstain"], case_sensitive=False))
@click.option("--reason", default="", help="Why (kept on-chain with the vote).")
@click.option("--sign-only", is_flag=True, help="Do not send: write the signed vote as JSON for `iwo relay`.")
@click.option(
    "--unsigned",
    is_flag=True,
    help="Do not sign: print the EIP-712 typed data for a wallet (eth_signTypedData_v4); "
    'put its signature in the file\'s "signature" field and `iwo relay` it.',
)
@click.option("--voter", metavar="ADDR", help="With --unsigned: the member who will sign (default: --account).")
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), help="File for --sign-only/--unsigned (default: stdout)."
)
@click.option("--valid-for", default="7d", show_default=True, help="How long a signed vote stays valid.")
@collective_option
@chain_options
@json_option
def vote(
    proposal_id, support, reason, sign_only, unsigned, voter, out, valid_for, collective, network, account, as_json
):
    """Votes on PROPOSAL_ID. With --sign-only, writes an EIP-712 signed vote that anyone can
    relay with `iwo relay` (the member needs no ETH). With --unsigned, prints the typed data
    for a browser or hardware wallet to sign instead."""
    from . import ops

    if sign_only and unsigned:
        raise click.UsageError("choose one of --sign-only and --unsigned")
    if voter and not unsigned:
        raise click.UsageError("--voter only goes with --unsigned")
    with _session(network, account) as s:
        c = ops.resolve(s, collective)
        if sign_only:
            text = ops.sign_vote(s, c, proposal_id, support, reason, _duration(valid_for)).to_json()
        elif unsigned:
            who = s.address(voter, "voter") if voter else s.require_account().address
            text = json.dumps(
                ops.unsigned_vote(s, c, proposal_id, support, reason, _duration(valid_for), who), indent=2
            )
        else:
            data = ops.vote(s, c, proposal_id, support, reason)
    if sign_only or unsigned:
        if out:
            from pathlib import Path

            Path(out).write_text(text + "\n")
            click.echo(f"{'signed vote' if sign_only else 'typed data to sign'} written to {out}", err=True)
        else:
            click.echo(text)
        return
    emit(
        data,
        as_json,
        lambda d: (
            f"voted {d['support']} on #{d['proposal']}; now for {d['votes']['for']}, "
            f"against {d['votes']['against']}, abstain {d['votes']['abstain']}"
        ),
    )


@main.command(short_help="Submit signed votes from any account.")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@collective_option
@chain_options
@json_option
def relay(files, collective, network, account, as_json):
    """Relays signed votes (files written by `iwo vote --sign-only` or any wallet's
    eth_signTypedData_v4 in the same JSON shape); the relaying account pays the gas."""
    from pathlib import Path

    from . import ops
    from .ballot import SignedBallot

    ballots = []
    for f in files:
        try:
            ballots.append(SignedBallot.from_json(Path(f).read_text()))
        except ValueError as exc:
            raise IwoError(f"{f}: {exc}") from None
    results = []
    with _session(network, account) as s:
        c = ops.resolve(s, collective or ballots[0].ballot.governor)
        for f, b in zip(files, ballots):
            try:
                results.append(ops.relay(s, c, b) | {"file": f})
            except IwoError as exc:
                if len(files) == 1:
                    raise
                results.append({"file": f, "error": str(exc)})
    emit(
        results,
        as_json,
        lambda rows: [
            f"{r['file']}: "
            + (
                f"error: {r['error']}"
                if "error" in r
                else f"relayed {r['support']} by {r['voter']} on #{r['proposal']}"
            )
            for r in rows
        ],
    )
    if any("error" in r for r in results):
        sys.exit(1)


@main.command(short_help="Queue a passed proposal.")
@click.argument("proposal_id", type=int)
@collective_option
@chain_options
@json_option
def queue(proposal_id, collective, network, account, as_json):
    """Queues a Succeeded proposal; it becomes executable after the timelock."""
    from . import ops

    with _session(network, account) as s:
        data = ops.queue(s, ops.resolve(s, collective), proposal_id)
    emit(
        data,
        as_json,
        lambda d: f"#{d['proposal']} queued; executable from {when(d['eta'])} until {when(d['execution_deadline'])}",
    )


@main.command(short_help="Execute a queued proposal.")
@click.argument("proposal_id", type=int)
@collective_option
@chain_options
@json_option
def execute(proposal_id, collective, network, account, as_json):
    """Executes a queued proposal whose timelock has passed, with exactly the voted actions."""
    from . import ops

    with _session(network, account) as s:
        data = ops.execute(s, ops.resolve(s, collective), proposal_id)
    emit(data, as_json, lambda d: [f"#{d['proposal']} executed:"] + [f"  - {line}" for line in d["done"]])


@main.command(short_help="Withdraw your proposal before voting opens.")
@click.argument("proposal_id", type=int)
@collective_option
@chain_options
@json_option
def cancel(proposal_id, collective, network, account, as_json):
    """Cancels the --account's own proposal while it is still Pending."""
    from . import ops

    with _session(network, account) as s:
        data = ops.cancel(s, ops.resolve(s, collective), proposal_id)
    emit(data, as_json, lambda d: f"#{d['proposal']} canceled")


if __name__ == "__main__":  # pragma: no cover
    main()
