// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBalancerVault} from "@flashkeeper/interfaces/IBalancerVault.sol";
import {FlashArbExecutor} from "../executor/FlashArbExecutor.sol";
import {DexRegistry} from "../registry/DexRegistry.sol";
import {UpgradeNote} from "./UpgradeNote.sol";

/// @title A second FlashArbExecutor implementation with a new field, for the upgrade test
contract FlashArbExecutorV2 is FlashArbExecutor, UpgradeNote {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(DexRegistry registry_, IBalancerVault vault_) FlashArbExecutor(registry_, vault_) {}
}
