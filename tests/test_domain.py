"""The Python domain layer: units, signed ballots, settings; and the ballot digest against the governor."""

import copy
import json
import re
from dataclasses import replace
from types import SimpleNamespace

import ape
import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak
from utils.constants import ABSTAIN, AGAINST, FOR, PENDING, SETTINGS

from iwo import ballot as ballot_module
from iwo.ballot import SUPPORT, Ballot, SignedBallot, parse_support
from iwo.collective import DAY, DEFAULTS, PROPOSAL_STATES, Settings, state_name
from iwo.units import format_amount, format_duration, parse_amount, parse_bps, parse_duration

KEY = "0x" + "4c" * 32
OTHER_KEY = "0x" + "7e" * 32
VOTER = Account.from_key(KEY).address
GOVERNOR = "0x" + "ab" * 20


def exactly(message):
    return "^" + re.escape(message) + "$"


def make_ballot(**changes):
    fields = dict(
        chain_id=1337, governor=GOVERNOR, proposal_id=7, support=1, voter=VOTER, expiry=2_000_000_000, reason=""
    )
    fields.update(changes)
    return Ballot(**fields)


# --- durations ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text,seconds",
    [
        ("30d", 30 * DAY),
        ("1w2d", 9 * DAY),
        ("90", 90),
        ("0", 0),
        ("0s", 0),
        (" 12H ", 12 * 3600),
        ("1d1h1m1s", 90061),
        ("2h1d", DAY + 2 * 3600),
        (45, 45),
        (0, 0),
    ],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "1d 2h", "1y", "-5", "1.5d", "d", "5 d", "1d-"])
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError, match=exactly(f"not a duration: {text!r} (use e.g. 30d, 12h, 1w2d, or seconds)")):
        parse_duration(text)


def test_parse_duration_rejects_negative_int():
    with pytest.raises(ValueError, match=exactly("duration cannot be negative")):
        parse_duration(-1)


@pytest.mark.parametrize(
    "seconds,text",
    [(30 * DAY, "30d"), (90061, "1d1h1m1s"), (0, "0s"), (3600, "1h"), (7 * DAY, "7d"), (59, "59s"), (DAY + 60, "1d1m")],
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize("seconds", [0, 1, 59, 60, 3599, 3600, 86_399, 86_400, 90_061, 30 * DAY, 5 * 365 * DAY + 7])
def test_duration_round_trip(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize("text,canonical", [("1w", "7d"), ("90", "1m30s"), ("24h", "1d"), ("1d1h1m1s", "1d1h1m1s")])
def test_duration_canonical_form(text, canonical):
    assert format_duration(parse_duration(text)) == canonical


# --- percentages ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text,bps",
    [
        ("25%", 2500),
        ("66.67%", 6667),
        ("2500bps", 2500),
        ("0%", 0),
        ("100%", 10_000),
        ("0.01%", 1),
        (" 50 % ", 5000),
        ("10000BPS", 10_000),
        ("0bps", 0),
    ],
)
def test_parse_bps(text, bps):
    assert parse_bps(text) == bps


@pytest.mark.parametrize(
    "text,message",
    [
        ("0.001%", "too many decimals in '0.001%' (0.01% is the smallest step)"),
        ("66.666%", "too many decimals in '66.666%' (0.01% is the smallest step)"),
        ("25", "not a percentage: '25' (use e.g. 25% or 2500bps)"),
        ("x%", "not a percentage: 'x%' (use e.g. 25% or 2500bps)"),
        ("", "not a percentage: '' (use e.g. 25% or 2500bps)"),
        ("101%", "percentage out of range: '101%'"),
        ("-1%", "not a percentage: '-1%' (use e.g. 25% or 2500bps)"),
        ("1_0%", "not a percentage: '1_0%' (use e.g. 25% or 2500bps)"),
        ("\u0662\u0665%", "not a percentage: '\u0662\u0665%' (use e.g. 25% or 2500bps)"),
        ("10001bps", "percentage out of range: '10001bps'"),
        ("-5bps", "not a percentage: '-5bps' (use e.g. 25% or 2500bps)"),
        ("\uff15bps", "not a percentage: '\uff15bps' (use e.g. 25% or 2500bps)"),
    ],
)
def test_parse_bps_rejects(text, message):
    with pytest.raises(ValueError, match=exactly(message)):
        parse_bps(text)


@pytest.mark.parametrize("text", ["abcbps", "12.5bps", "inf%", "nan%"])
def test_parse_bps_rejects_garbage_with_its_own_message(text):
    with pytest.raises(ValueError, match=exactly(f"not a percentage: {text!r} (use e.g. 25% or 2500bps)")):
        parse_bps(text)


@pytest.mark.parametrize("bps", [0, 1, 2500, 6667, 10_000])
def test_bps_round_trip_through_percent(bps):
    assert parse_bps(f"{bps / 100}%") == bps
    assert parse_bps(f"{bps}bps") == bps


# --- amounts --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,decimals,value",
    [
        ("1.5", 18, 1_500_000_000_000_000_000),
        ("0", 6, 0),
        ("100", 0, 100),
        ("0.000001", 6, 1),
        (" 2 ", 6, 2_000_000),
        ("0.01", 18, 10**16),
        ("1.500", 2, 150),
    ],
)
def test_parse_amount(text, decimals, value):
    assert parse_amount(text, decimals) == value


