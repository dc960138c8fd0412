# pragma version ~=0.4.3
"""
@title iwo escrow reverts: one place that reverts with a reason
@custom:contract-name reverts
@license GNU Affero General Public License v3.0 only
@notice Vyper builds the Error(string) revert data of an `assert` with a
        reason inline at every assert (about 114 bytes of code each). The
        escrow has ~90 checks, which would take it past the 24,576-byte
        contract size limit (EIP-170), so its checks read
        `if <failed>: reverts._fail("escrow: <reason>")`: the revert data is
        built once, here. The revert data is exactly that of an assert with
        the same reason, and the check costs the same gas when it passes.
@custom:security Stateless.
"""

MAX_REASON: constant(uint256) = 64


@pure
@internal
def _fail(reason: String[MAX_REASON]):
    """
    @notice Reverts with `reason` (ABI-encoded Error(string)).
    @param reason "<contract>: <reason>".
    """
    raise reason
