"""`iwo rates` and `iwo propose rate-category|rate-cap`: members' public asks, published per
category only where nobody can be singled out (k = 5, no min/max), with exact outputs."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def founder_accounts():
    return ["test1", "test2", "test3", "test4", "test5", "test6"]


@pytest.fixture(scope="module")
def board(iwo, collective):
    """The collective takes asks in 'translation', in ETH up to 1 per unit (both by vote)."""
    iwo.ok("node", "advance", "60")
    made = [
        iwo.json("propose", "rate-category", "translation", "-m", "Take translation asks", "--account", "test1"),
        iwo.json("propose", "rate-cap", "--asset", "ETH", "--max", "1", "-m", "ETH asks up to 1", "--account", "test2"),
    ]
    iwo.ok("node", "advance", "1d1m")
    for p in made:
        for voter in ("test1", "test2", "test3"):
            iwo.ok("vote", str(p["id"]), "for", "--account", voter)
    iwo.ok("node", "advance", "3d")
    for p in made:
        iwo.ok("queue", str(p["id"]))
    iwo.ok("node", "advance", "1d")
    for p in made:
        iwo.ok("execute", str(p["id"]))
    for who in ("test1", "test2", "test3", "test4", "test5", "test6"):
        iwo.ok("dues", "pay", "--periods", "2", "--account", who)
    return made


def test_the_votes_set_category_and_cap(iwo, board):
    assert board[0]["explained"] == ["take members' asks in category 'translation' on the rate board"]
    assert board[1]["explained"] == ["take asks up to 1 ETH per unit on the rate board"]
    assert iwo.text("rates", "categories") == "categories: translation\n  1 ETH per unit at most\n"


def test_four_asks_are_withheld_five_are_published(iwo, board):
    for i, amount in enumerate(("0.02", "0.03", "0.04", "0.05"), start=1):
        out = iwo.text("rates", "post", "translation", amount, "--unit", "word", "--account", f"test{i}")
        assert out == f"posted your ask: {amount} ETH per word in translation\n"
    assert iwo.text("rates") == (
        f"{'translation':<18} per {'word':<8} {'ETH':<6} asks  withheld: fewer than 5 members (4)\n"
    )
    iwo.ok("rates", "post", "translation", "0.06", "--unit", "word", "--account", "test5")
    line = f"{'translation':<18} per {'word':<8} {'ETH':<6} asks  5 members  p25 0.03 ETH  p50 0.04 ETH  p75 0.05 ETH\n"
    assert iwo.text("rates") == line
    assert iwo.text("rates", "translation") == line
    (cell,) = iwo.json("rates")["cells"]
    assert cell["percentiles"] == {"25": 3 * 10**16, "50": 4 * 10**16, "75": 5 * 10**16}  # never 0.02 or 0.06


def test_a_new_post_replaces_the_old_one(iwo, board):
    iwo.ok("rates", "post", "translation", "0.07", "--unit", "word", "--account", "test1")  # was 0.02
    (cell,) = iwo.json("rates")["cells"]
    assert (cell["members"], cell["percentiles"]["25"]) == (5, 4 * 10**16)


def test_withdrawing_brings_the_cell_below_k(iwo, board):
    assert iwo.text("rates", "withdraw", "translation", "--account", "test5") == "withdrew your ask in translation\n"
    (cell,) = iwo.json("rates")["cells"]
    assert (cell["members"], cell["published"], cell["percentiles"]) == (4, False, {})
    assert iwo.refused("rates", "withdraw", "translation", "--account", "test5", sender="test5") == (
        f"{iwo.addr('test5')} has no current ask in 'translation'"
    )


def test_post_refusals(iwo, board):
    def refused(*args, sender="test6", usage=False):
        return iwo.refused("rates", "post", *args, "--account", sender, sender=sender, usage=usage)

    assert refused("cooking", "1", "--unit", "hour") == (
        "riders-collective takes no asks in category 'cooking' (its categories: translation)"
    )
    assert refused("translation", "5", "--unit", "word") == "amount above the collective's cap of 1 ETH per unit"
    assert refused("translation", "0", "--unit", "word") == "amount must be more than zero (got '0')"
    assert refused("translation", "1e3", "--unit", "word", usage=True) == (
        "Invalid value for 'AMOUNT': not an amount: '1e3' (digits 0-9 and one '.', e.g. 0.5)"
    )
    assert refused("translation", "0.1", "--unit", "w" * 33) == "--unit too long: 33 bytes, at most 32 bytes of UTF-8"
    assert refused("translation", "0.1", "--unit", "word", sender="test9") == (
        f"{iwo.addr('test9')} is not a member in good standing of riders-collective: only they post asks"
    )
