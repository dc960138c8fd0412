# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Test-only clone maker (never deployed by the factory)
@custom:contract-name CloneMaker
@license GNU Affero General Public License v3.0 only
@notice Makes an uninitialised EIP-1167 clone of any implementation, so tests can
        call an initializer directly with arguments the factory would never pass.
@custom:security Test use only.
"""


event Cloned:
    clone: address


@external
def clone(implementation: address) -> address:
    """
    @notice A fresh, uninitialised minimal proxy of `implementation`.
    """
    made: address = create_minimal_proxy_to(implementation)
    log Cloned(clone=made)
    return made
