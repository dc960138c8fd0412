"""The `iwo` command line: the root group, assembled from one module per command group.

Chain commands talk JSON-RPC to the local node by default (`iwo node start`), to any EVM node
with --rpc URL, or to an Ape network with --network. Accounts: test0..test9 on the local node,
Ape keyfile aliases (--account), or any keystore (--keyfile); passphrases come from an
environment variable or a hidden prompt, never from the command line. Every command that
prints data takes --json.
"""

from __future__ import annotations

import click

from . import __version__
from .commands import (
    aid,
    audit,
    base,
    collectives,
    docs,
    jobs,
    lifecycle,
    members,
    money,
    node,
    proposals,
    propose,
    rates,
    serve,
    status,
    voting,
)


@click.group(cls=base.IwoGroup, context_settings=base.CONTEXT)
@click.version_option(__version__, prog_name="iwo")
def main():
    """iwo: run an independent worker organization on-chain.

    Create a collective, admit members, collect dues, propose, vote (directly, by a signed vote
    someone else relays, or from a wallet), queue and execute; audit the treasury. Start with
    `iwo node start` to try it on a local chain.
    """


for module in (
    node,
    collectives,
    status,
    members,
    money,
    propose,
    proposals,
    voting,
    lifecycle,
    jobs,  # the work escrow: iwo job, iwo panel, iwo reputation
    aid,
    audit,
    docs,
    rates,
    serve,
):
    module.register(main)


if __name__ == "__main__":  # pragma: no cover
    main()
