"""`iwo serve` without a browser: its JSON API (refusals in words, rate limits, idempotent retries,
no relayer, the clear-signing descriptor) and the relayer's durability (a stuck transaction
replaced at the same nonce, a kill between commit and broadcast replayed with no gap and no
double, out of funds, a proposal closed before sending) — each checked against the chain.

The collective: six founders; test1..test5 pay their dues, test6 lapses; test8 never joins.
Proposal #1 (by test1) serves the HTTP tests, #2 (test2) the relayer's, #3 (test3) the closing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

import pytest
from webtest import DAY, ROOT, Server, address_of, ballot, create_collective, key_of

from iwo import accounts, clearsign, session, voting
from iwo.collective import Settings
from iwo.errors import IwoError
from iwo.web import relayer as relaying
from iwo.web.service import Options, Refused, Service

HTTP_RELAYER = "test7"
LOCAL_RELAYER = "test9"  # the in-process relayer of the durability tests (its own nonces)


@pytest.fixture(scope="module")
def night(chain):
    settings = Settings(dues_grace=7 * DAY).as_tuple()
    founders = [f"test{i}" for i in range(1, 7)]
    c = create_collective(chain, "Night Shift", founders, settings)
    dues = c.treasury.encode
    chain.send_all(
        [(f"test{i}", c.treasury.address, dues("pay_dues", address_of(f"test{i}"), 2), 2 * 10**16) for i in range(1, 6)]
    )
    chain.advance(8 * DAY)
    for i in (1, 2, 3):
        chain.send(f"test{i}", c.governor, "propose", [], f"Night idea {i}")
    chain.advance(DAY + 60)
    return c


@pytest.fixture(scope="module")
def server(home, chain, night, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    running = Server(home, ["--relayer", HTTP_RELAYER, "--max-per-voter", "6"], log).start()
    yield running
    assert running.stop() == 0, log.read_text()


def has_voted(chain, c, pid, who) -> bool:
    return chain.view(c.governor, "has_voted", pid, address_of(who))


def votes_of(chain, c, pid, who) -> list[dict]:
    return [log for log in chain.vote_logs(c.address, pid) if log["voter"] == address_of(who)]


def settled(server, vote_id: int, timeout: float = 20.0) -> dict:
    """The vote's view once it landed or failed (the page polls the same way)."""
    deadline = time.monotonic() + timeout
    while True:
        status, view = server.get(f"/api/votes/{vote_id}")
        assert status == 200, view
        if view["status"] in ("landed", "failed") or time.monotonic() > deadline:
            return view
        time.sleep(0.05)


# ---- words ----------------------------------------------------------------------------------------------------
def test_the_page_refuses_in_the_words_of_the_cli(chain, night):
    """`voting.refusal` (the page's words) says what `voting.check` (the CLI's) says, naming the voter."""
    s = session.connect()
    try:
        lapsed, outsider = address_of("test6"), address_of("test8")
        for who, code in ((lapsed, voting.ARREARS), (outsider, voting.NOT_MEMBER)):
            with pytest.raises(IwoError) as refused:
                voting.check(s, night, 1, who)
            assert str(refused.value) == voting.refusal(code, 1, who)
        rows = [
            {
                "id": 1,
                "state": "Active",
                "snapshot": chain.view(night.governor, "proposal", 1)["snapshot"],
                "vote_start": 0,
            }
        ]
        answers = voting.eligibility(s, night, lapsed, rows)
        assert answers[1] == {
            "may_vote": False,
            "code": "arrears",
            "reason": "You were behind on dues when #1 was made; paying the arrears that cover that time restores the vote",
        }
        assert voting.eligibility(s, night, address_of("test1"), rows)[1]["may_vote"] is True
        assert voting.refusal(voting.VOTED, 4, "you") == "You have already voted on #4"
    finally:
        s.rpc.close()


