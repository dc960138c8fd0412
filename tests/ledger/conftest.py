"""Fixtures for the auditor's ledger tests (`iwo.ledger`, `iwo.rpc`).

The ledger reads a real node over JSON-RPC, so each test module that needs a
chain gets its own anvil (started on a free port, stopped at module teardown
even when tests fail) on which `scenario` deploys the contracts from
cli/iwo/artifacts with web3.py, creates a collective and moves money in and
out of its treasury in every way the ledger knows. While doing so it writes
down, from the transactions it sent (receipts, block timestamps), the exact
ledger rows it expects (`Scenario.expected`), with running balances per asset
kept by hand.

`JsonRpcServer` is an in-process HTTP server (a thread) whose answers a test
decides: a fake node for unit tests of `Rpc`, or a proxy in front of anvil
that refuses, fails or drops some requests. `reverting` puts the module's
chain back the way it was after a test that adds blocks or forces ETH in.

Test modules import the helpers below as `ledger_conftest` (this module under a
name of its own): the name `conftest` stays bound to tests/conftest.py, which
the contract tests import.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.request
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from eth_utils import keccak, to_checksum_address
from web3 import HTTPProvider, Web3
from web3.logs import DISCARD

from iwo import ledger
from iwo import node as nodes
from iwo.rpc import Rpc

ROOT = Path(__file__).resolve().parents[2]
sys.modules["ledger_conftest"] = sys.modules[__name__]


ARTIFACTS = ROOT / "cli/iwo/artifacts"
ETH = "0x0000000000000000000000000000000000000000"
E = 10**18  # one ETH
U = 10**6  # one USDX (the mock token has 6 decimals)
DAY = 86_400
DUES = 10**16  # 0.01 ETH per period
PERIOD = 30 * DAY
SETTINGS = (1 * DAY, 3 * DAY, 1 * DAY, 7 * DAY, 2500, 6667, 7 * DAY)
VOTING_DELAY, VOTING_PERIOD, TIMELOCK = SETTINGS[0], SETTINGS[1], SETTINGS[2]
FOR = 1

# Forces ETH into an address without calling it: since Cancun (EIP-6780) selfdestruct outside the
# creating transaction keeps the code but still sends the whole balance, and no code runs at `to`.
FORCER_SOURCE = """# pragma version ~=0.4.3
# pragma evm-version cancun
@deploy
@payable
def __init__():
    pass

@external
def force(to: address):
    selfdestruct(to)
