"""A token that reaches the treasury only by plain transfer (no treasury event names it) is
found through --token / Target.extra_tokens, in the ledger and in the audit."""

from click.testing import CliRunner

from iwo import ledger
from iwo.cli import main
from iwo.rpc import Rpc


def test_token_named_by_no_event_is_followed_when_asked(reverting, tmp_path):
    s = reverting
    gift = s.new_token("Gift", "GFT", 0, s.names.donor, 100)
    s.plain_token(s.names.donor, 9, record=False, token=gift)
    s.net.mine()
    rpc = Rpc(s.url)
    cache = ledger.Cache(tmp_path / "cache.sqlite")
    try:
        target = ledger.find_target(rpc, s.governor.address)
        unaware = ledger.build(rpc, cache, target)
        assert gift.address not in unaware.assets
        target.extra_tokens = (gift.address,)
        book = ledger.build(rpc, cache, target)
    finally:
        cache.close()
    assert book.assets[gift.address] == ("GFT", 0)
    assert book.closing[gift.address] == 9
    rows = [(r.direction, r.amount, r.kind, r.counterparty) for r in book.rows if r.asset == gift.address]
    assert rows == [("in", 9, "TokenIn", s.names.donor)]
    assert ledger.audit(rpc, book).ok


def test_token_option_on_the_command_line(reverting, tmp_path, monkeypatch):
    s = reverting
    gift = s.new_token("Gift", "GFT", 0, s.names.donor, 100)
    s.plain_token(s.names.donor, 4, record=False, token=gift)
    s.net.mine()
    monkeypatch.setenv("IWO_HOME", str(tmp_path))
    runner = CliRunner(mix_stderr=False)
    base = ["--rpc", s.url, "-c", s.governor.address, "--json"]
    plain = runner.invoke(main, ["ledger", *base])
    assert plain.exit_code == 0, plain.stderr
    assert "GFT" not in plain.stdout
    followed = runner.invoke(main, ["ledger", *base, "--token", gift.address, "--asset", "GFT"])
    assert followed.exit_code == 0, followed.stderr
    import json

    data = json.loads(followed.stdout)
    assert [(r["direction"], r["amount"], r["symbol"]) for r in data["rows"]] == [("in", 4, "GFT")]
    bad = runner.invoke(main, ["ledger", *base, "--token", "0x1234"])
    assert bad.exit_code == 1 and bad.stderr.strip() == "Error: not an address: '0x1234' (--token)"
