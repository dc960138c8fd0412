"""A collective's life on a local anvil node, told step by step. Run: `make demo`.

Creates a collective of four couriers through the factory, collects dues (one
paid by a sponsoring platform), takes a donation, then runs a spend proposal
and a signal proposal through voting (one vote relayed from an EIP-712
signature, so that member needs no ETH), the timelock and execution, and
prints the treasury's movements as an auditor would read them.
"""

import sys
from pathlib import Path

import click
from ape.cli import ConnectedProviderCommand, network_option

from iwo.ballot import Ballot, SUPPORT_NAMES
from iwo.collective import DAY, ETH, Settings, state_name
from iwo.units import format_amount, format_duration

sys.path.insert(0, str(Path(__file__).resolve().parent))  # scripts/_common.py
from _common import action, create_collective, deploy_stack, travel  # noqa: E402

SETTINGS = Settings()


def eth(wei):
    return f"{format_amount(wei, 18)} ETH"


def say(text=""):
    click.echo(text)


def heading(text):
    say()
    say(click.style(f"== {text}", bold=True))


@click.command(cls=ConnectedProviderCommand)
@network_option()
def cli(network):
    """Run the demo story on the connected (local) network."""
    from ape import accounts, chain, project

    people = accounts.test_accounts
    organizer, ana, ben, chloe, dev = people[0], people[1], people[2], people[3], people[4]
    names = {a.address: n for a, n in [(organizer, "organizer"), (ana, "Ana"), (ben, "Ben"), (chloe, "Chloe"), (dev, "Dev")]}
    platform, lawyer, relayer, donor, eve = people[5], people[6], people[7], people[8], people[9]
    names.update({platform.address: "RideCo (platform)", lawyer.address: "the lawyer", relayer.address: "a relayer",
                  donor.address: "a supporter", eve.address: "Eve"})

    def who(addr):
        return names.get(addr, addr)

    heading("1. Deploy the implementations and the factory")
    stack = deploy_stack(project, organizer)
    say(f"factory {stack.factory.address}")

    heading("2. Create a collective in one transaction")
    c = create_collective(project, stack.factory, organizer, "Riders Collective", [ana, ben, chloe, dev],
                          ETH, 10**16, 30 * DAY, SETTINGS, symbol="RIDE")
    gov, treasury, card = c.governor, c.treasury, c.card
    say(f"governor {gov.address}\ntreasury {treasury.address}\ncard     {card.address} ({card.name()}, {card.symbol()})")
    say(f"founders: {', '.join(who(a.address) for a in [ana, ben, chloe, dev])}; members now: {gov.member_count()}")
    say(f"gas used: {c.receipt.gas_used:,}")
    s = SETTINGS
    say(f"dues {eth(treasury.dues_amount())} per {format_duration(treasury.dues_period())}, grace {format_duration(s.dues_grace)}; "
        f"voting delay {format_duration(s.voting_delay)}, period {format_duration(s.voting_period)}, "
        f"timelock {format_duration(s.timelock_delay)}, quorum {s.quorum_bps / 100:g}%")

    heading("3. Dues and a donation")
    for m in (ana, ben, chloe):
        r = treasury.pay_dues(m, 3, sender=m, value=3 * 10**16)
        ev = r.events.filter(treasury.DuesPaid)[0]
        say(f"{who(m.address)} pays 3 periods: {eth(ev.amount)}; paid through block time {ev.paid_through}")
    r = treasury.pay_dues(dev, 1, sender=platform, value=10**16)
    say(f"{who(platform.address)} sponsors 1 period for Dev: {eth(r.events.filter(treasury.DuesPaid)[0].amount)}")
    treasury.donate(ETH, 10**18, "solidarity fund", sender=donor, value=10**18)
    say(f"{who(donor.address)} donates 1 ETH; treasury holds {eth(treasury.balance_of(ETH))}")

    heading("4. Two proposals")
    travel(chain, 60)
    spend = action(treasury, "pay", ETH, lawyer.address, 2 * 10**17)
    admit = action(gov, "admit_member", eve.address)
    r = gov.propose([spend, admit], "Pay 0.2 ETH for the contract review and admit Eve", sender=ana)
    spend_id = r.events.filter(gov.ProposalCreated)[0].proposal_id
    say(f"#{spend_id} by Ana: pay {who(lawyer.address)} 0.2 ETH and admit Eve (gas {r.gas_used:,})")
    text = "Adopt the minimum rate guideline v1 (sha256 of the text: 9f2c...e1)"
    r = gov.propose([], text, sender=ben)
    signal_id = r.events.filter(gov.ProposalCreated)[0].proposal_id
    say(f"#{signal_id} by Ben: signal only: {text}")

    heading("5. Voting")
    travel(chain, s.voting_delay + 1)
    for voter, pid, support in [(ana, spend_id, 1), (ben, spend_id, 1), (dev, spend_id, 0), (ana, signal_id, 1),
                                (ben, signal_id, 1), (chloe, signal_id, 2)]:
        r = gov.cast_vote(pid, support, sender=voter)
        say(f"{who(voter.address)} votes {SUPPORT_NAMES[support]} on #{pid} (gas {r.gas_used:,})")
    ballot = Ballot(chain.chain_id, gov.address, spend_id, 1, chloe.address, chain.pending_timestamp + DAY,
                    "fair price for the review")
    signed = ballot.sign(chloe.private_key)
    r = gov.cast_vote_by_sig(*signed.call_args(), sender=relayer)
    say(f"Chloe signs a vote (EIP-712, no ETH needed); {who(relayer.address)} relays it: for on #{spend_id} (gas {r.gas_used:,})")
    travel(chain, s.voting_period)
    for pid in (spend_id, signal_id):
        p = gov.proposal(pid)
        say(f"#{pid}: {state_name(gov.state(pid))} - for {p[5]}, against {p[6]}, abstain {p[7]} of {p[10]} members")

    heading("6. Queue, timelock, execute")
    for pid in (spend_id, signal_id):
        gov.queue(pid, sender=relayer)
    say(f"queued #{spend_id} and #{signal_id}; executable after {format_duration(s.timelock_delay)}")
    travel(chain, s.timelock_delay)
    before = lawyer.balance
    r = gov.execute(spend_id, [spend, admit], sender=relayer)
    say(f"#{spend_id} executed: {who(lawyer.address)} received {eth(lawyer.balance - before)}; Eve is a member: "
        f"{gov.is_member(eve)}; members now {gov.member_count()}")
    gov.execute(signal_id, [], sender=relayer)
    say(f"#{signal_id} executed: the guideline is adopted ({state_name(gov.state(signal_id))})")

    heading("7. Treasury movements, from events only")
    rows = []
    for name in ("DuesPaid", "DonationReceived", "EthReceived", "Payment", "BenefitClaimed"):
        for log in getattr(treasury, name).range(0, chain.blocks.head.number + 1):
            rows.append((log.block_number, log.log_index, name, log))
    for block, _, name, log in sorted(rows, key=lambda row: (row[0], row[1])):
        if name == "DuesPaid":
            line = f"+ {eth(log.amount):>12}  dues for {who(log.member)} ({log.periods} periods) paid by {who(log.payer)}"
        elif name == "DonationReceived":
            line = f"+ {eth(log.amount):>12}  donation from {who(log.donor)}: {log.memo}"
        elif name == "EthReceived":
            line = f"+ {eth(log.amount):>12}  plain transfer from {who(log.sender)}"
        elif name == "Payment":
            line = f"- {eth(log.amount):>12}  paid to {who(log.recipient)} by proposal #{log.proposal_id}"
        else:
            line = f"- {eth(log.amount):>12}  benefit claimed by {who(log.member)}"
        say(f"block {block:>4}  {line:<70} balance {eth(log.balance)}")
    say(f"on-chain balance now: {eth(treasury.balance_of(ETH))}")
