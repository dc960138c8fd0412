"""Attack 6: executing at the wrong time, twice, unpassed, or with other actions.

Defence: `execute` runs only a Queued proposal (not Executed, Canceled,
Defeated, Expired, Pending, Active or merely Succeeded), only from its eta
(queue time + timelock) until eta + execution window, with exactly the
actions that were proposed (hash of the whole list, per proposer and id),
and with msg.value equal to the actions' total value.
"""

import boa
import pytest
from attack_helpers import (
    AGAINST,
    CANCELED,
    DEFEATED,
    ETH,
    EXECUTED,
    EXPIRED,
    FOR,
    QUEUED,
    SETTINGS,
    SUCCEEDED,
    at,
    balance,
    only,
    pending,
)


@pytest.fixture
def pay_outsider(funded, outsider, gov_helpers):
    return [gov_helpers.action(funded.treasury, "pay", ETH, outsider.address, 10**15)]


def _queued(c, founders, flow, actions):
    pid = flow.start(c, founders[0], actions, voters=founders)
    flow.queue(c, pid, founders[0])
    assert c.governor.proposal(pid).eta == boa.env.timestamp + SETTINGS.timelock_delay
    return pid


def test_execute_before_the_timelock(funded, founders, flow, pay_outsider):
    c = funded
    gov = c.governor
    pid = _queued(c, founders, flow, pay_outsider)
    eta = gov.proposal(pid).eta
    before = balance(c.treasury)
    pending(eta - 1)
    with boa.reverts("governor: timelock not elapsed"):
        gov.execute(pid, pay_outsider, sender=founders[0])
    assert gov.state(pid) == QUEUED
    assert balance(c.treasury) == before
    pending(eta)
    gov.execute(pid, pay_outsider, sender=founders[0])
    assert only(gov, "ProposalExecuted") == dict(proposal_id=pid, executor=founders[0].address)
    assert boa.env.timestamp == eta


def test_execute_after_the_execution_window(funded, founders, flow, pay_outsider):
    c = funded
    gov = c.governor
    pid = _queued(c, founders, flow, pay_outsider)
    eta = gov.proposal(pid).eta
    at(eta + SETTINGS.execution_window - 1)
    assert gov.state(pid) == QUEUED  # last second of the window
    pending(eta + SETTINGS.execution_window)
    before = balance(c.treasury)
    with boa.reverts("governor: proposal not queued"):
        gov.execute(pid, pay_outsider, sender=founders[0])
    at(eta + SETTINGS.execution_window)
    assert gov.state(pid) == EXPIRED
    assert balance(c.treasury) == before


def test_succeeded_but_never_queued_cannot_execute_or_queue_late(funded, founders, flow, pay_outsider):
    c = funded
    gov = c.governor
    pid = flow.start(c, founders[0], pay_outsider, voters=founders)
    flow.close(c, pid)
    assert gov.state(pid) == SUCCEEDED
    with boa.reverts("governor: proposal not queued"):
        gov.execute(pid, pay_outsider, sender=founders[0])
    pending(gov.proposal(pid).vote_end + SETTINGS.execution_window)
    with boa.reverts("governor: proposal not succeeded"):
        gov.queue(pid, sender=founders[0])
    at(gov.proposal(pid).vote_end + SETTINGS.execution_window)
    assert gov.state(pid) == EXPIRED


def test_execute_twice(funded, founders, outsider, flow, pay_outsider):
    c = funded
    gov = c.governor
    flow.finish(c, flow.start(c, founders[0], pay_outsider, voters=founders), pay_outsider, founders[0])
    pid = only(gov, "ProposalExecuted").proposal_id
    assert only(gov, "Payment").amount == 10**15  # paid once
    before = balance(c.treasury)
    for executor in (founders[0], outsider):
        with boa.reverts("governor: proposal not queued"):
            gov.execute(pid, pay_outsider, sender=executor)
    assert gov.state(pid) == EXECUTED
    assert balance(c.treasury) == before


