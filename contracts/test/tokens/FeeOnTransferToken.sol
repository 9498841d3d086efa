// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestERC20} from "./TestERC20.sol";

/// @title Burns 1% of every transfer, so the receiver gets less than the amount sent
contract FeeOnTransferToken is TestERC20 {
    uint256 public constant FEE_BPS = 100;

    constructor(string memory n, string memory s, uint8 d) TestERC20(n, s, d) {}

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = (value * FEE_BPS) / 10_000;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
