// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title The flash-loan part of an Aave V3 Pool
interface IAaveV3Pool {
    /// @notice Lends `amount` of `asset` to `receiverAddress`, calls its `executeOperation`,
    /// then pulls amount + premium (FLASHLOAN_PREMIUM_TOTAL, in bps) through an allowance.
    function flashLoanSimple(
        address receiverAddress,
        address asset,
        uint256 amount,
        bytes calldata params,
        uint16 referralCode
    ) external;

    function FLASHLOAN_PREMIUM_TOTAL() external view returns (uint128);
}

/// @title An Aave V3 simple flash-loan receiver
/// @notice Trust rule: check msg.sender is the Pool, `initiator` is this contract, and a
/// transient flag this contract set before calling `flashLoanSimple`; otherwise revert.
interface IFlashLoanSimpleReceiver {
    function executeOperation(
        address asset,
        uint256 amount,
        uint256 premium,
        address initiator,
        bytes calldata params
    ) external returns (bool);
}
