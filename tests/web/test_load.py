"""The last hour of a vote: 500 members' signed votes posted to `iwo serve` at once (plus 20 that
must be refused), with the server killed (SIGKILL) in the middle of the burst and started again.
Afterwards every valid vote is on chain exactly once, the tallies equal the votes posted, and the
relayer's nonces run without a gap and without a transaction too many.

No browser: the clients post what a wallet would have signed. The 504-member collective is built
in seconds: 64 founders, and 440 members admitted by 55 proposals of 8 admissions each.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
from concurrent.futures import ThreadPoolExecutor

import pytest
from webtest import DAY, Server, address_of, ballot, create_collective

from iwo.collective import Settings
from iwo.contracts import Contract

VOTERS = 500
FOUNDERS = 64
ADMITTED_PER_PROPOSAL = 8
RELAYER = "test9"
KILL_AFTER = 250  # answers before the server is killed
POSTING_WINDOW = 10.0  # seconds: the burst the issue asks for


@pytest.fixture(scope="module")
def crowd(chain):
    """A collective of 504 members whose proposal #56 is open for voting."""
    founders = [f"load-f{i}" for i in range(FOUNDERS)]
    newcomers = [f"load-m{i}" for i in range(440)]
    chain.fund([address_of(f) for f in founders])
    settings = Settings(
        voting_delay=1,  # the governor refuses a zero delay
        voting_period=30 * DAY,
        timelock_delay=0,
        execution_window=30 * DAY,
        quorum_bps=100,
        constitutional_bps=6667,
        dues_grace=365 * DAY,
    ).as_tuple()
    c = create_collective(chain, "Crowd", founders, settings)
    chain.advance(2)  # proposals' snapshots (their block time - 1) after the founders joined
    gov = c.governor
    batches = [newcomers[i : i + ADMITTED_PER_PROPOSAL] for i in range(0, len(newcomers), ADMITTED_PER_PROPOSAL)]
    actions = [[(gov.address, 0, gov.encode("admit_member", address_of(m))) for m in batch] for batch in batches]
    receipts = chain.send_all(
        [
            (founders[i], gov.address, gov.encode("propose", actions[i], f"Admit batch {i}"), 0)
            for i in range(len(batches))
        ]
    )
    pids = [_proposal_id(gov, r) for r in receipts]
    chain.advance(2)
    chain.send_all([(founders[i], gov.address, gov.encode("cast_vote", pid, 1), 0) for i, pid in enumerate(pids)])
    chain.advance(30 * DAY + 60)
    chain.send_all([(founders[0], gov.address, gov.encode("queue", pid), 0) for pid in pids])
    chain.advance(2)
    chain.send_all(
        [(founders[0], gov.address, gov.encode("execute", pid, actions[i]), 0) for i, pid in enumerate(pids)]
    )
    assert chain.view(gov, "member_count") == FOUNDERS + len(newcomers)
    chain.advance(2)
    (receipt,) = chain.send_all([(founders[1], gov.address, gov.encode("propose", [], "The crowd decides"), 0)])
    vote_pid = _proposal_id(gov, receipt)
    chain.advance(2)
    members = founders + newcomers
    return c, vote_pid, members


def _proposal_id(gov: Contract, receipt: dict) -> int:
    topic = gov.topic("ProposalCreated")
    (log,) = [log for log in receipt["logs"] if log["topics"][0] == topic]
    return int(log["topics"][1], 16)


