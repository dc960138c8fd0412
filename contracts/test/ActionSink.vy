# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Test-only action target that accepts any calldata (never deployed by the factory)
@custom:contract-name ActionSink
@license GNU Affero General Public License v3.0 only
@notice Counts the calls it receives and remembers the calldata size and ETH
        of the last one, so a test can tell that every action of a
        maximal action list really ran.
@custom:security Test use only.
"""

calls: public(uint256)
last_size: public(uint256)
received: public(uint256)


event Poked:
    sender: indexed(address)
    size: uint256
    value: uint256


@payable
@external
def __default__():
    self.calls += 1
    self.last_size = len(msg.data)
    self.received += msg.value
    log Poked(sender=msg.sender, size=len(msg.data), value=msg.value)
