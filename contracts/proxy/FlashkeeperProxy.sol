// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @title The ERC-1967 proxy every Flashkeeper contract lives behind
/// @notice Deploy with the implementation and the `initialize` calldata, so that the proxy is
/// initialized in the deploying transaction and no one can front-run the initialization.
/// @dev The constructor does what OpenZeppelin's `ERC1967Proxy` does: it refuses empty data (a
/// proxy left uninitialized is anyone's to initialize), then `ERC1967Utils.upgradeToAndCall`
/// (the implementation must have code, `Upgraded` is emitted, the data is delegate-called).
/// The runtime is hand-assembled instead of compiled: every call through it, and a
/// flash-funded execute makes two (the entry and the lender's callback), skips the compiled
/// fallback's free-memory-pointer store (~18 gas, also one word of memory paid again by the
/// calldata copy), its address mask (~11) and its stack shuffles: ~25 gas a pass, measured.
/// The mask is not needed: DELEGATECALL takes its address operand modulo 2^160 (Yellow
/// Paper, appendix H.2, CALL: t = mu_s[1] mod 2^160; DELEGATECALL is CALL otherwise), and
/// EIP-2929's warm set is keyed by that 20-byte address, so the executor's flags in the
/// slot's high 96 bits never reach the call.
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

    /// @notice Empty initialization data: OpenZeppelin's error, with its selector
    error ERC1967ProxyUninitialized();

    /// @param implementation The first implementation; it must have code.
    /// @param data Calldata delegate-called on it (its `initialize`); it must not be empty.
    constructor(address implementation, bytes memory data) payable {
        if (data.length == 0) revert ERC1967ProxyUninitialized();
        ERC1967Utils.upgradeToAndCall(implementation, data);
        bytes memory runtime = RUNTIME;
        assembly ("memory-safe") {
            return(add(runtime, 0x20), mload(runtime))
        }
    }
}
