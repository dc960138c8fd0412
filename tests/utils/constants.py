"""Constants shared by all contract tests (Ape and titanoboa), defined once."""

from iwo.collective import DAY, ETH, Settings

__all__ = [
    "ABSTAIN",
    "ACTIVE",
    "AGAINST",
    "CANCELED",
    "DAY",
    "DEFEATED",
    "DUES",
    "DUES_NOT_COVERING_SNAPSHOT",
    "ELIGIBLE",
    "ETH",
    "EXECUTED",
    "EXPIRED",
    "FOR",
    "NO_CARD_AT_SNAPSHOT",
    "PENDING",
    "PERIOD",
    "QUEUED",
    "SETTINGS",
    "SUCCEEDED",
    "ZERO",
]

DUES = 10**16  # 0.01 ETH per period
PERIOD = 30 * DAY
SETTINGS = Settings()
ZERO = ETH  # the zero address
FOR, AGAINST, ABSTAIN = 1, 0, 2
# ProposalState flag values
PENDING, ACTIVE, CANCELED, DEFEATED, SUCCEEDED, QUEUED, EXPIRED, EXECUTED = (1 << i for i in range(8))
# Eligibility flag values (the snapshot rule's verdict)
ELIGIBLE, NO_CARD_AT_SNAPSHOT, DUES_NOT_COVERING_SNAPSHOT = 1, 2, 4
