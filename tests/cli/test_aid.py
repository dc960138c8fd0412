"""`iwo aid ...` and `iwo propose aid-...`: mutual aid on the module's node, as one story in stages
(module fixtures, used in file order):

- `funded`: five founders (test1..test5); test1..test4 pay six periods of dues (a fifth of each
  goes to the pool), test5 pays nothing and lapses; test8 gives 5.942 ETH to the pool (5.99);
- `terms`: no claim can be filed before a vote sets the caps; test1 proposes the first terms
  (claim cap 3, member cap 3.5, auto-approval 0.5, deposit 0.01 ETH, objected by 2 members or
  50 %), test1..test3 pass it, it is executed;
- `filed`: past the 30-day waiting period, at the start of an aid month: test2 asks 0.25 ETH x 2
  (small: contest window), test3 1.5 ETH x 2 and test4 1 ETH x 2 (both to a vote);
- `balloted`: test4 objects to test2's claim (one objection: not enough); test1 and test2 vote
  for test3's claim, against test4's;
- `settled`: test2's claim approved by silence, test3's approved by vote, test4's denied (its
  deposit stays in the pool: 6 ETH);
- `month1`: the next month opens with 6 ETH / 6 = 1 ETH for 1.75 ETH asked: each claim is cut
  to 4/7, exactly floor(monthly x 1 / 1.75);
- `month2`: test8 gives 6 ETH more; the next month pays both claims in full;
- `awarded`: a proposal awards aid to test1 and test4; another ends test4's; test1 resigns and
  anyone stops test1's.
"""

import pytest

DAY = 86_400
MONTH = 30 * DAY
ETH = "0x" + "0" * 40
E = 10**18
SMALL, LARGE, DENIED = 1 << 16 | 1, 2 << 16 | 1, 3 << 16 | 1  # test2's, test3's, test4's first claims
AWARD1, AWARD4 = 1, 3 << 16 | 2  # awarded by vote to test1 (roll index 0) and to test4


@pytest.fixture(scope="module")
def founder_accounts():
    return ["test1", "test2", "test3", "test4", "test5"]


def to_month_start(iwo, offset: int = 3600) -> int:
    """Moves the clock to `offset` seconds into the next aid month; returns that month."""
    now = iwo.block_time()
    month = now // MONTH + 1
    iwo.ok("node", "advance", str(month * MONTH + offset - now))
    return month


def pass_proposal(iwo, *pids: int, voters=("test1", "test2", "test3")):
    """Votes the proposals through (voting delay, three For votes, voting period, queue, timelock,
    execution); returns what `iwo execute --json` said of the last one."""
    iwo.ok("node", "advance", "1d1m")
    for pid in pids:
        for voter in voters:
            iwo.ok("vote", pid, "for", "--account", voter)
    iwo.ok("node", "advance", "3d")
    for pid in pids:
        iwo.ok("queue", pid, "--account", "test7")
    iwo.ok("node", "advance", "1d")
    return [iwo.json("execute", pid, "--account", "test7") for pid in pids][-1]


def pool(iwo, collective) -> int:
    from iwo.contracts import Contract
    from iwo.session import connect

    s = connect()
    try:
        return s.call(Contract("IwoTreasury", collective["treasury"]), "pool", ETH)
    finally:
        s.rpc.close()


