"""Limits the contracts enforce, checked by the CLI before anything is sent.

Each mirrors a constant of the contracts (a test reads them from the chain and compares):
text limits are in bytes of UTF-8, as Vyper's `String[N]` counts them ("é" is 2 bytes).
"""

MAX_FOUNDERS = 64  # IwoGovernor.MAX_FOUNDERS
MAX_ACTIONS = 8  # IwoGovernor.MAX_ACTIONS
MAX_CALLDATA = 512  # IwoGovernor.MAX_CALLDATA, bytes per action
MAX_DESCRIPTION = 2048  # IwoGovernor.MAX_DESCRIPTION, bytes
MAX_REASON = 512  # IwoGovernor.MAX_REASON, bytes
MAX_DURATION = 365 * 86_400  # IwoGovernor.MAX_DURATION, every governance duration
MAX_MEMO = 256  # IwoTreasury.MAX_MEMO, bytes
MAX_PERIODS = 1200  # IwoTreasury.MAX_PERIODS, dues periods in one payment
MAX_PERIOD = 5 * 365 * 86_400  # IwoTreasury.MAX_PERIOD, seconds
MAX_NAME = 64  # IwoFactory name, bytes
MAX_SYMBOL = 16  # IwoFactory symbol, bytes
# mutual aid (IwoMutualAid)
AID_MONTH = 30 * 86_400  # IwoMutualAid.AID_MONTH, seconds in an aid month
AID_YEAR = 365 * 86_400  # IwoMutualAid.YEAR, the member cap's window
MAX_AID_MONTHS = 36  # IwoMutualAid.MAX_MONTHS, the longest max_months a vote may set
MAX_UNCLAIMED = 2  # IwoMutualAid.MAX_UNCLAIMED, months an instalment stays withdrawable
MIN_DIVISOR = 4  # IwoMutualAid.MIN_DIVISOR, throttle: monthly payouts at most pool / divisor
MAX_DIVISOR = 120  # IwoMutualAid.MAX_DIVISOR
MAX_WAITING = 365 * 86_400  # IwoMutualAid.MAX_WAITING, seconds
MAX_PHASE = 14 * 86_400  # IwoMutualAid.MAX_PHASE, the longest contest window or claim vote
MAX_AID_AMOUNT = 2**72 - 1  # IwoMutualAid.MAX_AMOUNT, any aid amount in the asset's smallest unit
MAX_OBJECTIONS = 2**24 - 1  # IwoMutualAid.MAX_OBJECTIONS
N_CATEGORIES = 8  # IwoMutualAid.N_CATEGORIES


def check_text(text: str, limit: int, what: str) -> None:
    """Refuses a text longer than `limit` bytes of UTF-8, naming the limit."""
    from .errors import IwoError

    size = len(text.encode())
    if size > limit:
        raise IwoError(f"{what} too long: {size} bytes, at most {limit} bytes of UTF-8")
