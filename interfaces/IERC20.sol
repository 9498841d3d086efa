// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title ERC-20 as the executor and keeper call it
/// @notice Trust rule: a token is untrusted code. Callers must not assume a `bool` return
/// (USDT-style tokens return nothing), nor that `amount` arrives (fee-on-transfer tokens), nor
/// that a transfer cannot call back into them (hook tokens). Measure balances before and after.
interface IERC20 {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    function totalSupply() external view returns (uint256);
    function balanceOf(address account) external view returns (uint256);
    function allowance(address owner, address spender) external view returns (uint256);
    function decimals() external view returns (uint8);
    function symbol() external view returns (string memory);
    function transfer(address to, uint256 amount) external returns (bool);
    function approve(address spender, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}