@pytest.fixture(scope="module")
def funded(iwo, collective):
    iwo.ok("node", "advance", "1h")  # proposals' snapshots (the second before) come after the cards
    for i in (1, 2, 3, 4):
        iwo.ok("dues", "pay", "--periods", "6", "--account", f"test{i}")
    gift = iwo.json("aid", "fund", "5.942", "--memo", "solidarity", "--account", "test8")
    assert (gift["to_pool"], gift["pool"]) == (5_942 * E // 1000, 5_990 * E // 1000)
    return gift


@pytest.fixture(scope="module")
def terms(iwo, funded):
    refusal = iwo.refused(
        "aid", "claim", "--category", "illness", "--monthly", "0.1", "--account", "test1", sender="test1"
    )
    made = iwo.json(
        "propose",
        "aid-terms",
        "--claim-cap",
        "3",
        "--member-cap",
        "3.5",
        "--auto-approve",
        "0.5",
        "--deposit",
        "0.01",
        "--min-objections",
        "2",
        "--objection-share",
        "50%",
        "-m",
        "First mutual-aid terms",
        "--account",
        "test1",
    )
    executed = pass_proposal(iwo, made["id"])
    return {"refusal": refusal, "proposal": made, "executed": executed}


@pytest.fixture(scope="module")
def filed(iwo, terms):
    waiting = iwo.refused(
        "aid", "claim", "--category", "illness", "--monthly", "0.25", "--account", "test2", sender="test2"
    )
    iwo.ok("node", "advance", "26d")
    month = to_month_start(iwo)
    dry = iwo.run(
        "aid", "claim", "--category", "illness", "--monthly", "0.25", "--months", "2", "--dry-run", "--account", "test2"
    )
    small = iwo.run(
        "aid",
        "claim",
        "--category",
        "illness",
        "--monthly",
        "0.25",
        "--months",
        "2",
        "--evidence-hash",
        "0x" + "ab" * 32,
        "--account",
        "test2",
    )
    assert small.exit_code == 0, small.stderr
    large = iwo.json(
        "aid", "claim", "--category", "lost-income", "--monthly", "1.5", "--months", "2", "--account", "test3"
    )
    denied = iwo.json("aid", "claim", "--category", "legal", "--monthly", "1", "--months", "2", "--account", "test4")
    return {"waiting": waiting, "month": month, "dry": dry, "small": small, "large": large, "denied": denied}


@pytest.fixture(scope="module")
def balloted(iwo, filed):
    return {
        "object": iwo.json("aid", "object", SMALL, "--reason", "saw her cycling to work", "--account", "test4"),
        "for1": iwo.json("aid", "vote", LARGE, "for", "--reason", "she lost her main client", "--account", "test1"),
        "for2": iwo.json("aid", "vote", LARGE, "for", "--account", "test2"),
        "against1": iwo.json("aid", "vote", DENIED, "against", "--account", "test1"),
        "against2": iwo.json("aid", "vote", DENIED, "against", "--account", "test2"),
    }


@pytest.fixture(scope="module")
def settled(iwo, balloted):
    early = iwo.refused("aid", "settle", SMALL, "--account", "test7", sender="test7")
    iwo.ok("node", "advance", "3d")
    small = iwo.json("aid", "settle", SMALL, "--account", "test7")
    vote_open = iwo.refused("aid", "settle", LARGE, "--account", "test7", sender="test7")
    iwo.ok("node", "advance", "1d")
    large = iwo.json("aid", "settle", LARGE, "--account", "test7")
    denied = iwo.json("aid", "settle", DENIED, "--account", "test7")
    return {"early": early, "vote_open": vote_open, "small": small, "large": large, "denied": denied}


@pytest.fixture(scope="module")
def month1(iwo, collective, settled):
    not_yet = iwo.refused("aid", "withdraw", "--account", "test2", sender="test2")
    for member, cid in (("test2", SMALL), ("test3", LARGE)):
        iwo.ok("aid", "reclaim", cid, "--account", member)
    month = to_month_start(iwo)
    before = pool(iwo, collective)
    dry = iwo.json("aid", "withdraw", "--dry-run", "--account", "test2")
    small = iwo.json("aid", "withdraw", "--account", "test2")
    large = iwo.run("aid", "withdraw", LARGE, "--account", "test3")
    again = iwo.refused("aid", "withdraw", "--account", "test2", sender="test2")
    return {
        "not_yet": not_yet,
        "month": month,
        "pool_before": before,
        "pool_after": pool(iwo, collective),
        "dry": dry,
        "small": small,
        "large": large,
        "again": again,
    }


@pytest.fixture(scope="module")
def month2(iwo, collective, month1):
    iwo.ok("aid", "fund", "6", "--memo", "winter solidarity", "--account", "test8")
    month = to_month_start(iwo)
    before = pool(iwo, collective)
    small = iwo.json("aid", "withdraw", SMALL, "--account", "test2")
    large = iwo.json("aid", "withdraw", "--account", "test3")
    return {"month": month, "pool_before": before, "small": small, "large": large}


# ---- terms ------------------------------------------------------------------------------------------------
def test_default_terms_are_shown_in_words(iwo, funded):
    shown = iwo.json("aid", "terms")
    assert shown["version"] == 0
    assert shown["terms"]["claim_cap"] == 0 and shown["pool"] == 5_990 * E // 1000
    assert shown["terms_text"][0].startswith("no claim can be filed yet")
    assert shown["monthly_limit"] == 5_990 * E // 1000 // 6


def test_no_claim_before_a_vote_sets_the_terms(iwo, terms):
    assert terms["refusal"].startswith(
        "no claim can be filed yet: the aid terms in force set no amounts (per-claim and per-member caps are 0); "
        "a vote must set them first: `iwo propose aid-terms"
    )


def test_terms_set_by_vote(iwo, terms):
    assert terms["proposal"]["explained"] == [
        "change the mutual-aid terms: objections needed 3 -> 2; objection share 10% -> 50%; deposit 0 ETH -> "
        "0.01 ETH; auto-approval threshold 0 ETH -> 0.5 ETH; per-claim cap 0 ETH -> 3 ETH; per-member cap 0 ETH "
        "-> 3.5 ETH (claims keep their terms)"
    ]
    shown = iwo.json("aid", "terms")
    assert shown["version"] == 1
    assert shown["changes"][0]["proposal"] == terms["proposal"]["id"]
    assert {k: shown["terms"][k] for k in ("claim_cap", "member_cap", "auto_approve_max", "deposit")} == {
        "claim_cap": 3 * E,
        "member_cap": 35 * E // 10,
        "auto_approve_max": E // 2,
        "deposit": E // 100,
    }
    text = iwo.text("aid", "terms")
    assert "per claim: at most 3 ETH in all (monthly amount x months), at most 24 months" in text
    assert "small claims (at most 0.5 ETH in all): approved when the 3d contest window ends, unless 2 members" in text
    assert "no claim can be filed yet" not in text


def test_aid_terms_refusals(iwo, terms):
    def refused(*args):
        return iwo.refused("propose", "aid-terms", *args, "-m", "x", "--account", "test4", sender="test4")

    assert refused("--throttle", "3") == "--throttle must be 4 to 120"
    assert refused("--contest", "15d") == "--contest must be more than 0 and at most 14d"
    assert refused("--max-months", "37") == "--max-months must be 1 to 36"
    assert refused("--unclaimed-months", "3") == "--unclaimed-months must be 0 to 2"
    assert refused("--claim-cap", "3") == "these are the terms in force already: give at least one term to change"
    assert refused("--category", "cooking") == (
        "unknown category 'cooking' (use illness, lost-income, equipment, legal, other, or a number 0 to 7)"
    )


# ---- filing --------------------------------------------------------------------------------------------
def test_the_waiting_period_is_refused_in_one_line(iwo, filed):
    assert filed["waiting"].startswith(
        f"{iwo.addr('test2')} cannot claim yet: the waiting period is 30d of membership with dues covered (about "
    )


def test_a_claim_says_what_it_pays_and_when_before_sending(iwo, filed):
    dry = filed["dry"]
    assert dry.exit_code == 0, dry.stderr
    lines = dry.stdout.splitlines()
    m = filed["month"]
    assert lines[0] == "claim (illness): 0.25 ETH a month for 2 months, 0.5 ETH in all"
    assert lines[1].startswith("small claim (at most 0.5 ETH): approved when its contest window ends (")
    assert lines[2].startswith(f"if approved then: paid from month {m + 1} (")
    assert f" to month {m + 2} (" in lines[2]
    assert lines[3] == (
        "throttle: all running claims together get at most the pool / 6 a month (now 0.998333333333333333 ETH "
        "of a pool of 5.99 ETH); when they ask more, each is cut pro-rata"
    )
    assert lines[4] == (
        "caps: 0.5 ETH of the 3 ETH per-claim cap; you have used 0 ETH of your 3.5 ETH per 12 months, 3 ETH left "
        "after this claim"
    )
    assert lines[5].startswith("deposit: 0.01 ETH sent with the claim, returned when it is approved or tied")
    assert lines[-1] == "nothing sent (--dry-run)"
    # the real filing says the same on stderr before sending, then the claim's id
    small = filed["small"]
    assert small.stderr.splitlines()[:3] == lines[:3]
    assert small.stdout == f"filed claim #{SMALL} (in its contest window); follow it with `iwo aid show {SMALL}`\n"


def test_claims_are_filed_with_their_path(iwo, filed):
    assert (filed["large"]["id"], filed["large"]["state"], filed["large"]["small"]) == (LARGE, "voting", False)
    assert (filed["denied"]["id"], filed["denied"]["total"]) == (DENIED, 2 * E)
    shown = iwo.json("aid", "show", SMALL)
    assert shown["evidence"] == "0x" + "ab" * 32
    assert shown["deposit_state"] == "held" and shown["small"] is True


def test_filing_refusals_send_nothing(iwo, filed):
    def refused(member, *args):
        return iwo.refused("aid", "claim", *args, "--account", member, sender=member)

    claim = ("--category", "legal", "--monthly", "1", "--months", "2")
    assert (
        refused("test9", *claim) == f"{iwo.addr('test9')} is not a member of riders-collective: only members may claim"
    )
    assert (
        refused("test5", *claim)
        == f"{iwo.addr('test5')} is behind on dues: pay the arrears (`iwo dues pay`), then claim"
    )
    assert (
        refused("test2", *claim) == f"claim #{SMALL} is still open (in its contest window): one open claim per member"
    )
    assert refused("test1", "--category", "legal", "--monthly", "2", "--months", "2") == (
        "4 ETH in all (2 ETH x 2) is over the per-claim cap of 3 ETH"
    )
    assert refused("test1", "--category", "legal", "--monthly", "0.1", "--months", "25") == (
        "at most 24 months per claim (asked 25)"
    )
    assert refused("test1", "--category", "5", "--monthly", "0.1") == (
        "category category 5 is not enabled (enabled: illness, lost income, equipment, legal, other)"
    )
    assert refused("test1", "--category", "legal", "--monthly", "0") == "--monthly must be more than zero (got '0')"


# ---- ballots -------------------------------------------------------------------------------------------
def test_objection_and_votes(iwo, balloted):
    assert (balloted["object"]["objections"], balloted["object"]["objected"]) == (1, False)
    assert balloted["for2"]["votes"] == {"for": 2, "against": 0}
    assert balloted["against2"]["votes"] == {"for": 0, "against": 2}
    shown = iwo.json("aid", "show", LARGE)
    assert [(b["member"], b["support"], b["reason"]) for b in shown["ballots"]] == [
        (iwo.addr("test1"), "for", "she lost her main client"),
        (iwo.addr("test2"), "for", ""),
    ]
    objection = iwo.json("aid", "show", SMALL)["ballots"]
    assert objection == [
        {
            "member": iwo.addr("test4"),
            "support": "against",
            "reason": "saw her cycling to work",
            "objection": True,
            "block": objection[0]["block"],
            "tx": objection[0]["tx"],
        }
    ]


def test_ballot_refusals_send_nothing(iwo, balloted):
    def refused(member, *args):
        return iwo.refused("aid", *args, "--account", member, sender=member)

    assert (
        refused("test4", "object", SMALL) == f"{iwo.addr('test4')} has already objected to or voted on claim #{SMALL}"
    )
    assert (
        refused("test2", "object", SMALL)
        == f"claim #{SMALL} is {iwo.addr('test2')}'s own: a claimant does not vote on it"
    )
    assert refused("test1", "vote", SMALL, "for").startswith(f"claim #{SMALL} is in its contest window until ")
    assert refused("test4", "object", LARGE).startswith(f"claim #{LARGE} is under vote until ")
    assert refused("test5", "vote", LARGE, "against") == (
        f"{iwo.addr('test5')} was behind on dues when claim #{LARGE} was filed, so they cannot vote on it "
        "(paying the arrears that cover that time restores the vote)"
    )
    assert refused("test9", "vote", LARGE, "for") == (
        f"{iwo.addr('test9')} was not a member when claim #{LARGE} was filed, so they cannot vote on it"
    )
    assert refused("test1", "vote", 7, "for") == "no claim #7 in riders-collective"
    long = "x" * 513
    assert refused("test4", "vote", LARGE, "for", "--reason", long) == (
        "--reason too long: 513 bytes, at most 512 bytes of UTF-8"
    )


def test_list_shows_state_and_deadlines(iwo, balloted):
    lines = iwo.text("aid", "list").splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"#{SMALL:<7} contest   illness      0.25 ETH x 2 ")
    assert "for 0 / against 1; contest window ends " in lines[0]
    assert lines[1].startswith(f"#{LARGE:<7} voting    lost income  1.5 ETH x 2 ")
    assert "for 2 / against 0; vote ends " in lines[1]


