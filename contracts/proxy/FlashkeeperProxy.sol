// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @title The ERC-1967 proxy every Flashkeeper contract lives behind
/// @dev Declared here only so that ape has its contract type; the logic is OpenZeppelin's.
/// Deploy with the implementation and the `initialize` calldata, so that the proxy is
/// initialized in the deploying transaction and no one can front-run the initialization.
contract FlashkeeperProxy is ERC1967Proxy {
    constructor(address implementation, bytes memory data) payable ERC1967Proxy(implementation, data) {}
}
