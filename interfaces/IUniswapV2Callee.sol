// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title The flash-swap callback of a Uniswap V2 pair
/// @notice Trust rule: anyone can call this. The implementation must check that msg.sender is
/// the pair it itself called in this transaction (derive the pair from a registered factory,
/// and check a transient "operation in progress" flag it set before calling `swap`), and that
/// `sender` is itself.
interface IUniswapV2Callee {
    function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes calldata data) external;
}
