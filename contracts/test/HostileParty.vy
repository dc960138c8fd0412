# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Test-only escrow party with hostile receive modes (never deployed by the factory)
@custom:contract-name HostileParty
@license GNU Affero General Public License v3.0 only
@notice Acts as a client, worker or panelist of the escrow (`act` forwards
        any call with value) and misbehaves when paid ETH: `mode` 0 accepts,
        1 reverts, 2 burns all the gas it is given, 3 makes ONE call to the
        armed `target` with `payload` (re-entry probe), logs its outcome
        (`Reentered`) and accepts. Receiving writes no storage, so the probe
        fits in the gas the escrow forwards with a payment.
@custom:security Anyone can drive it: test use only.
"""

mode: public(uint256)
target: public(address)
payload: public(Bytes[2048])
burnt: public(uint256)


event Reentered:
    ok: bool
    response: Bytes[1024]


@external
def set_mode(mode: uint256, target: address, payload: Bytes[2048]):
    """
    @notice Sets the receive behaviour and the re-entry call.
    """
    self.mode = mode
    self.target = target
    self.payload = payload


@payable
@external
def act(target: address, data: Bytes[4096], amount: uint256) -> Bytes[1024]:
    """
    @notice Calls `target` with `data` and `amount` wei from this contract,
            bubbling a revert.
    """
    return raw_call(target, data, value=amount, max_outsize=1024)


@payable
@external
def __default__():
    mode: uint256 = self.mode
    if mode == 1:
        raise "party: refuses ETH"
    if mode == 2:
        for i: uint256 in range(10**6):
            self.burnt += 1
    if mode == 3:
        ok: bool = False
        response: Bytes[1024] = b""
        ok, response = raw_call(
            self.target, self.payload, max_outsize=1024, revert_on_failure=False
        )
        log Reentered(ok=ok, response=response)
