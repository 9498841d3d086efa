// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title The callbacks a Uniswap V3 pool makes into its caller
/// @notice Trust rule: anyone can call these. The implementation must check that msg.sender is
/// exactly the pool it called in this transaction (verified against the canonical factory) and
/// that a transient "operation in progress" flag it set itself is on; otherwise revert.
interface IUniswapV3SwapCallback {
    /// @param amount0Delta owed to the pool if positive
    /// @param amount1Delta owed to the pool if positive
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) external;
}

/// @notice Trust rule: as for the swap callback; `fee0`/`fee1` are owed on top of the loan.
interface IUniswapV3FlashCallback {
    function uniswapV3FlashCallback(uint256 fee0, uint256 fee1, bytes calldata data) external;
}
