// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestERC20} from "./TestERC20.sol";

/// @title A token whose transfers call back into a chosen contract while armed
/// @dev Test-only: stands in for ERC-777 style hooks or a malicious token in a route. With
/// `bubble` the callback's failure reverts the transfer (so the whole trade); without it the
/// transfer goes on and the token records what the callback answered, so a test can tell a
/// guard's refusal from any other failure.
contract ReentrantToken is TestERC20 {
    address public target;
    bytes public payload;
    bool public bubble;
    /// @notice Hook calls made since the last arm, those that succeeded, the last failure's data
    uint256 public calls;
    uint256 public succeeded;
    bytes public lastRevert;

    constructor(string memory n, string memory s, uint8 d) TestERC20(n, s, d) {}

    /// @notice Arm (or, with an empty payload, disarm) the hook; clears the record
    function arm(address target_, bytes calldata payload_, bool bubble_) external {
        target = target_;
        payload = payload_;
        bubble = bubble_;
        (calls, succeeded) = (0, 0);
        delete lastRevert;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (payload.length != 0 && from != address(0)) {
            (bool ok, bytes memory reason) = target.call(payload);
            if (!ok && bubble) {
                assembly {
                    revert(add(reason, 32), mload(reason))
                }
            }
            ++calls;
            if (ok) ++succeeded;
            else lastRevert = reason;
        }
    }
}