# ---- decisions -----------------------------------------------------------------------------------------
def test_a_small_claim_is_approved_by_silence(iwo, settled, filed):
    assert settled["early"].startswith(f"claim #{SMALL} is in its contest window until ")
    small = settled["small"]
    assert (small["outcome"], small["first_month"], small["votes"]) == (
        "approved",
        filed["month"] + 1,
        {"for": 0, "against": 1},
    )
    shown = iwo.json("aid", "show", SMALL)
    assert shown["decision"]["quorum_base"] == 0
    text = iwo.text("aid", "show", SMALL)
    assert "decision   approved by silence: the contest window ended (1 objection, fewer than needed)" in text


def test_a_larger_claim_is_decided_by_vote(iwo, settled, filed):
    assert settled["vote_open"].startswith(f"the vote on claim #{LARGE} is open until ")
    assert (settled["large"]["outcome"], settled["large"]["first_month"]) == ("approved", filed["month"] + 1)
    assert (settled["denied"]["outcome"], settled["denied"]["deposit_kept"]) == ("denied", True)
    text = iwo.text("aid", "show", LARGE)
    assert "decision   approved by vote: for 2, against 0 of 5 members" in text
    denied = iwo.json("aid", "show", DENIED)
    assert (denied["state"], denied["deposit_state"]) == ("denied", "kept")
    assert iwo.refused("aid", "settle", DENIED, "--account", "test7", sender="test7") == (
        f"claim #{DENIED} is already decided: denied"
    )
    assert iwo.refused("aid", "reclaim", DENIED, "--account", "test4", sender="test4") == (
        f"no deposit is held for claim #{DENIED} (it was kept: the claim was denied)"
    )


