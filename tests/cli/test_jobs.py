"""`iwo job …`, `iwo panel …` and `iwo reputation`: paid work through the collective's escrow, as
one story on the module's node (module fixtures, in file order).

Five founders (test1..test5) pay a year of dues; the collective adopts a model contract. The
client test7 (not a member) hires the worker test1:

- job 1 (1 ETH, the model contract): delivered, the client stays silent, after the review
  window test9 (a stranger) releases it: paid by silence;
- job 2 (1 + 0.5 ETH): the client releases 0.3 of milestone 1, the worker refunds 0.2, the
  client releases the rest; the worker refunds milestone 2;
- job 3 (0.5 ETH due in a day): not delivered; after the deadline test9 returns it to the client;
- job 4 (2 ETH): disputed; a panel of 3 is drawn from the members who are not parties, seals
  and reveals 60%, 70%, 80% (by seat): settled by the median, 70%;
- job 5 (1 ETH): disputed; two panelists reveal 30% and 50%, the third is a no-show; the worker
  appeals; the collective's executed proposal rules 80%: settled by the appeal;
- job 6 (1 ETH): disputed; nobody draws the panel: settled by the default rule (50%), the
  dispute fee back to the client;
- reviews both ways; `iwo reputation` of the worker, the client and a panelist.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from jobs_kit import CLIENT, DAY, FOUNDERS, MODEL_CONTRACT, OUTSIDER, WORKER, E, address, mine, name_of, passed, utc

TEN = 10**17  # 0.1 ETH


@pytest.fixture(scope="module")
def founder_accounts():
    return FOUNDERS


@pytest.fixture(scope="module")
def world(iwo, collective, tmp_path_factory):
    """A year of dues for every founder; the model contract adopted (proposal #1)."""
    for name in FOUNDERS:
        iwo.ok("dues", "pay", "--periods", "12", "--account", name)
    iwo.ok("node", "advance", "60")
    folder = tmp_path_factory.mktemp("texts")
    terms = folder / "model-contract.txt"
    terms.write_text(MODEL_CONTRACT)
    other = folder / "our-own-terms.txt"
    other.write_text("Terms we wrote ourselves.\n")
    review = folder / "review.txt"
    review.write_text("Clear brief, paid on time.\n")
    p = iwo.json(
        "propose", "adopt", terms, "--title", "Model contract", "--kind", "contract-template", "-m", "Our contract",
        "--account", "test2",
    )  # fmt: skip
    passed(iwo, p["id"])
    return {
        "terms": terms,
        "other_terms": other,
        "review": review,
        "client": iwo.addr(CLIENT),
        "worker": iwo.addr(WORKER),
        "treasury": collective["treasury"],
        "escrow": collective["escrow"],
    }


def show(iwo, job_id: int) -> dict:
    return iwo.json("job", "show", job_id)


# ---- job 1: paid by silence ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def silent(iwo, world):
    out = {"created": iwo.run("job", "create", "--worker", WORKER, "--milestone", "1@30d", "--terms", world["terms"],
                              "--account", CLIENT)}  # fmt: skip
    assert out["created"].exit_code == 0, out["created"].stderr
    out["shown_before"] = show(iwo, 1)
    out["delivered"] = iwo.json("job", "deliver", "1", "--account", WORKER)
    out["early"] = iwo.refused("job", "release", "1", "--account", OUTSIDER, sender=OUTSIDER)
    iwo.ok("node", "advance", "14d1m")
    out["worker_before"] = iwo.balance(world["worker"])
    out["treasury_before"] = iwo.balance(world["treasury"])
    out["released"] = iwo.text("job", "release", "1", "--account", OUTSIDER)
    out["worker_after"] = iwo.balance(world["worker"])
    out["treasury_after"] = iwo.balance(world["treasury"])
    out["shown"] = show(iwo, 1)
    return out


def test_create_says_the_terms_are_the_adopted_template(iwo, world, silent):
    m = silent["shown_before"]["milestones"][0]
    assert silent["created"].stdout.splitlines() == [
        f"created job #1: 1 milestone, 1 ETH held in the escrow for the worker {world['worker']}",
        f"  milestone 1: 1 ETH, due {utc(m['deadline'])}",
        "  review window 14d after each delivery; the collective's fee 1% of each release",
        "  terms: the adopted contract template 'Model contract' (proposal #1)",
    ]
    assert silent["created"].stderr == ""  # no warning: the terms are an adopted template
    terms = silent["shown_before"]["terms"]
    assert terms["sha256"] == hashlib.sha256(MODEL_CONTRACT.encode()).hexdigest()
    assert (terms["adopted"], terms["template"], terms["document"]["proposal_id"]) == (True, True, 1)
    assert 30 * DAY - 5 <= m["deadline"] - silent["shown_before"]["created_time"] <= 30 * DAY  # from the chain's time


def test_release_by_a_stranger_waits_for_the_review_window(silent):
    end = silent["delivered"]["review_end"]
    assert silent["early"] == (
        f"the client may review milestone 1 of job #1 until {utc(end)}: only the client can release it before then"
    )


def test_silence_means_payment(world, silent):
    assert silent["released"] == (
        f"released 1 ETH of milestone 1 of job #1 by silence (the review window had passed): 0.99 ETH to the "
        f"worker {world['worker']}, fee 0.01 ETH to the treasury; the milestone is settled\n"
    )
    assert silent["worker_after"] - silent["worker_before"] == 99 * E // 100
    assert silent["treasury_after"] - silent["treasury_before"] == E // 100
    shown = silent["shown"]
    assert (shown["ended"], shown["held"], shown["milestones"][0]["ended_by"]) == (True, 0, "silence")
    steps = [s["what"] for s in shown["milestones"][0]["history"]]
    assert steps[1:] == [
        "delivered",
        "released 1 ETH by silence (after the review window): 0.99 ETH to the worker, fee 0.01 ETH",
    ]


def test_show_in_words(iwo, world, silent):
    lines = iwo.text("job", "show", "1").splitlines()
    assert lines[:4] == [
        f"job #1 (ended): client {world['client']} -> worker {world['worker']}",
        f"  funded 1 ETH, held now 0 ETH; created {utc(silent['shown']['created_time'])}",
        "  terms: the adopted contract template 'Model contract' (proposal #1)",
        "  fee 1% of releases; review window 14d; dispute fee 2%; panel of 3; without a ruling 50% to the worker",
    ]
    assert lines[4] == "  milestone 1: 1 ETH, settled"
    assert lines[-1] == "  reviews still open to the client and the worker (iwo job review 1)"


# ---- job 2: part releases and refunds ------------------------------------------------------------------
@pytest.fixture(scope="module")
def parts(iwo, world, silent):
    out = {}
    out["created"] = iwo.json(
        "job", "create", "--worker", WORKER, "--milestone", "1@20d", "--milestone", "0.5@40d",
        "--terms", world["other_terms"], "--account", CLIENT,
    )  # fmt: skip
    out["missing"] = iwo.refused("job", "release", "2", "--account", CLIENT, sender=CLIENT)
    out["part"] = iwo.text("job", "release", "2", "--milestone", "1", "--amount", "0.3", "--account", CLIENT)
    out["refund"] = iwo.text("job", "refund", "2", "--milestone", "1", "--amount", "0.2", "--account", WORKER)
    out["too_much"] = iwo.refused(
        "job", "release", "2", "--milestone", "1", "--amount", "0.6", "--account", CLIENT, sender=CLIENT
    )
    out["rest"] = iwo.json("job", "release", "2", "--milestone", "1", "--account", CLIENT)
    out["refund_all"] = iwo.json("job", "refund", "2", "--milestone", "2", "--account", WORKER)
    out["shown"] = show(iwo, 2)
    return out


def test_terms_not_adopted_are_warned_about(parts):
    assert parts["created"]["terms"]["adopted"] is False
    assert parts["created"]["warnings"] == [
        f"the terms (sha256 {parts['created']['terms']['sha256'][:12]}…) are not a text riders-collective adopted "
        "(see `iwo docs list`): both sides should keep a copy"
    ]


def test_partial_release_and_refund(world, parts):
    assert parts["missing"] == "job #2 has 2 milestones: name one with --milestone N (1 to 2)"
    assert parts["part"] == (
        f"released 0.3 ETH of milestone 1 of job #2 by the client: 0.297 ETH to the worker {world['worker']}, "
        "fee 0.003 ETH to the treasury; 0.7 ETH remains in it\n"
    )
    assert parts["refund"] == (
        f"refunded 0.2 ETH of milestone 1 of job #2 to the client {world['client']}; 0.5 ETH remains in it\n"
    )
    assert parts["too_much"] == "milestone 1 of job #2 holds only 0.5 ETH"
    assert (parts["rest"]["amount"], parts["rest"]["fee"], parts["rest"]["remaining"]) == (5 * TEN, 5 * 10**15, 0)
    assert (parts["refund_all"]["amount"], parts["refund_all"]["remaining"]) == (5 * TEN, 0)
    shown = parts["shown"]
    assert shown["ended"] is True
    assert [m["ended_by"] for m in shown["milestones"]] == ["release", "refund"]


# ---- job 3: reclaimed after the deadline ----------------------------------------------------------------
@pytest.fixture(scope="module")
def reclaimed(iwo, world, parts):
    out = {"created": iwo.json("job", "create", "--worker", WORKER, "--milestone", "0.5@1d", "--account", CLIENT)}
    due = out["created"]["milestones"][0]["deadline"]
    out["early_stranger"] = iwo.refused("job", "reclaim", "3", "--account", OUTSIDER, sender=OUTSIDER)
    out["early_client"] = iwo.refused("job", "reclaim", "3", "--account", CLIENT, sender=CLIENT)
    iwo.ok("node", "advance", "1d1m")
    out["late_delivery"] = iwo.refused("job", "deliver", "3", "--account", WORKER, sender=WORKER)
    out["client_before"] = iwo.balance(world["client"])
    out["reclaim"] = iwo.text("job", "reclaim", "3", "--account", OUTSIDER)
    out["client_after"] = iwo.balance(world["client"])
    out["due"] = due
    return out


def test_reclaim_after_the_deadline(world, reclaimed):
    due = utc(reclaimed["due"])
    assert reclaimed["early_stranger"] == f"milestone 1 of job #3 is due {due}: anyone may reclaim it only after that"
    assert reclaimed["early_client"] == (
        f"milestone 1 of job #3 is due {due} and the worker is still a member: the client may reclaim it earlier "
        "only once the worker has left"
    )
    assert reclaimed["late_delivery"] == (
        f"milestone 1 of job #3 was due {due}: too late to deliver (the client may reclaim it)"
    )
    assert reclaimed["reclaim"] == (
        f"returned 0.5 ETH of milestone 1 of job #3 to the client {world['client']} (not delivered by its deadline)\n"
    )
    assert reclaimed["client_after"] - reclaimed["client_before"] == 5 * TEN


# ---- job 4: a dispute ruled by the panel's median ----------------------------------------------------------
@pytest.fixture(scope="module")
def ruled(iwo, world, reclaimed):
    out = {}
    iwo.json("job", "create", "--worker", WORKER, "--milestone", "2@30d", "--account", CLIENT)
    iwo.ok("job", "deliver", "4", "--account", WORKER)
    out["worker_dispute"] = iwo.refused("job", "dispute", "4", "--account", WORKER, sender=WORKER)
    out["opened"] = iwo.json("job", "dispute", "4", "--account", CLIENT)
    out["head"] = iwo.block_number()
    out["too_soon"] = iwo.refused("panel", "draw", "4", "--account", OUTSIDER, sender=OUTSIDER)
    out["release_disputed"] = iwo.refused("job", "release", "4", "--account", CLIENT, sender=CLIENT)
    mine(iwo, out["opened"]["draw_block"] + 1 - out["head"])
    out["drawn"] = iwo.json("panel", "draw", "4", "--account", OUTSIDER)
    panel = [name_of(iwo, a) for a in out["drawn"]["panel"]]
    out["panel"] = panel
    out["twice"] = iwo.refused("panel", "draw", "4", "--account", OUTSIDER, sender=OUTSIDER)
    outsider = next(n for n in FOUNDERS[1:] if n not in panel)
    out["not_seated"] = iwo.refused("panel", "commit", "4", "--split", "10%", "--account", outsider, sender=outsider)
    out["commits"] = [
        iwo.text("panel", "commit", "4", "--split", "55%", "--account", panel[0]),
        iwo.text("panel", "commit", "4", "--split", "70%", "--account", panel[1]),
        iwo.json("panel", "commit", "4", "--split", "80%", "--no-keep", "--account", panel[2]),
    ]
    out["recommit"] = iwo.json("panel", "commit", "4", "--split", "60%", "--account", panel[0])
    out["early_reveal"] = iwo.refused("panel", "reveal", "4", "--account", panel[0], sender=panel[0])
    out["shown_sealed"] = iwo.text("job", "show", "4")
    iwo.ok("node", "advance", "1d")
    out["late_commit"] = iwo.refused("panel", "commit", "4", "--split", "1%", "--account", panel[1], sender=panel[1])
    out["wrong_vote"] = iwo.refused(
        "panel", "reveal", "4", "--split", "81%", "--salt", out["commits"][2]["salt"], "--account", panel[2],
        sender=panel[2],
    )  # fmt: skip
    out["reveals"] = [
        iwo.json("panel", "reveal", "4", "--account", panel[0]),
        iwo.text("panel", "reveal", "4", "--account", panel[1]),
        iwo.json("panel", "reveal", "4", "--split", "80%", "--salt", out["commits"][2]["salt"], "--account", panel[2]),
    ]
    out["again"] = iwo.refused("panel", "reveal", "4", "--account", panel[1], sender=panel[1])
    out["early_settle"] = iwo.refused("panel", "settle", "4", "--account", OUTSIDER, sender=OUTSIDER)
    iwo.ok("node", "advance", "2d")
    out["late_appeal"] = iwo.refused("panel", "appeal", "4", "--account", WORKER, sender=WORKER)
    before = {a: iwo.balance(a) for a in (world["worker"], world["client"], world["treasury"])}
    out["settled"] = iwo.text("panel", "settle", "4", "--account", OUTSIDER)
    out["moved"] = {a: iwo.balance(a) - v for a, v in before.items()}
    out["shown"] = show(iwo, 4)
    return out


def test_dispute_refusals(ruled):
    opened = ruled["opened"]
    assert ruled["worker_dispute"].startswith("only the client of job #4 (")
    assert ruled["too_soon"] == (
        f"the panel can be drawn from block {opened['draw_block'] + 1}, after its draw block (the chain is at block "
        f"{ruled['head']}): try again in {opened['draw_block'] + 1 - ruled['head']} blocks"
    )
    assert ruled["release_disputed"] == (
        "milestone 1 of job #4 is disputed: only the ruling settles it (iwo panel settle)"
    )
    assert ruled["twice"].startswith("the panel of milestone 1 of job #4 is already drawn: ")
    assert ruled["not_seated"].endswith(" is not on the panel of milestone 1 of job #4")
    assert ruled["early_reveal"].startswith(
        f"reveals on milestone 1 of job #4 open when commits close, {utc(opened['commit_end'])} (in "
    )
    assert ruled["late_commit"] == f"commits on milestone 1 of job #4 closed {utc(opened['commit_end'])}"
    assert ruled["again"] == "you already revealed your vote on milestone 1 of job #4 (70%)"
    assert (
        ruled["wrong_vote"] == "refused, nothing sent: escrow: vote does not match commitment"
    )  # the contract's reason
    assert ruled["early_settle"].startswith(
        f"the dispute on milestone 1 of job #4 is final from {utc(opened['appeal_end'])} (in "
    )
    assert ruled["late_appeal"] == f"the appeal window of milestone 1 of job #4 closed {utc(opened['appeal_end'])}"


def test_dispute_opened_in_words(ruled):
    opened = ruled["opened"]
    assert (opened["amount"], opened["dispute_fee"], opened["panel_size"]) == (2 * E, 4 * 10**16, 3)
    assert opened["draw_block"] == ruled["head"] + 3
    assert opened["reveal_end"] - opened["commit_end"] == DAY
    assert (opened["appeal_end"], opened["appeal_deadline"]) == (
        opened["reveal_end"] + DAY,
        opened["reveal_end"] + 7 * DAY,
    )


def test_panel_drawn_from_members_not_parties(iwo, ruled):
    drawn = ruled["drawn"]
    assert len(drawn["panel"]) == 3 and len(set(drawn["panel"])) == 3
    assert set(ruled["panel"]) <= set(FOUNDERS[1:])  # never the worker (test1) or the client
    assert drawn["attempts"] >= 3


def test_sealed_votes_kept_and_revealed(iwo, ruled):
    first, second, third = ruled["commits"]
    assert first.startswith(
        "sealed your vote on milestone 1 of job #4 (seat 1): 55% to the worker; split and salt kept in "
    )
    assert second.startswith("sealed your vote on milestone 1 of job #4 (seat 2): 70% to the worker; ")
    assert third["kept_in"] is None and len(third["salt"]) == 66
    assert ruled["recommit"]["replaced"] is True and ruled["recommit"]["split"] == 6000
    assert "(sealed)" in ruled["shown_sealed"]
    assert [r["split"] for r in (ruled["reveals"][0], ruled["reveals"][2])] == [6000, 8000]
    assert ruled["reveals"][1].startswith(
        "revealed your vote on milestone 1 of job #4: 70% to the worker (2 of 3 revealed;"
    )


def test_settled_by_the_median(world, ruled):
    worker, client, treasury = world["worker"], world["client"], world["treasury"]
    panel = ", ".join(ruled["drawn"]["panel"])
    assert ruled["settled"].splitlines() == [
        "settled the dispute on milestone 1 of job #4 by the panel's median: 70% to the worker",
        f"  1.386 ETH to the worker {worker}, 0.6 ETH to the client {client}, fee 0.014000000000000001 ETH to the treasury",
        f"  0.013333333333333333 ETH to each panelist who revealed: {panel}",
    ]
    assert ruled["moved"][worker] == 1386 * 10**15
    assert ruled["moved"][treasury] == 14 * 10**15 + 1  # the fee and the dispute fee's rounding dust
    dispute = ruled["shown"]["milestones"][0]["dispute"]
    assert dispute["settled"]["ruling_text"] == "the panel's median"
    assert dispute["revealed"] == dict(zip(ruled["drawn"]["panel"], [6000, 7000, 8000]))


# ---- job 5: appealed, ruled by the collective ----------------------------------------------------------------
@pytest.fixture(scope="module")
def appealed(iwo, world, ruled):
    out = {}
    iwo.json("job", "create", "--worker", WORKER, "--milestone", "1@30d", "--account", CLIENT)
    iwo.ok("job", "deliver", "5", "--account", WORKER)
    out["opened"] = iwo.json("job", "dispute", "5", "--account", CLIENT)
    mine(iwo, out["opened"]["draw_block"] + 1 - iwo.block_number())
    panel = [name_of(iwo, a) for a in iwo.json("panel", "draw", "5", "--account", WORKER)["panel"]]
    out["panel"] = panel
    for who, split in zip(panel, ("30%", "50%", "90%")):
        iwo.ok("panel", "commit", "5", "--split", split, "--account", who)
    iwo.ok("node", "advance", "1d")
    for who in panel[:2]:  # the third never reveals
        iwo.ok("panel", "reveal", "5", "--account", who)
    out["early_appeal"] = iwo.refused("panel", "appeal", "5", "--account", WORKER, sender=WORKER)
    iwo.ok("node", "advance", "1d1m")
    out["stranger"] = iwo.refused("panel", "appeal", "5", "--account", OUTSIDER, sender=OUTSIDER)
    out["rule_early"] = iwo.refused(
        "panel", "rule", "5", "--split", "80%", "-m", "x", "--account", "test2", sender="test2"
    )
    out["appeal"] = iwo.text("panel", "appeal", "5", "--account", WORKER)
    out["twice"] = iwo.refused("panel", "appeal", "5", "--account", CLIENT, sender=CLIENT)
    out["pending"] = iwo.refused("panel", "settle", "5", "--account", OUTSIDER, sender=OUTSIDER)
    out["proposal"] = iwo.json("panel", "rule", "5", "--split", "80%", "-m", "Ruling on job 5", "--account", "test2")
    passed(iwo, out["proposal"]["id"])
    out["settled"] = iwo.json("panel", "settle", "5", "--account", OUTSIDER)
    out["shown"] = show(iwo, 5)
    return out


def test_appeal_path(world, appealed):
    opened = appealed["opened"]
    assert appealed["early_appeal"].startswith(
        f"the panel is still voting: appeals open {utc(opened['reveal_end'])} (in "
    )
    assert (
        appealed["stranger"] == f"only the client or the worker of job #5 may appeal; --account is {address(OUTSIDER)}"
    )
    assert appealed["rule_early"] == "milestone 1 of job #5 was not appealed: the collective rules only on an appeal"
    assert appealed["appeal"] == (
        "appealed milestone 1 of job #5 to the collective (the panel's median: 40%): a proposal ruling on it must be "
        f"executed before {utc(opened['appeal_deadline'])} (iwo panel rule 5 --split PERCENT -m '…'); otherwise the "
        "panel's outcome stands\n"
    )
    assert appealed["twice"] == f"milestone 1 of job #5 was already appealed by {world['worker']}"
    assert appealed["pending"].startswith(
        f"milestone 1 of job #5 is under appeal until {utc(opened['appeal_deadline'])} (in "
    )
    assert appealed["proposal"]["explained"] == [
        "rule on the appeal of milestone 1 of escrow job #5: 80% of it to the worker, the rest to the client"
    ]
    settled = appealed["settled"]
    assert (settled["ruling_text"], settled["split"]) == ("the collective on appeal", 8000)
    assert (settled["worker_amount"], settled["client_amount"], settled["fee"]) == (792 * 10**15, 2 * TEN, 8 * 10**15)
    assert settled["panel_share"] == 10**16 and len(settled["panelists_paid"]) == 2
    no_show = appealed["panel"][2]
    assert settled["no_shows"] == [address(no_show)]


# ---- job 6: nobody draws, the default rule -------------------------------------------------------------------
@pytest.fixture(scope="module")
def defaulted(iwo, world, appealed):
    out = {}
    iwo.json("job", "create", "--worker", WORKER, "--milestone", "1@30d", "--account", CLIENT)
    iwo.ok("job", "deliver", "6", "--account", WORKER)
    out["opened"] = iwo.json("job", "dispute", "6", "--account", CLIENT)
    iwo.ok("node", "advance", "1d1m")
    out["late_draw"] = iwo.refused("panel", "draw", "6", "--account", OUTSIDER, sender=OUTSIDER)
    iwo.ok("node", "advance", "2d")
    out["settled"] = iwo.text("panel", "settle", "6", "--account", OUTSIDER)
    return out


def test_default_rule_when_nobody_draws(world, defaulted):
    opened = defaulted["opened"]
    assert defaulted["late_draw"] == (
        f"too late to draw: commits closed {utc(opened['commit_end'])}; the default rule applies unless a party "
        f"appeals (anyone may settle from {utc(opened['appeal_end'])})"
    )
    assert defaulted["settled"].splitlines() == [
        "settled the dispute on milestone 1 of job #6 by the default rule: 50% to the worker",
        f"  0.495 ETH to the worker {world['worker']}, 0.52 ETH to the client {world['client']}, fee 0.005 ETH to "
        "the treasury",
    ]


# ---- reviews ---------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reviewed(iwo, world, defaulted):
    out = {}
    iwo.json("job", "create", "--worker", WORKER, "--milestone", "0.1@30d", "--account", CLIENT)  # job 7, open
    out["open_job"] = iwo.refused("job", "review", "7", "--rating", "5", "--account", CLIENT, sender=CLIENT)
    out["stranger"] = iwo.refused("job", "review", "1", "--rating", "1", "--account", OUTSIDER, sender=OUTSIDER)
    out["range"] = iwo.refused("job", "review", "1", "--rating", "6", "--account", CLIENT, sender=CLIENT)
    out["client"] = iwo.text("job", "review", "1", "--rating", "5", "--text", world["review"], "--account", CLIENT)
    out["worker"] = iwo.json("job", "review", "1", "--rating", "4", "--account", WORKER)
    out["twice"] = iwo.refused("job", "review", "1", "--rating", "1", "--account", CLIENT, sender=CLIENT)
    iwo.ok("job", "review", "2", "--rating", "3", "--account", CLIENT)
    out["add_after_review"] = iwo.refused(
        "job", "add", "2", "--milestone", "0.1@9d", "--account", CLIENT, sender=CLIENT
    )
    return out


def test_reviews_both_ways_once_after_the_end(world, reviewed):
    assert reviewed["open_job"] == (
        "job #7 has not ended (milestone 1 of job #7 is funded): reviews open once every milestone is settled"
    )
    assert reviewed["stranger"] == (
        f"only the client or the worker of job #1 can review it; --account is {address(OUTSIDER)}"
    )
    assert reviewed["range"] == "--rating must be 1 to 5"
    sha = hashlib.sha256(b"Clear brief, paid on time.\n").hexdigest()
    assert reviewed["client"] == f"reviewed the worker {world['worker']} of job #1: 5/5 (text sha256 {sha[:12]}…)\n"
    assert (reviewed["worker"]["reviewee"], reviewed["worker"]["by_client"]) == (world["client"], False)
    assert reviewed["twice"] == "you already reviewed job #1 (as its client): one review per side"
    assert reviewed["add_after_review"] == "job #2 was reviewed: a reviewed job takes no more milestones"


# ---- listing and reputation -------------------------------------------------------------------------------------------
def test_list_filters(iwo, world, reviewed):
    rows = iwo.json("job", "list")
    assert [r["job_id"] for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert [r["job_id"] for r in iwo.json("job", "list", "--open")] == [7]
    assert [r["job_id"] for r in iwo.json("job", "list", "--ended", "--worker", WORKER)] == [1, 2, 3, 4, 5, 6]
    assert iwo.json("job", "list", "--client", WORKER) == []
    assert iwo.text("job", "list", "--open").splitlines() == [
        f"#7    open   0/1 settled  0.1 ETH funded, 0.1 ETH held  client {world['client']}  worker {world['worker']}"
    ]


def test_reputation_of_the_worker(iwo, world, reviewed):
    assert iwo.text("reputation", WORKER).splitlines() == [
        f"{world['worker']} in riders-collective",
        "as a client: no jobs",
        "as a worker: 7 jobs (6 ended)",
        "  ETH: funded 7.1 ETH; paid 4.5 ETH: 17.77% released by the client, 22.22% by silence, 60% after a "
        "dispute; back to the client 2.5 ETH (refunded 0.7 ETH, reclaimed 0.5 ETH, by rulings 1.3 ETH)",
        "  disputes: 3 faced, 0 lost; 1 milestone reclaimed after a missed deadline",
        "  rated 4.0/5 by clients (2 reviews)",
        "panel service: 0 seats, 0 no-shows",
    ]


def test_reputation_of_the_client(iwo, world, reviewed):
    data = iwo.json("reputation", CLIENT)
    assert data["as_client"]["disputes_lost"] == 2  # 70% and 80% to the worker; 50% is lost by nobody
    assert iwo.text("reputation", CLIENT).splitlines() == [
        f"{world['client']} in riders-collective",
        "as a client: 7 jobs (6 ended)",
        "  ETH: funded 7.1 ETH; paid 4.5 ETH: 17.77% released by the client, 22.22% by silence, 60% after a "
        "dispute; back to the client 2.5 ETH (refunded 0.7 ETH, reclaimed 0.5 ETH, by rulings 1.3 ETH)",
        "  disputes: 3 opened, 2 lost",
        "  rated 4.0/5 by workers (1 review)",
        "as a worker: no jobs",
        "panel service: 0 seats, 0 no-shows",
    ]


def test_reputation_of_a_panelist(iwo, ruled, appealed, reviewed):
    seats = {}
    for panel in (ruled["panel"], appealed["panel"]):
        for who in panel:
            seats[who] = seats.get(who, 0) + 1
    no_show = appealed["panel"][2]
    for who, count in seats.items():
        data = iwo.json("reputation", who)
        assert data["panel"] == {"seats": count, "no_shows": 1 if who == no_show else 0}
    assert iwo.text("reputation", no_show).splitlines()[-1] == (
        f"panel service: {seats[no_show]} seat{'s' if seats[no_show] > 1 else ''}, 1 no-show"
    )


def test_category_unit_and_quantity_recorded_for_paid_rates(iwo, world, reviewed):
    result = iwo.run(
        "job", "create", "--worker", WORKER, "--milestone", "0.2@30d", "--category", " Delivery  Rides",
        "--unit", "Week", "--quantity", "2.5", "--terms", world["terms"], "--account", CLIENT, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["category"], data["unit"], data["quantity"]) == ("delivery rides", "week", 2500)
    assert result.stderr == (
        "warning: category 'delivery rides' is not one of riders-collective's categories (set by vote): the job "
        "will not count in its paid rates\n"
    )
    shown = show(iwo, data["job_id"])
    assert (shown["category"], shown["unit"], shown["quantity"]) == ("delivery rides", "week", 2500)
    assert "  category delivery rides, 2.5 week" in iwo.text("job", "show", data["job_id"]).splitlines()
