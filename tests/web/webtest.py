"""Helpers of the `iwo serve` tests: a collective set up quickly on anvil, the real `iwo serve`
process, a test wallet standing in for MetaMask, and headless Chromium.

Setup transactions are signed here and sent in JSON-RPC batches (a few milliseconds each), so
even a 500-member collective is ready in seconds; what is under test — the server, the relayer
and the page — runs exactly as a member would meet it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from eth_account import Account
from eth_utils import keccak

from iwo import node, registry
from iwo.accounts import TEST_ADDRESSES, _test_key
from iwo.ballot import Ballot
from iwo.contracts import Contract, checksum, decode_log
from iwo.rpc import Rpc

ROOT = Path(__file__).resolve().parents[2]
STALL_S = 2.0  # seconds without a new receipt before send_all asks anvil to mine a block
ARTIFACTS = ROOT / "tests" / "web" / "artifacts"  # screenshots of the main states (gitignored)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ETH = "0x0000000000000000000000000000000000000000"
DAY = 86_400
GAS = 6_000_000
GWEI = 10**9


def key_of(name: str) -> bytes:
    """The key of test account `testN`, or of a derived account `load-N` (not anvil's)."""
    if name.startswith("test"):
        return _test_key(int(name[4:]))
    return keccak(text=f"iwo-web-test:{name}")


def address_of(name: str) -> str:
    if name.startswith("test"):
        return TEST_ADDRESSES[int(name[4:])]
    return Account.from_key(key_of(name)).address


class Chain:
    """The test node: raw reads, batched setup transactions, time travel."""

    def __init__(self, url: str):
        self.url = url
        self.rpc = Rpc(url, retries=0, timeout=60)
        self.chain_id = self.rpc.chain_id()
        self._nonces: dict[str, int] = {}

    def call(self, method: str, params=None):
        return self.rpc.call(method, params or [])

    def view(self, contract: Contract, method: str, *args):
        fn = contract.fn(method, len(args))
        return fn.decode(self.rpc.eth_call(contract.address, fn.encode(*args)))

    def nonce(self, address: str) -> int:
        return int(self.call("eth_getTransactionCount", [address, "latest"]), 16)

    def balance(self, address: str) -> int:
        return self.rpc.balance(address)

    def block_number(self) -> int:
        return self.rpc.block_number()

    def now(self) -> int:
        return int(self.rpc.block("latest")["timestamp"], 16)

    def advance(self, seconds: int) -> None:
        node.advance(seconds)

    def fund(self, addresses: list[str], wei: int = 1000 * 10**18) -> None:
        self.rpc.batch([("anvil_setBalance", [a, hex(wei)]) for a in addresses])

    def send_all(self, txs: list[tuple[str, str, bytes, int]], check: bool = True) -> list[dict]:
        """Signs and sends (sender name, to, data, value) transactions in one batch; their receipts."""
        raws = []
        for sender, to, data, value in txs:
            address = address_of(sender)
            if address not in self._nonces:
                self._nonces[address] = int(self.call("eth_getTransactionCount", [address, "pending"]), 16)
            body = {
                "chainId": self.chain_id,
                "nonce": self._nonces[address],
                "to": to,
                "data": data,
                "value": value,
                "gas": GAS,
                "maxFeePerGas": 50 * GWEI,
                "maxPriorityFeePerGas": GWEI,
                "type": 2,
            }
            self._nonces[address] += 1
            signed = Account.sign_transaction(body, key_of(sender))
            raws.append("0x" + bytes(signed.raw_transaction).hex())
        hashes = self.rpc.batch([("eth_sendRawTransaction", [r]) for r in raws])
        receipts: list = [None] * len(hashes)
        deadline = time.monotonic() + 180  # a loaded 2-core machine mines a 500-transaction batch slowly
        stalled_since = time.monotonic()
        while any(r is None for r in receipts):
            todo = [i for i, r in enumerate(receipts) if r is None]
            got = self.rpc.batch([("eth_getTransactionReceipt", [hashes[i]]) for i in todo])
            for i, r in zip(todo, got):
                receipts[i] = r
            assert time.monotonic() < deadline, f"setup transactions not mined: {len(todo)} of {len(hashes)} missing"
            if any(r is not None for r in got):
                stalled_since = time.monotonic()
            elif time.monotonic() - stalled_since > STALL_S:
                # anvil's automine, flooded with a batch under load, sometimes leaves transactions of one
                # sender behind: sent again (an error if it still holds them) and a block mined, they land
                # (a test-setup nudge, not a product path)
                self.rpc.batch([("eth_sendRawTransaction", [raws[i]]) for i in todo], errors=True)
                self.call("evm_mine")
                stalled_since = time.monotonic()
            if any(r is None for r in receipts):
                time.sleep(0.02)
        if check:
            for (sender, to, data, value), r in zip(txs, receipts):
                if int(r["status"], 16) != 1:
                    query = {
                        "from": address_of(sender),
                        "to": to,
                        "data": "0x" + bytes(data).hex(),
                        "value": hex(value),
                    }
                    try:
                        self.call("eth_call", [query, hex(int(r["blockNumber"], 16) - 1)])
                        why = "(no reason replayed)"
                    except Exception as exc:
                        why = str(exc)
                    raise AssertionError(f"setup transaction from {sender} to {to} failed: {why}")
        return receipts

    def send(self, sender: str, contract: Contract, method: str, *args, value: int = 0) -> dict:
        return self.send_all([(sender, contract.address, contract.encode(method, *args), value)])[0]

    def vote_logs(self, governor: str, pid: int | None = None) -> list[dict]:
        """Every VoteCast of the governor (optionally for one proposal), decoded, with its tx."""
        gov = Contract("IwoGovernor", governor)
        topics = [gov.topic("VoteCast")]
        if pid is not None:
            topics += [None, "0x" + pid.to_bytes(32, "big").hex()]
        logs = self.call(
            "eth_getLogs", [{"address": governor, "fromBlock": "0x0", "toBlock": "latest", "topics": topics}]
        )
        out = []
        for log in logs:
            _, args = decode_log("IwoGovernor", log)
            out.append(dict(args) | {"tx": log["transactionHash"], "block": int(log["blockNumber"], 16)})
        return out

    def tx_from(self, tx_hash: str) -> str:
        return checksum(self.call("eth_getTransactionByHash", [tx_hash])["from"])

    def sender_txs(self, sender: str, start_block: int) -> list[dict]:
        """Every transaction `sender` sent from `start_block` on (blocks read in batches)."""
        end = self.block_number()
        found = []
        numbers = list(range(start_block, end + 1))
        for i in range(0, len(numbers), 100):
            chunk = numbers[i : i + 100]
            blocks = self.rpc.batch([("eth_getBlockByNumber", [hex(n), True]) for n in chunk])
            for block in blocks:
                found += [t for t in block["transactions"] if t["from"].lower() == sender.lower()]
        return found


def stop_node(running) -> None:
    """`iwo node stop`; if the data folder lost track of the node, the process is ended by its pid."""
    if node.stop():
        return
    try:
        os.kill(running.pid, signal.SIGKILL)
        os.waitpid(running.pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def create_collective(chain: Chain, name: str, founders: list[str], settings: tuple, dues: int = 10**16):
    """A collective made through the factory by test0 (the factory is deployed on first use), with
    its alias recorded in the data folder as `iwo create` does; returns the resolved Collective."""
    from iwo import session

    s = session.connect(account="test0")
    try:
        alias = registry.default_alias(name)
        founders_addresses = [address_of(f) for f in founders]
        registry.create(s, name, "IWO", founders_addresses, ETH, dues, 30 * DAY, settings, alias)
        c = registry.resolve(s, alias)
    finally:
        s.rpc.close()
    return c


def ballot(chain: Chain, c, pid: int, support: int, voter: str, reason: str = "", valid_for: int = DAY):
    """A member's signed vote, as a wallet's eth_signTypedData_v4 gives it (typed data + signature)."""
    b = Ballot(chain.chain_id, c.address, pid, support, address_of(voter), chain.now() + valid_for, reason)
    signed = b.sign(key_of(voter))
    return {"typed_data": b.typed_data(), "signature": signed.signature}


# ---- the real `iwo serve` -------------------------------------------------------------------------------
class Server:
    """`iwo serve` in a process of its own; `kill()` is SIGKILL, `stop()` is Ctrl-C (SIGINT)."""

    def __init__(self, home: Path, args: list[str], log: Path, env: dict | None = None):
        self.home, self.args, self.log, self.extra_env = home, args, log, env or {}
        self.port = node.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("IWO_") and k != "PYTEST_CURRENT_TEST"}
        env["IWO_HOME"] = str(self.home)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPATH"] = str(ROOT / "cli")
        return env | self.extra_env

    def start(self, timeout: float = 30.0) -> Server:
        out = open(self.log, "ab")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "iwo.cli", "serve", "--port", str(self.port), *self.args],
            env=self.env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"iwo serve exited ({self.process.returncode}):\n{self.log.read_text()}")
            try:
                status, _ = self.get("/api/health", timeout=1)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"iwo serve did not answer within {timeout}s:\n{self.log.read_text()}")

    def get(self, path: str, timeout: float = 30):
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def post(self, path: str, body, timeout: float = 30):
        request = urllib.request.Request(
            self.url + path, json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> int | None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.process.returncode if self.process else None


# ---- a wallet standing in for MetaMask -------------------------------------------------------------------------
WALLET_JS = """
((name, legacy) => {
  const listeners = {};
  const provider = {
    isIwoTestWallet: true,
    request: ({ method, params }) =>
      window[BINDING](method, JSON.stringify(params || [])).then(text => {
        const answer = JSON.parse(text);
        if (answer.silent) return new Promise(() => {});
        if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
        return answer.result;
      }),
    on: (event, fn) => { (listeners[event] = listeners[event] || []).push(fn); },
    removeListener: () => {},
  };
  if (legacy) { window.ethereum = provider; return; }  // an old wallet: window.ethereum, no EIP-6963
  const info = Object.freeze({ uuid: 'iwo-test-' + name, name, rdns: 'org.iwo.test-wallet',
    icon: 'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg"/>' });
  const announce = () => dispatchEvent(new CustomEvent('eip6963:announceProvider',
    { detail: Object.freeze({ info, provider }) }));
  addEventListener('eip6963:requestProvider', announce);
  announce();
})(NAME, LEGACY);
"""


class TestWallet:
    """An EIP-1193 provider injected before the page loads and announced by EIP-6963, answered
    from Python: it signs with eth-account and forwards reads to the node, as MetaMask would.

    `reject` (methods answered 4001), `silent` (methods never answered), `chain_id` (the chain it
    is on) and `known` (chains it knows; others get 4902 on switch) set its behaviour; `calls`
    records every request in order, with the chain it was on."""

    __test__ = False

    def __init__(self, name: str, chain: Chain, chain_id: int | None = None, known: set[int] | None = None):
        self.name = name
        self.key = key_of(name)
        self.address = address_of(name)
        self.chain = chain
        self.chain_id = chain.chain_id if chain_id is None else chain_id
        self.known = {self.chain_id, chain.chain_id} if known is None else set(known)
        self.reject: set[str] = set()
        self.silent: set[str] = set()
        self.calls: list[tuple[str, int]] = []
        self.signed: list[dict] = []
        self.added: list[dict] = []

    def install(self, page, name: str = "Test Wallet", legacy: bool = False) -> None:
        """Injects the wallet before the page's scripts run: announced by EIP-6963 as `name`, or
        (legacy) only as window.ethereum. Several wallets may be installed in one page."""
        binding = "__iwoWallet_" + self.address[2:10]
        page.expose_function(binding, self._answer)
        script = WALLET_JS.replace("BINDING", json.dumps(binding))
        page.add_init_script(script.replace("NAME", json.dumps(name)).replace("LEGACY", json.dumps(legacy)))

    def methods(self) -> list[str]:
        return [m for m, _ in self.calls]

    def _answer(self, method: str, params_text: str) -> str:
        self.calls.append((method, self.chain_id))
        params = json.loads(params_text)
        if method in self.silent:
            return json.dumps({"silent": True})
        if method in self.reject:
            return json.dumps({"error": {"code": 4001, "message": "User rejected the request."}})
        try:
            return json.dumps({"result": self._do(method, params)})
        except WalletError as exc:
            return json.dumps({"error": {"code": exc.code, "message": str(exc)}})

    def _do(self, method: str, params: list):
        if method in ("eth_requestAccounts", "eth_accounts"):
            return [self.address]
        if method == "eth_chainId":
            return hex(self.chain_id)
        if method == "wallet_switchEthereumChain":
            target = int(params[0]["chainId"], 16)
            if target not in self.known:
                raise WalletError(4902, f"Unrecognized chain ID {params[0]['chainId']}.")
            self.chain_id = target
            return None
        if method == "wallet_addEthereumChain":
            self.added.append(params[0])
            self.known.add(int(params[0]["chainId"], 16))
            return None
        if method == "eth_signTypedData_v4":
            from eth_account.messages import encode_typed_data

            signer, typed = params[0], json.loads(params[1])
            if signer.lower() != self.address.lower():
                raise WalletError(4100, "not this wallet's account")
            if int(typed["domain"]["chainId"]) != self.chain_id:
                raise WalletError(-32000, "typed data for another chain than the wallet's")
            self.signed.append(typed)
            return "0x" + bytes(Account.sign_message(encode_typed_data(full_message=typed), self.key).signature).hex()
        if method == "eth_sendTransaction":
            body = params[0]
            query = {"from": self.address, "to": body["to"], "data": body["data"]}
            gas = int(self.chain.call("eth_estimateGas", [query]), 16)
            tx = {
                "chainId": self.chain_id,
                "nonce": int(self.chain.call("eth_getTransactionCount", [self.address, "pending"]), 16),
                "to": checksum(body["to"]),
                "data": body["data"],
                "value": int(body.get("value", "0x0"), 16),
                "gas": gas * 2,
                "maxFeePerGas": 50 * GWEI,
                "maxPriorityFeePerGas": GWEI,
                "type": 2,
            }
            signed = Account.sign_transaction(tx, self.key)
            return self.chain.call("eth_sendRawTransaction", ["0x" + bytes(signed.raw_transaction).hex()])
        return self.chain.call(method, params)  # reads go to the node


class WalletError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


def launch(playwright, user_data_dir: Path):
    """Debian's Chromium, headless, offline, in a fresh profile (a persistent context)."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        viewport={"width": 1000, "height": 1100},
    )


# ---- the page in the browser ----------------------------------------------------------------------------------
def open_page(page, server: Server, wallet: TestWallet | None, heading: str | None = None) -> None:
    """Loads the page (with `wallet` installed, not yet connected) and waits until it has read the
    chain; with `heading`, checks the collective's name is the page's title."""
    from playwright.sync_api import expect

    if wallet is not None:
        wallet.install(page)
    page.goto(server.url + "/")
    expect(page.locator("body")).to_have_attribute("data-ready", re.compile(r"\d+"))
    if heading is not None:
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()


def connect(page, wallet: TestWallet) -> None:
    """Connects the installed test wallet, as a member clicking "Connect wallet"."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Connect wallet").click()
    expect(page.get_by_role("status")).to_have_text("Connected.")
    expect(page.locator("#account")).to_contain_text(f"Connected as {wallet.address}.")


def open_connected(page, server: Server, wallet: TestWallet) -> None:
    """`open_page`, then `connect`."""
    open_page(page, server, wallet)
    connect(page, wallet)
