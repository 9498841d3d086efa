// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DexRegistry} from "../registry/DexRegistry.sol";

/// @title A second DexRegistry implementation with a new field, for the upgrade test
contract DexRegistryV2 is DexRegistry {
    /// @custom:storage-location erc7201:flashkeeper.storage.DexRegistryV2
    struct V2Storage {
        string note;
    }

    // keccak256(abi.encode(uint256(keccak256("flashkeeper.storage.DexRegistryV2")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant V2_LOCATION = 0xc0e19da3cf33e30d402bd9cb405814aad7392d0bc2dac62c4b9258f6a810dc00;

    function setNote(string calldata note_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _v2().note = note_;
    }

    function note() external view returns (string memory) {
        return _v2().note;
    }

    function version() external pure returns (uint256) {
        return 2;
    }

    function _v2() private pure returns (V2Storage storage $) {
        bytes32 slot = V2_LOCATION;
        assembly {
            $.slot := slot
        }
    }
}
