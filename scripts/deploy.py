"""Deploy the iwo implementations and factory to any network, once per chain.

    ape run deploy --network ethereum:sepolia:node --account deployer

Records the addresses in the iwo data folder ($IWO_HOME or ./.iwo) under the
chain id, and reuses them on later runs as long as their code is on chain, so
running it twice deploys nothing the second time. `iwo create` then uses the
recorded factory on that network.
"""

import click
from ape.cli import ConnectedProviderCommand, account_option, network_option

from iwo.chain import Session, ensure_deployment, recorded_deployment


@click.command(cls=ConnectedProviderCommand)
@network_option()
@account_option()
def cli(network, account, provider):
    """Deploy (or find) the iwo implementations and factory on the connected network."""
    chain_id = provider.chain_id
    found = recorded_deployment(chain_id)
    if found:
        click.echo(f"already deployed on chain {chain_id}; nothing sent")
    else:
        session = Session(
            network=provider.network_choice, chain_id=chain_id, is_local=False, account=account, ape_prompts=True
        )
        found = ensure_deployment(session, log=click.echo)
    for key in ("factory", "governor", "treasury", "card"):
        label = key if key == "factory" else f"{key} implementation"
        click.echo(f"{label:<24} {found[key]}")
