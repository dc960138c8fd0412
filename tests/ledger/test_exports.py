"""Exports of the ledger: CSV, `iwo ledger --json`, the text table, --asset, and the PNG
whose 'iwo-series' metadata holds exactly the series it draws."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from ledger_conftest import ETH, fresh_build
from PIL import Image

from iwo import ledger
from iwo.cli import main

CSV_HEADER = [
    "block",
    "time",
    "tx",
    "direction",
    "counterparty",
    "asset",
    "symbol",
    "amount",
    "amount_text",
    "balance",
    "balance_text",
    "kind",
    "what",
    "proposal_id",
    "member",
    "periods",
    "flagged",
]


def cli(home, *args):
    return CliRunner(mix_stderr=False).invoke(
        main, [str(a) for a in args], env={"IWO_HOME": str(home)}, prog_name="iwo"
    )


def as_csv_row(row: dict) -> dict:
    return {k: "" if row[k] is None else str(row[k]) for k in CSV_HEADER}


def read_csv(text: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text))
    return reader.fieldnames, list(reader)


def expected_series(scenario) -> dict:
    """Per symbol: the scenario's rows of that asset (reserves are not money moving), scaled."""
    out = {}
    for asset, (symbol, decimals) in scenario.symbols.items():
        rows = [r for r in scenario.expected if r["asset"] == asset and r["direction"] != "reserve"]
        scale = 10**decimals
        out[symbol] = {
            "asset": asset,
            "time": [r["time"] for r in rows],
            "balance": [r["balance"] / scale for r in rows],
            "inflow": [r["amount"] / scale if r["direction"] == "in" else 0 for r in rows],
            "outflow": [r["amount"] / scale if r["direction"] == "out" else 0 for r in rows],
        }
    return out


@pytest.fixture(scope="module")
def book(scenario, tmp_path_factory):
    return fresh_build(scenario, tmp_path_factory.mktemp("exports") / "cache.sqlite")


def test_csv_carries_the_table_rows(scenario, book):
    header, rows = read_csv(ledger.to_csv(book.rows))
    assert header == CSV_HEADER
    assert rows == [as_csv_row(r) for r in scenario.expected]
    assert rows == [as_csv_row(r) for r in book.as_dicts()]


def test_csv_of_no_rows_is_the_header_alone():
    assert ledger.to_csv([]) == ",".join(CSV_HEADER) + "\n"


def test_cli_json_csv_and_table_agree(scenario, book, tmp_path):
    home, csv_path = tmp_path / "home", tmp_path / "ledger.csv"
    result = cli(home, "ledger", "--rpc", scenario.url, "-c", scenario.governor.address, "--json", "--csv", csv_path)
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data == {
        "governor": scenario.governor.address,
        "treasury": scenario.treasury.address,
        "chain_id": 31337,
        "from_block": scenario.created_block,
        "to_block": scenario.net.head(),
        "closing": {"ETH": 103 * 10**16, "USDX": 375 * 10**6},
        "rows": scenario.expected,
    }
    assert data["rows"] == book.as_dicts()
    header, rows = read_csv(csv_path.read_text())
    assert (header, rows) == (CSV_HEADER, [as_csv_row(r) for r in scenario.expected])
    table = cli(home, "ledger", "--rpc", scenario.url, "-c", scenario.governor.address)
    assert table.exit_code == 0, table.stdout + table.stderr
    lines = table.stdout.splitlines()
    assert len(lines) == len(scenario.expected) + 1
    assert lines[-1] == "closing: 1.03 ETH, 375 USDX"
    for line, row in zip(lines, scenario.expected, strict=False):
        sign = {"in": "+", "out": "-", "reserve": "="}[row["direction"]]
        assert (
            f"block {row['block']:>6}  {sign} {row['amount_text']:>16}  {row['what']:<70}  balance "
            f"{row['balance_text']}" in line
        )


