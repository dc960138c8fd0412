"""Help texts of every command, and the cheap import of the command line."""

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

import iwo
from iwo.cli import main


def walk(group: click.Group, path=()):
    for name, command in sorted(group.commands.items()):
        yield path + (name,), command
        if isinstance(command, click.Group):
            yield from walk(command, path + (name,))


COMMANDS = list(walk(main))


def invoke(*args):
    return CliRunner(mix_stderr=False).invoke(main, list(args), prog_name="iwo")


def test_the_walk_finds_the_commands():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {
        "node",
        "node start",
        "node stop",
        "node status",
        "node advance",
        "create",
        "collectives",
        "status",
        "members list",
        "members show",
        "dues pay",
        "dues status",
        "donate",
        "ledger",
        "propose spend",
        "propose signal",
        "propose admit",
        "proposals list",
        "proposals show",
        "vote",
        "relay",
        "queue",
        "execute",
        "cancel",
    } <= names


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_and_short_help(path, command):
    assert command.help and command.help.strip(), f"iwo {' '.join(path)} has no docstring help"
    assert command.short_help and command.short_help.strip(), f"iwo {' '.join(path)} has no short_help"
    result = invoke(*path, "--help")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: iwo {' '.join(path)} ")
    first_help_line = command.help.strip().splitlines()[0].strip()
    assert " ".join(first_help_line.split()) in " ".join(result.stdout.split())


def test_iwo_help_lists_every_command():
    result = invoke("--help")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("Usage: iwo [OPTIONS] COMMAND [ARGS]...")
    listing = result.stdout.split("Commands:", 1)[1].splitlines()
    for name in main.commands:
        assert any(line.split()[:1] == [name] for line in listing), f"{name} missing from iwo --help"
    assert invoke("-h").stdout == result.stdout


def test_version():
    result = invoke("--version")
    assert (result.exit_code, result.stdout) == (0, f"iwo, version {iwo.__version__}\n")


def test_unknown_command():
    result = invoke("vot")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == "Error: No such command 'vot'."


def test_importing_the_cli_does_not_import_ape_or_web3():
    code = (
        "import iwo.cli, sys; "
        "loaded = [m for m in ('ape', 'web3', 'eth_account') if m in sys.modules]; "
        "assert not loaded, loaded"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_help_does_not_import_ape_or_web3():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from iwo.cli import main\n"
        "for args in (['--help'], ['vote', '--help'], ['node', 'start', '--help']):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0, args\n"
        "loaded = [m for m in ('ape', 'web3') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
