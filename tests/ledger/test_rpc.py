"""Unit tests of the JSON-RPC client against a fake node served in-process: range splitting
in get_logs, retries of transient failures only, refusal of a URL that is not http(s)."""

from __future__ import annotations

import pytest
from ledger_conftest import Reply

from iwo import rpc as rpc_module
from iwo.errors import IwoError
from iwo.node import free_port
from iwo.rpc import Rpc, RpcError

ADDRESSES = ["0x00000000000000000000000000000000000000aa"]
TOPICS = [["0x" + "11" * 32]]


@pytest.fixture(autouse=True)
def no_jitter(monkeypatch):
    """Backoff jitter off, so sleeps are exact: backoff * 2**attempt."""
    monkeypatch.setattr(rpc_module.random, "random", lambda: 0.0)


def client(url, **kwargs):
    sleeps: list[float] = []
    return Rpc(url, sleep=sleeps.append, **kwargs), sleeps


def log_range(request) -> tuple[int, int]:
    query = request["params"][0]
    return int(query["fromBlock"], 16), int(query["toBlock"], 16)


def fake_logs(a: int, b: int) -> list[dict]:
    return [{"blockNumber": hex(n), "logIndex": "0x0"} for n in range(a, b + 1)]


def collect():
    calls = []
    return calls, lambda a, b, logs: calls.append((a, b, logs))


@pytest.mark.parametrize(
    "message",
    [
        "query returned more than 10000 results",
        "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range",
        "block range too large",
        "exceed maximum block range: 1",
        "too many logs",
    ],
)
def test_get_logs_splits_down_to_single_blocks(serve, message):
    def handler(request):
        a, b = log_range(request)
        if b > a:
            return Reply.error(request, -32005, message)
        return Reply.result(request, fake_logs(a, b))

    server = serve(handler)
    rpc, sleeps = client(server.url)
    calls, on_range = collect()
    rpc.get_logs(ADDRESSES, TOPICS, 100, 107, on_range, chunk=8)
    assert calls == [(n, n, fake_logs(n, n)) for n in range(100, 108)]
    ranges = server.log_ranges()
    assert ranges[:4] == [(100, 107), (100, 103), (100, 101), (100, 100)]  # halved until accepted
    assert [r for r in ranges if r[0] == r[1]] == [(n, n) for n in range(100, 108)]
    assert sleeps == []  # a refusal is not a failure: no backoff
    query = server.requests[0]["params"][0]
    assert (query["address"], query["topics"]) == (ADDRESSES, TOPICS)


def test_get_logs_with_a_range_cap_covers_every_block_once_in_order(serve):
    def handler(request):
        a, b = log_range(request)
        if b - a + 1 > 3:
            return Reply.error(request, -32600, "block range too large (max 3)")
        return Reply.result(request, fake_logs(a, b))

    server = serve(handler)
    rpc, sleeps = client(server.url)
    calls, on_range = collect()
    rpc.get_logs(ADDRESSES, TOPICS, 1, 20, on_range)
    assert all(b - a + 1 <= 3 for a, b, _ in calls)
    assert [a for a, _, _ in calls] == [1] + [b + 1 for _, b, _ in calls[:-1]]  # contiguous, ascending
    assert calls[-1][1] == 20
    assert [log for _, _, logs in calls for log in logs] == fake_logs(1, 20)
    assert sleeps == []


def test_get_logs_refused_for_a_single_block_is_an_error(serve):
    def handler(request):
        a, b = log_range(request)
        if a <= 13 <= b:
            return Reply.error(request, -32005, "query returned more than 10000 results")
        return Reply.result(request, fake_logs(a, b))

    server = serve(handler)
    rpc, _ = client(server.url)
    calls, on_range = collect()
    with pytest.raises(RpcError, match="^the node refuses eth_getLogs even for the single block 13$"):
        rpc.get_logs(ADDRESSES, TOPICS, 10, 20, on_range, chunk=100)
    assert [log for _, _, logs in calls for log in logs] == fake_logs(10, 12)  # everything before it, once
    assert server.log_ranges()[-1] == (13, 13)


def test_get_logs_in_one_go_when_accepted(serve):
    server = serve(lambda request: Reply.result(request, fake_logs(*log_range(request))))
    rpc, _ = client(server.url)
    calls, on_range = collect()
    rpc.get_logs(ADDRESSES, TOPICS, 5, 12_000, on_range, chunk=5_000)
    assert [(a, b) for a, b, _ in calls] == [(5, 5004), (5005, 12_000)]  # grows back after a success
    assert server.log_ranges() == [(5, 5004), (5005, 12_000)]


def test_get_logs_of_an_empty_range_asks_nothing(serve):
    server = serve(lambda request: Reply.result(request, []))
    rpc, _ = client(server.url)
    calls, on_range = collect()
    rpc.get_logs(ADDRESSES, TOPICS, 10, 9, on_range)
    assert calls == [] and server.requests == []


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405])
def test_non_transient_http_errors_are_not_retried(serve, status):
    server = serve(lambda request: Reply.http(status, b"no"))
    rpc, sleeps = client(server.url)
    with pytest.raises(RpcError, match=f"^node answered HTTP {status} to eth_blockNumber$"):
        rpc.block_number()
    assert server.methods() == ["eth_blockNumber"]
    assert sleeps == []


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_http_errors_are_retried_with_backoff(serve, status):
    answers = [Reply.http(status), Reply.http(status), None]

    def handler(request):
        return answers.pop(0) or Reply.result(request, "0x2a")

    server = serve(handler)
    rpc, sleeps = client(server.url)
    assert rpc.block_number() == 42
    assert server.methods() == ["eth_blockNumber"] * 3
    assert sleeps == [0.25, 0.5]
    assert rpc.calls == 3


