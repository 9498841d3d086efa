// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PriceFeedRegistry} from "../registry/PriceFeedRegistry.sol";
import {UpgradeNote} from "./UpgradeNote.sol";

/// @title A second PriceFeedRegistry implementation with a new field, for the upgrade test
contract PriceFeedRegistryV2 is PriceFeedRegistry, UpgradeNote {}
