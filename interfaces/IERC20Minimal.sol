// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title The ERC-20 calls the executor and keeper make
interface IERC20Minimal {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
}
