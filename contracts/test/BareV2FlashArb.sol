// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@flashkeeper/interfaces/IERC20.sol";
import {IUniswapV2Pair} from "@flashkeeper/interfaces/IUniswapV2Pair.sol";

/// @title The floor of a two-pair V2 flash-swap arbitrage, for bench-gas only
/// @notice No proxy, no roles, no pause, no allow-list, no profit check, no event: the caller
/// names the pairs and the amounts. What FlashArbExecutor costs above this is the price of
/// those protections; never deploy it anywhere that holds value.
contract BareV2FlashArb {
    /// @notice The last pair lends `out2` of the start token; the first pair is paid in the callback
    function run(address pair1, address pair2, address tokenA, uint256 amountIn, uint256 out1, uint256 out2, bool z1, bool z2)
        external
    {
        IUniswapV2Pair(pair2).swap(z2 ? 0 : out2, z2 ? out2 : 0, address(this), abi.encode(pair1, tokenA, amountIn, out1, z1));
    }

    /// @notice Pay the first pair, swap it into the lender
    function uniswapV2Call(address, uint256, uint256, bytes calldata data) external {
        (address pair1, address tokenA, uint256 amountIn, uint256 out1, bool z1) =
            abi.decode(data, (address, address, uint256, uint256, bool));
        require(IERC20(tokenA).transfer(pair1, amountIn));
        IUniswapV2Pair(pair1).swap(z1 ? 0 : out1, z1 ? out1 : 0, msg.sender, "");
    }
}
