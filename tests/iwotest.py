"""Constants shared by the contract tests (a plain module, so that test files import it by a
name no conftest.py can shadow)."""

from iwo.collective import DAY, ETH, Settings

__all__ = [
    "DUES",
    "PERIOD",
    "SETTINGS",
    "FOR",
    "AGAINST",
    "ABSTAIN",
    "PENDING",
    "ACTIVE",
    "CANCELED",
    "DEFEATED",
    "SUCCEEDED",
    "QUEUED",
    "EXPIRED",
    "EXECUTED",
    "DAY",
    "ETH",
]

DUES = 10**16  # 0.01 ETH per period
PERIOD = 30 * DAY
SETTINGS = Settings()
FOR, AGAINST, ABSTAIN = 1, 0, 2
# ProposalState flag values
PENDING, ACTIVE, CANCELED, DEFEATED, SUCCEEDED, QUEUED, EXPIRED, EXECUTED = (1 << i for i in range(8))
