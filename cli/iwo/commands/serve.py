"""`iwo serve`: a collective's page where members vote from a browser wallet."""

from __future__ import annotations

from pathlib import Path

import click

from .base import COUNT, DURATION, PORT, Out, chain_command, prompt_passphrase


def relayer_signer(s, name: str | None):
    """The relayer account: an account name (testN on the local node, an Ape alias) or a keystore file."""
    from ..accounts import signer

    if not name:
        return None
    path = Path(name).expanduser()
    if path.suffix == ".json" or "/" in name:
        return signer(None, str(path), s.is_local, prompt_passphrase)
    return signer(name, None, s.is_local, prompt_passphrase)


def register(main: click.Group) -> None:
    @chain_command(main, "serve", "Serve the collective's page: members vote from a browser wallet.", account=False)
    @click.option(
        "--relayer",
        metavar="NAME|FILE",
        envvar="IWO_RELAYER",
        help="Account that pays the gas of signed votes: testN on the local node, an Ape alias "
        "($APE_ACCOUNTS_<alias>_PASSPHRASE or a prompt) or a keystore file ($IWO_KEYFILE_PASSPHRASE "
        "or a prompt). Without it members vote from their wallet and pay the gas.",
    )
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
    @click.option("--port", type=PORT, default="8765", show_default=True, help="Port to listen on.")
    @click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
    @click.option(
        "--wallet-timeout",
        type=DURATION,
        default="45s",
        show_default=True,
        help="How long the page waits for the wallet before saying it did not answer.",
    )
    @click.option(
        "--wallet-rpc",
        metavar="URL",
        help="RPC URL offered to wallets that do not know the chain (default: the node's URL when it "
        "runs on this machine; a remote node's URL is never shown).",
    )
    @click.option(
        "--replace-after",
        type=DURATION,
        default="60s",
        show_default=True,
        help="Replace a relayed transaction not mined after this long with one paying more.",
    )
    @click.option(
        "--max-votes-per-s", type=COUNT, default="100", show_default=True, help="Votes accepted per second, in all."
    )
    @click.option("--max-per-voter", type=COUNT, default="20", show_default=True, help="Requests per voter per minute.")
    def serve(
        s,
        c,
        relayer,
        host,
        port,
        open_browser,
        wallet_timeout,
        wallet_rpc,
        replace_after,
        max_votes_per_s,
        max_per_voter,
    ):
        """Serves one collective's page and a small JSON API: members connect a browser wallet, see
        each proposal's state, deadline, tally against quorum and actions in words, and whether they
        may vote (and why not); they sign a vote (EIP-712, free for them) that the relayer account
        sends, or send it from their wallet paying the gas. Accepted votes wait in a queue on disk
        (the data folder) until they land, across restarts. Also serves the ERC-7730 clear-signing
        descriptor of the collective's ballot at /clear-signing.json."""
        from ..web.server import serve as run
        from ..web.service import Options

        if max_votes_per_s == 0 or max_per_voter == 0:
            raise click.BadParameter("must be at least 1", param_hint="--max-votes-per-s/--max-per-voter")
        options = Options(
            wallet_timeout=float(wallet_timeout),
            wallet_rpc=wallet_rpc,
            replace_after=float(replace_after),
            votes_per_s=float(max_votes_per_s),
            votes_burst=max(max_votes_per_s * 10, 1),
            per_voter_per_min=max_per_voter,
        )
        result = run(
            s,
            c,
            options,
            relayer_signer(s, relayer),
            host=host,
            port=port,
            open_browser=open_browser,
            say=lambda m: click.echo(m, err=True),
        )
        votes = result["votes"]
        return Out(
            result,
            f"stopped; relayed votes: {votes.get('landed', 0)} landed, {votes.get('failed', 0)} failed, "
            f"{votes.get('queued', 0) + votes.get('sent', 0)} still on their way (kept for the next start)"
            if votes
            else "stopped",
        )
