// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {GuardedUpgradeable} from "../common/GuardedUpgradeable.sol";

/// @title What each contract's second implementation adds in the upgrade tests: one new field
/// in a namespace of its own, so that an upgrade can be seen to keep every old field and
/// serve the new one. A bytes32, not a string: the executor's second implementation must stay
/// under EIP-170's 24,576 bytes too, and a string's copy code costs ~0.6k of them
abstract contract UpgradeNote is GuardedUpgradeable {
    /// @custom:storage-location erc7201:flashkeeper.storage.UpgradeNote
    struct NoteStorage {
        bytes32 note;
    }

    // keccak256(abi.encode(uint256(keccak256("flashkeeper.storage.UpgradeNote")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 public constant NOTE_LOCATION = 0x839e8bdfed45693c6dad7efdad57d027b7e2e1095a173a64c9290ecfb7972900;

    /// @notice Set the new field; admin only
    function setNote(bytes32 note_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _noteStorage().note = note_;
    }

    /// @notice The new field
    function note() external view returns (bytes32) {
        return _noteStorage().note;
    }

    /// @notice The implementation's version: 2 for every upgraded test implementation
    function version() external pure returns (uint256) {
        return 2;
    }

    function _noteStorage() private pure returns (NoteStorage storage $) {
        bytes32 slot = NOTE_LOCATION;
        assembly {
            $.slot := slot
        }
    }
}