@pytest.mark.parametrize(
    "text,decimals,message",
    [
        ("abc", 18, "not an amount: 'abc' (digits 0-9 and one '.', e.g. 0.5)"),
        ("", 18, "not an amount: '' (digits 0-9 and one '.', e.g. 0.5)"),
        ("1,5", 18, "not an amount: '1,5' (digits 0-9 and one '.', e.g. 0.5)"),
        ("-1", 18, "amount must be a non-negative number: '-1'"),
        ("inf", 18, "not an amount: 'inf' (digits 0-9 and one '.', e.g. 0.5)"),
        ("nan", 18, "not an amount: 'nan' (digits 0-9 and one '.', e.g. 0.5)"),
        ("1e3", 0, "not an amount: '1e3' (digits 0-9 and one '.', e.g. 0.5)"),
        ("1_0", 18, "not an amount: '1_0' (digits 0-9 and one '.', e.g. 0.5)"),
        ("\u0663", 18, "not an amount: '\u0663' (digits 0-9 and one '.', e.g. 0.5)"),
        ("\uff11", 18, "not an amount: '\uff11' (digits 0-9 and one '.', e.g. 0.5)"),
        ("1.0000001", 6, "'1.0000001' has more than 6 decimals"),
        ("0.5", 0, "'0.5' has more than 0 decimals"),
    ],
)
def test_parse_amount_rejects(text, decimals, message):
    with pytest.raises(ValueError, match=exactly(message)):
        parse_amount(text, decimals)


@pytest.mark.parametrize(
    "value,decimals,text",
    [
        (1_500_000_000_000_000_000, 18, "1.5"),
        (0, 18, "0"),
        (1, 18, "0.000000000000000001"),
        (10**20, 18, "100"),
        (123_456, 6, "0.123456"),
        (10**6, 6, "1"),
        (42, 0, "42"),
    ],
)
def test_format_amount(value, decimals, text):
    assert format_amount(value, decimals) == text


@pytest.mark.parametrize("value", [0, 1, 10**16, 123_456_789, 10**18 + 1, 2**64, 10**27 + 7])
@pytest.mark.parametrize("decimals", [0, 6, 18])
def test_amount_round_trip(value, decimals):
    assert parse_amount(format_amount(value, decimals), decimals) == value


@pytest.mark.parametrize(
    "text,decimals,value",
    [
        ("10000000000.000000000000000001", 18, 10**28 + 1),  # 10 billion tokens and 1 wei
        ("123456789012.345678901234567891", 18, 123456789012345678901234567891),
    ],
)
def test_large_amounts_are_exact(text, decimals, value):
    assert parse_amount(text, decimals) == value
    assert format_amount(value, decimals) == text


# --- support words ----------------------------------------------------------------


