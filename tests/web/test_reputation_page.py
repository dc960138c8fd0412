"""Records in the collective's work escrow on its page, in Debian's headless Chromium and through
`GET /api/reputation/ADDR`: the connected account's own record, and "Check a client or member"
for anyone's, in sentences the server writes from the escrow's public events.

The collective: three founders (test1..test3) who prepay a year of dues. The client test7 pays
test1 for two jobs: job 1 (1 ETH) released by the client, after which each side reviews the other
(test1 gives the client 2 stars, the client gives test1 5); job 2 (0.5 ETH) still open.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from playwright.sync_api import expect
from webtest import DAY, Server, TestWallet, address_of, create_collective, open_connected, open_page

from iwo import escrow, registry, session
from iwo.collective import Settings
from iwo.web.service import Refused, Service

RELAYER = "test8"
CLIENT, WORKER, OUTSIDER = "test7", "test1", "test9"
NAME = "Riders Ledger"
NO_RECORD = "No jobs as a client or as a worker, and no panel seat: no record yet."


def as_account(account: str, fn, *args):
    s = session.connect(account=account)
    try:
        return fn(s, registry.resolve(s, registry.default_alias(NAME)), *args)
    finally:
        s.rpc.close()


@pytest.fixture(scope="module")
def worked(chain):
    settings = Settings(voting_delay=60, voting_period=3600, timelock_delay=60, dues_grace=7 * DAY).as_tuple()
    founders = ["test1", "test2", "test3"]
    c = create_collective(chain, NAME, founders, settings)
    chain.send_all(
        [(f, c.treasury.address, c.treasury.encode("pay_dues", address_of(f), 12), 12 * 10**16) for f in founders]
    )
    terms = "0x" + "ab" * 32
    first = as_account(CLIENT, escrow.create, WORKER, "ETH", ["1@30d"], None, terms)
    as_account(CLIENT, escrow.create, WORKER, "ETH", ["0.5@30d"], None, terms)
    as_account(CLIENT, escrow.release, first["job_id"], None, None)
    as_account(WORKER, escrow.review, first["job_id"], 2, None, "0x" + "01" * 32)
    as_account(CLIENT, escrow.review, first["job_id"], 5, None, "0x" + "02" * 32)
    return c


@pytest.fixture(scope="module")
def server(home, chain, worked, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    running = Server(home, ["--relayer", RELAYER], log).start()
    yield running
    assert running.stop() == 0, log.read_text()


def worker_lines() -> list[str]:
    return [
        f"Record of {address_of(WORKER)} in {NAME}'s work escrow:",
        "As a client: no jobs.",
        "As a worker: 2 jobs, 1 ended. ETH: 1.5 ETH funded; 1 ETH paid to this worker (100% released by the "
        "client, 0% by silence, 0% after a dispute); 0 ETH back to clients. Disputes: 0 faced, 0 lost; "
        "0 milestones reclaimed after a missed deadline. Rated 5.0/5 by clients (1 review).",
        "Panel service: 0 seats, 0 no-shows.",
    ]


def client_lines() -> list[str]:
    return [
        f"Record of {address_of(CLIENT)} in {NAME}'s work escrow:",
        "As a client: 2 jobs, 1 ended. ETH: 1.5 ETH funded; 1 ETH paid to workers (100% released by the client, "
        "0% by silence, 0% after a dispute); 0 ETH back to this client. Disputes: 0 opened, 0 lost. "
        "Rated 2.0/5 by workers (1 review).",
        "As a worker: no jobs.",
        "Panel service: 0 seats, 0 no-shows.",
    ]


# ---- the API ------------------------------------------------------------------------------------------------
def test_api_gives_a_clients_record_with_sentences(server):
    status, body = server.get(f"/api/reputation/{address_of(CLIENT).lower()}")
    assert status == 200
    assert body["lines"] == client_lines()[1:] and body["title"] == client_lines()[0]
    assert body["as_client"]["jobs"] == 2 and body["as_client"]["ended"] == 1
    assert body["as_client"]["rating"] == {"average": 2.0, "count": 1}
    assert body["as_client"]["money"][ETH_KEY]["paid"] == str(
        10**18
    )  # amounts travel as decimal strings (JSON numbers lose precision)


ETH_KEY = "0x" + "0" * 40


def test_api_gives_a_workers_record(server):
    status, body = server.get(f"/api/reputation/{address_of(WORKER)}")
    assert status == 200
    assert [body["title"], *body["lines"]] == worker_lines()
    assert body["as_worker"]["rating"] == {"average": 5.0, "count": 1}


def test_api_an_address_with_no_record(server):
    status, body = server.get(f"/api/reputation/{address_of(OUTSIDER)}")
    assert status == 200
    assert body["lines"] == [NO_RECORD]


@pytest.mark.parametrize(
    "text",
    ["0x1234", "not-an-address", "0x" + "g" * 40, "0x" + "1" * 40 + "/extra"],
)
def test_api_refuses_what_is_not_an_address(server, chain, text):
    before = chain.block_number()
    status, body = server.get("/api/reputation/" + text)
    assert status == 400
    assert body == {"error": f"Not an address: {text!r} (the address to check)."}
    assert chain.block_number() == before


# ---- the page -----------------------------------------------------------------------------------------------
def test_anyone_checks_a_client_without_a_wallet(page, server, chain, artifacts):
    before = chain.block_number()
    open_page(page, server, None)
    region = page.get_by_role("region", name="Check a client or member")
    region.get_by_role("textbox", name=re.compile("^Address")).fill(f"  {address_of(CLIENT)} ")
    region.get_by_role("button", name="Check").click()
    expect(region.locator("#rep p")).to_have_text(client_lines())
    page.screenshot(path=artifacts / "reputation-check.png", full_page=True)
    assert chain.block_number() == before


def test_a_bad_address_gets_one_line(page, server):
    open_page(page, server, None)
    region = page.get_by_role("region", name="Check a client or member")
    region.get_by_role("textbox", name=re.compile("^Address")).fill("0x12")
    region.get_by_role("button", name="Check").click()
    expect(region.locator("#rep p")).to_have_count(1)
    expect(region.locator("#rep p")).to_have_text("Not an address: '0x12' (the address to check).")
    expect(region.locator("#rep")).to_have_class("warn")


def test_the_connected_member_sees_their_own_record(page, server, chain):
    open_connected(page, server, TestWallet(WORKER, chain))
    expect(page.locator("#mine p")).to_have_text(worker_lines())


def test_a_connected_account_with_no_jobs(page, server, chain):
    open_connected(page, server, TestWallet("test2", chain))
    expect(page.locator("#mine p")).to_have_text(
        [f"Record of {address_of('test2')} in {NAME}'s work escrow:", NO_RECORD]
    )


def test_a_collective_without_an_escrow_says_so(home, chain, worked):
    """A collective made before the factory created escrows has no records: 404 in words."""
    s = session.connect()
    svc = Service(s, dataclasses.replace(worked, escrow=None), folder=home)
    try:
        with pytest.raises(Refused) as refused:
            svc.reputation(address_of(CLIENT))
        assert (str(refused.value), refused.value.status) == (
            "This collective has no work escrow: nobody has a record in it.",
            404,
        )
    finally:
        svc.close()
        s.rpc.close()
