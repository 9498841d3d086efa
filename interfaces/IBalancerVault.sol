// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "./IERC20.sol";

/// @title The flash-loan part of the Balancer V2 Vault
interface IBalancerVault {
    /// @notice Lends `amounts` of `tokens` (sorted, no duplicates) to `recipient`, calls its
    /// `receiveFlashLoan`, then requires each balance back plus the protocol flash-loan fee
    /// (zero unless governance set one).
    function flashLoan(
        IFlashLoanRecipient recipient,
        IERC20[] calldata tokens,
        uint256[] calldata amounts,
        bytes calldata userData
    ) external;
}

/// @title A Balancer V2 flash-loan recipient
/// @notice Trust rule: the Vault lets ANYONE start a flash loan naming any recipient. The
/// recipient must check msg.sender is the Vault AND that it started this loan itself in this
/// transaction (a transient flag); a loan started by someone else must revert, or an attacker
/// can make the recipient run its own logic with attacker-chosen `userData`.
interface IFlashLoanRecipient {
    function receiveFlashLoan(
        IERC20[] calldata tokens,
        uint256[] calldata amounts,
        uint256[] calldata feeAmounts,
        bytes calldata userData
    ) external;
}
