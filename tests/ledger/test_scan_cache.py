"""Scanning through unfriendly nodes, the SQLite cache (warm runs read only new blocks, an
interrupted scan resumes) and reorgs (orphaned blocks leave the ledger)."""

from __future__ import annotations

import json

import pytest
from ledger_conftest import ETH, Reply, U, fresh_build

from iwo import ledger
from iwo.rpc import Rpc, RpcError


class Interrupted(Exception):
    pass


def source_of(request, scenario) -> str:
    """Which of the ledger's sources an eth_getLogs request reads."""
    query = request["params"][0]
    addresses = query["address"]
    if scenario.governor.address in addresses:
        return "collective"
    (token,) = addresses
    direction = "in" if query["topics"][1] is None else "out"
    return f"{direction}:{token}"


def get_logs(proxy, scenario, start=0) -> list[tuple[str, int, int]]:
    return [
        (source_of(r, scenario), int(r["params"][0]["fromBlock"], 16), int(r["params"][0]["toBlock"], 16))
        for r in proxy.requests[start:]
        if r["method"] == "eth_getLogs"
    ]


def assert_covered(ranges, first: int, last: int):
    """Accepted ranges of one source: ascending, contiguous, exactly [first, last]."""
    assert ranges, "no range accepted"
    assert ranges[0][0] == first and ranges[-1][1] == last
    for (_, b), (a, _) in zip(ranges, ranges[1:], strict=False):
        assert a == b + 1


def build_via(scenario, url, path, **rpc_kwargs) -> tuple[ledger.Ledger, Rpc]:
    """The ledger read through `url` (a proxy) with the cache at `path`."""
    rpc = Rpc(url, **rpc_kwargs)
    cache = ledger.Cache(path)
    try:
        return ledger.build(rpc, cache, ledger.find_target(rpc, scenario.governor.address)), rpc
    finally:
        cache.close()


def same_ledger(a: ledger.Ledger, b: ledger.Ledger):
    assert a.as_dicts() == b.as_dicts()
    assert (a.opening, a.closing, a.assets, a.from_block, a.to_block) == (
        b.opening,
        b.closing,
        b.assets,
        b.from_block,
        b.to_block,
    )


# ---- nodes that limit eth_getLogs ------------------------------------------------------------
def test_node_capping_results_still_gives_the_full_ledger(scenario, serve, tmp_path):
    accepted: dict[str, list] = {}
    refused = []

    def handler(request):
        reply = proxy.forward(request)
        if request["method"] == "eth_getLogs":
            a, b = int(request["params"][0]["fromBlock"], 16), int(request["params"][0]["toBlock"], 16)
            if len(reply.payload["result"]) > 12:  # the creation block alone holds 10 logs
                refused.append((a, b))
                return Reply.error(request, -32005, "query returned more than 12 results")
            accepted.setdefault(source_of(request, scenario), []).append((a, b))
        return reply

    proxy = serve(handler, upstream=scenario.url)
    book, _ = build_via(scenario, proxy.url, tmp_path / "capped.sqlite")
    assert book.as_dicts() == scenario.expected
    same_ledger(book, fresh_build(scenario, tmp_path / "direct.sqlite"))
    assert refused, "the cap never bit: the scenario has too few logs for this test"
    head, tok = scenario.net.head(), scenario.token.address
    assert sorted(accepted) == ["collective", f"in:{tok}", f"out:{tok}"]
    for ranges in accepted.values():
        assert_covered(ranges, scenario.created_block, head)


def test_node_capping_block_ranges_still_gives_the_full_ledger(scenario, serve, tmp_path):
    accepted: dict[str, list] = {}

    def handler(request):
        if request["method"] == "eth_getLogs":
            a, b = int(request["params"][0]["fromBlock"], 16), int(request["params"][0]["toBlock"], 16)
            if b - a + 1 > 4:
                return Reply.error(request, -32600, "block range too large: at most 4 blocks")
            accepted.setdefault(source_of(request, scenario), []).append((a, b))
        return proxy.forward(request)

    proxy = serve(handler, upstream=scenario.url)
    book, _ = build_via(scenario, proxy.url, tmp_path / "capped.sqlite")
    assert book.as_dicts() == scenario.expected
    same_ledger(book, fresh_build(scenario, tmp_path / "direct.sqlite"))
    for ranges in accepted.values():
        assert all(b - a + 1 <= 4 for a, b in ranges)
        assert_covered(ranges, scenario.created_block, scenario.net.head())
    assert len(accepted) == 3