def test_retries_are_bounded(serve):
    server = serve(lambda request: Reply.http(503))
    rpc, sleeps = client(server.url, retries=3, backoff=0.1)
    message = "^node answered HTTP 503 to eth_chainId$"
    with pytest.raises(RpcError, match=message):
        rpc.chain_id()
    assert server.methods() == ["eth_chainId"] * 4
    assert sleeps == [0.1, 0.2, 0.4]


@pytest.mark.parametrize("failure", ["drop", "truncate"])
def test_dropped_connections_are_retried(serve, failure):
    answers = [Reply.DROP if failure == "drop" else Reply.TRUNCATE] * 2 + [None]

    def handler(request):
        return answers.pop(0) or Reply.result(request, "0x7a69")

    server = serve(handler)
    rpc, sleeps = client(server.url)
    assert rpc.chain_id() == 31337
    assert server.methods() == ["eth_chainId"] * 3
    assert sleeps == [0.25, 0.5]


def test_nobody_listening_is_retried_then_reported():
    url = f"http://127.0.0.1:{free_port()}"
    rpc, sleeps = client(url, retries=2)
    with pytest.raises(RpcError, match=rf"^node at {url} does not answer \(.*Connection refused.*\)$"):
        rpc.block_number()
    assert sleeps == [0.25, 0.5]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (-32000, "header not found"),
        (-32603, "internal error"),
        (-32005, "limit exceeded"),
        (429, "Too Many Requests"),
    ],
)
def test_transient_json_rpc_errors_are_retried(serve, code, message):
    answers = [code, None]

    def handler(request):
        failing = answers.pop(0)
        return Reply.error(request, failing, message) if failing else Reply.result(request, "0x10")

    server = serve(handler)
    rpc, sleeps = client(server.url)
    assert rpc.balance("0x00000000000000000000000000000000000000aa", 3) == 16
    assert server.methods() == ["eth_getBalance"] * 2
    assert server.requests[0]["params"] == ["0x00000000000000000000000000000000000000aa", "0x3"]
    assert sleeps == [0.25]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (3, "execution reverted"),
        (-32000, "execution reverted: treasury: only by vote"),
        (-32602, "invalid params"),
        (-32601, "the method eth_foo does not exist"),
    ],
)
def test_other_json_rpc_errors_are_not_retried(serve, code, message):
    server = serve(lambda request: Reply.error(request, code, message))
    rpc, sleeps = client(server.url)
    with pytest.raises(RpcError) as info:
        rpc.call("eth_call", [{"to": "0x00000000000000000000000000000000000000aa", "data": "0x"}, "latest"])
    assert str(info.value) == f"eth_call: {message}"
    assert info.value.code == code
    assert server.methods() == ["eth_call"]
    assert sleeps == []


@pytest.mark.parametrize(
    "answers",
    [
        [(429, "Too Many Requests")],
        [(-32005, "daily request count exceeded, request rate limited")],
        [(-32016, "over rate limit"), (-32016, "over rate limit")],
    ],
)
def test_rate_limited_get_logs_is_retried_not_split(serve, answers):
    answers = list(answers)

    def handler(request):
        if answers:
            code, message = answers.pop(0)
            return Reply.error(request, code, message)
        return Reply.result(request, fake_logs(*log_range(request)))

    server = serve(handler)
    rpc, sleeps = client(server.url)
    calls, on_range = collect()
    rpc.get_logs(ADDRESSES, TOPICS, 1, 8, on_range)
    retried = len(server.requests) - 1
    assert server.log_ranges() == [(1, 8)] * (retried + 1)  # the same range again, not halves
    assert calls == [(1, 8, fake_logs(1, 8))]
    assert sleeps == [0.25, 0.5][:retried]


def test_typed_helpers(serve):
    answers = {
        "eth_chainId": "0x7a69",
        "eth_blockNumber": "0x64",
        "eth_getCode": "0x6001",
        "eth_call": "0x" + "00" * 31 + "07",
        "eth_getBlockByNumber": None,
    }
    server = serve(lambda request: Reply.result(request, answers[request["method"]]))
    rpc, _ = client(server.url)
    assert rpc.chain_id() == 31337
    assert rpc.block_number() == 100
    assert rpc.code("0x00000000000000000000000000000000000000aa", 5) == b"\x60\x01"
    assert rpc.eth_call("0x00000000000000000000000000000000000000aa", b"\x12\x34") == b"\x00" * 31 + b"\x07"
    with pytest.raises(RpcError, match="^block 9 not found$"):
        rpc.block(9)
    assert [(r["method"], r["params"]) for r in server.requests] == [
        ("eth_chainId", []),
        ("eth_blockNumber", []),
        ("eth_getCode", ["0x00000000000000000000000000000000000000aa", "0x5"]),
        ("eth_call", [{"to": "0x00000000000000000000000000000000000000aa", "data": "0x1234"}, "latest"]),
        ("eth_getBlockByNumber", ["0x9", False]),
    ]
    assert [r["id"] for r in server.requests] == [1, 2, 3, 4, 5]
    assert {r["jsonrpc"] for r in server.requests} == {"2.0"}


@pytest.mark.parametrize(
    "url", ["localhost:8545", "ws://127.0.0.1:8545", "", "file:///etc/passwd", "127.0.0.1:8545", "HTTP//127.0.0.1"]
)
def test_bad_url_is_rejected(url):
    with pytest.raises(IwoError, match=r"^not an http\(s\) RPC URL: "):
        Rpc(url)
    with pytest.raises(IwoError) as info:
        Rpc(url)
    assert str(info.value) == f"not an http(s) RPC URL: {url!r}"
