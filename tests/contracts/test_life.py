"""One collective's whole life: create, dues, spend, signal, signed vote, admit, resign."""

from utils.ballots import relay
from utils.boa_stack import events
from utils.constants import ACTIVE, ETH, EXECUTED, FOR, QUEUED, SUCCEEDED


def test_whole_life(collective, founders, newcomer, outsider, gov_helpers):
    h = gov_helpers
    c = collective
    gov, card, treasury = c.governor, c.card, c.treasury
    assert gov.member_count() == 3
    assert card.balanceOf(founders[0]) == 1
    for f in founders:
        h.pay_dues(c, f, f, periods=2)
    treasury.donate(ETH, 10**18, "seed", sender=outsider, value=10**18)
    bal = treasury.balance_of(ETH)
    assert bal == 10**18 + 6 * 10**16

    spend = h.action(treasury, "pay", ETH, outsider.address, 10**17)
    admit = h.action(gov, "admit_member", newcomer.address)
    pid = h.propose(c, founders[0], [spend, admit], "pay the lawyer and admit Ana")
    sig_pid = h.propose(c, founders[1], [], "adopt rate guideline sha256:abc")
    h.open_voting(c)
    assert gov.state(pid) == ACTIVE
    gov.cast_vote(pid, FOR, sender=founders[0])
    gov.cast_vote_with_reason(pid, FOR, "fair price", sender=founders[1])
    signed = h.sign_vote(c, founders[2], pid, FOR, reason="relayed")
    relay(gov, signed, outsider)
    ev = events(gov, "VoteCast")[0]
    assert ev.voter == founders[2].address and ev.support == FOR
    assert events(gov, "VoteReason")[0].reason == "relayed"
    gov.cast_vote(sig_pid, FOR, sender=founders[1])
    h.close_voting(c)
    assert gov.state(pid) == SUCCEEDED
    gov.queue(pid, sender=outsider)
    assert gov.state(pid) == QUEUED
    h.travel(86400)
    before = outsider.balance
    gov.execute(pid, [spend, admit], sender=founders[0])
    assert gov.state(pid) == EXECUTED
    assert outsider.balance == before + 10**17
    assert gov.is_member(newcomer)
    assert card.ownerOf(int(newcomer.address, 16)) == newcomer.address
    assert gov.member_count() == 4
    gov.resign(sender=founders[2])
    assert gov.member_count() == 3
    assert not gov.is_member(founders[2])
