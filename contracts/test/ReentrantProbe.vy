# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Test-only re-entrancy probe (never deployed by the factory)
@custom:contract-name ReentrantProbe
@license GNU Affero General Public License v3.0 only
@notice A hostile action target or ETH payee. Whenever it is called with
        calldata no function matches, or sent ETH, it makes ONE call to the
        armed `target` with the armed `payload` (for instance `execute` of
        the governor that is calling it, `pay` of the treasury that is paying
        it, or `withdraw` of the mutual-aid contract paying its claim),
        records whether that inner call succeeded and what it returned (the
        revert data on failure), and then returns normally, so the outer call
        carries on and the test can look at the inner result. With `bubble`
        set it reverts instead when the inner call failed. As a member (a
        card can be held by a contract) it acts through `call`.
@custom:security Test use only.
"""

target: public(address)
payload: public(Bytes[4096])
bubble: public(bool)
tries: public(uint256)
last_ok: public(bool)
last_response: public(Bytes[1024])
received: public(uint256)
_busy: bool


@external
def arm(target: address, payload: Bytes[4096], bubble: bool):
    """
    @notice Sets the call to make when poked.
    """
    self.target = target
    self.payload = payload
    self.bubble = bubble


@payable
@external
def call(target: address, data: Bytes[4096]) -> Bytes[1024]:
    """
    @notice Makes a call as this probe (file a claim, withdraw it: the ETH it
            then receives pokes the probe while the withdrawal is running).
            Reverts with the inner reason when the call fails.
    @param target The contract to call.
    @param data The calldata.
    @return Bytes[1024] What the call returned.
    """
    return raw_call(target, data, max_outsize=1024, value=msg.value)


@payable
@external
def __default__():
    self.received += msg.value
    if self._busy or self.target == empty(address):
        return
    self._busy = True
    ok: bool = False
    response: Bytes[1024] = b""
    ok, response = raw_call(self.target, self.payload, max_outsize=1024, revert_on_failure=False)
    self._busy = False
    self.tries += 1
    self.last_ok = ok
    self.last_response = response
    if self.bubble:
        assert ok, "probe: inner call failed"
