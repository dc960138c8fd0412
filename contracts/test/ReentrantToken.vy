# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Test-only ERC-20 that re-enters its caller (never deployed by the factory)
@custom:contract-name ReentrantToken
@license GNU Affero General Public License v3.0 only
@notice A plain ERC-20 with public minting that, when armed, makes ONE call
        to `hook` with `hook_data` from inside `transfer` and `transferFrom`
        (before moving the balance), records whether that call succeeded and
        its return or revert data, and then completes the transfer. It is the
        token-side twin of ReentrantProbe: it shows what a hostile token can
        reach when the treasury calls it (pull on dues and donations, push on
        pay and mutual-aid instalments).
@custom:security Anyone can mint: test use only.
"""

name: public(String[32])
symbol: public(String[8])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
hook: public(address)
hook_data: public(Bytes[1024])
tries: public(uint256)
last_ok: public(bool)
last_response: public(Bytes[1024])
_busy: bool


event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256


event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256


@deploy
def __init__():
    self.name = "Reentrant"
    self.symbol = "RENT"
    self.decimals = 18


@external
def mint(to: address, amount: uint256):
    self.balanceOf[to] += amount
    self.totalSupply += amount
    log Transfer(sender=empty(address), receiver=to, value=amount)


@external
def arm(hook: address, hook_data: Bytes[1024]):
    self.hook = hook
    self.hook_data = hook_data


@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True


@external
def transfer(receiver: address, amount: uint256) -> bool:
    self._poke()
    self._move(msg.sender, receiver, amount)
    return True


@external
def transferFrom(sender: address, receiver: address, amount: uint256) -> bool:
    self.allowance[sender][msg.sender] -= amount
    self._poke()
    self._move(sender, receiver, amount)
    return True


@internal
def _poke():
    if self._busy or self.hook == empty(address):
        return
    self._busy = True
    ok: bool = False
    response: Bytes[1024] = b""
    ok, response = raw_call(self.hook, self.hook_data, max_outsize=1024, revert_on_failure=False)
    self._busy = False
    self.tries += 1
    self.last_ok = ok
    self.last_response = response


@internal
def _move(sender: address, receiver: address, amount: uint256):
    self.balanceOf[sender] -= amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=sender, receiver=receiver, value=amount)