@pytest.mark.parametrize(
    "word,number",
    [
        ("for", FOR),
        ("against", AGAINST),
        ("abstain", ABSTAIN),
        (" FOR ", FOR),
        ("Abstain", ABSTAIN),
        (0, 0),
        (1, 1),
        (2, 2),
    ],
)
def test_parse_support(word, number):
    assert parse_support(word) == number


@pytest.mark.parametrize("word", ["yes", "", 3, -1, "for!"])
def test_parse_support_rejects(word):
    with pytest.raises(ValueError, match=exactly(f"support must be one of for, against, abstain (got {word!r})")):
        parse_support(word)


def test_support_numbers_match_the_contract():
    assert SUPPORT == {"against": AGAINST, "for": FOR, "abstain": ABSTAIN}


# --- ballots ------------------------------------------------------------------------


def test_typed_data_shape():
    b = make_ballot(reason="because")
    data = b.typed_data()
    assert data["primaryType"] == "Ballot"
    assert data["domain"] == {"name": "iwo", "version": "1", "chainId": 1337, "verifyingContract": GOVERNOR}
    assert data["message"] == {
        "proposalId": 7,
        "support": 1,
        "voter": VOTER,
        "expiry": 2_000_000_000,
        "reason": "because",
    }
    assert [f["name"] for f in data["types"]["Ballot"]] == ["proposalId", "support", "voter", "expiry", "reason"]


def test_typed_data_is_not_shared():
    saved = copy.deepcopy(ballot_module.EIP712_TYPES)
    digest = make_ballot().digest()
    try:
        # e.g. a wallet adapter that drops the domain type, as some wallets require
        del make_ballot().typed_data()["types"]["EIP712Domain"]
        assert make_ballot().typed_data()["types"] == saved
        assert make_ballot().digest() == digest
    finally:
        ballot_module.EIP712_TYPES.clear()
        ballot_module.EIP712_TYPES.update(saved)


def test_ballot_type_string_matches_the_contract_typehash(collective):
    fields = make_ballot().typed_data()["types"]["Ballot"]
    type_string = "Ballot(" + ",".join(f"{f['type']} {f['name']}" for f in fields) + ")"
    assert bytes(collective.governor.BALLOT_TYPEHASH()) == keccak(text=type_string)


@pytest.mark.parametrize("reason", ["", "fair price", "ünïcødé ✊"])
def test_signed_ballot_recovers_the_voter(reason):
    b = make_ballot(reason=reason)
    signed = b.sign(KEY)
    assert signed.ballot == b
    assert signed.signature.startswith("0x") and len(signed.signature) == 132
    assert signed.recover() == VOTER
    assert signed.is_valid()


def test_signature_by_someone_else_is_not_valid():
    b = make_ballot()
    signed = b.sign(OTHER_KEY)
    assert signed.recover() == Account.from_key(OTHER_KEY).address
    assert not signed.is_valid()


@pytest.mark.parametrize(
    "change",
    [
        {"support": 0},
        {"proposal_id": 8},
        {"expiry": 2_000_000_001},
        {"reason": "x"},
        {"chain_id": 1},
        {"governor": "0x" + "cd" * 20},
    ],
)
def test_tampered_ballot_is_not_valid(change):
    signed = make_ballot().sign(KEY)
    tampered = SignedBallot(replace(signed.ballot, **change), signed.signature)
    assert tampered.recover() != VOTER
    assert not tampered.is_valid()


def test_garbage_signature_is_not_valid():
    assert not SignedBallot(make_ballot(), "0x" + "00" * 65).is_valid()
    assert not SignedBallot(make_ballot(), "0xzz").is_valid()


def test_with_signature_accepts_bytes_and_hex():
    b = make_ballot()
    signed = b.sign(KEY)
    raw = bytes.fromhex(signed.signature[2:])
    assert b.with_signature(raw) == signed
    assert b.with_signature(bytearray(raw)) == signed
    assert b.with_signature(signed.signature) == signed


