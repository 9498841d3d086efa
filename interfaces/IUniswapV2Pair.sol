// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Uniswap V2 pair (and its forks): the calls a router-free executor makes
/// @notice Trust rule: an address claiming to be a pair is only one if it equals the CREATE2
/// address derived from a registered factory, the sorted tokens and the factory's init-code
/// hash (or `factory.getPair(token0, token1)`); never trust the caller's word for it.
interface IUniswapV2Pair {
    event Sync(uint112 reserve0, uint112 reserve1);
    event Swap(
        address indexed sender,
        uint256 amount0In,
        uint256 amount1In,
        uint256 amount0Out,
        uint256 amount1Out,
        address indexed to
    );

    function factory() external view returns (address);
    function token0() external view returns (address);
    function token1() external view returns (address);
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);

    /// @notice Sends the outputs first; with non-empty `data` calls `to.uniswapV2Call` before
    /// checking that the input paid in (plus the 0.3% fee) keeps the constant product.
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
    function sync() external;
}