# ---- transient failures ------------------------------------------------------------------------
@pytest.mark.parametrize("failure", ["http-503", "drop", "truncate", "header-not-found"])
def test_transient_failures_are_retried(scenario, serve, tmp_path, failure):
    """Every request fails the first time it is asked (whatever the method); the ledger is still exact."""
    failures, asked = [], set()

    def handler(request):
        key = json.dumps([request["method"], request["params"]])
        if key not in asked:
            asked.add(key)
            failures.append(request["method"])
            return {
                "http-503": Reply.http(503),
                "drop": Reply.DROP,
                "truncate": Reply.TRUNCATE,
                "header-not-found": Reply.error(request, -32000, "header not found"),
            }[failure]
        return proxy.forward(request)

    proxy = serve(handler, upstream=scenario.url)
    sleeps: list[float] = []
    book, rpc = build_via(scenario, proxy.url, tmp_path / "flaky.sqlite", sleep=sleeps.append)
    assert book.as_dicts() == scenario.expected
    assert len(sleeps) == len(failures) == len(asked)
    assert rpc.calls == len(proxy.requests)
    assert set(failures) == {
        "eth_chainId",
        "eth_getCode",
        "eth_call",
        "eth_blockNumber",
        "eth_getLogs",
        "eth_getBlockByNumber",
    }


# ---- the cache ---------------------------------------------------------------------------------
def test_warm_run_reads_only_new_blocks(reverting, serve, tmp_path):
    s = reverting
    proxy = serve(lambda request: proxy.forward(request), upstream=s.url)
    rpc = Rpc(proxy.url)
    cache = ledger.Cache(tmp_path / "cache.sqlite")
    try:
        target = ledger.find_target(rpc, s.governor.address)
        cold = ledger.build(rpc, cache, target)
        assert cold.as_dicts() == s.expected
        head1, tok = s.net.head(), s.token.address
        assert get_logs(proxy, s) == [
            ("collective", s.created_block, head1),
            (f"in:{tok}", s.created_block, head1),
            (f"out:{tok}", s.created_block, head1),
        ]

        # new blocks, and a token the treasury had never seen
        s.pay_dues(s.names.a1, s.names.a1, 1)
        s.plain_token(s.names.donor, 7 * U)
        other = s.new_token("Other", "OTH", 0, s.names.donor, 1000)
        s.donate_token(s.names.donor, 40, "spare parts", token=other)
        s.plain_token(s.names.donor, 2, token=other)
        s.net.mine()
        head2 = s.net.head()
        seen = len(proxy.requests)
        warm = ledger.build(rpc, cache, target)
    finally:
        cache.close()
    assert warm.as_dicts() == s.expected
    assert warm.closing == s.on_chain() | {other.address: 42}
    assert warm.assets[other.address] == ("OTH", 0)
    assert get_logs(proxy, s, seen) == [
        ("collective", head1 + 1, head2),
        (f"in:{tok}", head1 + 1, head2),
        (f"out:{tok}", head1 + 1, head2),
        # a token seen for the first time is read from the treasury's creation on
        (f"in:{other.address}", s.created_block, head2),
        (f"out:{other.address}", s.created_block, head2),
    ]
    blocks_read = {int(r["params"][0], 16) for r in proxy.requests[seen:] if r["method"] == "eth_getBlockByNumber"}
    # the newest known block (reorg check), the new head (end of each range) and the new rows' blocks (times)
    assert blocks_read == {head1, head2} | {r["block"] for r in s.expected[-4:]}
    same_ledger(warm, fresh_build(s, tmp_path / "fresh.sqlite"))


def test_windows_from_a_warm_cache_read_no_logs(scenario, serve, tmp_path):
    proxy = serve(lambda request: proxy.forward(request), upstream=scenario.url)
    rpc = Rpc(proxy.url)
    cache = ledger.Cache(tmp_path / "cache.sqlite")
    blocks = [r["block"] for r in scenario.expected]
    try:
        target = ledger.find_target(rpc, scenario.governor.address)
        ledger.build(rpc, cache, target)
        seen = len(proxy.requests)
        book = ledger.build(rpc, cache, target, blocks[2], blocks[8])
    finally:
        cache.close()
    assert book.as_dicts() == scenario.expected[2:9]
    assert get_logs(proxy, scenario, seen) == []


