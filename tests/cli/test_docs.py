"""`iwo propose adopt` and `iwo docs`: the texts a collective adopted by vote, known by their
sha256; what superseded what; checking a file against them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest


def utc(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


def passed(iwo, pid: int, voters=("test1", "test2")):
    """Votes `pid` through and executes it (voting delay 1d, period 3d, timelock 1d)."""
    iwo.ok("node", "advance", "1d1m")
    for voter in voters:
        iwo.ok("vote", str(pid), "for", "--account", voter)
    iwo.ok("node", "advance", "3d")
    iwo.ok("queue", str(pid), "--account", "test7")
    iwo.ok("node", "advance", "1d")
    iwo.ok("execute", str(pid), "--account", "test7")


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("texts")
    out = {}
    for name, body in {
        "rates-v1": "Minimum rate: 18 EUR per hour.\n",
        "rates-v2": "Minimum rate: 20 EUR per hour.\n",
        "contract": "Model contract: 14 days to approve, then paid.\n",
        "draft": "A draft nobody adopted.\n",
    }.items():
        path = folder / f"{name}.txt"
        path.write_text(body)
        out[name] = (path, hashlib.sha256(body.encode()).hexdigest())
    return out


@pytest.fixture(scope="module")
def adopted(iwo, collective, texts):
    for who in ("test1", "test2"):
        iwo.ok("dues", "pay", "--periods", "12", "--account", who)
    iwo.ok("node", "advance", "60")
    path, _ = texts["rates-v1"]
    first = iwo.json(
        "propose",
        "adopt",
        path,
        "--title",
        "Minimum rates",
        "--kind",
        "rate-guideline",
        "-m",
        "Rates v1",
        "--account",
        "test1",
    )
    passed(iwo, first["id"])
    path, _ = texts["contract"]
    template = iwo.json(
        "propose",
        "adopt",
        path,
        "--title",
        "Model contract",
        "--kind",
        "contract-template",
        "-m",
        "Our contract",
        "--account",
        "test2",
    )
    passed(iwo, template["id"])
    path, _ = texts["rates-v2"]
    second = iwo.json("propose", "adopt", path, "--title", "Minimum rates", "-m", "Rates v2", "--account", "test1")
    passed(iwo, second["id"])
    path, _ = texts["draft"]
    draft = iwo.json("propose", "adopt", path, "--title", "Draft", "-m", "Not to be adopted", "--account", "test2")
    return {"v1": first["id"], "template": template["id"], "v2": second["id"], "draft": draft["id"]}


def test_the_record_is_in_the_description(iwo, adopted, texts):
    shown = iwo.json("proposals", "show", str(adopted["v1"]))
    assert shown["description"] == (
        f"Rates v1\n\nDocument: Minimum rates\nsha256: {texts['rates-v1'][1]}\nkind: rate-guideline"
    )
    assert shown["explained"] == ["signal only: no action, the decision is the text"]


def test_list_shows_the_current_texts(iwo, adopted, texts):
    rows = iwo.json("docs", "list")
    assert [(r["title"], r["sha256"], r["proposal_id"], r["kind"]) for r in rows] == [
        ("Model contract", texts["contract"][1], adopted["template"], "contract-template"),
        ("Minimum rates", texts["rates-v2"][1], adopted["v2"], "other"),
    ]
    v2 = rows[1]
    assert v2["supersedes"] == texts["rates-v1"][1] and v2["superseded_by"] is None and v2["current"] is True
    lines = iwo.text("docs", "list").splitlines()
    assert lines[1] == (
        f"#{adopted['v2']:<4} current     {utc(v2['adopted_time']):<20}  {texts['rates-v2'][1][:12]}…  "
        f"{'other':<17} Minimum rates"
    )


def test_list_all_shows_superseded_and_unadopted(iwo, adopted, texts):
    rows = {r["proposal_id"]: r for r in iwo.json("docs", "list", "--all")}
    assert rows[adopted["v1"]]["superseded_by"] == texts["rates-v2"][1]
    assert rows[adopted["v1"]]["current"] is False and rows[adopted["v1"]]["adopted"] is True
    assert rows[adopted["draft"]]["adopted"] is False and rows[adopted["draft"]]["adopted_time"] is None


def test_verify_a_file(iwo, adopted, texts, tmp_path):
    path, sha = texts["rates-v2"]
    result = iwo.run("docs", "verify", path)
    assert result.exit_code == 0
    adopted_time = iwo.json("docs", "show", sha[:10])["adopted_time"]
    assert result.stdout == (
        f"{path} is exactly 'Minimum rates', adopted by proposal #{adopted['v2']} on {utc(adopted_time)} (current)\n"
    )
    old, old_sha = texts["rates-v1"]
    data = iwo.json("docs", "verify", old)
    assert (data["adopted"], data["current"], data["document"]["superseded_by"]) == (True, False, sha)
    changed = tmp_path / "rates-v2-edited.txt"
    changed.write_text(path.read_text() + " ")  # one byte more is another text
    result = iwo.run("docs", "verify", changed)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{changed} is not a document of riders-collective (sha256 ")
    draft, _ = texts["draft"]
    result = iwo.run("docs", "verify", draft)
    assert (result.exit_code, result.stdout) == (
        1,
        f"{draft} was proposed as 'Draft' in #{adopted['draft']} but never adopted\n",
    )


def test_show_by_id_hash_or_title(iwo, adopted, texts):
    by_id = iwo.json("docs", "show", f"#{adopted['template']}")
    assert by_id == iwo.json("docs", "show", texts["contract"][1][:8]) == iwo.json("docs", "show", "model contract")
    assert iwo.json("docs", "show", "Minimum rates")["proposal_id"] == adopted["v2"]  # the current one
    lines = iwo.text("docs", "show", str(adopted["v2"])).splitlines()
    assert lines[0] == "Minimum rates"
    assert lines[-1] == f"  supersedes    {texts['rates-v1'][1]}"
    assert iwo.refused("docs", "show", "nothing like it") == (
        "no document 'nothing like it' in riders-collective (see `iwo docs list --all`)"
    )


def test_adopt_refuses_bad_input(iwo, adopted, texts):
    path, _ = texts["draft"]

    def refused(*args, usage=False):
        return iwo.refused("propose", "adopt", *args, "--account", "test1", sender="test1", usage=usage)

    assert refused(path, "--title", " ", "-m", "x") == "--title cannot be empty"
    assert refused(path, "--title", "t" * 121, "-m", "x") == "--title too long (121 characters, at most 120)"
    assert refused(path, "--title", "T", "--supersedes", "abc", "-m", "x") == (
        "--supersedes takes the sha256 (64 hex digits) of the adopted text it replaces"
    )
    assert refused(path, "--title", "T", "-m", "\u00e9" * 1000) == (
        "description with its document record too long: 2098 bytes, at most 2048 bytes of UTF-8"
    )
    assert refused("/nonexistent.txt", "--title", "T", "-m", "x", usage=True).startswith("Invalid value for 'FILE'")
