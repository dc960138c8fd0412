"""`iwo dues`, `iwo donate`: money into the treasury."""

from __future__ import annotations

import click

from ..limits import MAX_MEMO, MAX_PERIODS
from .base import AMOUNT, COUNT, Out, chain_command, group, plural, when


def register(main: click.Group) -> None:
    @group(main, "dues", "Pay dues or see who is paid up.")
    def dues():
        """Dues: pay whole periods for yourself or someone else; see standing."""

    @chain_command(dues, "pay", "Pay dues for a member.")
    @click.option("--for", "member", metavar="ADDR", help="Member to pay for (default: the --account).")
    @click.option(
        "--periods", default="1", show_default=True, type=COUNT, help=f"Whole periods to pay (1 to {MAX_PERIODS})."
    )
    def dues_pay(s, c, member, periods):
        """Pays whole periods of dues (approving the token first if dues are in a token)."""
        from ..treasury import pay_dues

        return Out(
            pay_dues(s, c, member, periods),
            lambda d: (
                f"paid {d['amount_text']} ({plural(d['periods'], 'period')}) for {d['member']}; "
                f"paid through {when(d['paid_through'])}"
            ),
        )

    @chain_command(dues, "status", "Dues terms and each member's standing.", account=False)
    @click.argument("address", required=False)
    def dues_status(s, c, address):
        """Shows the dues terms and the standing of every member (or of ADDRESS)."""
        from ..membership import member, members
        from ..treasury import dues_terms

        rows = [member(s, c, s.address(address, "member"))] if address else members(s, c)
        data = {"terms": dues_terms(s, c), "members": rows}
        return Out(
            data,
            lambda d: (
                [f"dues {d['terms']['amount_text']} per {d['terms']['period_text']}, grace {d['terms']['grace_text']}"]
                + [
                    f"  {r['address']}  {r['standing']:<13} paid through {when(r['paid_through'])}"
                    + (f"  owes {plural(r['owes_periods'], 'period')}" if r["owes_periods"] else "")
                    for r in d["members"]
                ]
            ),
        )

    @chain_command(main, "donate", "Donate ETH or tokens to the treasury.")
    @click.argument("amount", type=AMOUNT)
    @click.option("--asset", default="ETH", show_default=True, metavar="ETH|TOKEN", help="What to donate.")
    @click.option("--memo", default="", help=f"A note kept with the donation (at most {MAX_MEMO} bytes).")
    @click.option("--to-pool", is_flag=True, help="Earmark it for the mutual-aid pool (paid out only as aid).")
    def donate(s, c, amount, asset, memo, to_pool):
        """Donates AMOUNT (e.g. 0.5) of ETH or a token to the collective's treasury, or with
        --to-pool to its mutual-aid pool."""
        from ..treasury import donate as give

        def text(d):
            pool = f" ({d['pool_text']} in the mutual-aid pool)" if d["pool"] else ""
            return f"donated {d['amount_text']}; the treasury holds {d['balance_text']}{pool}"

        return Out(give(s, c, asset, amount, memo, to_pool), text)
