"""How fast the collective's page and its relayer answer (`iwo serve` on a local anvil node).

A collective of 50 members with 20 open proposals; `iwo serve --relayer test9` in its own
process; Debian's Chromium (headless, offline) with the test wallet of tests/web:

- page_ready_s: from navigation to the proposals listed (median of 7 loads, each after a new
  block, so the server reads the chain again);
- relayed_vote_s: from the click on "Sign my vote" to the page saying the vote landed (its
  receipt), median of 5 members;
- relayed_votes_per_s: 400 signed votes posted at once by 16 clients, from the first post to the
  last receipt;
- js_bytes: the JavaScript the page ships (our files, unminified).

Writes bench/page.json and bench/page.md. Run by `make bench`.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "cli"), str(ROOT / "tests" / "web")]
OUT = ROOT / "bench"
STATIC = ROOT / "cli" / "iwo" / "web" / "static"
MEMBERS, PROPOSALS, BURST = 50, 20, 400

from playwright.sync_api import sync_playwright  # noqa: E402
from webtest import (  # noqa: E402
    CHROMIUM,
    DAY,
    Chain,
    Server,
    TestWallet,
    address_of,
    ballot,
    create_collective,
    launch,
    stop_node,
)

from iwo import node  # noqa: E402
from iwo.collective import Settings  # noqa: E402

# (key, what, target, "max" | "min")
ROWS = [
    ("page_ready_s", "page ready, 20 proposals listed (50 members), after a new block", 1.0, "max"),
    ("relayed_vote_s", "relayed vote: click “Sign” → receipt shown on the page", 2.0, "max"),
    ("relayed_votes_per_s", f"relayed votes per second, {BURST} posted at once (post → receipt)", 50, "min"),
    ("js_bytes", "JavaScript the page ships (bytes, unminified)", 10_000, "max"),
]


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="iwo-bench-page-"))
    os.environ["IWO_HOME"] = str(home)
    for name in [k for k in os.environ if k.startswith("IWO_") and k != "IWO_HOME"]:
        del os.environ[name]
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium (make test does it as root)")
    running, _ = node.start()
    server = None
    try:
        chain = Chain(running.url)
        members = [f"bench-{i}" for i in range(MEMBERS)]
        chain.fund([address_of(m) for m in members])
        settings = Settings(voting_delay=1, voting_period=7 * DAY, dues_grace=365 * DAY).as_tuple()
        c = create_collective(chain, "Bench Riders", members, settings)
        chain.advance(2)
        for i in range(PROPOSALS):  # one at a time, so the ids follow the members
            chain.send(members[i], c.governor, "propose", [], f"Idea {i + 1}: a signal to vote on")
        chain.advance(2)
        server = Server(home, ["--relayer", "test9"], home / "serve.log").start()
        figures = {"js_bytes": sum(p.stat().st_size for p in STATIC.glob("*.js"))}
        with sync_playwright() as p:
            browser = launch(p, home / "chromium-profile")
            try:
                figures["page_ready_s"] = page_ready(browser, server, chain)
                figures["relayed_vote_s"] = relayed_vote(browser, server, chain, members)
            finally:
                browser.close()
        figures["relayed_votes_per_s"] = throughput(server, chain, c, members)
        assert server.stop() == 0
        server = None
    finally:
        if server is not None:
            server.kill()
        stop_node(running)
    write(figures)
    return 0


def page_ready(browser, server, chain) -> float:
    times = []
    for _ in range(7):
        chain.call("evm_mine")  # a new block: the server reads the collective again
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(server.url + "/")
        page.wait_for_selector(f"#open article:nth-of-type({PROPOSALS})")
        times.append(time.perf_counter() - start)
        page.close()
    return round(statistics.median(times), 3)


def relayed_vote(browser, server, chain, members) -> float:
    times = []
    for i in range(5):
        wallet = TestWallet(members[30 + i], chain)
        page = browser.new_page()
        wallet.install(page)
        page.goto(server.url + "/")
        page.wait_for_selector("body[data-ready]")
        page.get_by_role("button", name="Connect wallet").click()
        page.get_by_role("status").filter(has_text="Connected.").wait_for()
        card = page.get_by_role("article", name=re.compile(r"^#1 "))
        card.get_by_role("radio", name="For").check()
        card.get_by_role("button", name="Review my vote").click()
        sign = page.get_by_role("button", name="Sign my vote (free)")
        sign.wait_for()
        start = time.perf_counter()
        sign.click()
        page.get_by_role("status").filter(has_text=re.compile("landed in block")).wait_for(timeout=30_000)
        times.append(time.perf_counter() - start)
        page.close()
    return round(statistics.median(times), 3)


def throughput(server, chain, c, members) -> float:
    votes = [
        ballot(chain, c, pid, (pid + i) % 3, m) for pid in range(2, 2 + BURST // MEMBERS) for i, m in enumerate(members)
    ][:BURST]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda v: server.post("/api/votes", v), votes))
    ids = [body["id"] for status, body in answers if status == 202]
    assert len(ids) == BURST, [a for a in answers if a[0] != 202][:3]
    pending = set(ids)
    while pending:
        for vote_id in list(pending):
            if server.get(f"/api/votes/{vote_id}")[1]["status"] == "landed":
                pending.discard(vote_id)
        if pending:
            time.sleep(0.02)
        assert time.perf_counter() - start < 120, f"{len(pending)} votes never landed"
    return round(BURST / (time.perf_counter() - start), 1)


def write(figures: dict) -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "page.json").write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    lines = [
        "# How fast the page and the relayer answer (`iwo serve`, local anvil node)",
        "",
        "Generated by `make bench` (tools/bench_page.py); do not edit by hand. Debian's Chromium,",
        f"headless; a collective of {MEMBERS} members with {PROPOSALS} open proposals; relayer test9.",
        "",
        "| what | measured | target | met |",
        "|---|---:|---|:---:|",
    ]
    for key, what, target, kind in ROWS:
        value = figures[key]
        ok = value <= target if kind == "max" else value >= target
        unit = " s" if key.endswith("_s") and not key.endswith("per_s") else ""
        bound = f"≤ {target}{unit}" if kind == "max" else f"≥ {target}"
        lines.append(f"| {what} | {value}{unit} | {bound} | {'yes' if ok else 'no'} |")
    (OUT / "page.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
