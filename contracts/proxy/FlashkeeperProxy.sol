// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @title The ERC-1967 proxy every Flashkeeper contract lives behind
/// @notice Deploy with the implementation and the `initialize` calldata, so that the proxy is
/// initialized in the deploying transaction and no one can front-run the initialization.
/// @dev The constructor is OpenZeppelin's (`ERC1967Utils.upgradeToAndCall`: the implementation
/// must have code, `Upgraded` is emitted, the data is delegate-called, value without data is
/// refused). The runtime is hand-assembled instead of compiled: every call through it, and a
/// flash-funded execute makes two (the entry and the lender's callback), skips the compiled
/// fallback's free-memory-pointer store (~18 gas, also one word of memory paid again by the
/// calldata copy), its address mask (~11) and its stack shuffles: ~26 gas a pass, measured.
/// The mask is not needed: DELEGATECALL takes its address operand modulo 2^160 (Yellow
/// Paper, 9.4.3), so the executor's flags in the slot's high 96 bits never reach the call.
/// There is no selector of its own, no admin and no `receive`: everything, value included,
/// goes to the implementation, which alone upgrades (UUPS).
contract FlashkeeperProxy {
    /// @dev The runtime, 58 bytes. Offsets on the left; `slot` is ERC1967Utils.IMPLEMENTATION_SLOT
    /// (a test checks the bytes against it).
    ///   00 CALLDATASIZE PUSH0 PUSH0 CALLDATACOPY     memory[0, cds) = calldata
    ///   04 PUSH0 PUSH0 CALLDATASIZE PUSH0             out (0, 0), in (0, cds)
    ///   08 PUSH32 slot SLOAD GAS DELEGATECALL         success
    ///   2c RETURNDATASIZE PUSH0 PUSH0 RETURNDATACOPY  memory[0, rds) = returndata
    ///   30 PUSH1 0x36 JUMPI                           success: to 36
    ///   33 RETURNDATASIZE PUSH0 REVERT                bubble the revert, data as it came
    ///   36 JUMPDEST RETURNDATASIZE PUSH0 RETURN
    bytes private constant RUNTIME =
        hex"365f5f375f5f365f7f360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc545af4"
        hex"3d5f5f3e6036573d5ffd5b3d5ff3";

    /// @param implementation The first implementation; it must have code.
    /// @param data Calldata delegate-called on it (its `initialize`); empty for none.
    constructor(address implementation, bytes memory data) payable {
        ERC1967Utils.upgradeToAndCall(implementation, data);
        bytes memory runtime = RUNTIME;
        assembly ("memory-safe") {
            return(add(runtime, 0x20), mload(runtime))
        }
    }
}
