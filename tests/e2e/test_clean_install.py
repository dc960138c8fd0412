"""`pip install .` into a clean virtual environment, no extras, gives a working `iwo`: a whole
life on anvil (create on a fresh chain included: the factory deploys from the shipped
artifacts), and none of Ape, web3 or Vyper is installed for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ANVIL_DIR, ROOT


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clean-venv")
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run([*pip, "-c", str(ROOT / "constraints.txt"), str(ROOT)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BuildBackendWarning" not in done.stderr and "deprecated" not in done.stderr.lower()
    return folder


def test_only_run_time_dependencies_are_installed(venv):
    listed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"], capture_output=True, text=True
    )
    names = {p["name"].lower().replace("_", "-") for p in json.loads(listed.stdout)}
    assert {"click", "eth-abi", "eth-account"} <= names
    assert not names & {"eth-ape", "web3", "vyper", "titanoboa", "pytest"}, names


def test_a_whole_life_with_the_installed_iwo(venv, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IWO_", "APE_", "PYTEST_"))}
    env["IWO_HOME"] = str(tmp_path / "home")
    env["PATH"] = os.pathsep.join([str(venv / "bin"), "/usr/bin", "/bin"])  # no anvil yet

    def iwo(*args, ok=True):
        done = subprocess.run(
            [str(venv / "bin" / "iwo"), *map(str, args)], env=env, cwd=tmp_path, capture_output=True, text=True
        )
        assert "Traceback" not in done.stdout + done.stderr
        if ok:
            assert done.returncode == 0, f"iwo {' '.join(map(str, args))}: {done.stderr}"
        return done

    missing = iwo("node", "start", ok=False)
    assert missing.returncode == 1
    assert missing.stderr.startswith("Error: anvil not found: install it with `npm install -g @foundry-rs/anvil`")
    env["PATH"] = os.pathsep.join([str(venv / "bin"), str(ANVIL_DIR), "/usr/bin", "/bin"])
    iwo("node", "start")
    try:
        created = json.loads(
            iwo("create", "Clean", "--founder", "test1", "--founder", "test2", "--dues", "0.01", "--json").stdout
        )
        iwo("dues", "pay", "--periods", "2", "--account", "test1")
        iwo("node", "advance", "60")
        made = json.loads(
            iwo(
                "propose", "spend", "--to", "test9", "--amount", "0.01", "-m", "pay", "--account", "test1", "--json"
            ).stdout
        )
        iwo("node", "advance", "1d1m")
        iwo("vote", made["id"], "for", "--account", "test1")
        iwo("vote", made["id"], "for", "--account", "test2")
        iwo("node", "advance", "3d")
        iwo("queue", made["id"], "--account", "test3")
        iwo("node", "advance", "1d")
        iwo("execute", made["id"], "--account", "test3")
        ledger = json.loads(iwo("ledger", "--json").stdout)
        assert [r["kind"] for r in ledger["rows"]] == ["DuesPaid", "Payment"]
        assert ledger["governor"] == created["governor"]
        assert iwo("audit").stdout.splitlines()[-1].startswith("all books balance at block ")
    finally:
        iwo("node", "stop", ok=False)
