// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DexRegistry} from "../registry/DexRegistry.sol";
import {UpgradeNote} from "./UpgradeNote.sol";

/// @title A second DexRegistry implementation with a new field, for the upgrade test
contract DexRegistryV2 is DexRegistry, UpgradeNote {}