@pytest.mark.parametrize("choice", ["USDX", "usdx", "token-address", "token-address-lower"])
def test_asset_filter_token(scenario, tmp_path, choice):
    token = scenario.token.address
    asset = {"token-address": token, "token-address-lower": token.lower()}.get(choice, choice)
    csv_path = tmp_path / "usdx.csv"
    result = cli(
        tmp_path / "home",
        "ledger",
        "--rpc",
        scenario.url,
        "-c",
        scenario.governor.address,
        "--json",
        "--asset",
        asset,
        "--csv",
        csv_path,
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    wanted = [r for r in scenario.expected if r["asset"] == token]
    assert [r["kind"] for r in wanted] == ["DonationReceived", "TokenIn", "Payment", "PoolFunded", "Payment"]
    data = json.loads(result.stdout)
    assert data["rows"] == wanted
    assert data["closing"] == {"ETH": 103 * 10**16, "USDX": 375 * 10**6}  # closing stays whole-book
    assert read_csv(csv_path.read_text()) == (CSV_HEADER, [as_csv_row(r) for r in wanted])


@pytest.mark.parametrize("choice", ["ETH", "eth", ETH])
def test_asset_filter_eth(scenario, tmp_path, choice):
    result = cli(
        tmp_path / "home", "ledger", "--rpc", scenario.url, "-c", scenario.governor.address, "--json", "--asset", choice
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["rows"] == [r for r in scenario.expected if r["asset"] == ETH]


def test_asset_filter_unknown_asset(scenario, tmp_path):
    result = cli(tmp_path / "home", "ledger", "--rpc", scenario.url, "-c", scenario.governor.address, "--asset", "DAI")
    assert result.exit_code == 1
    assert result.stderr == "Error: the treasury never held 'DAI'\n"


def test_series_matches_the_rows(scenario, book):
    got = ledger.series(book)
    assert got == expected_series(scenario)
    assert got["ETH"]["balance"] == [0.02, 0.03, 1.03, 1.08, 1.38, 1.13, 1.03]
    assert got["ETH"]["inflow"] == [0.02, 0.01, 1.0, 0.05, 0.3, 0, 0]
    assert got["ETH"]["outflow"] == [0, 0, 0, 0, 0, 0.25, 0.1]
    assert got["USDX"] == {
        "asset": scenario.token.address,
        "time": [r["time"] for r in scenario.expected if r["symbol"] == "USDX" and r["kind"] != "PoolFunded"],
        "balance": [500.0, 525.0, 405.0, 375.0],
        "inflow": [500.0, 25.0, 0, 0],
        "outflow": [0, 0, 120.0, 30.0],
    }


def _png_series(path):
    with Image.open(path) as image:
        image.verify()
        assert image.format == "PNG"
    with Image.open(path) as image:  # verify() leaves the image unusable: open again to read
        image.load()
        assert image.size[0] > 0 and image.size[1] > 0
        return json.loads(image.text["iwo-series"])


def test_plot_png_carries_the_series(scenario, book, tmp_path):
    path = tmp_path / "ledger.png"
    drawn = ledger.plot(book, path)
    assert drawn == ledger.series(book)
    assert _png_series(path) == json.loads(json.dumps(ledger.series(book))) == expected_series(scenario)


def test_cli_plot(scenario, tmp_path):
    path = tmp_path / "cli.png"
    result = cli(
        tmp_path / "home", "ledger", "--rpc", scenario.url, "-c", scenario.governor.address, "--json", "--plot", path
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["rows"] == scenario.expected
    assert _png_series(path) == expected_series(scenario)


def test_plot_of_a_window(scenario, tmp_path):
    """A window draws only its rows: the series follow the window's ledger."""
    blocks = [r["block"] for r in scenario.expected]
    window = fresh_build(scenario, tmp_path / "cache.sqlite", from_block=blocks[3], to_block=blocks[5])
    path = tmp_path / "window.png"
    ledger.plot(window, path)
    rows = scenario.expected[3:6]
    assert _png_series(path) == {
        "ETH": {
            "asset": ETH,
            "time": [r["time"] for r in rows],
            "balance": [1.03, 1.08, 1.38],
            "inflow": [1.0, 0.05, 0.3],
            "outflow": [0, 0, 0],
        }
    }


def test_plot_of_nothing_is_refused(scenario, tmp_path):
    start = scenario.created_block
    empty = fresh_build(scenario, tmp_path / "cache.sqlite", to_block=start)
    assert empty.rows == []
    path = tmp_path / "empty.png"
    with pytest.raises(ledger.IwoError, match="^nothing to plot: the ledger has no movements$"):
        ledger.plot(empty, path)
    assert not path.exists()
