// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {GuardedUpgradeable} from "../common/GuardedUpgradeable.sol";

/// @notice What the registry calls after each change
interface IDexListener {
    /// @notice Re-read `factory`'s entry from the registry
    function syncFactory(address factory) external;
}

/// @title The DEXes Flashkeeper may trade on
/// @notice Upgradeable (UUPS); REGISTRAR registers and edits, CURATOR only switches registered
/// DEXes on and off, GUARDIAN pauses, UPGRADER upgrades.
/// The executor keeps a copy of `factoryInfo(factory)` per factory, refreshed by the registry
/// (its listener) after every change, and trades only on factories enabled there.
contract DexRegistry is GuardedUpgradeable {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    enum DexKind {
        UniswapV2,
        UniswapV3,
        BalancerV2
    }

    struct Dex {
        DexKind kind;
        bool enabled;
        uint16 feeBps; // V2 forks: fixed swap fee; 0 for kinds whose fee is per pool
        address factory; // the Vault for Balancer
        address router; // router, or quoter for V3 (off-chain tooling only)
        bytes32 initCodeHash; // pair/pool creation-code hash where the kind has one
    }

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @custom:storage-location erc7201:flashkeeper.storage.DexRegistry
    struct DexRegistryStorage {
        mapping(bytes32 id => Dex) dexes;
        bytes32[] ids;
        mapping(address factory => bytes32 id) idOfFactory;
        // appended after v1: a contract (the executor) told of every change, so its copy of
        // the allow-list never lags the registry by even one transaction
        address listener;
        // appended with CURATOR: disabled by a REGISTRAR, so only a REGISTRAR may enable it
        mapping(bytes32 id => bool) held;
    }

    // keccak256(abi.encode(uint256(keccak256("flashkeeper.storage.DexRegistry")) - 1)) & ~bytes32(uint256(0xff))
    /// @notice The ERC-7201 slot of DexRegistryStorage
    bytes32 public constant STORAGE_LOCATION = 0xb33af30acc3219b00fc5bc05040eb43cff05e10ed90f436993f7926221480800;
    /// @notice May register, update, enable and disable DEXes. A listing is a grant of trust:
    /// the executor pays whatever a listed factory's pools ask in their callbacks, so this role
    /// can reach the executor's holdings and belongs with a key as guarded as the admin's.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    /// @notice May enable and disable registered DEXes, and nothing else: the role for an
    /// exposed key (the dashboard's), which can then only choose among listings a REGISTRAR
    /// vetted, never list a contract of its own, nor enable one a REGISTRAR disabled
    bytes32 public constant CURATOR_ROLE = keccak256("CURATOR_ROLE");
    /// @notice The highest DEX-wide swap fee accepted (10%)
    uint16 public constant MAX_FEE_BPS = 1000;

    /*//////////////////////////////////////////////////////////////
                             CUSTOM ERRORS
    //////////////////////////////////////////////////////////////*/

    error DexRegistryZeroId();
    error DexRegistryZeroAddress(bytes32 id);
    error DexRegistryNoCode(address account);
    error DexRegistryDuplicate(bytes32 id);
    error DexRegistryFactoryTaken(address factory, bytes32 owner);
    error DexRegistryUnknown(bytes32 id);
    error DexRegistryFeeOutOfRange(uint16 feeBps, uint16 maxFeeBps);
    error DexRegistryNoInitCodeHash(bytes32 id);
    error DexRegistryUnexpectedInitCodeHash(bytes32 id, bytes32 initCodeHash);
    error DexRegistryHeld(bytes32 id);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event DexRegistered(
        bytes32 indexed id, DexKind kind, address indexed factory, address router, uint16 feeBps, bytes32 initCodeHash
    );
    event DexUpdated(bytes32 indexed id, address router, uint16 feeBps, bytes32 initCodeHash);
    event DexEnabledSet(bytes32 indexed id, bool enabled);
    event DexListenerSet(address indexed listener);
    event DexHeldSet(bytes32 indexed id, bool held);

    /*//////////////////////////////////////////////////////////////
                                 SETUP
    //////////////////////////////////////////////////////////////*/

    /// @notice Grant `admin` every role but CURATOR, whose one power REGISTRAR includes
    function initialize(address admin) external initializer {
        __Guarded_init(admin);
        _grantRole(REGISTRAR_ROLE, admin);
    }

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @notice Register a DEX, enabled; its factory must be a contract no other DEX uses
    /// @param id the DEX's name, left-aligned (non-zero, unique)
    /// @param kind how its pools are addressed and swapped
    /// @param factory the pair/pool factory (the Vault for Balancer): a contract
    /// @param router its router, or quoter for V3, or the Vault for Balancer: a contract
    /// @param feeBps the swap fee of a V2 fork (at most MAX_FEE_BPS); 0 where each pool has its own
    /// @param initCodeHash the pair/pool creation-code hash (V2, V3), from which pools are derived
    function register(
        bytes32 id,
        DexKind kind,
        address factory,
        address router,
        uint16 feeBps,
        bytes32 initCodeHash
    ) external onlyRole(REGISTRAR_ROLE) whenNotPaused {
        DexRegistryStorage storage $ = _storage();
        if (id == bytes32(0)) revert DexRegistryZeroId();
        if ($.dexes[id].factory != address(0)) revert DexRegistryDuplicate(id);
        if (factory == address(0)) revert DexRegistryZeroAddress(id);
        if (factory.code.length == 0) revert DexRegistryNoCode(factory);
        if ($.idOfFactory[factory] != bytes32(0)) revert DexRegistryFactoryTaken(factory, $.idOfFactory[factory]);
        _checkFields(id, kind, router, feeBps, initCodeHash);
        $.dexes[id] = Dex(kind, true, feeBps, factory, router, initCodeHash);
        $.ids.push(id);
        $.idOfFactory[factory] = id;
        emit DexRegistered(id, kind, factory, router, feeBps, initCodeHash);
        _notify(factory);
    }

    /// @notice Change a DEX's router, fee or init-code hash (its id, kind and factory are fixed),
    /// under the rules `register` applies
    function update(bytes32 id, address router, uint16 feeBps, bytes32 initCodeHash)
        external
        onlyRole(REGISTRAR_ROLE)
        whenNotPaused
    {
        Dex storage dex = _known(id);
        _checkFields(id, dex.kind, router, feeBps, initCodeHash);
        dex.router = router;
        dex.feeBps = feeBps;
        dex.initCodeHash = initCodeHash;
        emit DexUpdated(id, router, feeBps, initCodeHash);
        _notify(dex.factory);
    }

    /// @notice Enable or disable trading on a DEX; REGISTRAR or CURATOR. A DEX a REGISTRAR
    /// disabled is held: only a REGISTRAR may enable it again.
    /// @dev Disabling is allowed while paused: it only narrows what may trade, and is what a
    /// registrar reaches for in the same emergency that got the registry paused. The hold
    /// keeps a registrar's withdrawal of trust (a factory found hostile) from being undone by
    /// the dashboard's exposed key.
    function setEnabled(bytes32 id, bool enabled) external {
        bool registrar = hasRole(REGISTRAR_ROLE, msg.sender);
        if (!registrar) _checkRole(CURATOR_ROLE);
        if (enabled) _requireNotPaused();
        Dex storage dex = _known(id);
        DexRegistryStorage storage $ = _storage();
        if (registrar) {
            if ($.held[id] == enabled) {
                $.held[id] = !enabled;
                emit DexHeldSet(id, !enabled);
            }
        } else if (enabled && $.held[id]) {
            revert DexRegistryHeld(id);
        }
        dex.enabled = enabled;
        emit DexEnabledSet(id, enabled);
        _notify(dex.factory);
    }

    /// @notice Whether `id` was disabled by a REGISTRAR, so that CURATOR cannot enable it
    function held(bytes32 id) external view returns (bool) {
        return _storage().held[id];
    }

    /// @notice Set the contract whose `syncFactory(factory)` is called after every change
    /// (the executor's allow-list copy); zero turns notifications off
    /// @dev A listener without code would make every change revert, a registrar's emergency
    /// disable among them (the call checks the target's code)
    function setListener(address newListener) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newListener != address(0) && newListener.code.length == 0) revert DexRegistryNoCode(newListener);
        _storage().listener = newListener;
        emit DexListenerSet(newListener);
    }

    /// @notice The contract told of every change (zero if none)
    function listener() external view returns (address) {
        return _storage().listener;
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The DEX registered under `id` (reverts if none)
    function getDex(bytes32 id) external view returns (Dex memory) {
        return _known(id);
    }

    /// @notice Every registered id, in registration order
    function dexIds() external view returns (bytes32[] memory) {
        return _storage().ids;
    }

    /// @notice How many DEXes are registered
    function dexCount() external view returns (uint256) {
        return _storage().ids.length;
    }

    /// @notice Whether `factory` belongs to an enabled DEX, and what the executor needs to
    /// verify a pool against it
    function factoryInfo(address factory)
        external
        view
        returns (bool enabled, DexKind kind, uint16 feeBps, bytes32 initCodeHash)
    {
        DexRegistryStorage storage $ = _storage();
        bytes32 id = $.idOfFactory[factory];
        if (id == bytes32(0)) return (false, DexKind.UniswapV2, 0, bytes32(0));
        Dex storage dex = $.dexes[id];
        return (dex.enabled, dex.kind, dex.feeBps, dex.initCodeHash);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev After the state change and its event: the listener only reads factoryInfo back.
    function _notify(address factory) private {
        address target = _storage().listener;
        if (target != address(0)) IDexListener(target).syncFactory(factory);
    }

    /// @dev What register and update both require of the editable fields
    function _checkFields(bytes32 id, DexKind kind, address router, uint16 feeBps, bytes32 initCodeHash) private view {
        if (router == address(0)) revert DexRegistryZeroAddress(id);
        if (router.code.length == 0) revert DexRegistryNoCode(router);
        // a V3 or Balancer pool's fee is the pool's own: a DEX-wide figure would only mislead
        uint16 maxFee = kind == DexKind.UniswapV2 ? MAX_FEE_BPS : 0;
        if (feeBps > maxFee) revert DexRegistryFeeOutOfRange(feeBps, maxFee);
        // without it the executor cannot derive, so cannot verify, a V2 pair or a V3 pool;
        // Balancer's pools are the Vault's ids, not addresses derived from a creation code
        if (kind == DexKind.BalancerV2) {
            if (initCodeHash != bytes32(0)) revert DexRegistryUnexpectedInitCodeHash(id, initCodeHash);
        } else if (initCodeHash == bytes32(0)) {
            revert DexRegistryNoInitCodeHash(id);
        }
    }

    function _known(bytes32 id) private view returns (Dex storage dex) {
        dex = _storage().dexes[id];
        if (dex.factory == address(0)) revert DexRegistryUnknown(id);
    }

    function _storage() private pure returns (DexRegistryStorage storage $) {
        bytes32 slot = STORAGE_LOCATION;
        // the ERC-7201 slot: a fixed struct location no future base contract can collide with
        assembly {
            $.slot := slot
        }
    }
}