# ---- payouts -------------------------------------------------------------------------------------------
def test_nothing_is_due_before_the_first_month(iwo, month1):
    assert month1["not_yet"].startswith(
        f"nothing due yet on claim #{SMALL}: the next instalment is for month {month1['month']} ("
    )


def test_a_short_month_is_cut_pro_rata_to_the_wei(iwo, month1):
    # the pool holds 6 ETH when the month opens: it allows 1 ETH for 1.75 ETH asked
    assert month1["pool_before"] == 6 * E
    small, large = month1["small"], month1["large"]
    assert month1["dry"]["amount"] == small["amount"] == 25 * E // 100 * E // (175 * E // 100)
    assert small["amount"] == 142_857_142_857_142_857
    assert small["months"] == [
        {
            "month": month1["month"],
            "month_text": small["months"][0]["month_text"],
            "status": "due",
            "opens": True,
            "amount": 142_857_142_857_142_857,
            "cut": True,
            "factor": "57.14%",
            "allowed": E,
            "demand": 175 * E // 100,
            "pool": 6 * E,
        }
    ]
    assert large.exit_code == 0, large.stderr
    assert large.stdout.splitlines() == [
        f"claim #{LARGE}: withdrew 0.857142857142857142 ETH",
        f"  {small['months'][0]['month_text']}: 0.857142857142857142 ETH of 1.5 ETH, cut to 57.14% (the month "
        "allowed 1 ETH for 1.75 ETH asked)",
    ]
    paid = 142_857_142_857_142_857 + 857_142_857_142_857_142
    assert paid == E - 1  # one wei of rounding stays in the pool
    assert month1["pool_after"] == month1["pool_before"] - paid


