# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Test-only impostor governor (never deployed by the factory)
@custom:contract-name FakeGovernor
@license GNU Affero General Public License v3.0 only
@notice Claims a proposal is always executing and everyone is in good
        standing, and forwards any call from its own address: what a
        stranger could deploy to write into a shared board.
@custom:security Test use only.
"""


@view
@external
def executing_proposal() -> uint256:
    return 1


@view
@external
def in_good_standing(account: address) -> bool:
    return True


@external
def act(target: address, data: Bytes[1024]):
    raw_call(target, data)
