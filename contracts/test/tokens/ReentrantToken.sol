// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestERC20} from "./TestERC20.sol";

/// @title A token whose transfers call back into a chosen contract while armed
/// @dev Test-only: stands in for ERC-777 style hooks or a malicious token in a route. The
/// callback's failure is bubbled up, so a target that refuses re-entry reverts the transfer.
contract ReentrantToken is TestERC20 {
    address public target;
    bytes public payload;

    constructor(string memory n, string memory s, uint8 d) TestERC20(n, s, d) {}

    /// @notice Arm (or, with an empty payload, disarm) the hook
    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (payload.length != 0 && from != address(0)) {
            (bool ok, bytes memory reason) = target.call(payload);
            if (!ok) {
                assembly {
                    revert(add(reason, 32), mload(reason))
                }
            }
        }
    }
}