"""


# ---- artifacts ---------------------------------------------------------------------------------
def artifact(name: str) -> tuple[list, str]:
    data = json.loads((ARTIFACTS / f"{name}.json").read_text())
    return data["abi"], data["deploymentBytecode"]["bytecode"]


_compiled: dict[str, tuple[list, str]] = {}


def compile_vyper(source: str, name: str) -> tuple[list, str]:
    """(abi, bytecode) of a Vyper 0.4.3 source, compiled in-process (once per session)."""
    if name not in _compiled:
        from vyper import compile_code

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # selfdestruct is deprecated, and that is the point here
            out = compile_code(source, contract_path=f"{name}.vy", output_formats=["abi", "bytecode"])
        _compiled[name] = (out["abi"], out["bytecode"])
    return _compiled[name]


def mock_token_artifact() -> tuple[list, str]:
    return compile_vyper((ROOT / "contracts/test/MockToken.vy").read_text(), "MockToken")


# ---- amounts as the ledger should print them (written independently of ledger.fmt) --------------
def text(amount: int, decimals: int, symbol: str) -> str:
    value = Decimal(amount).scaleb(-decimals)
    digits = f"{value:f}"
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return f"{digits} {symbol}"


# ---- a local anvil ---------------------------------------------------------------------------------
class Anvil:
    """anvil on a free port, in its own process group; `stop` always reaps it."""

    def __init__(self):
        self.port = nodes.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [nodes.anvil_binary(), "--port", str(self.port), "--host", "127.0.0.1", "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"anvil exited at start (code {self.process.returncode})")
                try:
                    nodes.rpc(self.url, "eth_chainId", timeout=1.0)
                    return
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        except BaseException:
            self.stop()
            raise

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class Net:
    """web3.py on an anvil node, with its unlocked default accounts."""

    def __init__(self, url: str):
        self.url = url
        self.w3 = Web3(HTTPProvider(url, request_kwargs={"timeout": 30}))
        self.accounts = [to_checksum_address(a) for a in self.w3.eth.accounts]

    def rpc(self, method: str, params=None):
        reply = self.w3.provider.make_request(method, params or [])
        assert not reply.get("error"), reply
        return reply["result"]

    def wait(self, tx_hash):
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30)
        assert receipt.status == 1, receipt
        return receipt

    def send(self, call, sender: str, value: int = 0):
        """Sends a contract call and returns its (successful) receipt."""
        return self.wait(call.transact({"from": sender, "value": value}))

    def transfer(self, sender: str, to: str, value: int):
        return self.wait(self.w3.eth.send_transaction({"from": sender, "to": to, "value": value}))

    def deploy(self, abi, bytecode, *args, sender: str | None = None, value: int = 0):
        factory = self.w3.eth.contract(abi=abi, bytecode=bytecode)
        receipt = self.send(factory.constructor(*args), sender or self.accounts[0], value)
        return self.w3.eth.contract(address=receipt.contractAddress, abi=abi)

    def at(self, address: str, name: str):
        return self.w3.eth.contract(address=to_checksum_address(address), abi=artifact(name)[0])

    def advance(self, seconds: int):
        self.rpc("evm_increaseTime", [int(seconds)])
        self.rpc("evm_mine")

    def mine(self, blocks: int = 1):
        for _ in range(blocks):
            self.rpc("evm_mine")

    def head(self) -> int:
        return self.w3.eth.block_number

    def timestamp(self, block: int) -> int:
        return self.w3.eth.get_block(block)["timestamp"]

    def snapshot(self) -> str:
        return self.rpc("evm_snapshot")

    def revert(self, snapshot_id: str):
        assert self.rpc("evm_revert", [snapshot_id]) is True


# ---- the scripted scenario ---------------------------------------------------------------------------
def topic(signature: str) -> bytes:
    return keccak(text=signature)


TOPICS = {
    "DuesPaid": topic("DuesPaid(address,address,address,uint256,uint256,uint256,uint256,uint256,uint256)"),
    "DonationReceived": topic("DonationReceived(address,address,uint256,string,uint256,uint256,uint256)"),
    "EthReceived": topic("EthReceived(address,uint256,uint256)"),
    "Payment": topic("Payment(uint256,address,address,uint256,uint256)"),
    "PoolFunded": topic("PoolFunded(uint256,address,uint256,uint256)"),
    "TokenIn": topic("Transfer(address,address,uint256)"),
}
DIRECTION = {
    "DuesPaid": "in",
    "DonationReceived": "in",
    "EthReceived": "in",
    "TokenIn": "in",
    "Payment": "out",
    "PoolFunded": "reserve",
}
POOL_SHARE_BPS = 2_000  # the treasury's default share of dues for the mutual-aid pool


@dataclass
class Scenario:
    net: Net
    factory: object
    governor: object
    treasury: object
    card: object
    token: object
    created_block: int
    names: SimpleNamespace
    expected: list[dict] = field(default_factory=list)
    balances: dict[str, int] = field(default_factory=dict)
    symbols: dict[str, tuple[str, int]] = field(default_factory=dict)  # asset -> (symbol, decimals)
    proposals: int = 0

    # -- what the auditor is given ------------------------------------------------------------
    @property
    def url(self) -> str:
        return self.net.url

    def rpc(self, **kwargs) -> Rpc:
        return Rpc(self.url, **kwargs)

    def target(self, rpc: Rpc | None = None) -> ledger.Target:
        return ledger.find_target(rpc or self.rpc(), self.governor.address)

    def on_chain(self, block="latest") -> dict[str, int]:
        t = self.treasury.address
        return {
            ETH: self.net.w3.eth.get_balance(t, block),
            self.token.address: self.token.functions.balanceOf(t).call(block_identifier=block),
        }

    # -- writing down the expected row of a transaction -----------------------------------------
    def expect(
        self,
        receipt,
        kind: str,
        counterparty: str,
        asset: str,
        amount: int,
        what: str,
        *,
        proposal_id=None,
        member=None,
        periods=None,
    ) -> dict:
        emitter = asset if kind == "TokenIn" else self.treasury.address
        logs = [lg for lg in receipt.logs if lg.address == emitter and bytes(lg.topics[0]) == TOPICS[kind]]
        if kind not in ("TokenIn", "EthReceived"):  # the asset is an indexed topic of the treasury's events
            asset_topic = bytes(12) + bytes.fromhex(asset[2:])
            logs = [lg for lg in logs if asset_topic in [bytes(t) for t in lg.topics[1:]]]
        (log,) = logs
        direction = DIRECTION[kind]
        before = self.balances.get(asset, 0)
        after = before + amount if direction == "in" else before - amount if direction == "out" else before
        self.balances[asset] = after
        symbol, decimals = self.symbols[asset]
        reported = None if kind in ("TokenIn", "PoolFunded") else after
        row = {
            "block": receipt.blockNumber,
            "time": self.net.timestamp(receipt.blockNumber),
            "tx": "0x" + bytes(receipt.transactionHash).hex(),
            "log_index": log.logIndex,
            "direction": direction,
            "counterparty": counterparty,
            "asset": asset,
            "symbol": symbol,
            "amount": amount,
            "amount_text": text(amount, decimals, symbol),
            "balance": after,
            "balance_text": text(after, decimals, symbol),
            "kind": kind,
            "what": what,
            "proposal_id": proposal_id,
            "member": member,
            "periods": periods,
            "flagged": False,
            "reported_balance": reported,
        }
        self.expected.append(row)
        return row

    # -- moves (each returns its receipt; `record=False` leaves `expected` alone) -----------------
    def pay_dues(self, payer: str, member: str, periods: int, record=True):
        r = self.net.send(self.treasury.functions.pay_dues(member, periods), payer, DUES * periods)
        if record:
            pooled = DUES * periods * POOL_SHARE_BPS // 10_000
            self.expect(
                r,
                "DuesPaid",
                payer,
                ETH,
                DUES * periods,
                f"dues, {periods} period(s) for {member} ({text(pooled, 18, 'ETH')} to the aid pool)",
                member=member,
                periods=periods,
            )
        return r

    def donate_eth(self, donor: str, amount: int, memo: str | None, record=True):
        if memo is None:
            call = self.treasury.get_function_by_signature("donate(address,uint256)")(ETH, amount)
        else:
            call = self.treasury.get_function_by_signature("donate(address,uint256,string)")(ETH, amount, memo)
        r = self.net.send(call, donor, amount)
        if record:
            self.expect(r, "DonationReceived", donor, ETH, amount, "donation" + (f": {memo}" if memo else ""))
        return r

    def donate_token(self, donor: str, amount: int, memo: str, record=True, token=None):
        token = token or self.token
        self.net.send(token.functions.approve(self.treasury.address, amount), donor)
        call = self.treasury.get_function_by_signature("donate(address,uint256,string)")(token.address, amount, memo)
        r = self.net.send(call, donor)
        if record:
            self.expect(r, "DonationReceived", donor, token.address, amount, f"donation: {memo}")
        return r

    def plain_eth(self, sender: str, amount: int, record=True):
        r = self.net.transfer(sender, self.treasury.address, amount)
        if record:
            self.expect(r, "EthReceived", sender, ETH, amount, "ETH received without a call (plain transfer)")
        return r

    def plain_token(self, sender: str, amount: int, record=True, token=None):
        token = token or self.token
        r = self.net.send(token.functions.transfer(self.treasury.address, amount), sender)
        if record:
            self.expect(r, "TokenIn", sender, token.address, amount, "plain token transfer in (no treasury call)")
        return r

    def new_token(self, name: str, symbol: str, decimals: int, holder: str, supply: int):
        """Deploys another mock token and mints `supply` to `holder`."""
        token = self.net.deploy(*mock_token_artifact(), name, symbol, decimals)
        self.net.send(token.functions.mint(holder, supply), self.names.organizer)
        self.symbols[token.address] = (symbol, decimals)
        return token

    def pass_proposal(self, proposer: str, calls: list, description: str):
        """Proposes `calls` (treasury functions), votes them through and executes; (pid, receipt)."""
        actions = [(self.treasury.address, 0, bytes.fromhex(c._encode_transaction_data()[2:])) for c in calls]
        g = self.governor.functions
        self.net.send(g.propose(actions, description), proposer)
        self.proposals += 1
        pid = self.proposals
        self.net.advance(VOTING_DELAY + 1)
        for voter in (self.names.a1, self.names.a2):
            self.net.send(g.cast_vote(pid, FOR), voter)
        self.net.advance(VOTING_PERIOD + 1)
        self.net.send(g.queue(pid), proposer)
        self.net.advance(TIMELOCK)
        return pid, self.net.send(g.execute(pid, actions), proposer)

    def spend(self, proposer: str, asset: str, to: str, amount: int, description: str):
        pid, r = self.pass_proposal(proposer, [self.treasury.functions.pay(asset, to, amount)], description)
        self.expect(
            r,
            "Payment",
            to,
            asset,
            amount,
            f"payment by proposal #{pid}: {description.splitlines()[0]}",
            proposal_id=pid,
        )
        return pid, r

    def fund_pool(self, proposer: str, moves: list[tuple[str, int]], description: str):
        """One proposal moving each (asset, amount) of `moves` into the mutual-aid pool."""
        calls = [self.treasury.functions.fund_pool(asset, amount) for asset, amount in moves]
        pid, r = self.pass_proposal(proposer, calls, description)
        for asset, amount in moves:
            pool = self.treasury.functions.pool(asset).call(block_identifier=r.blockNumber)
            symbol, decimals = self.symbols[asset]
            self.expect(
                r,
                "PoolFunded",
                "pool",
                asset,
                amount,
                f"moved into the mutual-aid pool by proposal #{pid} (pool now {text(pool, decimals, symbol)})",
                proposal_id=pid,
            )
        return pid, r

    def pay_many(self, proposer: str, to: str, payments: list[tuple[str, int]], description: str):
        """One proposal paying `to` each (asset, amount) of `payments` from the free balance."""
        calls = [self.treasury.functions.pay(asset, to, amount) for asset, amount in payments]
        pid, r = self.pass_proposal(proposer, calls, description)
        for asset, amount in payments:
            self.expect(
                r,
                "Payment",
                to,
                asset,
                amount,
                f"payment by proposal #{pid}: {description.splitlines()[0]}",
                proposal_id=pid,
            )
        return pid, r


def build_scenario(net: Net) -> Scenario:
    a = net.accounts
    names = SimpleNamespace(
        organizer=a[0], a1=a[1], a2=a[2], a3=a[3], sponsor=a[5], donor=a[6], payee=a[7], plain=a[8], outsider=a[9]
    )
    card_impl = net.deploy(*artifact("IwoCard"))
    treasury_impl = net.deploy(*artifact("IwoTreasury"))
    governor_impl = net.deploy(*artifact("IwoGovernor"))
    aid_impl = net.deploy(*artifact("IwoMutualAid"))
    escrow_impl = net.deploy(*artifact("IwoEscrow"))
    factory = net.deploy(
        *artifact("IwoFactory"),
        card_impl.address,
        treasury_impl.address,
        governor_impl.address,
        aid_impl.address,
        escrow_impl.address,
    )
    token = net.deploy(*mock_token_artifact(), "Stable", "USDX", 6)
    net.send(token.functions.mint(names.donor, 10_000 * U), names.organizer)
    receipt = net.send(
        factory.functions.create_collective(
            "Couriers United", "CU", [names.a1, names.a2, names.a3], ETH, DUES, PERIOD, SETTINGS
        ),
        names.organizer,
    )
    (created,) = factory.events.CollectiveCreated().process_receipt(receipt, errors=DISCARD)
    s = Scenario(
        net=net,
        factory=factory,
        governor=net.at(created.args.governor, "IwoGovernor"),
        treasury=net.at(created.args.treasury, "IwoTreasury"),
        card=net.at(created.args.card, "IwoCard"),
        token=token,
        created_block=receipt.blockNumber,
        names=names,
        symbols={ETH: ("ETH", 18), token.address: ("USDX", 6)},
    )
    net.advance(60)  # members vote from the snapshot one second before a proposal: let the clock move
    s.pay_dues(names.a1, names.a1, 2)  # a member pays for herself
    s.pay_dues(names.sponsor, names.a2, 1)  # a sponsor pays for a member
    s.donate_token(names.donor, 500 * U, "tools fund")
    s.donate_eth(names.donor, 1 * E, "solidarity fund")
    s.donate_eth(names.outsider, 5 * 10**16, None)
    s.plain_eth(names.plain, 3 * 10**17)  # EthReceived
    s.plain_token(names.donor, 25 * U)  # no treasury call: only the token's Transfer
    s.spend(names.a1, ETH, names.payee, 25 * 10**16, "Pay the lawyer\nInvoice 42, March")
    s.spend(names.a2, token.address, names.payee, 120 * U, "Buy tools\nfrom the workers' coop")
    s.fund_pool(names.a1, [(ETH, 10**17), (token.address, 30 * U)], "Grow the mutual-aid pool")
    s.pay_many(names.a2, names.a3, [(ETH, 10**17), (token.address, 30 * U)], "Hardship support for a3")
    net.mine(2)  # a quiet tail: the head is past the last movement
    return s


@pytest.fixture(scope="module")
def anvil():
    node = Anvil()
    try:
        yield node
    finally:
        node.stop()


@pytest.fixture(scope="module")
def scenario(anvil) -> Scenario:
    return build_scenario(Net(anvil.url))


@pytest.fixture
def reverting(scenario):
    """Snapshots the module's chain and reverts to it after the test (also on failure);
    the scenario's expected rows and balances are restored too."""
    snap = scenario.net.snapshot()
    saved = (list(scenario.expected), dict(scenario.balances), dict(scenario.symbols), scenario.proposals)
    try:
        yield scenario
    finally:
        scenario.net.revert(snap)
        scenario.expected[:] = saved[0]
        scenario.balances, scenario.symbols, scenario.proposals = saved[1], saved[2], saved[3]


