"""`iwo queue`, `iwo execute`, `iwo cancel`: moving a proposal along."""

from __future__ import annotations

import click

from .base import ID, Out, chain_command, when


def register(main: click.Group) -> None:
    @chain_command(main, "queue", "Queue a passed proposal.")
    @click.argument("proposal_id", type=ID)
    def queue(s, c, proposal_id):
        """Queues a Succeeded proposal; it becomes executable after the timelock."""
        from ..proposals import queue as enqueue

        return Out(
            enqueue(s, c, proposal_id),
            lambda d: (
                f"#{d['proposal']} queued; executable from {when(d['eta'])} until {when(d['execution_deadline'])}"
            ),
        )

    @chain_command(main, "execute", "Execute a queued proposal.")
    @click.argument("proposal_id", type=ID)
    @click.option(
        "--pay-value",
        is_flag=True,
        help="Pay the ETH that the proposal's actions send (it comes from the executing account).",
    )
    def execute(s, c, proposal_id, pay_value):
        """Executes a queued proposal whose timelock has passed, with exactly the voted actions. If
        the actions send ETH, the executing account pays it: the command says how much and needs
        --pay-value."""
        from ..proposals import execute as run

        return Out(
            run(s, c, proposal_id, pay_value),
            lambda d: (
                [f"#{d['proposal']} executed:"]
                + [f"  - {line}" for line in d["done"]]
                + ([f"  {d['executor']} paid {d['paid_value_text']} sent by the actions"] if d["paid_value"] else [])
            ),
        )

    @chain_command(main, "cancel", "Withdraw your proposal before voting opens.")
    @click.argument("proposal_id", type=ID)
    def cancel(s, c, proposal_id):
        """Cancels the --account's own proposal while it is still Pending."""
        from ..proposals import cancel as withdraw

        return Out(withdraw(s, c, proposal_id), lambda d: f"#{d['proposal']} canceled")
