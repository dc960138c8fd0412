# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Test-only ERC-20 stand-in (never deployed by the factory)
@custom:contract-name MockToken
@license GNU Affero General Public License v3.0 only
@notice A plain ERC-20 with public minting and optional hostile behaviour for
        tests: `mode` 0 normal, 1 returns false instead of moving, 2 takes a
        1% fee on transfer, 4 calls `hook` with `hook_data` during
        transferFrom (reentrancy probe), 8 refuses approvals (returns false).
@custom:security Anyone can mint: test use only.
"""

name: public(String[32])
symbol: public(String[8])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
mode: public(uint256)
hook: public(address)
hook_data: public(Bytes[256])


event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256


event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256


@deploy
def __init__(name: String[32], symbol: String[8], decimals: uint8):
    self.name = name
    self.symbol = symbol
    self.decimals = decimals


@external
def mint(to: address, amount: uint256):
    self.balanceOf[to] += amount
    self.totalSupply += amount
    log Transfer(sender=empty(address), receiver=to, value=amount)


@external
def set_mode(mode: uint256, hook: address, hook_data: Bytes[256]):
    self.mode = mode
    self.hook = hook
    self.hook_data = hook_data


@external
def approve(spender: address, amount: uint256) -> bool:
    if self.mode == 8:
        return False
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True


@external
def transfer(receiver: address, amount: uint256) -> bool:
    if self.mode == 1:
        return False
    self._move(msg.sender, receiver, amount)
    return True


@external
def transferFrom(sender: address, receiver: address, amount: uint256) -> bool:
    if self.mode == 1:
        return False
    self.allowance[sender][msg.sender] -= amount
    if self.mode == 4 and self.hook != empty(address):
        raw_call(self.hook, self.hook_data)
    self._move(sender, receiver, amount)
    return True


@internal
def _move(sender: address, receiver: address, amount: uint256):
    received: uint256 = amount
    if self.mode == 2:
        received = amount - amount // 100
        self.totalSupply -= amount // 100
    self.balanceOf[sender] -= amount
    self.balanceOf[receiver] += received
    log Transfer(sender=sender, receiver=receiver, value=received)
