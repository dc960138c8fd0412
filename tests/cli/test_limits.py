"""The limits the CLI checks before sending (iwo.limits) are the contracts' own constants, and
the test accounts it names are the ones anvil's test mnemonic gives."""

import pytest

from iwo import limits
from iwo.accounts import TEST_ADDRESSES, TEST_MNEMONIC
from iwo.contracts import Contract
from iwo.session import connect

CONSTANTS = [
    ("IwoGovernor", "MAX_FOUNDERS", limits.MAX_FOUNDERS),
    ("IwoGovernor", "MAX_ACTIONS", limits.MAX_ACTIONS),
    ("IwoGovernor", "MAX_CALLDATA", limits.MAX_CALLDATA),
    ("IwoGovernor", "MAX_DESCRIPTION", limits.MAX_DESCRIPTION),
    ("IwoGovernor", "MAX_REASON", limits.MAX_REASON),
    ("IwoGovernor", "MAX_DURATION", limits.MAX_DURATION),
    ("IwoTreasury", "MAX_MEMO", limits.MAX_MEMO),
    ("IwoTreasury", "MAX_PERIODS", limits.MAX_PERIODS),
    ("IwoTreasury", "MAX_PERIOD", limits.MAX_PERIOD),
    ("IwoEscrow", "MAX_MILESTONES", limits.MAX_MILESTONES),
    ("IwoMutualAid", "AID_MONTH", limits.AID_MONTH),
    ("IwoMutualAid", "YEAR", limits.AID_YEAR),
    ("IwoMutualAid", "MAX_MONTHS", limits.MAX_AID_MONTHS),
    ("IwoMutualAid", "MAX_UNCLAIMED", limits.MAX_UNCLAIMED),
    ("IwoMutualAid", "MIN_DIVISOR", limits.MIN_DIVISOR),
    ("IwoMutualAid", "MAX_DIVISOR", limits.MAX_DIVISOR),
    ("IwoMutualAid", "MAX_WAITING", limits.MAX_WAITING),
    ("IwoMutualAid", "MAX_PHASE", limits.MAX_PHASE),
    ("IwoMutualAid", "MAX_AMOUNT", limits.MAX_AID_AMOUNT),
    ("IwoMutualAid", "MAX_OBJECTIONS", limits.MAX_OBJECTIONS),
    ("IwoMutualAid", "N_CATEGORIES", limits.N_CATEGORIES),
    ("IwoMutualAid", "MAX_REASON", limits.MAX_REASON),
]


@pytest.mark.parametrize("contract, name, value", CONSTANTS, ids=[c[1] for c in CONSTANTS])
def test_limits_match_the_contracts(iwo, collective, contract, name, value):
    s = connect()
    address = {
        "IwoGovernor": collective["governor"],
        "IwoEscrow": collective["escrow"],
        "IwoMutualAid": collective["aid"],
    }.get(contract, collective["treasury"])
    assert s.call(Contract(contract, address), name) == value


def test_test_accounts_come_from_the_test_mnemonic():
    from eth_account import Account

    Account.enable_unaudited_hdwallet_features()
    derived = [Account.from_mnemonic(TEST_MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}").address for i in range(10)]
    assert derived == list(TEST_ADDRESSES)