def test_500_votes_in_a_burst_with_a_kill_land_exactly_once(home, chain, crowd, tmp_path, artifacts, request):
    c, pid, members = crowd
    voters = members[:VOTERS]
    relayer = address_of(RELAYER)
    start_block, start_nonce = chain.block_number(), chain.nonce(relayer)
    valid = [
        (who, i % 3, ballot(chain, c, pid, i % 3, who, reason="" if i % 5 else f"vote {i}"))
        for i, who in enumerate(voters)
    ]
    outsiders = [(f"load-x{i}", 1, ballot(chain, c, pid, 1, f"load-x{i}")) for i in range(10)]
    forged = []
    for i in range(10):  # a member's ballot signed with someone else's key
        vote = ballot(chain, c, pid, 0, voters[i])
        vote["signature"] = ballot(chain, c, pid, 0, f"load-x{i}")["signature"]
        forged.append((voters[i], 0, vote))
    work = valid[:250] + outsiders + forged + valid[250:]

    server = Server(home, ["--relayer", RELAYER], tmp_path / "serve.log").start()
    request.addfinalizer(server.kill)  # a failing assertion must not leave `iwo serve` running
    answered = 0
    lock = threading.Lock()
    restarted = threading.Event()
    kill_done = threading.Event()

    def post(item):
        nonlocal answered
        _, _, vote = item
        deadline = time.monotonic() + 60
        while True:
            try:
                result = server.post("/api/votes", vote, timeout=30)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, http.client.HTTPException):
                # the server is down (killed, perhaps mid-answer): try again until it is back, as a member's
                # page would; the same signed vote again gets its place in the queue (202), never a second
                assert time.monotonic() < deadline, "iwo serve did not come back"
                time.sleep(0.05)
        with lock:
            answered += 1
            if answered == KILL_AFTER:
                kill_done.set()
        return result

    def killer():
        kill_done.wait(60)
        server.kill()  # SIGKILL in the middle of the burst
        server.start()
        restarted.set()

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as clients, ThreadPoolExecutor(max_workers=1) as side:
        kill_future = side.submit(killer)
        results = list(clients.map(post, work))
        kill_future.result(timeout=60)
    window = time.monotonic() - began
    assert restarted.is_set(), "the server was not killed and restarted mid-burst"
    assert window <= POSTING_WINDOW, f"posting the burst took {window:.1f}s, more than {POSTING_WINDOW}s"

    # every valid vote accepted (202), every other refused in words
    refused_outsiders = {id(v) for _, _, v in outsiders}
    refused_forged = {id(v) for _, _, v in forged}
    by_voter = {}
    for (who, support, vote), (status, body) in zip(work, results):
        if id(vote) in refused_outsiders:
            assert status == 409 and body["error"].startswith("You were not a member when"), body
        elif id(vote) in refused_forged:
            assert status == 409 and body["error"].startswith(f"The signature does not match voter {address_of(who)}")
        else:
            assert status == 202, body
            by_voter[address_of(who)] = (support, body["id"])
    assert len(by_voter) == VOTERS

    # wait for every accepted vote to land (the relayer replayed its queue after the kill)
    deadline = time.monotonic() + 90
    pending = dict(by_voter)
    while pending and time.monotonic() < deadline:
        for voter, (_, vote_id) in list(pending.items()):
            status, view = server.get(f"/api/votes/{vote_id}")
            if view["status"] == "landed":
                del pending[voter]
            else:
                assert view["status"] in ("queued", "sent"), view
        time.sleep(0.1)
    assert not pending, f"{len(pending)} accepted votes never landed"
    assert server.stop() == 0

    # the chain: each valid vote exactly once, nothing from the others
    logs = chain.vote_logs(c.address, pid)
    assert sorted(log["voter"] for log in logs) == sorted(by_voter)
    for log in logs:
        assert log["support"] == by_voter[log["voter"]][0]
    view = chain.view(c.governor, "proposal", pid)
    posted = [support for support, _ in by_voter.values()]
    tallies = (view["votes_for"], view["votes_against"], view["votes_abstain"])
    assert tallies == (posted.count(1), posted.count(0), posted.count(2))
    # the relayer: one transaction per vote, nonces without a gap, every one a success
    sent = chain.sender_txs(relayer, start_block)
    nonces = sorted(int(t["nonce"], 16) for t in sent)
    assert nonces == list(range(start_nonce, start_nonce + VOTERS))
    assert chain.nonce(relayer) == start_nonce + VOTERS
    receipts = chain.rpc.batch([("eth_getTransactionReceipt", [t["hash"]]) for t in sent])
    assert all(int(r["status"], 16) == 1 for r in receipts)
    assert {log["tx"] for log in logs} == {t["hash"] for t in sent}
    log_text = (tmp_path / "serve.log").read_text()
    assert log_text.count("serving Crowd") == 2
    replay = [line.strip() for line in log_text.splitlines() if "replayed the queue" in line]
    (artifacts / "load.json").write_text(
        json.dumps(
            {
                "votes": VOTERS,
                "refused": len(outsiders) + len(forged),
                "posting_window_s": round(window, 2),
                "killed_after_answers": KILL_AFTER,
                "replay": replay,
            },
            indent=2,
        )
        + "\n"
    )