def fresh_build(scenario: Scenario, path: Path, **kwargs) -> ledger.Ledger:
    """The ledger from an empty cache at `path`, read directly from anvil."""
    rpc = scenario.rpc()
    cache = ledger.Cache(path)
    try:
        return ledger.build(rpc, cache, scenario.target(rpc), **kwargs)
    finally:
        cache.close()


# ---- an HTTP server whose answers a test decides ---------------------------------------------------
class Reply:
    """What the server does with one request."""

    def __init__(self, kind: str, payload=None, status: int = 200):
        self.kind, self.payload, self.status = kind, payload, status

    @classmethod
    def result(cls, request: dict, result):
        return cls("json", {"jsonrpc": "2.0", "id": request.get("id"), "result": result})

    @classmethod
    def error(cls, request: dict, code: int, message: str):
        return cls("json", {"jsonrpc": "2.0", "id": request.get("id"), "error": {"code": code, "message": message}})

    @classmethod
    def http(cls, status: int, body: bytes = b"busy"):
        return cls("http", body, status)


Reply.DROP = Reply("drop")  # close the connection without answering
Reply.TRUNCATE = Reply("truncate")  # announce a body, send part of it, close


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        owner: JsonRpcServer = self.server.owner
        try:
            request = json.loads(body)
            reply = owner.dispatch(request)
        except Exception as exc:  # a bug in a test's handler: answer 500 and keep it for the test
            owner.errors.append(exc)
            reply = Reply.http(500, repr(exc).encode())
        if reply.kind == "drop":
            self.close_connection = True
            return
        if reply.kind == "truncate":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"jsonrpc": "2.0", "id"')
            self.wfile.flush()
            self.close_connection = True
            return
        data = json.dumps(reply.payload).encode() if reply.kind == "json" else reply.payload
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json" if reply.kind == "json" else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class JsonRpcServer:
    """Serves JSON-RPC on 127.0.0.1 from a thread; `handler(request) -> Reply` answers.

    `requests` keeps every request received (in order). With `upstream`, `forward(request)`
    passes a request on to a real node and returns its reply, so a handler can act as a proxy.
    """

    def __init__(self, handler, upstream: str | None = None):
        self.handler = handler
        self.upstream = upstream
        self.requests: list[dict] = []
        self.errors: list[Exception] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.owner = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def dispatch(self, request: dict) -> Reply:
        with self._lock:
            self.requests.append(request)
        return self.handler(request)

    def forward(self, request: dict) -> Reply:
        body = json.dumps(request).encode()
        req = urllib.request.Request(self.upstream, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as response:
            return Reply("json", json.loads(response.read()))

    def methods(self) -> list[str]:
        return [r["method"] for r in self.requests]

    def log_ranges(self) -> list[tuple[int, int]]:
        return [
            (int(r["params"][0]["fromBlock"], 16), int(r["params"][0]["toBlock"], 16))
            for r in self.requests
            if r["method"] == "eth_getLogs"
        ]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def serve():
    """serve(handler, upstream=None) -> a started JsonRpcServer; all are closed after the test."""
    servers: list[JsonRpcServer] = []

    def _serve(handler, upstream=None):
        server = JsonRpcServer(handler, upstream)
        servers.append(server)
        return server

    try:
        yield _serve
    finally:
        for server in servers:
            server.close()
        for server in servers:
            assert not server.errors, server.errors