# ---- the HTTP API ------------------------------------------------------------------------------------------------
def test_eligibility_says_why_for_each_member(server):
    status, body = server.get(f"/api/eligibility/{address_of('test6')}")
    assert status == 200
    assert body["member"]["standing"] == "lapsed"
    assert body["proposals"]["1"]["code"] == "arrears"
    status, body = server.get(f"/api/eligibility/{address_of('test8')}")
    assert body["member"] is None
    assert body["proposals"]["2"]["reason"] == "You were not a member when #2 was made, so you cannot vote on it."
    status, body = server.get("/api/eligibility/0x1234")
    assert status == 400 and body["error"].startswith("Not an address: '0x1234'")


def test_ballot_is_the_typed_data_the_governor_verifies(server, chain, night):
    status, body = server.post("/api/ballot", {"proposal": 1, "support": "abstain", "voter": address_of("test1")})
    assert status == 200
    typed = body["typed_data"]
    assert typed["domain"] == {
        "name": "iwo",
        "version": "1",
        "chainId": chain.chain_id,
        "verifyingContract": night.address,
    }
    assert typed["message"]["support"] == 2 and typed["message"]["voter"] == address_of("test1")
    digest = chain.view(night.governor, "ballot_digest", 1, 2, address_of("test1"), typed["message"]["expiry"], "")
    from iwo.ballot import Ballot

    assert (
        bytes(digest)
        == Ballot(chain.chain_id, night.address, 1, 2, address_of("test1"), typed["message"]["expiry"]).digest()
    )
    assert body["direct"] == {"to": night.address, "data": "0x" + night.governor.encode("cast_vote", 1, 2).hex()}
    assert body["summary"].startswith(
        f"Vote Abstain on proposal #1 (“Night idea 1”) of Night Shift, as {address_of('test1')}"
    )


@pytest.mark.parametrize(
    "body, status, error",
    [
        (
            {"proposal": 1, "support": "maybe", "voter": address_of("test1")},
            400,
            "support must be for, against or abstain.",
        ),
        (
            {"proposal": "1", "support": "for", "voter": address_of("test1")},
            400,
            "proposal must be a proposal id (1, 2, ...).",
        ),
        (
            {"proposal": 99, "support": "for", "voter": address_of("test1")},
            404,
            "There is no proposal #99. Nothing was signed.",
        ),
        (
            {"proposal": 1, "support": "for", "voter": address_of("test1"), "reason": "é" * 300},
            409,
            "The reason too long: 600 bytes, at most 512 bytes of UTF-8. Nothing was signed.",
        ),
        ([1, 2], 400, "Expected a JSON object."),
    ],
)
def test_ballot_refusals(server, body, status, error):
    assert server.post("/api/ballot", body) == (status, {"error": error})


