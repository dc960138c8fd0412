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


# The work escrow (IwoEscrow and its modules; MAX_MILESTONES is read from the chain by a test).
MAX_MILESTONES = 16  # IwoEscrow.MAX_MILESTONES, milestones per job
MAX_MILESTONE_AMOUNT = 2**112 - 1  # IwoEscrow: a milestone word holds 112 bits of amount
MAX_TERM = 730 * 86_400  # IwoEscrow.MAX_TERM, a delivery deadline is at most this far ahead
MIN_REVIEW_WINDOW = 86_400  # IwoEscrow.MIN_REVIEW_WINDOW
MAX_REVIEW_WINDOW = 60 * 86_400  # IwoEscrow.MAX_REVIEW_WINDOW
MAX_RATING = 5  # IwoEscrow.MAX_RATING (ratings are 1 to 5)
MAX_LABEL = 32  # IwoEscrow: category and unit are bytes32 labels, bytes of UTF-8
MAX_DRAW_ATTEMPTS = 32  # panel.MAX_DRAW_ATTEMPTS, roll indices one draw may visit
DRAW_DELAY = 3  # panel.DRAW_DELAY, blocks from a dispute's opening to its draw block
BLOCKHASH_WINDOW = 256  # panel.BLOCKHASH_WINDOW, a draw block's header is checkable this many blocks
