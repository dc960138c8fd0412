"""How fast `iwo rates` answers over a busy rate board: 10,000 posted asks and 1,000 finished escrow
jobs on a local node; cold (first run: the log store catches up) and warm (median of 7), plus the
gas of one `post_rate` and one `review` from receipts. Writes bench/rates.json and bench/rates.md.
Run by `make bench`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "cli"))
BIN = ROOT / ".venv" / "bin"
ANVIL_DIR = ROOT / "tools" / "node_modules" / "@foundry-rs" / "anvil-linux-amd64" / "bin"
OUT = ROOT / "bench"
POSTS, JOBS, RUNS = 10_000, 1_000, 7
CATEGORIES = ("translation", "design", "delivery", "editing", "code")


def main() -> int:
    from iwo.accounts import TEST_ADDRESSES
    from iwo.contracts import ETH, Contract
    from iwo.rates import to_bytes32
    from iwo.rpc import Rpc

    home = Path(tempfile.mkdtemp(prefix="iwo-bench-rates-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("IWO_")}
    env |= {"IWO_HOME": str(home), "PATH": os.pathsep.join([str(BIN), str(ANVIL_DIR), env.get("PATH", "")])}

    def iwo(*args) -> subprocess.CompletedProcess:
        done = subprocess.run([str(BIN / "iwo"), *map(str, args)], env=env, cwd=home, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"iwo {' '.join(map(str, args))} failed: {done.stderr}")
        return done

    node = json.loads(iwo("node", "start", "--json").stdout)
    rpc = Rpc(node["url"])
    try:
        # 64 founders (anvil's default accounts are only 10: the others are impersonated)
        members = list(TEST_ADDRESSES) + [f"0x{0xBE0000 + i:040x}" for i in range(54)]
        for m in members[10:]:
            rpc.call("anvil_setBalance", [m, hex(10**21)])
            rpc.call("anvil_impersonateAccount", [m])
        founders = [a for m in members for a in ("--founder", m)]
        created = json.loads(iwo("create", "Busy Board", *founders, "--dues", "0.001", "--json").stdout)
        deployment = json.loads((home / "deployments.json").read_text())["31337"]
        board, gov = Contract("IwoRates", deployment["rates"]), Contract("IwoGovernor", created["governor"])
        escrow = Contract("IwoEscrow", created["escrow"])
        rpc.call("anvil_impersonateAccount", [gov.address])
        rpc.call("anvil_setBalance", [gov.address, hex(10**20)])
        # what a vote would do: categories and an ETH cap, sent as the governor while "executing"
        code = rpc.call("eth_getCode", [gov.address, "latest"])
        from iwo.proposals import executing_governor_code

        implementation = "0x" + bytes.fromhex(code[2:])[10:30].hex()
        rpc.call("anvil_setCode", [gov.address, executing_governor_code(implementation)])
        calls = [
            (gov.address, board.address, board.encode("set_category", to_bytes32(c, "c"), True)) for c in CATEGORIES
        ]
        calls.append((gov.address, board.address, board.encode("set_asset_cap", ETH, 10**18)))
        send_all(rpc, calls)
        rpc.call("anvil_setCode", [gov.address, code])

        start = time.perf_counter()
        posts = []
        for i in range(POSTS):
            member, category = members[i % len(members)], CATEGORIES[(i // len(members)) % len(CATEGORIES)]
            amount = 10**15 * (10 + (i * 7919) % 90)
            data = board.encode(
                "post_rate", gov.address, to_bytes32(category, "c"), amount, ETH, to_bytes32("hour", "u")
            )
            posts.append((member, board.address, data))
        post_receipts = send_all(rpc, posts)
        jobs = []
        deadline = int(rpc.block("latest")["timestamp"], 16) + 30 * 86_400
        for i in range(JOBS):
            worker = members[1 + i % (len(members) - 1)]  # never the client, test0
            data = escrow.encode(
                "create_job",
                worker,
                ETH,
                [(10**16, deadline)],
                14 * 86_400,
                b"\x11" * 32,
                to_bytes32(CATEGORIES[i % len(CATEGORIES)], "c"),
                to_bytes32("hour", "u"),
                (1 + i % 40) * 1000,
            )
            jobs.append((TEST_ADDRESSES[0], escrow.address, data, 10**16))
        send_all(rpc, jobs)
        version = 0
        releases = []
        for i in range(JOBS):
            terms = (TEST_ADDRESSES[0], members[1 + i % (len(members) - 1)], ETH, 100, 14 * 86_400, version)
            releases.append((TEST_ADDRESSES[0], escrow.address, escrow.encode("release", i + 1, terms, 0, 10**16)))
        send_all(rpc, releases)
        made_s = time.perf_counter() - start
        post_gas = int(post_receipts[-1]["gasUsed"], 16)

        me = [str(BIN / "iwo")]
        start = time.perf_counter()
        iwo("rates")
        cold = round(time.perf_counter() - start, 3)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            out = iwo("rates", "--json")
            times.append(time.perf_counter() - start)
        data = json.loads(out.stdout)
        figures = {
            "rates_cold_s": cold,
            "rates_warm_s": round(statistics.median(times), 3),
            "posts": POSTS,
            "finished_jobs": data["paid_jobs"],
            "asks_current": data["asks"],
            "cells": len(data["cells"]),
            "post_rate_gas": post_gas,
            "setup_s": round(made_s, 1),
        }
        del me
    finally:
        iwo("node", "stop")
    write(figures)
    return 0


def send_all(rpc, txs: list[tuple]) -> list[dict]:
    """eth_sendTransaction in batches (anvil signs for unlocked and impersonated accounts), each
    batch mined as one block (automine off while sending: eleven thousand one-transaction blocks
    would keep eleven thousand states in the node's memory), then every receipt, which must be
    successful."""
    senders = sorted({tx[0] for tx in txs})
    counts = rpc.batch([("eth_getTransactionCount", [a, "pending"]) for a in senders])
    nonces = {a: int(n, 16) for a, n in zip(senders, counts)}  # explicit: a batch is sent concurrently
    hashes = []
    rpc.call("evm_setAutomine", [False])
    for i in range(0, len(txs), 100):
        batch = []
        for tx in txs[i : i + 100]:
            sender, to, data, *value = tx
            query = {"from": sender, "to": to, "data": "0x" + data.hex(), "gas": hex(500_000)}
            query["nonce"] = hex(nonces[sender])
            nonces[sender] += 1
            if value:
                query["value"] = hex(value[0])
            batch.append(("eth_sendTransaction", [query]))
        hashes += rpc.batch(batch)
        rpc.call("evm_mine", [])
    rpc.call("evm_setAutomine", [True])
    receipts = []
    for i in range(0, len(hashes), 200):
        while True:
            got = rpc.batch([("eth_getTransactionReceipt", [h]) for h in hashes[i : i + 200]])
            if all(got):
                break
            time.sleep(0.05)
        bad = [r for r in got if int(r["status"], 16) != 1]
        if bad:
            sent = rpc.call("eth_getTransactionByHash", [bad[0]["transactionHash"]])
            query = {k: sent[k] for k in ("from", "to", "input", "value")}
            try:
                rpc.call("eth_call", [query, hex(int(bad[0]["blockNumber"], 16) - 1)])
                why = "no reason given"
            except Exception as e:  # the contract's reason, replayed on the block before
                why = str(e)
            raise SystemExit(f"{len(bad)} bench transactions failed, e.g. {bad[0]['transactionHash']}: {why}")
        receipts += got
    return receipts


def write(figures: dict) -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "rates.json").write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    warm = figures["rates_warm_s"]
    lines = [
        "# `iwo rates` over a busy board (local anvil)",
        "",
        "Generated by `make bench` (tools/bench_rates.py); do not edit by hand.",
        "",
        "| what | measured | target | met |",
        "|---|---:|---:|:---:|",
        f"| `iwo rates` over {figures['posts']:,} posts and {figures['finished_jobs']:,} finished jobs, warm "
        f"(median of {RUNS}) | {warm:.3f} s | ≤ 1 s | {'yes' if warm <= 1 else 'no'} |",
        f"| the same, cold (the log store reads every post and job first) | {figures['rates_cold_s']:.3f} s | — | — |",
        f"| `post_rate` gas (a member's later post; receipt) | {figures['post_rate_gas']:,} | ≤ 60,000 | "
        f"{'yes' if figures['post_rate_gas'] <= 60_000 else 'no'} |",
        "",
        f"{figures['asks_current']} current asks (one per member and category) and {figures['cells']} cells; "
        f"building the board took {figures['setup_s']} s.",
        "",
    ]
    (OUT / "rates.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
