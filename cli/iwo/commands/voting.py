"""`iwo vote`, `iwo relay`: voting directly, by a signed vote, or through a wallet."""

from __future__ import annotations

import json

import click

from ..limits import MAX_REASON
from .base import DURATION, ID, OUT_FILE, Out, chain_command, exclusive


def register(main: click.Group) -> None:
    @chain_command(main, "vote", "Vote for, against or abstain.")
    @click.argument("proposal_id", type=ID)
    @click.argument("support", type=click.Choice(["for", "against", "abstain"], case_sensitive=False))
    @click.option(
        "--reason", default="", help=f"Why (kept on-chain with the vote; at most {MAX_REASON} bytes of UTF-8)."
    )
    @click.option("--sign-only", is_flag=True, help="Do not send: write the signed vote as JSON for `iwo relay`.")
    @click.option(
        "--unsigned",
        is_flag=True,
        help="Do not sign: print the EIP-712 typed data for a wallet (eth_signTypedData_v4); "
        'put its signature in the file\'s "signature" field and `iwo relay` it.',
    )
    @click.option("--voter", metavar="ADDR", help="With --unsigned: the member who will sign (default: --account).")
    @click.option("--out", type=OUT_FILE, help="File for --sign-only/--unsigned (default: stdout).")
    @click.option(
        "--valid-for", default="7d", show_default=True, type=DURATION, help="How long a signed vote stays valid."
    )
    def vote(s, c, proposal_id, support, reason, sign_only, unsigned, voter, out, valid_for):
        """Votes on PROPOSAL_ID. With --sign-only, writes an EIP-712 signed vote that anyone can
        relay with `iwo relay` (the member needs no ETH). With --unsigned, prints the typed data
        for a browser or hardware wallet to sign instead."""
        from .. import voting

        exclusive(sign_only=sign_only, unsigned=unsigned)
        if voter and not unsigned:
            raise click.UsageError("--voter only goes with --unsigned")
        if out and not (sign_only or unsigned):
            raise click.UsageError("--out only goes with --sign-only or --unsigned")
        if sign_only or unsigned:
            if sign_only:
                text = voting.sign_vote(s, c, proposal_id, support, reason, valid_for).to_json()
            else:
                who = s.address(voter, "--voter") if voter else s.require_signer().address
                typed = voting.unsigned_vote(s, c, proposal_id, support, reason, valid_for, who)
                text = json.dumps(typed, indent=2)
            if out:
                from pathlib import Path

                Path(out).write_text(text + "\n")
                click.echo(f"{'signed vote' if sign_only else 'typed data to sign'} written to {out}", err=True)
                return Out({"file": out}, "")
            return Out(json.loads(text), text)
        data = voting.vote(s, c, proposal_id, support, reason)
        return Out(
            data,
            lambda d: (
                f"voted {d['support']} on #{d['proposal']}; now for {d['votes']['for']}, "
                f"against {d['votes']['against']}, abstain {d['votes']['abstain']}"
            ),
        )

    @chain_command(main, "relay", "Submit signed votes from any account.")
    @click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
    def relay(s, c, files):
        """Relays signed votes (files written by `iwo vote --sign-only` or any wallet's
        eth_signTypedData_v4 in the same JSON shape); the relaying account pays the gas."""
        from pathlib import Path

        from .. import voting
        from ..ballot import SignedBallot
        from ..errors import IwoError

        ballots = []
        for f in files:
            try:
                ballots.append(SignedBallot.from_json(Path(f).read_text()))
            except (ValueError, UnicodeDecodeError) as exc:
                raise IwoError(f"{f}: {exc}") from None
        results = []
        for f, b in zip(files, ballots):
            try:
                results.append(voting.relay(s, c, b) | {"file": f})
            except IwoError as exc:
                if len(files) == 1:
                    raise
                results.append({"file": f, "error": str(exc)})
        failed = any("error" in r for r in results)
        return Out(
            results,
            lambda rows: [
                f"{r['file']}: "
                + (
                    f"error: {r['error']}"
                    if "error" in r
                    else f"relayed {r['support']} by {r['voter']} on #{r['proposal']}"
                )
                for r in rows
            ],
            exit_code=1 if failed else 0,
        )
