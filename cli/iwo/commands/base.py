"""What every command shares: the group class that turns errors into one line, the options
that name a chain, an account and a collective (declared once), parameter types that accept
ASCII digits only, `--json`, and the printing of results.

A chain command is declared with `chain_command`: it gets `--rpc/--network`, `--account/
--keyfile`, `-c/--collective` (unless told otherwise) and `--json`, and its function receives
the open `Session` and resolved `Collective` and returns `Out(data, text)`.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from ..errors import IwoError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# ---- errors -----------------------------------------------------------------------------------------
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


def group(parent: click.Group, name: str, short_help: str):
    """A sub-group of `parent` that reports errors in one line too."""

    def decorate(f):
        return parent.group(name, cls=IwoGroup, short_help=short_help, context_settings=CONTEXT)(f)

    return decorate


# ---- parameter types (ASCII digits only) ---------------------------------------------------------------
class _Parsed(click.ParamType):
    def __init__(self, name: str, parse: Callable[[str], object]):
        self.name = name
        self._parse = parse

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        try:
            return self._parse(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _duration(text: str) -> int:
    from ..units import parse_duration

    return parse_duration(text)


def _bps(text: str) -> int:
    from ..units import parse_bps

    return parse_bps(text)


def _id(text: str) -> int:
    from ..units import parse_int

    value = parse_int(text, "number")
    if value == 0:
        raise ValueError("ids start at 1")
    return value


def _count(text: str) -> int:
    from ..units import parse_int

    return parse_int(text, "whole number")


def _amount(text: str) -> str:
    """Checks the form of an amount (ASCII digits, one '.'); its decimals are checked against
    the asset once it is known."""
    from ..units import check_amount_text

    return check_amount_text(text)


AMOUNT = _Parsed("amount", _amount)  # 0.5, 12 (digits 0-9 and one '.')


def _port(text: str) -> int:
    from ..units import parse_int

    value = parse_int(text, "port")
    if not 0 < value < 65536:
        raise ValueError(f"not a port: {text} (1 to 65535)")
    return value


PORT = _Parsed("port", _port)
DURATION = _Parsed("duration", _duration)  # 30d, 12h, 1w2d, or seconds
PERCENT = _Parsed("percentage", _bps)  # 25%, 66.67%, 2500bps
ID = _Parsed("id", _id)  # 1, 2, ... (ASCII digits)
COUNT = _Parsed("count", _count)


class OutFile(click.ParamType):
    """A file to write: its folder must exist (checked before anything is sent)."""

    name = "file"

    def convert(self, value, param, ctx):
        path = Path(value).expanduser()
        if path.is_dir():
            self.fail(f"{value} is a folder, not a file", param, ctx)
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            self.fail(f"folder {folder} does not exist", param, ctx)
        if not os.access(folder, os.W_OK):
            self.fail(f"cannot write in folder {folder}", param, ctx)
        return str(path)


OUT_FILE = OutFile()


# ---- shared options ---------------------------------------------------------------------------------
def json_option(f):
    """--json: print the command's data as JSON instead of text."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(f)


def network_options(f):
    """--rpc / --network: where the chain is (default: the local node)."""
    f = click.option(
        "--network",
        "-n",
        envvar="IWO_NETWORK",
        metavar="CHOICE",
        help="Ape network choice, e.g. base:mainnet:node (its RPC URL from your Ape config).",
    )(f)
    f = click.option(
        "--rpc",
        "rpc_url",
        envvar="IWO_RPC",
        metavar="URL",
        help="Any EVM JSON-RPC node, e.g. https://… (default: the local node from `iwo node start`).",
    )(f)
    return f


def account_options(f):
    """--account / --keyfile: who signs."""
    f = click.option(
        "--keyfile",
        envvar="IWO_KEYFILE",
        metavar="PATH",
        help="An encrypted JSON keystore file (passphrase: $IWO_KEYFILE_PASSPHRASE or a prompt).",
    )(f)
    f = click.option(
        "--account",
        "-a",
        envvar="IWO_ACCOUNT",
        metavar="NAME",
        help="test0..test9 on the local node (default test0 there), or an Ape account alias "
        "(passphrase: $APE_ACCOUNTS_<alias>_PASSPHRASE or a prompt).",
    )(f)
    return f


def collective_option(f):
    return click.option(
        "--collective",
        "-c",
        envvar="IWO_COLLECTIVE",
        metavar="NAME",
        help="Collective alias or governor address (default: the only one known on this chain).",
    )(f)


# ---- sessions -------------------------------------------------------------------------------------------
def prompt_passphrase(label: str, env: str) -> str:
    if not sys.stdin.isatty():
        raise IwoError(f"{label} is locked and there is no terminal to ask: set {env}")
    return click.prompt(f"Passphrase for {label}", hide_input=True, err=True)


def notice(message: str) -> None:
    click.echo(message, err=True)


def open_session(rpc_url=None, network=None, account=None, keyfile=None):
    from ..session import connect

    exclusive(rpc=rpc_url, network=network)
    exclusive(account=account, keyfile=keyfile)
    s = connect(network, rpc_url, account, keyfile, prompt_passphrase)
    s.notice = notice
    return s


@dataclass
class Out:
    """A command's result: `data` for --json, `text` (str, lines, or a function of data) otherwise."""

    data: object
    text: object = None
    exit_code: int = 0


def emit(out: Out, as_json: bool) -> None:
    if as_json or out.text is None:
        click.echo(json.dumps(out.data, indent=2, default=str))
    else:
        text = out.text(out.data) if callable(out.text) else out.text
        if text != "":  # already said on stderr (e.g. where a file was written)
            click.echo(text if isinstance(text, str) else "\n".join(text))
    if out.exit_code:
        sys.exit(out.exit_code)


def chain_command(parent: click.Group, name: str, short_help: str, *, collective: bool = True, account: bool = True):
    """Declares a command that talks to a chain. The function gets (s, c, **its options) — or
    (s, **options) with collective=False — and returns an `Out`."""

    def decorate(f):
        @functools.wraps(f)
        def run(rpc_url=None, network=None, account=None, keyfile=None, as_json=False, **kwargs):
            chosen = kwargs.pop("collective", None)
            s = open_session(rpc_url, network, account, keyfile)
            try:
                if collective:
                    from ..registry import resolve

                    out = f(s, resolve(s, chosen), **kwargs)
                else:
                    out = f(s, **kwargs)
            finally:
                s.rpc.close()
            emit(out, as_json)

        command = run
        command = json_option(command)
        if account:
            command = account_options(command)
        command = network_options(command)
        if collective:
            command = collective_option(command)
        return parent.command(name, short_help=short_help, context_settings=CONTEXT)(command)

    return decorate


# ---- words --------------------------------------------------------------------------------------------
def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def when(ts: int | None, now: int | None = None) -> str:
    from ..units import format_time

    return format_time(ts, now)


def exclusive(**given) -> None:
    """Refuses two or more of options that exclude each other (names as --flag-style keys)."""
    chosen = [name for name, value in given.items() if value]
    if len(chosen) > 1:
        flags = " and ".join("--" + n.replace("_", "-") for n in chosen)
        raise click.UsageError(f"choose one of {flags}")