def test_call_args_order():
    b = make_ballot(reason="r")
    signed = b.sign(KEY)
    args = signed.call_args()
    assert args[:5] == (7, 1, VOTER, 2_000_000_000, "r")
    assert isinstance(args[5], bytes) and len(args[5]) == 65
    assert "0x" + args[5].hex() == signed.signature


def test_digest_is_the_signed_hash():
    b = make_ballot(reason="why not")
    signed = b.sign(KEY)
    assert Account._recover_hash(b.digest(), signature=signed.signature) == VOTER
    assert len(b.digest()) == 32
    assert b.digest() != make_ballot(reason="why").digest()


# --- ballot files ----------------------------------------------------------------------


def test_signed_ballot_json_round_trip():
    signed = make_ballot(support=2, reason="on leave").sign(KEY)
    text = signed.to_json()
    data = json.loads(text)
    assert data["signature"] == signed.signature
    assert data["support_name"] == "abstain"
    assert data["typed_data"] == signed.ballot.typed_data()
    back = SignedBallot.from_json(text)
    assert back == signed
    assert back.is_valid()


def test_relay_file_falls_back_to_its_typed_data():
    signed = make_ballot(reason="see typed data").sign(KEY)
    data = json.loads(signed.to_json())
    for key in ("chain_id", "governor", "proposal_id", "support", "voter", "expiry", "reason"):
        del data[key]
    assert SignedBallot.from_json(json.dumps(data)) == signed


def test_json_without_reason_defaults_to_empty():
    signed = make_ballot().sign(KEY)
    data = json.loads(signed.to_json())
    del data["reason"]
    assert SignedBallot.from_json(json.dumps(data)) == signed


def _ballot_file(**changes):
    """Our relay file, edited; without its `typed_data` copy, so the flat fields are read."""
    data = json.loads(make_ballot().sign(KEY).to_json())
    del data["typed_data"]
    for key, value in changes.items():
        if value is KeyError:
            del data[key]
        else:
            data[key] = value
    return json.dumps(data)


@pytest.mark.parametrize(
    "text,message",
    [
        (_ballot_file(voter=KeyError), "not a signed ballot: 'voter'"),
        (_ballot_file(signature=KeyError), "not a signed ballot: 'signature'"),
        (_ballot_file(chain_id=KeyError), "not a signed ballot: 'chain_id'"),
        (_ballot_file(support=7), "not a signed ballot: support must be one of for, against, abstain (got 7)"),
        (_ballot_file(support="for"), "not a signed ballot: invalid literal for int() with base 10: 'for'"),
        (
            _ballot_file(proposal_id=None),
            "not a signed ballot: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
        ),
        (_ballot_file(signature="ab" * 66), "not a signed ballot: signature must be 65 bytes of hex"),
        (_ballot_file(signature="0x" + "ab" * 64), "not a signed ballot: signature must be 65 bytes of hex"),
        (_ballot_file(signature="0x" + "ab" * 66), "not a signed ballot: signature must be 65 bytes of hex"),
        (_ballot_file(signature=None), "not a signed ballot: signature missing"),
        (_ballot_file(signature=1234), "not a signed ballot: signature missing"),
        (_ballot_file(signature="0x" + "zz" * 65), "not a signed ballot: signature is not hex"),
        ("[1, 2, 3]", "not a signed ballot: expected a JSON object"),
        ('"0x1234"', "not a signed ballot: expected a JSON object"),
        ("signature: 0x1234", "not JSON (Expecting value)"),
        ('{"chain_id": 1,', "not JSON (Expecting property name enclosed in double quotes)"),
    ],
)
def test_malformed_ballot_files_rejected(text, message):
    with pytest.raises(ValueError, match=exactly(message)):
        SignedBallot.from_json(text)


# --- wallet files: {"typed_data": ..., "signature": ...} --------------------------------


def _wallet_file(signed, **typed_changes):
    typed = copy.deepcopy(signed.ballot.typed_data())  # see test_typed_data_is_not_shared
    for path, value in typed_changes.items():
        node = typed
        *parents, leaf = path.split("__")
        for p in parents:
            node = node[p]
        if value is KeyError:
            del node[leaf]
        else:
            node[leaf] = value
    return json.dumps({"typed_data": typed, "signature": signed.signature})