@pytest.mark.parametrize(("where", "after"), [("collective", 3), ("in", 1), ("out", 2)])
def test_interrupted_scan_resumes_exactly(scenario, tmp_path, where, after):
    """A scan stopped from its progress callback (as Ctrl-C would) keeps what it stored."""
    rpc = scenario.rpc()
    path = tmp_path / "cache.sqlite"
    cache = ledger.Cache(path)
    reports = []

    def progress(source, done, total):
        reports.append((source, done, total))
        if sum(1 for r in reports if r[0].split(":")[0] == where) == after:
            raise Interrupted

    target = scenario.target(rpc)
    head = scenario.net.head()
    try:
        with pytest.raises(Interrupted):
            ledger.scan(rpc, cache, target, progress=ledger.Progress(progress), chunk=4)
        source, done, total = reports[-1]
        assert total == head - scenario.created_block + 1
        assert cache.scanned_to(31337, source) == scenario.created_block + done - 1 < head
    finally:
        cache.close()
    cache = ledger.Cache(path)
    try:
        book = ledger.build(rpc, cache, target)
    finally:
        cache.close()
    assert book.as_dicts() == scenario.expected
    same_ledger(book, fresh_build(scenario, tmp_path / "fresh.sqlite"))


@pytest.mark.parametrize("failure", ["http-400", "http-503-forever"])
def test_node_failing_midway_leaves_a_usable_cache(scenario, serve, tmp_path, failure):
    def handler(request):
        if request["method"] == "eth_getLogs" and sum(m == "eth_getLogs" for m in proxy.methods()) > 2:
            return Reply.http(400 if failure == "http-400" else 503)
        return proxy.forward(request)

    proxy = serve(handler, upstream=scenario.url)
    rpc = Rpc(proxy.url, retries=2, sleep=lambda s: None)
    path = tmp_path / "cache.sqlite"
    cache = ledger.Cache(path)
    try:
        target = ledger.find_target(rpc, scenario.governor.address)
        message = (
            "^node answered HTTP 400 to eth_getLogs$"
            if failure == "http-400"
            else "^node answered HTTP 503 to eth_getLogs$"
        )
        with pytest.raises(RpcError, match=message):
            ledger.scan(rpc, cache, target, chunk=4)
        assert (
            scenario.created_block
            <= cache.scanned_to(31337, f"collective:{scenario.governor.address}")
            < scenario.net.head()
        )
    finally:
        cache.close()
    book = fresh_build(scenario, path)  # same cache, the node answering again
    assert book.as_dicts() == scenario.expected


def test_cache_of_an_older_layout_is_rebuilt(scenario, tmp_path):
    path = tmp_path / "cache.sqlite"
    fresh_build(scenario, path)
    cache = ledger.Cache(path)
    with cache.db:
        cache.db.execute("UPDATE meta SET value='1' WHERE key='schema'")
        cache.db.execute("UPDATE logs SET args='{}'")  # what an old layout would misread
    cache.close()
    cache = ledger.Cache(path)
    try:
        assert cache.db.execute("SELECT count(*) FROM logs").fetchone() == (0,)
        assert cache.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone() == (str(ledger.SCHEMA_VERSION),)
    finally:
        cache.close()
    assert fresh_build(scenario, path).as_dicts() == scenario.expected


# ---- reorgs ----------------------------------------------------------------------------------------
def _cached_txs(path, txs) -> int:
    cache = ledger.Cache(path)
    try:
        marks = ",".join("?" * len(txs))
        return cache.db.execute(f"SELECT count(DISTINCT tx_hash) FROM logs WHERE tx_hash IN ({marks})", txs).fetchone()[
            0
        ]
    finally:
        cache.close()


def _tx(receipt) -> str:
    return "0x" + bytes(receipt.transactionHash).hex()


def test_reorg_replaces_cached_blocks(reverting, tmp_path):
    """anvil_reorg swaps the last blocks for others: their rows go, the new ones come."""
    s = reverting
    base_expected, base_balances = list(s.expected), dict(s.balances)
    orphans = [
        s.donate_eth(s.names.outsider, 7 * 10**15, "orphan"),
        s.pay_dues(s.names.a1, s.names.a1, 1),
        s.plain_token(s.names.donor, 3 * U),
    ]
    path = tmp_path / "cache.sqlite"
    assert fresh_build(s, path).as_dicts() == s.expected  # the cache now holds the orphans-to-be
    orphan_txs = [_tx(r) for r in orphans]
    assert _cached_txs(path, orphan_txs) == 3
    head = s.net.head()

    transfer = s.token.functions.transfer(s.treasury.address, 11 * U)._encode_transaction_data()
    s.net.rpc(
        "anvil_reorg",
        [
            3,
            [
                [{"from": s.names.plain, "to": s.treasury.address, "value": hex(10**15)}, 0],
                [{"from": s.names.donor, "to": s.token.address, "data": transfer}, 2],
            ],
        ],
    )
    assert s.net.head() == head
    s.expected[:], s.balances = base_expected, base_balances
    w3 = s.net.w3
    new_blocks = [w3.eth.get_block(n) for n in range(head - 2, head + 1)]
    assert [len(b.transactions) for b in new_blocks] == [1, 0, 1]
    s.expect(
        w3.eth.get_transaction_receipt(new_blocks[0].transactions[0]),
        "EthReceived",
        s.names.plain,
        ETH,
        10**15,
        "ETH received without a call (plain transfer)",
    )
    s.expect(
        w3.eth.get_transaction_receipt(new_blocks[2].transactions[0]),
        "TokenIn",
        s.names.donor,
        s.token.address,
        11 * U,
        "plain token transfer in (no treasury call)",
    )

    book = fresh_build(s, path)  # the same cache
    assert book.as_dicts() == s.expected
    assert not {r.tx for r in book.rows} & set(orphan_txs)
    assert _cached_txs(path, orphan_txs) == 0
    same_ledger(book, fresh_build(s, tmp_path / "empty.sqlite"))
    assert ledger.audit(s.rpc(), book).ok is True