def test_execute_defeated(funded, founders, flow, pay_outsider):
    c = funded
    gov = c.governor
    pid = flow.start(c, founders[0], pay_outsider, voters=[founders[0]])
    gov.cast_vote(pid, AGAINST, sender=founders[1])
    gov.cast_vote(pid, AGAINST, sender=founders[2])
    flow.close(c, pid)
    assert gov.state(pid) == DEFEATED
    with boa.reverts("governor: proposal not succeeded"):
        gov.queue(pid, sender=founders[0])
    with boa.reverts("governor: proposal not queued"):
        gov.execute(pid, pay_outsider, sender=founders[0])
    assert gov.state(pid) == DEFEATED


def test_execute_canceled(funded, founders, flow, gov_helpers, pay_outsider):
    c = funded
    gov = c.governor
    pid = gov_helpers.propose(c, founders[0], pay_outsider)
    gov.cancel(pid, sender=founders[0])
    flow.close(c, pid)
    with boa.reverts("governor: proposal not succeeded"):
        gov.queue(pid, sender=founders[0])
    with boa.reverts("governor: proposal not queued"):
        gov.execute(pid, pay_outsider, sender=founders[0])
    assert gov.state(pid) == CANCELED


def test_execute_pending_or_active(funded, founders, gov_helpers, pay_outsider):
    c = funded
    gov = c.governor
    pid = gov_helpers.propose(c, founders[0], pay_outsider)
    with boa.reverts("governor: proposal not queued"):
        gov.execute(pid, pay_outsider, sender=founders[0])
    gov_helpers.open_voting(c)
    for f in founders:
        gov.cast_vote(pid, FOR, sender=f)
    with boa.reverts("governor: proposal not queued"):
        gov.execute(pid, pay_outsider, sender=founders[0])
    with boa.reverts("governor: unknown proposal"):
        gov.execute(pid + 1, pay_outsider, sender=founders[0])


def test_execute_with_actions_other_than_voted(funded, founders, outsider, flow, gov_helpers):
    c = funded
    gov = c.governor
    t = c.treasury
    eth = ETH
    pay = gov_helpers.action(t, "pay", eth, outsider.address, 10**15)
    fund = gov_helpers.action(t, "fund_pool", eth, 10**15)
    voted = [pay, fund]
    pid = _queued(c, founders, flow, voted)
    pending(gov.proposal(pid).eta)
    target, value, data = pay
    altered = {
        "other recipient": [gov_helpers.action(t, "pay", eth, founders[2].address, 10**15), fund],
        "bigger amount": [gov_helpers.action(t, "pay", eth, outsider.address, 10**18), fund],
        "other target": [(founders[2].address, value, data), fund],
        "extra value": [(target, 1, data), fund],
        "an action added": [pay, fund, pay],
        "an action dropped": [pay],
        "reordered": [fund, pay],
        "empty list": [],
        "trailing byte": [(target, value, data + b"\x00"), fund],
    }
    before = balance(t)
    for _name, actions in altered.items():
        value_sent = sum(a[1] for a in actions)
        with boa.reverts("governor: actions mismatch"):
            gov.execute(pid, actions, sender=outsider, value=value_sent)
    assert gov.state(pid) == QUEUED
    assert balance(t) == before
    pool = t.pool(eth)
    # the voted list still runs, once
    gov.execute(pid, voted, sender=outsider)
    assert only(gov, "Payment").recipient == outsider.address
    assert only(gov, "PoolFunded").pool == pool + 10**15


def test_execute_with_the_wrong_value(funded, founders, sink, flow):
    c = funded
    gov = c.governor
    actions = [(sink.address, 1000, b"")]
    pid = _queued(c, founders, flow, actions)
    pending(gov.proposal(pid).eta)
    for value in (0, 999, 1001):
        with boa.reverts("governor: wrong value"):
            gov.execute(pid, actions, sender=founders[0], value=value)
    assert sink.received() == 0
    gov.execute(pid, actions, sender=founders[0], value=1000)
    assert sink.received() == 1000
    assert balance(gov) == 0
