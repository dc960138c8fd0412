"""A whole session on a second chain, as an organizer would run it on an L2: an anvil with
another chain id (8453, Base's) stands in for it, reached with --rpc URL only, signing with
keystore files (--keyfile), deploying the factory with `iwo deploy`. Then the same for Ape
users: `ape run deploy` unattended (no terminal, passphrase from the environment) and
`--network` resolved from an Ape project configuration, with its chain id checked."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
from conftest import ANVIL_DIR, ROOT, VENV_BIN, rpc

from iwo.accounts import TEST_ADDRESSES
from iwo.node import free_port

CHAIN_ID = 8453
PASSPHRASE = "correct horse battery staple"
# anvil's first test keys, used here through keystore files as a real deployer would
KEYS = [
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
]


def start_anvil(chain_id: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [str(ANVIL_DIR / "anvil"), "--port", str(port), "--chain-id", str(chain_id), "--silent"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            rpc(url, "eth_chainId")
            return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("anvil did not start")


@pytest.fixture(scope="module")
def l2(cli, tmp_path_factory):
    """The second chain, three keystore files (deployer, two founders), and the env to use them."""
    from eth_account import Account

    process, url = start_anvil(CHAIN_ID)
    keys = tmp_path_factory.mktemp("keys")
    files = []
    for i, key in enumerate(KEYS):
        path = keys / f"key{i}.json"
        path.write_text(json.dumps(Account.encrypt(key, PASSPHRASE, kdf="pbkdf2", iterations=1000)))
        files.append(str(path))
    cli.env["IWO_KEYFILE_PASSPHRASE"] = PASSPHRASE
    try:
        yield {"url": url, "keys": files}
    finally:
        cli.env.pop("IWO_KEYFILE_PASSPHRASE", None)
        process.terminate()
        process.wait(10)


def travel(url: str, seconds: int) -> None:
    rpc(url, "evm_increaseTime", [seconds])
    rpc(url, "evm_mine")


def test_a_whole_session_on_a_second_chain(cli, l2):
    url, (deployer, first, second) = l2["url"], l2["keys"]
    on = ("--rpc", url)
    assert cli.error(
        "create", "L2 Guild", "--founder", TEST_ADDRESSES[1], "--dues", "0.001", *on, "--keyfile", deployer
    ) == (
        f"no iwo factory recorded for chain {CHAIN_ID}: deploy it first with `iwo deploy` (same --rpc/--network and account)"
    )
    deployed = cli.json("deploy", *on, "--keyfile", deployer)
    assert deployed["chain_id"] == CHAIN_ID and deployed["reused"] is False
    assert cli.json("deploy", *on, "--keyfile", deployer)["reused"] is True  # once per chain

    created = cli.json(
        "create",
        "L2 Guild",
        "--founder",
        TEST_ADDRESSES[1],
        "--founder",
        TEST_ADDRESSES[2],
        "--dues",
        "0.001",
        *on,
        "--keyfile",
        deployer,
    )
    assert created["chain_id"] == CHAIN_ID and created["alias"] == "l2-guild"
    paid = cli.json("dues", "pay", "--periods", "2", *on, "--keyfile", first)
    assert paid["member"] == TEST_ADDRESSES[1]
    cli.ok("donate", "0.5", *on, "--keyfile", second)
    travel(url, 60)
    made = cli.json(
        "propose",
        "spend",
        "--to",
        TEST_ADDRESSES[2],
        "--amount",
        "0.1",
        "-m",
        "Pay for the translation",
        *on,
        "--keyfile",
        first,
    )
    travel(url, 86_400 + 60)
    cli.ok("vote", str(made["id"]), "for", *on, "--keyfile", first)
    cli.ok("vote", str(made["id"]), "for", "--reason", "good work", *on, "--keyfile", second)
    travel(url, 3 * 86_400)
    cli.ok("queue", str(made["id"]), *on, "--keyfile", deployer)
    travel(url, 86_400)
    done = cli.json("execute", str(made["id"]), *on, "--keyfile", deployer)
    assert done["done"] == [f"pay 0.1 ETH from the treasury to {TEST_ADDRESSES[2]}"]

    ledger = cli.json("ledger", *on)
    assert [r["kind"] for r in ledger["rows"]] == ["DuesPaid", "DonationReceived", "Payment"]
    assert ledger["chain_id"] == CHAIN_ID
    assert cli.ok("audit", *on).stdout.splitlines()[-1].startswith("all books balance at block ")
    assert [v["reason"] for v in cli.json("proposals", "votes", str(made["id"]), *on)] == ["", "good work"]
    # the local node's data folder entries are per chain: nothing of the L2 leaks there
    saved = json.loads((cli.home / "collectives.json").read_text())
    assert list(saved) == [str(CHAIN_ID)]


def test_keystores_are_refused_clearly(cli, l2, tmp_path):
    url, (deployer, *_) = l2["url"], l2["keys"]
    cli.env["IWO_KEYFILE_PASSPHRASE"] = "not it"
    try:
        assert cli.error("donate", "0.1", "--rpc", url, "--keyfile", deployer) == (
            f"wrong passphrase for keyfile {deployer.rsplit('/', 1)[-1]}"
        )
    finally:
        cli.env["IWO_KEYFILE_PASSPHRASE"] = PASSPHRASE
    assert cli.error("donate", "0.1", "--rpc", url, "--keyfile", str(tmp_path / "none.json")) == (
        f"no keystore file at {tmp_path / 'none.json'}"
    )


@pytest.fixture(scope="module")
def ape_home(tmp_path_factory):
    """An Ape data folder holding one keyfile account, `deployer`."""
    from eth_account import Account

    folder = tmp_path_factory.mktemp("ape-data")
    (folder / "accounts").mkdir()
    (folder / "accounts" / "deployer.json").write_text(json.dumps(Account.encrypt(KEYS[1], PASSPHRASE)))
    return folder


def test_ape_run_deploy_is_unattended(cli, ape_home):
    """No terminal, the passphrase in Ape's environment variable: no question asked, twice safe."""
    process, url = start_anvil(10)  # a third chain (Optimism's id)
    try:
        env = dict(cli.env, APE_DATA_FOLDER=str(ape_home), APE_ACCOUNTS_deployer_PASSPHRASE=PASSPHRASE)
        command = [
            str(VENV_BIN / "ape"),
            "run",
            "deploy",
            "--network",
            f"ethereum:local:{url}",
            "--account",
            "deployer",
        ]
        first = subprocess.run(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        assert first.returncode == 0, first.stdout + first.stderr
        assert "[y/N]" not in first.stdout + first.stderr and "Passphrase" not in first.stdout + first.stderr
        assert any(line.startswith("deployed the iwo factory at 0x") for line in first.stdout.splitlines())
        again = subprocess.run(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        assert again.returncode == 0 and "already deployed on chain 10; nothing sent" in again.stdout
        factory = json.loads((cli.home / "deployments.json").read_text())["10"]["factory"]
        assert rpc(url, "eth_getCode", [factory, "latest"]) not in ("0x", "0x0")
        locked = dict(env)
        del locked["APE_ACCOUNTS_deployer_PASSPHRASE"]
        refused = subprocess.run(
            command, cwd=ROOT, env=locked, stdin=subprocess.DEVNULL, capture_output=True, text=True
        )
        assert refused.returncode == 1
        assert refused.stderr.strip().splitlines()[-1] == (
            "Error: account 'deployer' is locked and there is no terminal to ask: set APE_ACCOUNTS_deployer_PASSPHRASE"
        )
    finally:
        process.terminate()
        process.wait(10)


def test_network_choice_from_an_ape_project(cli, tmp_path):
    """--network ethereum:sepolia:node takes its URL from ape-config.yaml and checks the chain id."""
    process, url = start_anvil(11155111)
    wrong, wrong_url = start_anvil(1)
    try:
        project = tmp_path / "project"
        project.mkdir()

        def in_project(config: str, *args):
            (project / "ape-config.yaml").write_text(config)
            command = [str(VENV_BIN / "iwo"), *args]
            return subprocess.run(command, cwd=project, env=cli.env, capture_output=True, text=True)

        sepolia = "node:\n  ethereum:\n    sepolia:\n      uri: {}\n"
        done = in_project(sepolia.format(url), "collectives", "--network", "ethereum:sepolia:node")
        assert done.returncode == 0, done.stderr
        assert done.stdout == "no collectives on chain 11155111 yet\n"
        done = in_project(sepolia.format(wrong_url), "collectives", "--network", "ethereum:sepolia:node")
        assert done.returncode == 1
        assert done.stderr == "Error: ethereum:sepolia:node is chain 1, not chain 11155111\n"
        done = in_project("name: empty\n", "status", "--network", "base:mainnet:node")
        assert done.stderr == (
            "Error: no RPC URL configured for base:mainnet in Ape: add it to ape-config.yaml "
            "(node: {base: {mainnet: {uri: https://…}}}) or pass --rpc URL\n"
        )
    finally:
        for p in (process, wrong):
            p.terminate()
            p.wait(10)
