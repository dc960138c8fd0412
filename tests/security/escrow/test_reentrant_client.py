"""Attack: a client contract re-enters the escrow when money comes back to it (refund, reclaim,
its share of a ruling).

Defence: the re-entrancy lock on every value path; state written before the payment.
"""

import boa
import pytest
from utils.boa_stack import DAY, contract
from utils.escrow_kit import ETH, ONE, at, events

REENTER = 3


@pytest.fixture
def client_contract(world):
    party = contract("HostileParty").deploy()
    boa.env.set_balance(party.address, 10 * ONE)
    return party


def test_client_reenters_reclaim_during_a_refund(world, escrow, client_contract, member):
    deadline = boa.env.timestamp + DAY
    data = escrow.create_job.prepare_calldata(member, ETH, [(ONE, deadline), (ONE, deadline)], 0, b"", b"", b"", 0)
    client_contract.act(escrow.address, data, 2 * ONE)
    job_id = escrow.job_count()
    terms = (client_contract.address, member, ETH, 100, 14 * DAY, 0)
    assert escrow.job(job_id, terms).milestones == 2
    at(deadline + 1)  # milestone 1 is reclaimable by anyone now
    client_contract.set_mode(REENTER, escrow.address, escrow.reclaim.prepare_calldata(job_id, terms, 1))
    before = boa.env.get_balance(client_contract.address)
    escrow.refund(job_id, terms, 0, ONE, sender=member)
    (inner,) = events(escrow, "Reentered")
    assert (inner.ok, inner.response) == (False, b"")
    assert escrow.milestone(job_id, terms, 1).remaining == ONE  # not reclaimed from inside the refund
    escrow.reclaim(job_id, terms, 1, sender=member)  # but it is, afterwards, by anyone
    assert boa.env.get_balance(client_contract.address) == before + 2 * ONE


def test_client_refusing_its_refund_blocks_nothing(world, escrow, client_contract, member, outsider):
    deadline = boa.env.timestamp + DAY
    data = escrow.create_job.prepare_calldata(member, ETH, [(ONE, deadline)], 0, b"", b"", b"", 0)
    client_contract.act(escrow.address, data, ONE)
    job_id = escrow.job_count()
    terms = (client_contract.address, member, ETH, 100, 14 * DAY, 0)
    client_contract.set_mode(1, outsider, b"")
    at(deadline + 1)
    escrow.reclaim(job_id, terms, 0, sender=outsider)
    assert escrow.claimable(client_contract.address, ETH) == ONE
    assert escrow.job(job_id, terms).ended