def test_wallet_typed_data_file_accepted():
    signed = make_ballot(support=0, reason="no budget").sign(KEY)
    back = SignedBallot.from_json(_wallet_file(signed))
    assert back == signed
    assert back.is_valid()


def test_wallet_file_without_reason_defaults_to_empty():
    signed = make_ballot().sign(KEY)
    assert SignedBallot.from_json(_wallet_file(signed, message__reason=KeyError)) == signed


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"primaryType": "Mail"}, "not a signed ballot: typed data is not an iwo Ballot"),
        (
            {"types__Ballot": [{"name": "proposalId", "type": "uint256"}]},
            "not a signed ballot: typed data is not an iwo Ballot",
        ),
        ({"domain__name": "Uniswap"}, "not a signed ballot: wrong EIP-712 domain name or version"),
        ({"domain__version": "2"}, "not a signed ballot: wrong EIP-712 domain name or version"),
        (
            {"domain__chainId": KeyError},
            "not a signed ballot: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
        ),
        (
            {"message__expiry": KeyError},
            "not a signed ballot: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
        ),
        ({"message__support": 9}, "not a signed ballot: support must be one of for, against, abstain (got 9)"),
    ],
)
def test_wallet_file_rejected(changes, message):
    signed = make_ballot().sign(KEY)
    with pytest.raises(ValueError, match=exactly(message)):
        SignedBallot.from_json(_wallet_file(signed, **changes))


@pytest.mark.parametrize("missing", ["message__voter", "domain__verifyingContract"])
def test_wallet_file_missing_an_address_rejected(missing):
    signed = make_ballot().sign(KEY)
    with pytest.raises(ValueError, match="^not a signed ballot: "):
        SignedBallot.from_json(_wallet_file(signed, **{missing: KeyError}))


def test_wallet_file_without_signature_rejected():
    data = json.loads(_wallet_file(make_ballot().sign(KEY)))
    del data["signature"]
    with pytest.raises(ValueError, match=exactly("not a signed ballot: signature missing")):
        SignedBallot.from_json(json.dumps(data))


# --- settings and states ---------------------------------------------------------------


def test_settings_defaults():
    assert DEFAULTS == Settings() == SETTINGS
    assert DEFAULTS.as_tuple() == (DAY, 3 * DAY, DAY, 7 * DAY, 2500, 6667, 7 * DAY)


def test_settings_from_struct_forms():
    s = Settings(1, 2, 3, 4, 5, 6, 7)
    names = [
        "voting_delay",
        "voting_period",
        "timelock_delay",
        "execution_window",
        "quorum_bps",
        "constitutional_bps",
        "dues_grace",
    ]
    assert Settings.from_struct((1, 2, 3, 4, 5, 6, 7)) == s
    assert Settings.from_struct(["1", "2", "3", "4", "5", "6", "7"]) == s
    assert Settings.from_struct(dict(zip(names, range(1, 8)))) == s
    assert Settings.from_struct(SimpleNamespace(**dict(zip(names, range(1, 8))))) == s
    with pytest.raises(KeyError):
        Settings.from_struct({"voting_delay": 1})


def test_settings_from_the_chain(collective):
    assert Settings.from_struct(collective.governor.settings()) == SETTINGS
    assert Settings.from_struct(collective.governor.settings_at(0)) == SETTINGS


def test_settings_replace():
    s = SETTINGS.replace(quorum_bps=5000, dues_grace=0)
    assert s.quorum_bps == 5000 and s.dues_grace == 0
    assert s.voting_period == SETTINGS.voting_period
    assert SETTINGS.quorum_bps == 2500  # the original is untouched
    with pytest.raises(ValueError, match=exactly("unknown settings: bogus, quorum")):
        SETTINGS.replace(quorum=1, bogus=2, dues_grace=0)


@pytest.mark.parametrize("index,name", list(enumerate(PROPOSAL_STATES)))
def test_state_name(index, name):
    assert state_name(1 << index) == name