def test_reorg_to_a_shorter_chain(reverting, tmp_path):
    """The chain goes back (evm_revert) past blocks the cache knows, then grows differently
    and less far: cached blocks beyond the new head, and the replaced ones, are forgotten."""
    s = reverting
    snap = s.net.snapshot()
    base_expected, base_balances = list(s.expected), dict(s.balances)
    orphans = [s.donate_eth(s.names.outsider, 7 * 10**15, "orphan"), s.plain_eth(s.names.plain, 2 * 10**15)]
    s.net.mine(4)
    path = tmp_path / "cache.sqlite"
    assert fresh_build(s, path).as_dicts() == s.expected
    old_head = s.net.head()

    s.net.revert(snap)
    s.expected[:], s.balances = base_expected, base_balances
    s.donate_eth(s.names.donor, 4 * 10**15, "after the reorg")
    assert s.net.head() < old_head
    book = fresh_build(s, path)
    assert book.as_dicts() == s.expected
    assert book.to_block == s.net.head()
    assert _cached_txs(path, [_tx(r) for r in orphans]) == 0
    same_ledger(book, fresh_build(s, tmp_path / "empty.sqlite"))
    assert book.closing == s.on_chain()


def test_nothing_new_reads_no_logs_and_checks_only_the_newest_block(scenario, serve, tmp_path):
    proxy = serve(lambda request: proxy.forward(request), upstream=scenario.url)
    path = tmp_path / "cache.sqlite"
    cold, _ = build_via(scenario, proxy.url, path)
    seen = len(proxy.requests)
    warm, _ = build_via(scenario, proxy.url, path)
    same_ledger(warm, cold)
    assert warm.as_dicts() == scenario.expected
    assert get_logs(proxy, scenario, seen) == []
    blocks = [r["params"] for r in proxy.requests[seen:] if r["method"] == "eth_getBlockByNumber"]
    assert blocks == [[hex(scenario.net.head()), False]]  # the reorg check; times of rows are cached


class _Chain:
    """A stand-in node for `logstore.sync`: logs by address, blocks with fixed hashes, and the
    eth_getLogs ranges asked."""

    def __init__(self, logs: dict[str, list[int]]):
        self.logs, self.asked = logs, []

    def block(self, number):
        return {"hash": "0x" + f"{number:064x}"}

    def get_logs(self, addresses, topics, start, end, on_range, chunk=5_000):
        self.asked.append((tuple(addresses), start, end))
        found = [
            {
                "address": a,
                "blockNumber": hex(n),
                "blockHash": "0x00",
                "transactionHash": f"0x{i:064x}",
                "logIndex": "0x0",
            }
            for a in addresses
            for i, n in enumerate(self.logs.get(a, []), start=int(a, 16) % 10_000 * 100)
            if start <= n <= end
        ]
        on_range(start, end, found)


def test_an_address_added_to_a_source_is_scanned_from_the_start(tmp_path):
    """A collective's escrow first unknown to the auditor, then known: its earlier events are read
    (its own mark), and the addresses scanned before are not read again."""
    from iwo.logstore import LogStore, sync

    treasury, escrow = "0x" + "11" * 20, "0x" + "22" * 20
    chain = _Chain({treasury: [5, 40], escrow: [7, 30, 45]})
    store = LogStore(tmp_path / "logs.sqlite")

    def decode(log):
        return "Event", {"at": int(log["blockNumber"], 16)}

    sync(chain, store, 1, "c", [treasury], [], 3, decode, 35)
    sync(chain, store, 1, "c", [treasury, escrow], [], 3, decode, 50)
    assert chain.asked == [((treasury,), 3, 35), ((escrow,), 3, 50), ((treasury,), 36, 50)]
    assert [(log["address"].lower(), log["block"]) for log in store.logs(1, "c")] == [
        (treasury, 5),
        (escrow, 7),
        (escrow, 30),
        (treasury, 40),
        (escrow, 45),
    ]
    assert store.scanned_to(1, "c") == 50
    store.close()
