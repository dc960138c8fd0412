"""Deploy the iwo implementations and factory to a network, once per chain, unattended.

    ape run deploy --network base:mainnet:node --account deployer
    ape run deploy --network ethereum:local:http://127.0.0.1:8545 --account test0

For Ape users: Ape resolves the network (its RPC URL from your Ape configuration) and the
account alias; the deployment itself is iwo's own (`iwo deploy` does the same without Ape),
so it asks nothing: a keyfile account's passphrase comes from APE_ACCOUNTS_<alias>_PASSPHRASE
(or a hidden prompt when there is a terminal), and there is no "Sign: [y/N]" per transaction.
The addresses are recorded in the iwo data folder ($IWO_HOME or ./.iwo) under the chain id and
reused on later runs as long as their code is on chain; `iwo create` then uses them.
"""

import sys

import click
from ape.cli import ConnectedProviderCommand

from iwo.accounts import Signer, signer
from iwo.errors import IwoError
from iwo.registry import deploy
from iwo.session import ape_provider_url, connect


def _prompt(label: str, env: str) -> str:
    if not sys.stdin.isatty():
        raise IwoError(f"{label} is locked and there is no terminal to ask: set {env}")
    return click.prompt(f"Passphrase for {label}", hide_input=True, err=True)


def _provider_url(provider) -> str:
    url = ape_provider_url(provider)
    if url is None:
        raise IwoError(f"the provider of {provider.network_choice} has no HTTP RPC URL")
    return url


@click.command(cls=ConnectedProviderCommand)
@click.option("--account", "alias", required=True, help="Ape account alias, or test0..test9 on a local network.")
def cli(alias, provider):
    """Deploy (or find) the iwo implementations and factory on the connected network."""
    try:
        s = connect(rpc_url=_provider_url(provider), passphrase=_prompt)
        if alias.startswith("test") and alias[4:].isdigit():
            from ape import accounts

            test = accounts.test_accounts[int(alias[4:])]
            s.signer = Signer(test.address, alias, lambda: bytes.fromhex(test.private_key[2:]))
        else:
            s.signer = signer(alias, None, False, _prompt)
        s.signer.unlock()  # a wrong passphrase is reported before anything is sent
        found = deploy(s, log=click.echo)
    except IwoError as exc:
        raise click.ClickException(str(exc)) from None
    if found["reused"]:
        click.echo(f"already deployed on chain {s.chain_id}; nothing sent")
    for key in ("factory", "governor", "treasury", "card", "aid", "escrow", "rates"):
        label = key if key == "factory" else ("rate board" if key == "rates" else f"{key} implementation")
        click.echo(f"{label:<24} {found[key]}")
