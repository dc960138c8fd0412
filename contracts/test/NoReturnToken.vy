# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Test-only ERC-20 whose transfer functions return nothing (like USDT)
@custom:contract-name NoReturnToken
@license GNU Affero General Public License v3.0 only
@notice `transfer` and `transferFrom` return no data and revert on failure.
        With `blocked` set, transfers to that address revert (a token with
        a blacklist).
@custom:security Anyone can mint and block: test use only.
"""

balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
blocked: public(address)


@external
def mint(to: address, amount: uint256):
    self.balanceOf[to] += amount


@external
def block(who: address):
    self.blocked = who


@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    return True


@external
def transfer(receiver: address, amount: uint256):
    assert receiver != self.blocked, "token: receiver blocked"
    self.balanceOf[msg.sender] -= amount
    self.balanceOf[receiver] += amount


@external
def transferFrom(sender: address, receiver: address, amount: uint256):
    assert receiver != self.blocked, "token: receiver blocked"
    self.allowance[sender][msg.sender] -= amount
    self.balanceOf[sender] -= amount
    self.balanceOf[receiver] += amount
