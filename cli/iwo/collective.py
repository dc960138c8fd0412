"""Collective settings and actions, independent of any chain library.

`Settings` mirrors the governor's `Settings` struct; `DEFAULTS` are the values
`iwo create` uses when a flag is not given. Action builders return
``(target, value, calldata)`` triples that the governor's `propose` takes.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields

from .contracts import ETH  # noqa: F401 (re-exported: one definition of the ETH sentinel)

DAY = 86_400


@dataclass(frozen=True)
class Settings:
    voting_delay: int = 1 * DAY
    voting_period: int = 3 * DAY
    timelock_delay: int = 1 * DAY
    execution_window: int = 7 * DAY
    quorum_bps: int = 2500
    constitutional_bps: int = 6667
    dues_grace: int = 7 * DAY

    def as_tuple(self) -> tuple:
        return astuple(self)

    @classmethod
    def from_struct(cls, value) -> Settings:
        """From a decoded struct (tuple, dict or object with attributes)."""
        names = [f.name for f in fields(cls)]
        if isinstance(value, dict):
            return cls(**{n: int(value[n]) for n in names})
        if hasattr(value, names[0]):
            return cls(**{n: int(getattr(value, n)) for n in names})
        return cls(*(int(v) for v in value))

    def replace(self, **changes) -> Settings:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        unknown = set(changes) - set(data)
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        data.update(changes)
        return Settings(**data)


DEFAULTS = Settings()

PROPOSAL_STATES = (
    "Pending",
    "Active",
    "Canceled",
    "Defeated",
    "Succeeded",
    "Queued",
    "Expired",
    "Executed",
)


# The governor's `Eligibility` flag values (`eligibility(proposal_id, account)`).
ELIGIBLE = 1
NO_CARD_AT_SNAPSHOT = 2
DUES_NOT_COVERING_SNAPSHOT = 4


def state_name(flag_value: int) -> str:
    """Governor `ProposalState` flag value (1, 2, 4, ...) -> name."""
    value = int(flag_value)
    if value <= 0 or value & (value - 1) or value.bit_length() > len(PROPOSAL_STATES):
        raise ValueError(f"not a proposal state flag: {flag_value}")
    return PROPOSAL_STATES[value.bit_length() - 1]