def test_bad_requests_are_refused_before_anything(server, chain):
    before = chain.block_number()
    request = urllib.request.Request(
        server.url + "/api/votes", b"x=1", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 415
    assert server.post("/api/votes", {"typed_data": {}, "signature": "0x" + "00" * 65}, timeout=10)[0] == 400
    big = {"typed_data": {"x": "a" * 20_000}, "signature": "0x"}
    assert server.post("/api/votes", big) == (413, {"error": "Request too large (at most 16384 bytes)."})
    assert chain.block_number() == before


def test_a_signature_by_someone_else_is_refused(server, chain, night):
    forged = ballot(chain, night, 1, 1, "test2")
    forged["signature"] = ballot(chain, night, 1, 1, "test3")["signature"]  # test3's key, test2's ballot
    nonce = chain.nonce(address_of(HTTP_RELAYER))
    status, body = server.post("/api/votes", forged)
    assert status == 409
    assert body["error"] == f"The signature does not match voter {address_of('test2')}. Nothing was sent."
    assert chain.nonce(address_of(HTTP_RELAYER)) == nonce and not has_voted(chain, night, 1, "test2")


def test_a_vote_for_another_chain_or_expired_is_refused(server, chain, night):
    from iwo.ballot import Ballot

    b = Ballot(1, night.address, 1, 1, address_of("test2"), chain.now() + DAY)
    assert server.post(
        "/api/votes", {"typed_data": b.typed_data(), "signature": b.sign(key_of("test2")).signature}
    ) == (
        409,
        {"error": f"The vote was signed for chain 1, this is chain {chain.chain_id}. Nothing was sent."},
    )
    old = Ballot(chain.chain_id, night.address, 1, 1, address_of("test2"), chain.now() - 10)
    status, body = server.post(
        "/api/votes", {"typed_data": old.typed_data(), "signature": old.sign(key_of("test2")).signature}
    )
    assert status == 409 and body["error"].startswith("The signed vote expired at ")
    assert not has_voted(chain, night, 1, "test2")


def test_a_retried_vote_is_the_same_vote_and_lands_once(server, chain, night):
    vote = ballot(chain, night, 1, 1, "test1", reason="night rates")
    status, first = server.post("/api/votes", vote)
    assert status == 202 and first["status"] in ("sent", "landed") and first["tx"].startswith("0x")
    status, again = server.post("/api/votes", vote)  # the answer was lost: the member's page retries
    assert status == 202 and again["id"] == first["id"] and again["tx"] == first["tx"]
    view = settled(server, first["id"])
    assert view["status"] == "landed"
    assert view["message"] == f"Your vote For on #1 landed in block {view['block']}: it is counted."
    logs = votes_of(chain, night, 1, "test1")
    assert len(logs) == 1 and logs[0]["tx"] == first["tx"]
    assert chain.tx_from(first["tx"]) == address_of(HTTP_RELAYER)
    assert server.get("/api/votes/999") == (404, {"error": "No vote 999 here."})
    assert server.get("/api/votes/x1")[0] == 400


def test_per_voter_rate_limit(server, chain, night):
    who = address_of("test4")
    answers = [server.post("/api/ballot", {"proposal": 1, "support": "for", "voter": who}) for _ in range(8)]
    assert [status for status, _ in answers[:6]] == [200] * 6
    status, body = answers[6]
    assert status == 429 and body["error"].startswith(f"Too many requests for {who}: at most 6 a minute. Try again in ")
    assert not has_voted(chain, night, 1, "test4")


def test_global_rate_limit(home, chain, night, tmp_path):
    tight = Server(home, ["--relayer", "test8", "--max-votes-per-s", "1"], tmp_path / "tight.log").start()
    try:
        answers = [tight.post("/api/votes", ballot(chain, night, 1, 1, "test8")) for _ in range(12)]
        # test8 is no member: each refused, the first ten by the rules, the rest by the limit (burst 10)
        assert [s for s, _ in answers[:10]] == [409] * 10
        assert answers[11] == (429, {"error": "Too many votes at once: try again in 1 s. Nothing was sent."})
    finally:
        assert tight.stop() == 0


def test_without_a_relayer_members_pay_their_own_gas(home, chain, night, tmp_path):
    plain = Server(home, [], tmp_path / "plain.log").start()
    try:
        assert plain.get("/api/state")[1]["relayer"] is None
        status, body = plain.post("/api/votes", ballot(chain, night, 1, 1, "test5"))
        assert status == 503
        assert body["error"] == (
            "This page relays no votes (it was started without --relayer): vote from your wallet, paying the gas. "
            "Nothing was sent."
        )
        assert (
            plain.post("/api/ballot", {"proposal": 1, "support": "for", "voter": address_of("test5")})[1]["relayed"]
            is False
        )
    finally:
        assert plain.stop() == 0
    assert not has_voted(chain, night, 1, "test5")


def test_the_clear_signing_descriptor(server, home, night):
    status, served = server.get("/clear-signing.json")
    assert status == 200
    written = json.loads(clearsign.path(night.chain_id, night.alias).read_text())  # by `iwo create`
    assert served == written
    fmt = served["display"]["formats"][
        "Ballot(uint256 proposalId,uint8 support,address voter,uint256 expiry,string reason)"
    ]
    fields = {f["path"]: f for f in fmt["fields"]}
    assert fields["support"]["format"] == "enum" and fields["support"]["params"] == {"$ref": "$.metadata.enums.support"}
    assert served["metadata"]["enums"]["support"] == {"0": "Against", "1": "For", "2": "Abstain"}
    assert fields["expiry"] == {
        "path": "expiry",
        "label": "Valid until",
        "format": "date",
        "params": {"encoding": "timestamp"},
    }
    assert served["context"]["eip712"]["deployments"] == [{"chainId": night.chain_id, "address": night.address}]
    assert served["context"]["eip712"]["schemas"][0]["types"]["Ballot"] == [
        {"name": "proposalId", "type": "uint256"},
        {"name": "support", "type": "uint8"},
        {"name": "voter", "type": "address"},
        {"name": "expiry", "type": "uint256"},
        {"name": "reason", "type": "string"},
    ]


def test_a_second_server_for_the_same_relayer_is_refused(home, server, tmp_path):
    second = Server(home, ["--relayer", HTTP_RELAYER], tmp_path / "second.log")
    with pytest.raises(AssertionError) as failed:
        second.start(timeout=20)
    assert "Error: another `iwo serve` already relays with" in str(failed.value)


def test_a_relayer_from_a_keystore_file(home, chain, night, tmp_path):
    """--relayer FILE: a keystore whose passphrase comes from the environment; a wrong one, or none
    and no terminal, stops `iwo serve` at start with one line, before it serves anything."""
    from eth_account import Account

    keyfile = tmp_path / "relayer.json"
    keyfile.write_text(json.dumps(Account.encrypt(key_of("relay-keystore"), "s3cret", kdf="pbkdf2", iterations=2)))
    chain.fund([address_of("relay-keystore")], 10**18)
    for env, error in (
        ({"IWO_KEYFILE_PASSPHRASE": "wrong"}, "Error: wrong passphrase for keyfile relayer.json"),
        ({}, "Error: keyfile relayer.json is locked and there is no terminal to ask: set IWO_KEYFILE_PASSPHRASE"),
    ):
        refused = Server(home, ["--relayer", str(keyfile)], tmp_path / "refused.log", env)
        done = subprocess.run(
            [sys.executable, "-m", "iwo.cli", "serve", "--port", str(refused.port), "--relayer", str(keyfile)],
            env=refused.env(),
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert (done.returncode, done.stderr.strip()) == (1, error)
    keyed = Server(home, ["--relayer", str(keyfile)], tmp_path / "keyed.log", {"IWO_KEYFILE_PASSPHRASE": "s3cret"})
    keyed.start()
    try:
        assert keyed.get("/api/health")[1]["relayer"] == address_of("relay-keystore")
        status, view = keyed.post("/api/votes", ballot(chain, night, 1, 0, "test3"))
        assert status == 202, view
        assert settled(keyed, view["id"])["status"] == "landed"
        assert chain.tx_from(votes_of(chain, night, 1, "test3")[0]["tx"]) == address_of("relay-keystore")
    finally:
        assert keyed.stop() == 0


# ---- the relayer, in-process ------------------------------------------------------------------------------------------
@pytest.fixture
def service(home, chain, night):
    """A relayer service in this process (not started: each test turns it by hand)."""
    made = []

    def make(**options) -> Service:
        s = session.connect()
        signer = accounts.signer(LOCAL_RELAYER, None, True)
        svc = Service(s, night, Options(**options), signer, folder=home)
        made.append(svc)
        return svc

    yield make
    for svc in made:
        svc.close()
        svc.s.rpc.close()


def turn_until_settled(svc, ids: list[int], timeout: float = 10.0) -> None:
    """Turns the relayer by hand until those votes landed or failed (the node mines in its own time)."""
    deadline = time.monotonic() + timeout
    while any(svc.vote(i)["status"] in ("queued", "sent") for i in ids) and time.monotonic() < deadline:
        svc.relayer.turn()
        time.sleep(0.02)


def test_a_stuck_transaction_is_replaced_at_the_same_nonce_with_higher_fees(service, chain, night):
    svc = service(replace_after=3600)
    relayer = address_of(LOCAL_RELAYER)
    start = chain.nonce(relayer)
    chain.call("evm_setAutomine", [False])
    try:
        svc.relayer.replay()
        status, view = svc.accept(ballot(chain, night, 2, 0, "test2"))
        assert status == 202 and view["status"] == "queued"
        svc.relayer.turn()
        (row,) = svc.queue.in_flight()
        assert [a["nonce"] for a in row["attempts"]] == [start]
        svc.relayer.replace_after = 0
        svc.relayer.turn()
        (row,) = svc.queue.in_flight()
        first, second = (json.loads(a["fees"]) for a in row["attempts"])
        assert [a["nonce"] for a in row["attempts"]] == [start, start]
        assert second["maxFeePerGas"] >= first["maxFeePerGas"] * 9 // 8
        assert second["maxPriorityFeePerGas"] >= first["maxPriorityFeePerGas"] * 9 // 8
        chain.call("evm_mine")
        svc.relayer.turn()
    finally:
        chain.call("evm_setAutomine", [True])
    done = svc.vote(view["id"])
    assert done["status"] == "landed" and done["tx"] == row["attempts"][1]["tx"]
    assert chain.nonce(relayer) == start + 1  # one nonce, one transaction mined
    (log,) = votes_of(chain, night, 2, "test2")
    assert log["tx"] == done["tx"] and log["support"] == 0


def test_a_nonce_taken_outside_iwo_serve_sends_the_vote_again_at_the_next(service, chain, night):
    """Someone uses the relayer's account elsewhere and replaces the vote's pending transaction:
    the vote goes back to the queue and lands once, at the next nonce; no nonce is left unused."""
    from eth_account import Account

    svc = service(replace_after=3600)
    relayer = address_of(LOCAL_RELAYER)
    start = chain.nonce(relayer)
    chain.call("evm_setAutomine", [False])
    try:
        svc.relayer.replay()
        status, view = svc.accept(ballot(chain, night, 1, 1, "test4"))
        svc.relayer.turn()
        assert svc.vote(view["id"])["status"] == "sent"
        fees = json.loads(svc.queue.in_flight()[0]["attempts"][0]["fees"])
        outside = {
            "chainId": chain.chain_id,
            "nonce": start,
            "to": relayer,
            "value": 0,
            "gas": 21_000,
            "maxFeePerGas": fees["maxFeePerGas"] * 2,
            "maxPriorityFeePerGas": fees["maxPriorityFeePerGas"] * 2,
            "type": 2,
        }
        raw = Account.sign_transaction(outside, key_of(LOCAL_RELAYER)).raw_transaction
        chain.call("eth_sendRawTransaction", ["0x" + bytes(raw).hex()])
        chain.call("evm_mine")
        for _ in range(4):  # three rounds seeing the nonce taken, then back to the queue and sent again
            svc.relayer.turn()
        chain.call("evm_mine")
        turn_until_settled(svc, [view["id"]])
    finally:
        chain.call("evm_setAutomine", [True])
    done = svc.vote(view["id"])
    assert done["status"] == "landed"
    (log,) = votes_of(chain, night, 1, "test4")
    assert log["tx"] == done["tx"]
    assert int(chain.call("eth_getTransactionByHash", [done["tx"]])["nonce"], 16) == start + 1
    assert chain.nonce(relayer) == start + 2


def test_killed_between_commit_and_broadcast_replays_with_no_gap_and_no_double(service, chain, night, monkeypatch):
    relayer = address_of(LOCAL_RELAYER)
    start = chain.nonce(relayer)
    first = service()
    first.relayer.replay()
    ids = [first.accept(ballot(chain, night, 2, 1, who))[1]["id"] for who in ("test3", "test4", "test5")]
    # the process dies right after the queue's commit: the transactions never reach the node
    monkeypatch.setattr(first.relayer, "_broadcast", lambda signed: None)
    first.relayer.turn()
    assert [first.vote(i)["status"] for i in ids] == ["sent"] * 3
    assert sorted(r["nonce"] for r in first.queue.in_flight()) == [start, start + 1, start + 2]
    assert chain.nonce(relayer) == start
    first.close()
    # a new `iwo serve` on the same data folder: replay broadcasts them again, as recorded
    second = service()
    replayed = second.relayer.replay()
    assert replayed == {"queued": 0, "in_flight": 3, "next_nonce": start + 3}
    turn_until_settled(second, ids)
    assert [second.vote(i)["status"] for i in ids] == ["landed"] * 3
    assert chain.nonce(relayer) == start + 3
    for who in ("test3", "test4", "test5"):
        assert len(votes_of(chain, night, 2, who)) == 1
    second.close()
    # a third start finds nothing to do and sends nothing
    third = service()
    assert third.relayer.replay() == {"queued": 0, "in_flight": 0, "next_nonce": start + 3}
    third.relayer.turn()
    assert chain.nonce(relayer) == start + 3
    nonces = sorted(int(t["nonce"], 16) for t in chain.sender_txs(relayer, 0))
    assert nonces == list(range(nonces[0], start + 3))


def test_out_of_funds_keeps_accepted_votes_until_topped_up(service, chain, night):
    svc = service()
    relayer = address_of(LOCAL_RELAYER)
    svc.relayer.replay()
    status, view = svc.accept(ballot(chain, night, 2, 2, "test1"))
    assert status == 202
    saved = chain.balance(relayer)
    chain.fund([relayer], 10**6)
    try:
        svc.relayer.turn()
        assert svc.vote(view["id"])["message"] == (
            "Your vote Abstain on #2 is saved and waiting to be sent. The relayer is out of funds: it goes out "
            "once the relayer is topped up."
        )
        assert svc.relayer.problem.startswith(f"the relayer {relayer} is out of funds: 1 accepted vote(s) wait")
        with pytest.raises(Refused) as refused:  # more votes are not accepted meanwhile
            svc.accept(ballot(chain, night, 1, 2, "test5"))
        assert refused.value.status == 503
        assert str(refused.value).startswith(
            f"The relayer ({relayer}) is out of funds: it cannot pay for more votes now."
        )
        assert not has_voted(chain, night, 2, "test1") and not has_voted(chain, night, 1, "test5")
    finally:
        chain.fund([relayer], saved)
    turn_until_settled(svc, [view["id"]])
    assert svc.vote(view["id"])["status"] == "landed" and has_voted(chain, night, 2, "test1")


def test_a_vote_accepted_then_closed_before_it_was_sent_costs_nothing(service, chain, night, server):
    svc = service()
    relayer = address_of(LOCAL_RELAYER)
    svc.relayer.replay()
    status, view = svc.accept(ballot(chain, night, 3, 1, "test2", valid_for=10 * DAY))
    assert status == 202
    nonce = chain.nonce(relayer)
    chain.advance(3 * DAY)  # voting on #3 closes before the relayer's next round
    svc.relayer.turn()
    done = svc.vote(view["id"])
    assert done["status"] == "failed"
    assert done["message"] == "Your vote For on #3 was not counted: voting on #3 closed before it could be sent."
    assert chain.nonce(relayer) == nonce and not has_voted(chain, night, 3, "test2")
    # and through the API, once closed: refused with words, nothing sent
    status, body = server.post("/api/votes", ballot(chain, night, 3, 1, "test3"))
    assert status == 409
    assert body["error"] == "Proposal #3 is Defeated, not open for voting. Nothing was sent."


def test_a_queue_of_another_layout_is_never_dropped(tmp_path):
    import sqlite3

    path = tmp_path / "relayer.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE votes(id INTEGER)")
        db.execute("PRAGMA user_version=7")
    with pytest.raises(IwoError) as refused:
        relaying.Queue(path, 1, address_of("test1"), address_of("test2"))
    assert str(refused.value) == (
        f"{path} holds a relayer queue of another iwo version (layout 7, this one reads 1): finish it with that "
        "version, or move the file away"
    )
    fresh = relaying.Queue(tmp_path / "fresh.sqlite", 1, address_of("test1"), address_of("test2"))
    fresh.close()
    assert (
        relaying.Queue(tmp_path / "fresh.sqlite", 1, address_of("test1"), address_of("test2")).counts()["queued"] == 0
    )


def test_serve_help_and_the_cli_do_not_import_web_libraries():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from iwo.cli import main\n"
        "assert CliRunner().invoke(main, ['serve', '--help']).exit_code == 0\n"
        "loaded = [m for m in ('starlette', 'uvicorn', 'playwright', 'iwo.web') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_serve_refuses_a_port_in_use(home, server, chain, night):
    done = subprocess.run(
        [sys.executable, "-m", "iwo.cli", "serve", "--port", str(server.port)],
        capture_output=True,
        text=True,
        timeout=60,
        env=server.env(),
    )
    assert done.returncode == 1
    assert (
        done.stderr.strip() == f"Error: port {server.port} on 127.0.0.1 is already in use: choose another with --port"
    )
