"""What members ask and what they are paid, published only where nobody can be picked out.

`aggregate` is the ONE function that turns individual rates (members' posted asks and the
paid rates of finished escrow jobs) into published figures, and it enforces the rules that
salary surveys use against re-identification:

- a cell (category, unit, asset, source) is published only with at least K = 5 distinct members;
- each member counts once per cell (their latest post, or the median of their paid jobs), so no
  member weighs more than 1/5; a cell where one member would still weigh over 25% is withheld;
- posts and jobs older than 12 months are dropped;
- the minimum and the maximum are never published; the 25th/50th/75th percentiles are, and the
  10th/90th only from 10 members; every published figure is either strictly between the cell's
  minimum and maximum or a value that at least two members share.

Anything that would break a rule is suppressed, with the reason, never shown approximately.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

K_MIN_MEMBERS = 5
MAX_MEMBER_SHARE = Fraction(1, 4)
WIDE_PERCENTILES_FROM = 10
MAX_AGE = 365 * 86_400
CORE_PERCENTILES = (25, 50, 75)
WIDE_PERCENTILES = (10, 90)


@dataclass(frozen=True)
class Observation:
    """One rate: what `member` asked (a post) or was paid (a finished job), per unit."""

    member: str
    category: str
    unit: str
    asset: str
    amount: Fraction  # per unit, in the asset's smallest unit (exact)
    time: int
    source: str  # "ask" or "paid"


@dataclass
class Cell:
    category: str
    unit: str
    asset: str
    source: str
    members: int
    published: bool
    reason: str = ""
    percentiles: dict[int, Fraction] = field(default_factory=dict)


def percentile(values: list[Fraction], p: int) -> Fraction:
    """The p-th percentile by linear interpolation between closest ranks (exact fractions)."""
    ordered = sorted(values)
    h = Fraction(len(ordered) - 1) * Fraction(p, 100)
    low = int(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


def _one_per_member(rows: list[Observation]) -> dict[str, Fraction]:
    """Each member's single value in a cell: their latest ask, or the median of their paid jobs."""
    by_member: dict[str, list[Observation]] = defaultdict(list)
    for row in rows:
        by_member[row.member].append(row)
    out = {}
    for member, own in by_member.items():
        if own[0].source == "ask":
            out[member] = max(own, key=lambda r: r.time).amount
        else:
            out[member] = percentile([r.amount for r in own], 50)
    return out


def aggregate(observations: list[Observation], now: int, categories: set[str] | None = None) -> list[Cell]:
    """Published (or withheld) figures per (category, unit, asset, source). See the module rules."""
    cells: dict[tuple, list[Observation]] = defaultdict(list)
    for row in observations:
        if now - row.time > MAX_AGE or row.time > now:
            continue
        if categories is not None and row.category not in categories:
            continue
        cells[(row.category, row.unit, row.asset, row.source)].append(row)
    out = []
    for (category, unit, asset, source), rows in sorted(cells.items()):
        values = _one_per_member(rows)
        n = len(values)
        cell = Cell(category, unit, asset, source, n, published=False)
        if n < K_MIN_MEMBERS:
            cell.reason = f"fewer than {K_MIN_MEMBERS} members ({n})"
        elif Fraction(1, n) > MAX_MEMBER_SHARE:  # one value per member: each weighs 1/n
            cell.reason = f"a member would weigh over {MAX_MEMBER_SHARE:.0%}"
        else:
            wanted = CORE_PERCENTILES + (WIDE_PERCENTILES if n >= WIDE_PERCENTILES_FROM else ())
            figures = {p: percentile(list(values.values()), p) for p in sorted(wanted)}
            lowest, highest = min(values.values()), max(values.values())
            holders = defaultdict(int)
            for v in values.values():
                holders[v] += 1
            safe = all(lowest < v < highest or holders.get(v, 0) >= 2 for v in figures.values())
            if safe:
                cell.published, cell.percentiles = True, figures
            else:
                cell.reason = "a figure would reveal one member's minimum or maximum"
        out.append(cell)
    return out


# ---- reading the board and the escrow ----------------------------------------------------------------
# (Everything below reads chain events through the shared log store; `aggregate` above is the
# only place individual rates become published figures.)


def to_bytes32(text: str | None, what: str, optional: bool = False) -> bytes:
    """A short label (category, unit) as the contracts' bytes32: left-aligned UTF-8, at most
    MAX_LABEL bytes, spaces collapsed and lower case, so the rate board's asks and the escrow's
    paid jobs meet in one cell. Empty only when `optional` (a job's category is optional)."""
    from .errors import IwoError
    from .limits import MAX_LABEL

    label = " ".join(str(text or "").split()).lower()
    raw = label.encode()
    if not label and not optional:
        raise IwoError(f"{what} cannot be empty")
    if len(raw) > MAX_LABEL:
        raise IwoError(f"{what} too long: {len(raw)} bytes, at most {MAX_LABEL} bytes of UTF-8")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in label):
        raise IwoError(f"{what} contains a control character")
    return raw.ljust(32, b"\0")


def from_bytes32(value) -> str:
    """A bytes32 label (hex text or bytes; None for none) as text."""
    if value is None:
        return ""
    raw = bytes.fromhex(value[2:]) if isinstance(value, str) else bytes(value)
    return raw.rstrip(b"\0").decode(errors="replace")