@pytest.mark.parametrize("value", [0, 3, 6, -1, -2, 255])
def test_state_name_rejects(value):
    with pytest.raises(ValueError, match=exactly(f"not a proposal state flag: {value}")):
        state_name(value)


def test_state_name_rejects_flags_beyond_the_last_state():
    with pytest.raises(ValueError, match=exactly("not a proposal state flag: 256")):
        state_name(256)


# --- the governor agrees ---------------------------------------------------------------


@pytest.mark.parametrize(
    "pid,support,expiry,reason",
    [(1, FOR, 2_000_000_000, ""), (42, AGAINST, 0, "too expensive"), (2**32 - 1, ABSTAIN, 2**256 - 1, "ünïcødé ✊")],
)
def test_digest_matches_the_governor(collective, founders, chain, pid, support, expiry, reason):
    gov = collective.governor
    b = Ballot(
        chain_id=chain.chain_id,
        governor=gov.address,
        proposal_id=pid,
        support=support,
        voter=founders[1].address,
        expiry=expiry,
        reason=reason,
    )
    on_chain = bytes(gov.ballot_digest(pid, support, founders[1], expiry, reason))
    assert b.digest() == on_chain
    # the domain binds chain and contract
    assert replace(b, chain_id=chain.chain_id + 1).digest() != on_chain
    assert replace(b, governor=collective.card.address).digest() != on_chain
    assert encode_typed_data(full_message=b.typed_data()).header == bytes(gov.DOMAIN_SEPARATOR())


def test_ballot_file_relayed_on_chain(collective, founders, outsider, gov_helpers, chain):
    h, c = gov_helpers, collective
    pid = h.propose(c, founders[0], [], "signal")
    assert state_name(c.governor.state(pid)) == "Pending" and c.governor.state(pid) == PENDING
    h.open_voting(c)
    voter = founders[2]
    ballot = Ballot(
        chain.chain_id, c.governor.address, pid, FOR, voter.address, chain.pending_timestamp + DAY, "by mail"
    )
    text = ballot.sign(voter.private_key).to_json()
    signed = SignedBallot.from_json(text)
    # a tampered file is refused by the contract
    forged = SignedBallot(replace(signed.ballot, support=AGAINST), signed.signature)
    with ape.reverts("governor: wrong signer"):
        c.governor.cast_vote_by_sig(*forged.call_args(), sender=outsider)
    receipt = c.governor.cast_vote_by_sig(*signed.call_args(), sender=outsider)
    ev = receipt.events.filter(c.governor.VoteCast)[0]
    assert (ev.voter, ev.proposal_id, ev.support) == (voter.address, pid, FOR)
    assert receipt.events.filter(c.governor.VoteReason)[0].reason == "by mail"
    assert state_name(c.governor.state(pid)) == "Active"


# --- ids and counts: ASCII digits only ---------------------------------------------------------
@pytest.mark.parametrize("text,value", [("1", 1), ("0", 0), (" 42 ", 42), (7, 7)])
def test_parse_int(text, value):
    from iwo.units import parse_int

    assert parse_int(text) == value


@pytest.mark.parametrize("text", ["1_0", "\u0663", "\uff11", "+1", "-1", "0x10", "1.0", "", " "])
def test_parse_int_refuses_anything_but_ascii_digits(text):
    from iwo.units import parse_int

    with pytest.raises(ValueError, match="^not a number: "):
        parse_int(text)


@pytest.mark.parametrize("text", ["\u0663d", "1_0d", "\uff11h", "\u0663"])
def test_parse_duration_refuses_other_scripts(text):
    with pytest.raises(ValueError, match="^not a duration: "):
        parse_duration(text)


def test_format_time():
    from iwo.units import format_time

    assert format_time(None) == "-"
    assert format_time(1_800_000_000) == "2027-01-15 08:00 UTC"
    assert format_time(1_800_000_000, 1_800_000_000 - 3600) == "2027-01-15 08:00 UTC (in 1h)"
    assert format_time(1_800_000_000, 1_800_000_000 + 90) == "2027-01-15 08:00 UTC (1m30s ago)"