def test_a_second_withdrawal_in_the_month_is_refused(iwo, month1):
    assert month1["again"].startswith(
        f"nothing due yet on claim #{SMALL}: the next instalment is for month {month1['month'] + 1} ("
    )


def test_the_next_month_pays_in_full(iwo, month2):
    assert month2["pool_before"] == 11 * E + 1
    assert (month2["small"]["amount"], month2["large"]["amount"]) == (E // 4, 3 * E // 2)
    assert [m["cut"] for m in month2["large"]["months"]] == [False]
    shown = iwo.json("aid", "show", LARGE)
    assert [(m["status"], m["amount"], m["factor"]) for m in shown["schedule"]] == [
        ("paid", 857_142_857_142_857_142, "57.14%"),
        ("paid", 3 * E // 2, "100%"),
    ]
    assert shown["paid"] == 857_142_857_142_857_142 + 3 * E // 2


def test_paid_claims_and_caps_refuse_more(iwo, month2):
    assert iwo.refused("aid", "withdraw", "--account", "test3", sender="test3") == (
        f"claim #{LARGE} is fully paid: every instalment was withdrawn or has lapsed"
    )
    assert iwo.refused(
        "aid",
        "claim",
        "--category",
        "other",
        "--monthly",
        "0.25",
        "--months",
        "3",
        "--account",
        "test3",
        sender="test3",
    ).startswith("over the member cap: 3 ETH of 3.5 ETH used in the 12 months from ")
    assert iwo.refused("aid", "withdraw", DENIED, "--account", "test4", sender="test4") == (
        f"claim #{DENIED} is denied: only an approved claim pays"
    )
    assert iwo.refused("aid", "withdraw", SMALL, "--account", "test3", sender="test3") == (
        f"only the claimant of claim #{SMALL} withdraws its instalments, not {iwo.addr('test3')}"
    )


# ---- the auditor's view ----------------------------------------------------------------------------------
def test_aid_ledger_rebuilds_the_pool_and_every_claim(iwo, collective, month2):
    book = iwo.json("aid", "ledger")
    rows = [(r["direction"], r["kind"], r["amount"]) for r in book["rows"]]
    dues_share = 12 * E // 1000
    assert rows == [
        ("in", "dues share", dues_share),
        ("in", "dues share", dues_share),
        ("in", "dues share", dues_share),
        ("in", "dues share", dues_share),
        ("in", "earmarked gift", 5_942 * E // 1000),
        ("in", "deposit kept", E // 100),
        ("note", "month opened", 0),
        ("out", "aid paid", 142_857_142_857_142_857),
        ("out", "aid paid", 857_142_857_142_857_142),
        ("in", "earmarked gift", 6 * E),
        ("note", "month opened", 0),
        ("out", "aid paid", E // 4),
        ("out", "aid paid", 3 * E // 2),
    ]
    assert all(r["reported_pool"] in (None, r["pool"]) and not r["flagged"] for r in book["rows"])
    assert book["pool"] == {"ETH": pool(iwo, collective)} and book["flags"] == []
    opened = [r for r in book["rows"] if r["kind"] == "month opened"]
    assert opened[0]["what"].endswith(": the pool 6 ETH / 6 allows 1 ETH for 1.75 ETH asked: each claim cut to 57.14%")
    assert opened[1]["what"].endswith("allows 1.75 ETH for 1.75 ETH asked: paid in full")
    kept = [r for r in book["rows"] if r["kind"] == "deposit kept"][0]
    assert (kept["claim_id"], kept["what"]) == (DENIED, f"deposit of denied claim #{DENIED} kept in the pool")
    claims = {c["id"]: c for c in book["claims"]}
    assert [claims[i]["decision"]["outcome"] for i in (SMALL, LARGE, DENIED)] == ["approved", "approved", "denied"]
    assert [(m["amount"], m["factor"]) for m in claims[SMALL]["schedule"]] == [
        (142_857_142_857_142_857, "57.14%"),
        (E // 4, "100%"),
    ]
    text = iwo.text("aid", "ledger")
    assert f"#{SMALL} illness, 0.25 ETH x 2 to {iwo.addr('test2')}: approved by silence" in text
    assert f"#{DENIED} legal, 1 ETH x 2 to {iwo.addr('test4')}: denied by vote: for 0, against 2 of 5 members" in text


def test_audit_reconciles_the_pool_and_the_deposits(iwo, collective, month2):
    result = iwo.json("audit")
    assert result["ok"] is True and result["aid_flags"] == []
    assert [(a["what"], a["symbol"], a["rebuilt"] == a["on_chain"]) for a in result["aid"]] == [
        ("pool", "ETH", True),
        ("deposits", "ETH", True),
    ]
    assert result["aid"][0]["rebuilt"] == pool(iwo, collective)
    lines = iwo.text("audit").splitlines()
    assert "pool     ETH    events 9.250000000000000001 ETH, chain 9.250000000000000001 ETH: ok" in lines
    assert "deposits ETH    events 0 ETH, chain 0 ETH: ok" in lines


# ---- what only a vote may do ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def awarded(iwo, month2):
    refusals = {
        "over": iwo.refused(
            "propose",
            "aid-award",
            "test1",
            "--category",
            "equipment",
            "--monthly",
            "2",
            "--months",
            "2",
            "-m",
            "x",
            "--account",
            "test2",
            sender="test2",
        ),
        "outsider": iwo.refused(
            "propose",
            "aid-award",
            "test9",
            "--category",
            "equipment",
            "--monthly",
            "0.1",
            "-m",
            "x",
            "--account",
            "test2",
            sender="test2",
        ),
        "end_denied": iwo.refused("propose", "aid-end", DENIED, "-m", "x", "--account", "test2", sender="test2"),
    }
    for member in ("test1", "test2", "test3"):  # standing for the months to come
        iwo.ok("dues", "pay", "--periods", "6", "--account", member)
    award = ("--category", "equipment", "--monthly", "0.3", "--months", "2")
    made = iwo.json("propose", "aid-award", "test1", *award, "-m", "A new bike for Ana", "--account", "test2")
    other = iwo.json(
        "propose", "aid-award", "test4", "--category", "legal", "--monthly", "0.1", "-m", "Fees", "--account", "test3"
    )
    fund = iwo.json("aid", "fund", "0.1", "--propose", "-m", "Move 0.1 ETH into the pool", "--account", "test1")
    pass_proposal(iwo, made["id"], other["id"], fund["id"])
    ended = iwo.json("propose", "aid-end", AWARD4, "-m", "The fees were waived", "--account", "test2")
    pass_proposal(iwo, ended["id"])
    # test1 leaves the first instalment unclaimed past its window, then withdraws
    first = iwo.json("aid", "show", AWARD1)["first_month"]
    for _ in range(first + 3 - iwo.block_time() // MONTH):
        to_month_start(iwo)
    lapsed = iwo.json("aid", "withdraw", "--account", "test1")
    return {
        "refusals": refusals,
        "made": made,
        "other": other,
        "fund": fund,
        "ended": ended,
        "first": first,
        "lapsed": lapsed,
    }


def test_award_and_end_by_vote(iwo, awarded):
    r = awarded["refusals"]
    assert r["over"] == "4 ETH in all is over the per-claim cap of 3 ETH"
    assert r["outsider"] == f"{iwo.addr('test9')} is not a member of riders-collective: aid is awarded to members"
    assert r["end_denied"] == f"claim #{DENIED} is denied: only a running (approved) claim can be ended"
    assert awarded["made"]["explained"] == [
        f"award {iwo.addr('test1')} mutual aid (equipment): 0.3 ETH a month for 2 months, 0.6 ETH in all"
    ]
    assert awarded["ended"]["explained"] == [
        f"end mutual-aid claim #{AWARD4} after the current month (no later instalment)"
    ]
    one, four = iwo.json("aid", "show", AWARD1), iwo.json("aid", "show", AWARD4)
    assert (one["state"], one["awarded_by"], one["decision"]["outcome"]) == (
        "approved",
        awarded["made"]["id"],
        "approved",
    )
    assert (four["state"], four["awarded_by"], four["ended"]) == (
        "ended",
        awarded["other"]["id"],
        four["ended"] | {"proposal_id": awarded["ended"]["id"], "months_due": 0},
    )
    assert four["schedule"] == []
    assert iwo.refused("aid", "stop", AWARD4, "--account", "test9", sender="test9") == (
        f"claim #{AWARD4} is ended: only a running (approved) claim can be stopped"
    )


def test_an_instalment_left_unclaimed_lapses_into_the_pool(iwo, awarded):
    lapsed, first = awarded["lapsed"], awarded["first"]
    assert (lapsed["amount"], lapsed["lapsed_months"]) == (3 * E // 10, 1)
    assert [(m["month"], m["status"], m["amount"]) for m in lapsed["months"]] == [
        (first, "lapsed", 0),
        (first + 1, "due", 3 * E // 10),
    ]
    shown = iwo.json("aid", "show", AWARD1)
    assert [(m["status"], m["amount"]) for m in shown["schedule"]] == [("lapsed", 3 * E // 10), ("paid", 3 * E // 10)]
    note = [r for r in iwo.json("aid", "ledger")["rows"] if r["kind"] == "lapsed"]
    assert [(n["claim_id"], n["amount"], n["direction"]) for n in note] == [(AWARD1, 3 * E // 10, "note")]
    assert note[0]["what"] == f"claim #{AWARD1}: 1 instalment(s) lapsed unclaimed ({first}): 0.3 ETH stays in the pool"


def test_a_pool_funded_by_vote_is_a_row_of_the_pool(iwo, collective, awarded):
    assert awarded["fund"]["explained"] == ["move 0.1 ETH of the free balance into the mutual-aid pool"]
    book = iwo.json("aid", "ledger")
    funded = [r for r in book["rows"] if r["kind"] == "fund"]
    assert [(r["direction"], r["amount"], r["proposal_id"]) for r in funded] == [("in", E // 10, awarded["fund"]["id"])]
    assert funded[0]["what"] == f"moved in from the free balance by proposal #{awarded['fund']['id']}"
    assert book["pool"] == {"ETH": pool(iwo, collective)} and book["flags"] == []


def test_stop_a_claim_once_its_claimant_left(iwo, awarded):
    assert iwo.refused("aid", "stop", LARGE, "--account", "test9", sender="test9") == (
        f"{iwo.addr('test3')} is still a member: a claim is stopped only once its claimant has left "
        "(the collective may end it by vote: `iwo propose aid-end`)"
    )
    iwo.ok("resign", "--account", "test3")
    stopped = iwo.json("aid", "stop", LARGE, "--account", "test9")
    assert (stopped["claimant"], stopped["months_due"]) == (iwo.addr("test3"), 2)
    assert iwo.json("aid", "show", LARGE)["state"] == "ended"
    assert iwo.json("audit")["ok"] is True
