// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestERC20} from "./TestERC20.sol";

/// @title A token whose transfers revert once anyone flips `setFrozen(true)`
/// @dev Lets tests freeze a token mid-route, after pools were seeded with it.
contract RevertingToken is TestERC20 {
    error RevertingTokenFrozen();

    bool public frozen;

    constructor(string memory n, string memory s, uint8 d) TestERC20(n, s, d) {}

    function setFrozen(bool frozen_) external {
        frozen = frozen_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (frozen && from != address(0)) revert RevertingTokenFrozen();
        super._update(from, to, value);
    }
}
