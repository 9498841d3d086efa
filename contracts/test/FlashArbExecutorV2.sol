// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBalancerVault} from "@flashkeeper/interfaces/IBalancerVault.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {FlashArbExecutor} from "../executor/FlashArbExecutor.sol";
import {DexRegistry} from "../registry/DexRegistry.sol";
import {UpgradeNote} from "./UpgradeNote.sol";

/// @title A second FlashArbExecutor implementation with a new field, for the upgrade test
contract FlashArbExecutorV2 is FlashArbExecutor, UpgradeNote {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(DexRegistry registry_, IBalancerVault vault_) FlashArbExecutor(registry_, vault_) {}

    // the executor's gate keeps its copy of roles and pause in these; UpgradeNote's base
    // declares them too, so the compiler asks which one runs: the executor's
    function _grantRole(bytes32 role, address account)
        internal
        override(AccessControlUpgradeable, FlashArbExecutor)
        returns (bool)
    {
        return super._grantRole(role, account);
    }

    function _revokeRole(bytes32 role, address account)
        internal
        override(AccessControlUpgradeable, FlashArbExecutor)
        returns (bool)
    {
        return super._revokeRole(role, account);
    }

    function _pause() internal override(PausableUpgradeable, FlashArbExecutor) {
        super._pause();
    }

    function _unpause() internal override(PausableUpgradeable, FlashArbExecutor) {
        super._unpause();
    }

    function upgradeToAndCall(address newImplementation, bytes memory data)
        public
        payable
        override(UUPSUpgradeable, FlashArbExecutor)
    {
        super.upgradeToAndCall(newImplementation, data);
    }
}
