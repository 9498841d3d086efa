// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAaveV3Pool, IFlashLoanSimpleReceiver} from "@flashkeeper/interfaces/IAaveV3Pool.sol";
import {IBalancerVault, IFlashLoanRecipient} from "@flashkeeper/interfaces/IBalancerVault.sol";
import {IERC20} from "@flashkeeper/interfaces/IERC20.sol";
import {IUniswapV3Pool} from "@flashkeeper/interfaces/IUniswapV3Pool.sol";
import {SafeERC20, IERC20 as OZIERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {GuardedUpgradeable} from "../common/GuardedUpgradeable.sol";
import {DexRegistry, IDexListener} from "../registry/DexRegistry.sol";
import {PriceFeedRegistry} from "../registry/PriceFeedRegistry.sol";

/// @title Flash-borrow, swap along a route across registered DEXes, repay, keep the profit
/// @notice One transaction: it reverts unless the executor ends with at least `minProfit` more of
/// the start token. Pools are never taken on the caller's word: each hop names a factory and
/// the pool address is derived (CREATE2) from it, the tokens and the init-code hash the hop
/// carries, and that (factory, init-code hash) pair must be registered and enabled in the
/// DexRegistry (read from this executor's copy, which the registry refreshes after every change).
/// With CHECK_DEVIATION set in `source`, every hop's execution price is also held against the
/// PriceFeedRegistry's oracles: a hop whose tokens carry a maximum deviation reverts when its
/// output's USD value strays further from its input's (a manipulated or broken pool).
/// @dev Route (packed): startToken (20) | per hop: factory (20) | initCodeHash (32) |
/// tokenOut (20) | fee (uint24).
contract FlashArbExecutor is GuardedUpgradeable, IFlashLoanRecipient, IFlashLoanSimpleReceiver, IDexListener {
    using SafeERC20 for OZIERC20;

    /// @notice Balancer V2 Vault flash loan (no fee)
    uint8 public constant SOURCE_BALANCER = 0;
    /// @notice Uniswap V3 `flash` from the pool named by `flashPool`
    uint8 public constant SOURCE_UNISWAP_V3 = 1;
    /// @notice Uniswap V2 flash swap lent by the first hop's pair
    uint8 public constant SOURCE_UNISWAP_V2_FLASHSWAP = 2;
    /// @notice Aave V3 `flashLoanSimple` from the pool set by `setAavePool`
    uint8 public constant SOURCE_AAVE_V3 = 3;
    /// @notice Uniswap V2 flash swap lent by the *last* hop's pair (all-V2 routes): it sends the
    /// route's final output first, and every earlier hop pays its output straight into the next
    /// pair, so no token passes through the executor except the start token
    uint8 public constant SOURCE_UNISWAP_V2_FLASHSWAP_LAST = 4;
    /// @notice OR-ed into `source`: check each hop against the oracles' maximum deviation. Opt-in
    /// per execute so that routes over tokens without a bound pay nothing for it.
    uint8 public constant CHECK_DEVIATION = 0x80;
    /// @notice The keeper's hot key: may call `execute`, nothing else
    bytes32 public constant EXECUTOR_ROLE = keccak256("EXECUTOR_ROLE");

    /// @dev The executor's copy of the registry's entry for one factory: a call into the
    /// registry's proxy per hop cost 7-13k gas, two own SLOADs cost 4.2k cold.
    struct Venue {
        bool enabled;
        DexRegistry.DexKind kind;
        uint16 feeBps;
        bytes32 initCodeHash;
    }

    /// @dev What a hop reads: one slot keyed by keccak256(factory, initCodeHash). The hop
    /// carries the hash in calldata (32 bytes, ~0.5k gas) instead of a second cold SLOAD
    /// (2.1k); a hash the registry did not list for that factory finds no enabled listing.
    struct Listing {
        bool enabled;
        DexRegistry.DexKind kind;
        uint16 feeBps;
    }

    /// @dev execute()'s two checks, EXECUTOR_ROLE and not paused, read two cold slots (4.2k
    /// gas). The gate holds one EXECUTOR key (the first granted: the keeper's) and its state
    /// in one slot, so that key's execute reads one (2.1k). AccessControl and Pausable stay
    /// the authority: the copy is rewritten wherever they change (_grantRole, _revokeRole,
    /// _pause, _unpause), closed by an upgrade on its way out, and checked against them again
    /// by each unpause, grant and table deployment (_refreshGate); every other caller, or the
    /// gate's key while the state is anything but GATE_OPEN, takes the full checks.
    struct Gate {
        address key;
        // GATE_OPEN, or GATE_CLOSED. Older implementations kept a bool `paused` here (0 open,
        // 1 paused) and write only those two values, so whatever they leave is closed here:
        // the gate reopens only through _setGate, from the authorities. And closed is written
        // as 1, which they read as paused, so that a rollback to one of them stays closed too
        uint8 state;
        // appended with the venue table: the CREATE nonce that deployed the last table (see
        // _deployTable), the authority the flags' copy is taken from
        uint32 tableNonce;
    }

    /// @custom:storage-location erc7201:flashkeeper.storage.FlashArbExecutor
    struct ExecutorStorage {
        mapping(address factory => Venue) venues;
        PriceFeedRegistry feeds; // appended in the deviation upgrade: an upgrade keeps venues
        IAaveV3Pool aavePool; // appended with the Aave source
        // appended with the hash-carrying route: empty after an upgrade from an older
        // implementation until syncFactory runs for each factory (scripts/upgrade.py does)
        mapping(bytes32 key => Listing) listings;
        // appended with the gate: zero after an upgrade from an older implementation, so
        // every key takes the full checks until the next EXECUTOR grant sets it
        Gate gate;
        // appended with the venue table: every V2 factory the registry has listed, in the
        // order first synced (never removed: a disabled one keeps its index, marked disabled)
        address[] v2Venues;
        mapping(address factory => uint256) v2VenuePosition; // index + 1; 0: not in the table
    }

    // keccak256(abi.encode(uint256(keccak256("flashkeeper.storage.FlashArbExecutor")) - 1)) & ~bytes32(uint256(0xff))
    /// @notice The ERC-7201 slot of ExecutorStorage
    bytes32 public constant STORAGE_LOCATION = 0xdfd64180f23e3cfdd1791abb3aceabd797508be205e171c012089f688ae1ba00;

    uint256 private constant HOP = 75;
    /// @dev One leg of a last-pair flash swap, computed in execute() and run in the callback:
    /// pair (20) | zeroForOne (1) | amountOut (uint112, 14)
    uint256 private constant LEG = 35;
    /// @dev executeV2_e0's path: startToken (20) | per hop: venue (1) | tokenOut (20), but the last
    /// hop's output is the start token and is not repeated: 21 bytes a hop in all
    uint256 private constant V2_HOP = 21;
    /// @dev The venue table's code: STOP (1) | the gate's key, as a word (32) | the entries. One
    /// entry: factory (20) | enabled (1) | feeBps (2) | 9 zero bytes, then the init-code hash
    /// (32); entry i starts at code offset TABLE_HEAD + 64 i
    uint256 private constant ENTRY = 64;
    uint256 private constant TABLE_HEAD = 33;
    /// @dev executeV2_e0's flags ride in the 12 high bytes of the ERC-1967 implementation slot:
    /// the proxy reads that slot (cold, 2.1k gas) before every call it forwards, so the
    /// executor's own read of it costs 0.1k. Layout: implementation (bits 0-159, ERC-1967's,
    /// never written here) | state (160-167: OPEN, set only by a table's deployment, and the
    /// closed bits CLOSED_PAUSED and CLOSED_KEY; anything but OPEN alone sends every caller to
    /// the full checks, so flags this implementation did not write fail closed) | the CREATE
    /// nonce of the table executeV2_e0 reads (168-199; zero: none). OpenZeppelin's proxy and
    /// UUPS code read the slot as an address (the low 20 bytes) and write it by
    /// read-modify-write, keeping these bits. They are a cache, never an authority:
    /// AccessControl, Pausable and the gate's tableNonce are, and an upgrade clears the cache
    /// (see upgradeToAndCall).
    bytes32 private constant FLAGS = ERC1967Utils.IMPLEMENTATION_SLOT;
    uint256 private constant IMPLEMENTATION_MASK = 0x00ffffffffffffffffffffffffffffffffffffffff;
    /// @dev written by _deployTable, from the authorities, and by nothing else: flags left by
    /// an older implementation (one of 2026-11-26 wrote the same layout without it) or zeroed
    /// never open the fast path
    uint256 private constant OPEN = 0x80;
    /// @dev The gate's state that lets its key through execute's checks; written by _setGate
    /// alone (an unpaused contract, a key), as OPEN is by _deployTable alone
    uint8 private constant GATE_OPEN = 0x80;
    /// @dev Closed, in this layout and in the older one's (its `paused = true`)
    uint8 private constant GATE_CLOSED = 1;
    /// @dev Pausable says paused
    uint256 private constant CLOSED_PAUSED = 1;
    /// @dev the key in the table's head was revoked since the table was written
    uint256 private constant CLOSED_KEY = 2;
    /// @dev A hop names its venue in one byte
    uint256 private constant TABLE_MAX = 256;
    /// @dev How far _deployTable looks past its record of the last table's nonce in one sync
    /// (~0.5k gas a step: ~0.53M for a search that finds nothing, paid by the sync's caller)
    uint256 private constant NONCE_SEARCH = 1024;
    uint160 private constant MIN_SQRT_RATIO_PLUS_ONE = 4295128740;
    uint160 private constant MAX_SQRT_RATIO_MINUS_ONE = 1461446703485210103287273052203988822378723970341;
    // transient slots. The lock, one word: 1 + the running execute's source (bits 0-7, zero
    // when none runs) | who may call back right now (8-167) | which callback (168-175); one
    // word so that an expectation costs one TSTORE and a callback's check one TLOAD
    bytes32 private constant LOCK = keccak256("flashkeeper.executor.lock");
    bytes32 private constant CHECK = keccak256("flashkeeper.executor.check-deviation");
    /// @dev The Aave loan asked for: keccak256(asset | amount | route). The Pool names the
    /// asset, amount and params it calls back with, and executeOperation approves that asset
    bytes32 private constant AAVE_LOAN = keccak256("flashkeeper.executor.aave-loan");
    // which callback the expected caller may make (the tag in the lock's bits 168-175)
    uint256 private constant CALLBACK_V2 = 1;
    uint256 private constant CALLBACK_V3_SWAP = 2;
    uint256 private constant CALLBACK_V3_FLASH = 3;
    uint256 private constant CALLBACK_BALANCER = 4;
    uint256 private constant CALLBACK_AAVE = 5;

    /// @notice The DexRegistry whose listings this executor mirrors
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    DexRegistry public immutable registry;
    /// @notice The Balancer V2 Vault that SOURCE_BALANCER borrows from; zero on a chain without one
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IBalancerVault public immutable vault;

    error ExecutorDeadlinePassed(uint256 deadline, uint256 blockNumber);
    error ExecutorWrongBlock(uint256 target, uint256 blockNumber);
    error ExecutorBadRoute(uint256 length);
    error ExecutorUnknownSource(uint8 source);
    error ExecutorFactoryNotEnabled(address factory);
    /// @dev A hop's fee field disagrees with its listing's kind: V2 hops carry 0, V3 hops their
    /// tier (so a V3 pool of tier 0, which a factory owner could enable, is not routable)
    error ExecutorHopFee(address factory, uint24 fee);
    error ExecutorUnexpectedCallback(address caller);
    error ExecutorReentered();
    error InsufficientProfit(uint256 got, uint256 wanted);
    error ExecutorNoPriceFeeds();
    error ExecutorNoAavePool();
    error ExecutorNoPool(address pool);
    error ExecutorForeignPool(address pool, address derived);
    error ExecutorTokenNotInPool(address pool, address token);
    error ExecutorPriceDeviation(address tokenIn, address tokenOut, uint256 deviationBps, uint256 maxBps);
    error ExecutorNotAContract(address account);
    error ExecutorNoBalancerVault();
    error ExecutorNoVenueTable();
    error ExecutorVenueNotEnabled(uint256 index);
    error ExecutorNotInVenueTable(address factory);
    error ExecutorTableNotDeployed(address expected, address deployed);
    error ExecutorZeroRecipient();

    event Executed(address indexed token, uint8 source, uint256 amount, uint256 profit);
    event Withdrawn(address indexed token, address indexed to, uint256 amount);
    event FactorySynced(address indexed factory, bool enabled);
    event PriceFeedsSet(address indexed feeds);
    event AavePoolSet(address indexed pool);
    event VenueTableDeployed(address indexed table, uint256 venues);
    /// @notice A listed V2 venue found the table full (256 venues): it trades through execute()
    /// only, never through executeV2_e0
    event VenueOmittedFromTable(address indexed factory);
    /// @notice A venue table was deployed at `table`, found at none of the NONCE_SEARCH
    /// nonces from the one its record predicts (`expected`'s): executeV2_e0 stays shut (no
    /// table: an EXECUTOR is refused with ExecutorNoVenueTable), execute and the allow-list
    /// carry on
    event VenueTableNotLocated(address indexed table, address expected);

    /// @dev Both are immutable: an address without code (a typo) would leave every
    /// implementation deployed with it unable to sync or borrow, found only when used. The
    /// vault may be zero, on a chain without Balancer: SOURCE_BALANCER then reverts.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(DexRegistry registry_, IBalancerVault vault_) {
        if (address(registry_).code.length == 0) revert ExecutorNotAContract(address(registry_));
        if (address(vault_) != address(0) && address(vault_).code.length == 0) {
            revert ExecutorNotAContract(address(vault_));
        }
        registry = registry_;
        vault = vault_;
    }

    /// @notice Grant every role to `admin`
    function initialize(address admin) external initializer {
        __Guarded_init(admin);
    }

    /*//////////////////////////////////////////////////////////////
                                EXECUTE
    //////////////////////////////////////////////////////////////*/

    /// @notice Borrow `amount` of the route's start token from `source`, run the route, repay
    /// @param source SOURCE_* of the loan, optionally OR CHECK_DEVIATION
    /// @param flashPool the V3 pool to borrow from (SOURCE_UNISWAP_V3), else ignored; it must be
    /// a pool of a listed, enabled V3 factory that holds the start token
    /// @param amount how much of the start token to borrow (the route's input)
    /// @param minProfit the least the executor's start-token balance must rise, net of the
    /// loan's fee, or the whole transaction reverts with InsufficientProfit
    /// @param deadlineBlock revert after this block; with `exactBlock` only in this block
    /// @param exactBlock bind the transaction to `deadlineBlock` (a bundle's target block)
    /// @param route packed: startToken (20) | per hop: factory (20) | initCodeHash (32) |
    /// tokenOut (20) | fee (uint24, V3; 0 for V2); 2 to 4 hops
    function execute(
        uint8 source,
        address flashPool,
        uint256 amount,
        uint256 minProfit,
        uint256 deadlineBlock,
        bool exactBlock,
        bytes calldata route
    ) external {
        _checkGate();
        _checkDeadline(deadlineBlock, exactBlock);
        if (route.length < 20 + 2 * HOP || route.length > 20 + 4 * HOP || (route.length - 20) % HOP != 0) {
            revert ExecutorBadRoute(route.length);
        }
        _enter(source & ~CHECK_DEVIATION);
        bool checked = source & CHECK_DEVIATION != 0;
        if (checked) {
            _tstore(CHECK, 1);
            source &= ~CHECK_DEVIATION;
        }
        address token = address(bytes20(route[0:20]));
        // Slither flags the balance read before the flash call (reentrancy-balance, High): the
        // before/after difference *is* the profit check, and re-entry is impossible: execute()
        // is EXECUTOR-only and holds a transient lock, and every callback must come from the
        // one contract this executor just called (see _checkCaller).
        // slither-disable-next-line reentrancy-balance
        uint256 before = _selfBalance(token);
        if (source == SOURCE_BALANCER) {
            if (address(vault) == address(0)) revert ExecutorNoBalancerVault();
            IERC20[] memory tokens = new IERC20[](1);
            tokens[0] = IERC20(token);
            uint256[] memory amounts = new uint256[](1);
            amounts[0] = amount;
            _expect(address(vault), CALLBACK_BALANCER);
            vault.flashLoan(this, tokens, amounts, route);
        } else if (source == SOURCE_UNISWAP_V3) {
            bool zero = _checkFlashPool(flashPool, token);
            _expect(flashPool, CALLBACK_V3_FLASH);
            IUniswapV3Pool(flashPool).flash(address(this), zero ? amount : 0, zero ? 0 : amount, abi.encodePacked(amount, route));
        } else if (source == SOURCE_UNISWAP_V2_FLASHSWAP) {
            _flashSwap(amount, route);
        } else if (source == SOURCE_UNISWAP_V2_FLASHSWAP_LAST) {
            _flashSwapLast(amount, route);
        } else if (source == SOURCE_AAVE_V3) {
            IAaveV3Pool pool = _storage().aavePool;
            if (address(pool) == address(0)) revert ExecutorNoAavePool();
            _expect(address(pool), CALLBACK_AAVE);
            _tstore(AAVE_LOAN, _aaveLoan(token, amount, route));
            pool.flashLoanSimple(address(this), token, amount, route, 0);
        } else {
            revert ExecutorUnknownSource(source);
        }
        if (checked) _tstore(CHECK, 0);
        _settle(token, before, minProfit, source, amount);
    }

    /// @notice execute() for its cheapest shape, an all-V2 cycle lent by its last pair
    /// (SOURCE_UNISWAP_V2_FLASHSWAP_LAST), in a third of the calldata. Each hop names its
    /// venue by a one-byte index into the venue table (`venueIndex`), a contract whose code this
    /// executor rewrites on every sync, so that all hops' listings cost one cold account
    /// (2.6k gas) instead of one cold SLOAD (2.1k) and a 52-byte (factory, init-code hash) each.
    /// The same rules as execute(): EXECUTOR only, not paused, the deadline, every pool derived
    /// (CREATE2) from an enabled listing, the profit check, the Executed event. No oracle
    /// check: a route that wants one goes through execute() with CHECK_DEVIATION.
    /// The path follows the head in the calldata, outside the ABI: startToken (20) | per hop:
    /// venue index (1) | tokenOut (20), which the last hop omits (its output is the start
    /// token); 2 to 4 hops. Without the ABI's offset, length and padding words the call is
    /// ~0.4k gas cheaper; the name's suffix mines a selector below every other function's, so
    /// the dispatcher, which compares selectors in ascending order, finds it first (~0.2k).
    /// @param head amount (uint112) << 144 | minProfit (uint112) << 32 | exactBlock << 31 |
    /// deadlineBlock (31 bits); the meanings are execute()'s
    function executeV2_e0(uint256 head) external {
        bytes calldata path = msg.data[36:];
        address table = _checkTableGate();
        _checkDeadline(head & 0x7fffffff, head & 0x80000000 != 0);
        if (path.length % V2_HOP != 0 || path.length < 2 * V2_HOP || path.length > 4 * V2_HOP) {
            revert ExecutorBadRoute(path.length);
        }
        if (table == address(0)) revert ExecutorNoVenueTable();
        // the lock is taken, with the lender expected, in one TSTORE once the route is quoted:
        // nothing before that can re-enter, it only reads (STATICCALLs)
        if (_tload(LOCK) != 0) revert ExecutorReentered();
        address token;
        assembly ("memory-safe") {
            token := shr(96, calldataload(path.offset))
        }
        // slither-disable-next-line reentrancy-balance
        uint256 before = _selfBalance(token);
        uint256 amount = head >> 144;
        _flashSwapTable(table, amount, token, path);
        _settle(token, before, (head >> 32) & type(uint112).max, SOURCE_UNISWAP_V2_FLASHSWAP_LAST, amount);
    }

    function _checkDeadline(uint256 deadlineBlock, bool exactBlock) private view {
        if (block.number > deadlineBlock) revert ExecutorDeadlinePassed(deadlineBlock, block.number);
        if (exactBlock && block.number != deadlineBlock) revert ExecutorWrongBlock(deadlineBlock, block.number);
    }

    /// @dev The lock also tells uniswapV2Call which flash swap it is in
    function _enter(uint256 source) private {
        if (_tload(LOCK) != 0) revert ExecutorReentered();
        _tstore(LOCK, 1 + source);
    }

    /// @dev The profit check, the lock's release and the event, after the loan is repaid
    function _settle(address token, uint256 before, uint256 minProfit, uint8 source, uint256 amount) private {
        uint256 afterBalance = _selfBalance(token);
        uint256 profit = afterBalance > before ? afterBalance - before : 0;
        // not `before + minProfit`: a minProfit near 2^256 would overflow into a Panic
        if (afterBalance < before || profit < minProfit) revert InsufficientProfit(profit, minProfit);
        _tstore(LOCK, 0);
        emit Executed(token, source, amount, profit);
    }

    /// @notice Send profit out; admin only. The zero address is refused: WETH9 and tokens
    /// like it take a transfer there and burn it
    function withdraw(address token, address to, uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        bytes4 zeroRecipient = ExecutorZeroRecipient.selector;
        assembly ("memory-safe") {
            // the revert in assembly: the compiled one costs 28 more bytes of code, and the
            // executor is within 300 of EIP-170's limit
            if iszero(to) {
                mstore(0x00, zeroRecipient)
                revert(0x00, 0x04)
            }
        }
        OZIERC20(token).safeTransfer(to, amount);
        emit Withdrawn(token, to, amount);
    }

    /// @notice Copy `factory`'s entry from the DexRegistry into this executor's allow-list
    /// @dev Anyone may call: it only mirrors the registry, so it can never allow what the
    /// registry does not. The registry calls it after every change (it is the listener). A
    /// changed init-code hash delists the old one.
    function syncFactory(address factory) external {
        (bool enabled, DexRegistry.DexKind kind, uint16 feeBps, bytes32 initCodeHash) = registry.factoryInfo(factory);
        ExecutorStorage storage $ = _storage();
        bytes32 previous = $.venues[factory].initCodeHash;
        if (previous != initCodeHash) delete $.listings[_listingKey(factory, previous)];
        $.venues[factory] = Venue(enabled, kind, feeBps, initCodeHash);
        $.listings[_listingKey(factory, initCodeHash)] = Listing(enabled, kind, feeBps);
        // a V2 factory the registry lists joins the venue table once, for good (the registry
        // never removes one); a factory it does not know cannot take one of the 256 indexes
        if (kind == DexRegistry.DexKind.UniswapV2 && initCodeHash != bytes32(0) && $.v2VenuePosition[factory] == 0) {
            if ($.v2Venues.length < TABLE_MAX) {
                $.v2Venues.push(factory);
                $.v2VenuePosition[factory] = $.v2Venues.length;
            } else {
                emit VenueOmittedFromTable(factory);
            }
        }
        // rewrite the table when its entry for this factory may have changed, or when there
        // is none yet (the first sync after an upgrade from an implementation without one)
        if ($.v2VenuePosition[factory] != 0 || (_tableNonce() == 0 && $.v2Venues.length != 0)) {
            _deployTable($);
        }
        emit FactorySynced(factory, enabled);
    }

    /// @notice Set the PriceFeedRegistry that CHECK_DEVIATION reads; admin only
    function setPriceFeeds(PriceFeedRegistry feeds_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _storage().feeds = feeds_;
        emit PriceFeedsSet(address(feeds_));
    }

    /// @notice Set the Aave V3 Pool that SOURCE_AAVE_V3 borrows from; admin only
    function setAavePool(IAaveV3Pool pool) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _storage().aavePool = pool;
        emit AavePoolSet(address(pool));
    }

    /// @notice The Aave V3 Pool that SOURCE_AAVE_V3 borrows from
    function aavePool() external view returns (IAaveV3Pool) {
        return _storage().aavePool;
    }

    /// @notice The PriceFeedRegistry that CHECK_DEVIATION reads
    function priceFeeds() external view returns (PriceFeedRegistry) {
        return _storage().feeds;
    }

    /// @notice The EXECUTOR key whose execute reads one slot for its role and pause checks
    /// (zero: none, every key takes the full checks)
    function gateKey() external view returns (address) {
        return _storage().gate.key;
    }

    /// @notice The venue table executeV2_e0 reads (zero: none deployed yet)
    function venueTable() external view returns (address) {
        uint256 nonce = _tableNonce();
        return nonce == 0 ? address(0) : _tableAt(nonce);
    }

    /// @notice The index by which executeV2_e0's path names `factory`'s venue
    function venueIndex(address factory) external view returns (uint256) {
        uint256 position = _storage().v2VenuePosition[factory];
        if (position == 0) revert ExecutorNotInVenueTable(factory);
        return position - 1;
    }

    /// @notice This executor's copy of the registry's entry for `factory`
    function venue(address factory) external view returns (Venue memory) {
        return _storage().venues[factory];
    }

    /// @notice What a hop naming `factory` and `initCodeHash` is allowed (disabled if unlisted)
    function listing(address factory, bytes32 initCodeHash) external view returns (Listing memory) {
        return _storage().listings[_listingKey(factory, initCodeHash)];
    }

    /*//////////////////////////////////////////////////////////////
                               CALLBACKS
    //////////////////////////////////////////////////////////////*/

    /// @notice Balancer Vault flash-loan callback: run the route, repay the Vault (its fee is 0)
    /// @dev Only from the Vault, only while this executor's own flashLoan call is under way
    function receiveFlashLoan(IERC20[] calldata tokens, uint256[] calldata amounts, uint256[] calldata fees, bytes calldata route)
        external
    {
        _checkCaller(CALLBACK_BALANCER);
        _swapAll(amounts[0], route, 0);
        OZIERC20(address(tokens[0])).safeTransfer(address(vault), amounts[0] + fees[0]);
    }

    /// @inheritdoc IFlashLoanSimpleReceiver
    /// @dev The Pool pulls amount + premium through an allowance: exactly that much is
    /// approved, so none is left once it has pulled. The asset, amount and route must be the
    /// ones execute asked for: a hostile or compromised Pool (the admin's choice) could
    /// otherwise name another token the executor holds, have it approved with any premium,
    /// and run a route of its own choosing with the executor's funds.
    function executeOperation(address asset, uint256 amount, uint256 premium, address initiator, bytes calldata route)
        external
        returns (bool)
    {
        _checkCaller(CALLBACK_AAVE);
        if (initiator != address(this)) revert ExecutorUnexpectedCallback(initiator);
        if (_tload(AAVE_LOAN) != _aaveLoan(asset, amount, route)) revert ExecutorUnexpectedCallback(msg.sender);
        _tstore(AAVE_LOAN, 0);
        _swapAll(amount, route, 0);
        OZIERC20(asset).forceApprove(msg.sender, amount + premium);
        return true;
    }

    /// @notice Uniswap V3 flash callback: run the route, repay loan + fee to the pool
    /// @dev data = amount (32 bytes) | route, packed so the route stays a calldata slice
    function uniswapV3FlashCallback(uint256 fee0, uint256 fee1, bytes calldata data) external {
        _checkCaller(CALLBACK_V3_FLASH);
        uint256 amount = uint256(bytes32(data[0:32]));
        _swapAll(amount, data[32:], 0);
        OZIERC20(address(bytes20(data[32:52]))).safeTransfer(msg.sender, amount + fee0 + fee1);
    }

    /// @notice Uniswap V2 flash-swap callback: the first pair lent the first hop's output
    /// @dev data = amountIn (32 bytes) | route; hops 2..n run here, then the pair is repaid
    /// With SOURCE_UNISWAP_V2_FLASHSWAP_LAST the last pair lent the start token instead:
    /// data = amountIn (32) | startToken (20) | legs; the first pair is paid, every leg pays
    /// the next pair and the last leg pays the lender, which checks its K when this returns.
    function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes calldata data) external {
        uint256 lock = _checkCaller(CALLBACK_V2);
        if (sender != address(this)) revert ExecutorUnexpectedCallback(sender);
        if (lock == 1 + SOURCE_UNISWAP_V2_FLASHSWAP_LAST) return _runLegs(data);
        _swapAll(amount0 + amount1, data[32:], 1);
        OZIERC20(address(bytes20(data[32:52]))).safeTransfer(msg.sender, uint256(bytes32(data[0:32])));
    }

    /// @notice Uniswap V3 swap callback: pay the pool what it is owed
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) external {
        _checkCaller(CALLBACK_V3_SWAP);
        address tokenIn = abi.decode(data, (address));
        uint256 owed = uint256(amount0Delta > 0 ? amount0Delta : amount1Delta);
        OZIERC20(tokenIn).safeTransfer(msg.sender, owed);
    }

    /*//////////////////////////////////////////////////////////////
                                 SWAPS
    //////////////////////////////////////////////////////////////*/

    function _flashSwap(uint256 amount, bytes calldata route) private {
        address tokenIn = address(bytes20(route[0:20]));
        (address factory, bytes32 initCodeHash, address tokenOut, uint24 fee) = _hop(route, 0);
        (address pair, uint256 out, bool zeroForOne) = _v2Quote(factory, initCodeHash, tokenIn, tokenOut, fee, amount);
        if (_tload(CHECK) != 0) _checkDeviation(tokenIn, tokenOut, amount, out);
        _expect(pair, CALLBACK_V2);
        _pairSwap(pair, zeroForOne, out, address(this), abi.encodePacked(amount, route));
    }

    /// @dev Every hop must be an enabled V2 venue; the outputs are computed here from the
    /// reserves, which no hop before the lender's swap can change. The hot path of the cheapest
    /// source, so the legs are packed in place rather than by repeated abi.encodePacked.
    function _flashSwapLast(uint256 amount, bytes calldata route) private {
        uint256 hops = (route.length - 20) / HOP;
        bool checked = _tload(CHECK) != 0;
        bytes memory legs = new bytes(52 + (hops - 1) * LEG);
        address tokenIn = address(bytes20(route[0:20]));
        assembly ("memory-safe") {
            mstore(add(legs, 32), amount)
            mstore(add(legs, 64), shl(96, tokenIn))
            // reserve one word past the legs: writing the last leg's amount runs 18 bytes over
            mstore(0x40, add(mload(0x40), 0x20))
        }
        uint256 amountIn = amount;
        // every route has at least two hops, so the loop assigns all three before the swap
        address pair = address(0);
        uint256 out = 0;
        bool zeroForOne = false;
        for (uint256 i; i < hops; ++i) {
            (address factory, bytes32 initCodeHash, address tokenOut, uint24 fee) = _hop(route, i);
            (pair, out, zeroForOne) = _v2Quote(factory, initCodeHash, tokenIn, tokenOut, fee, amountIn);
            if (checked) _checkDeviation(tokenIn, tokenOut, amountIn, out);
            if (i + 1 < hops) {
                // pair (20) | zeroForOne (1) | out (14); the amount's word runs into the next
                // leg, written after it, or into the word reserved above
                assembly ("memory-safe") {
                    let at := add(add(legs, 84), mul(i, LEG))
                    mstore(at, shl(96, pair))
                    mstore8(add(at, 20), zeroForOne)
                    mstore(add(at, 21), shl(144, out))
                }
            }
            (tokenIn, amountIn) = (tokenOut, out);
        }
        _expect(pair, CALLBACK_V2);
        _pairSwap(pair, zeroForOne, out, address(this), legs);
    }

    /// @dev _flashSwapLast for executeV2_e0, in one assembly block (the cheapest route's whole
    /// quote costs about a third of the high-level version's gas): each hop's venue is read
    /// from the table, its pair derived (CREATE2) from the entry's factory and init-code hash
    /// as a listed hop's is, its output quoted from the pair's reserves; then the lender, the
    /// last pair, is called to swap with the legs (_runLegs' format) as its data.
    function _flashSwapTable(address table, uint256 amount, address start, bytes calldata path) private {
        bytes4 notEnabled = ExecutorVenueNotEnabled.selector;
        bytes4 noPool = ExecutorNoPool.selector;
        bytes32 lock = LOCK;
        assembly ("memory-safe") {
            // memory from the free pointer, none of it claimed: the swap call's head (0xa4),
            // then its data, the legs: amountIn (32) | startToken (20) | per hop but the
            // lender's: pair (20) | zeroForOne (1) | out (14); then room for the CREATE2 input
            let ptr := mload(0x40)
            let legs := add(ptr, 0xa4)
            let tmp := add(legs, 0x100) // past the longest legs (157 bytes) and their overrun
            mstore(legs, amount)
            mstore(add(legs, 0x20), shl(96, start))
            let hops := div(path.length, V2_HOP)
            let tokenIn := start
            let pair
            let zeroForOne
            let out
            for { let i := 0 } lt(i, hops) { i := add(i, 1) } {
                let at := add(path.offset, add(20, mul(i, V2_HOP)))
                let index := byte(0, calldataload(at))
                let tokenOut := start
                if lt(add(i, 1), hops) { tokenOut := shr(96, calldataload(add(at, 1))) }
                // the entry: factory | enabled | feeBps, then the init-code hash; past the
                // table's end the code reads as zeros, so not enabled
                extcodecopy(table, 0x00, add(TABLE_HEAD, mul(index, ENTRY)), 0x40)
                let word := mload(0x00)
                if iszero(byte(20, word)) {
                    mstore(0x00, notEnabled)
                    mstore(0x04, index)
                    revert(0x00, 0x24)
                }
                let initCodeHash := mload(0x20)
                // the pair: CREATE2 by the factory, salt keccak256(token0 | token1)
                zeroForOne := lt(tokenIn, tokenOut)
                switch zeroForOne
                case 1 {
                    mstore(0x00, shl(96, tokenIn))
                    mstore(0x14, shl(96, tokenOut))
                }
                default {
                    mstore(0x00, shl(96, tokenOut))
                    mstore(0x14, shl(96, tokenIn))
                }
                mstore(add(tmp, 0x20), keccak256(0x00, 0x28))
                mstore(tmp, shr(96, word))
                mstore8(add(tmp, 11), 0xff)
                mstore(add(tmp, 0x40), initCodeHash)
                pair := and(keccak256(add(tmp, 11), 85), 0xffffffffffffffffffffffffffffffffffffffff)
                // getReserves(): a derived address with no pair behind it answers nothing
                mstore(0x00, 0x0902f1ac00000000000000000000000000000000000000000000000000000000)
                if iszero(and(gt(returndatasize(), 0x3f), staticcall(gas(), pair, 0x00, 0x04, 0x00, 0x40))) {
                    mstore(0x00, noPool)
                    mstore(0x04, pair)
                    revert(0x00, 0x24)
                }
                let rIn := mload(0x00)
                let rOut := mload(0x20)
                if iszero(zeroForOne) {
                    rIn := rOut
                    rOut := mload(0x00)
                }
                // no overflow: amount < 2^112 (head), every later input is an output below a
                // reserve (uint112), feeBps <= 10,000: the products stay under 2^240
                let withFee := mul(amount, sub(10000, and(shr(72, word), 0xffff)))
                out := div(mul(withFee, rOut), add(mul(rIn, 10000), withFee))
                if lt(add(i, 1), hops) {
                    // the out word runs 18 bytes into the next leg, written after it
                    let leg := add(legs, add(52, mul(i, LEG)))
                    mstore(leg, shl(96, pair))
                    mstore8(add(leg, 20), zeroForOne)
                    mstore(add(leg, 21), shl(144, out))
                }
                tokenIn := tokenOut
                amount := out
            }
            // _enter(SOURCE_UNISWAP_V2_FLASHSWAP_LAST) and _expect(pair, CALLBACK_V2)
            tstore(lock, or(add(1, SOURCE_UNISWAP_V2_FLASHSWAP_LAST), or(shl(8, pair), shl(168, CALLBACK_V2))))
            // pair.swap(amount0Out, amount1Out, this, legs), its revert bubbled up
            let len := add(52, mul(sub(hops, 1), LEG))
            mstore(add(legs, len), 0) // the bytes' tail, zero-padded to a word
            mstore(ptr, 0x022c0d9f00000000000000000000000000000000000000000000000000000000)
            // amount0Out, amount1Out: `out` in the one the swap sends, zero in the other
            mstore(add(ptr, 0x04), 0)
            mstore(add(ptr, 0x24), 0)
            mstore(add(ptr, add(0x04, shl(5, zeroForOne))), out)
            mstore(add(ptr, 0x44), address())
            mstore(add(ptr, 0x64), 0x80)
            mstore(add(ptr, 0x84), len)
            if iszero(call(gas(), pair, 0, ptr, add(0xa4, and(add(len, 31), not(31))), 0, 0)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
        }
    }

    /// @dev `data` is what _flashSwapLast packed, handed back by the pair it called (the
    /// caller was checked), so it is read without the slices' bounds checks
    function _runLegs(bytes calldata data) private {
        uint256 legs = (data.length - 52) / LEG;
        uint256 amount;
        address token;
        address pair;
        assembly ("memory-safe") {
            amount := calldataload(data.offset)
            token := shr(96, calldataload(add(data.offset, 32)))
            pair := shr(96, calldataload(add(data.offset, 52)))
        }
        OZIERC20(token).safeTransfer(pair, amount);
        for (uint256 i; i < legs; ++i) {
            bool zeroForOne;
            uint256 out;
            address to = msg.sender;
            assembly ("memory-safe") {
                let at := add(data.offset, add(52, mul(i, LEG)))
                zeroForOne := byte(0, calldataload(add(at, 20)))
                out := shr(144, calldataload(add(at, 21)))
                if lt(add(i, 1), legs) { to := shr(96, calldataload(add(at, LEG))) }
            }
            _pairSwap(pair, zeroForOne, out, to, "");
            pair = to;
        }
    }

    /// @dev Runs hops firstHop..n on `amount` of the first one's input, which this executor
    /// holds. A hop pays its output straight into the next hop's pair where the route says
    /// that hop is V2 (fee 0; its listing is checked when it runs, and a fee field that
    /// disagrees with the listing's kind reverts there, ExecutorHopFee): one token transfer
    /// less per such hop, and an output on its way to a pair never passes through this
    /// executor, so a fee-on-transfer token's shortfall lands on the pair (whose K check then
    /// fails) rather than on this executor's own balance of that token. A V3 pool's input is
    /// paid from here in its callback; the last hop pays this executor. The next pair is
    /// derived twice (here and when its hop runs; a keccak, ~0.1k gas by estimate): the two
    /// forms tried that carry it over grew the code by 0.4k and 1.3k bytes, near EIP-170's
    /// limit.
    function _swapAll(uint256 amount, bytes calldata route, uint256 firstHop) private {
        uint256 hops = (route.length - 20) / HOP;
        address tokenIn = firstHop == 0 ? address(bytes20(route[0:20])) : _tokenOut(route, firstHop - 1);
        if (_tload(CHECK) != 0) return _swapAllChecked(amount, route, firstHop, hops, tokenIn);
        for (uint256 i = firstHop; i < hops; ++i) {
            (amount, tokenIn) = _runHop(route, i, tokenIn, amount, i == firstHop, i + 1 == hops);
        }
    }

    /// @dev _swapAll with each hop held against the oracles: a loop of its own, so that the
    /// unchecked path costs no more than before the check existed
    function _swapAllChecked(uint256 amount, bytes calldata route, uint256 firstHop, uint256 hops, address tokenIn)
        private
    {
        for (uint256 i = firstHop; i < hops; ++i) {
            (uint256 out, address tokenOut) = _runHop(route, i, tokenIn, amount, i == firstHop, i + 1 == hops);
            _checkDeviation(tokenIn, tokenOut, amount, out);
            (amount, tokenIn) = (out, tokenOut);
        }
    }

    /// @dev Swaps hop `i`; returns its output and the token it came in. Its input is already
    /// in its pair when an earlier hop paid it there (`first` is false and it claims V2)
    function _runHop(bytes calldata route, uint256 i, address tokenIn, uint256 amountIn, bool first, bool last)
        private
        returns (uint256 amountOut, address tokenOut)
    {
        address factory;
        bytes32 initCodeHash;
        uint24 fee;
        (factory, initCodeHash, tokenOut, fee) = _hop(route, i);
        address to = address(this);
        if (!last) {
            (address nextFactory, bytes32 nextHash, address nextOut, uint24 nextFee) = _hop(route, i + 1);
            if (nextFee == 0) to = _v2PairAddress(nextFactory, tokenOut, nextOut, nextHash);
        }
        amountOut = _swap(factory, initCodeHash, tokenIn, tokenOut, fee, amountIn, first || fee != 0, to);
    }

    function _swap(
        address factory,
        bytes32 initCodeHash,
        address tokenIn,
        address tokenOut,
        uint24 fee,
        uint256 amountIn,
        bool pay,
        address to
    ) private returns (uint256) {
        // the executor's own copy of the registry: is this (factory, init-code hash) listed?
        Listing storage v = _storage().listings[_listingKey(factory, initCodeHash)];
        if (!v.enabled) revert ExecutorFactoryNotEnabled(factory);
        // the fee field must agree with the listing's kind (0 for V2, a tier for V3): the hop
        // before sent its output on the field's word, to this hop's V2 pair where it says 0
        if (v.kind == DexRegistry.DexKind.UniswapV2) {
            if (fee != 0) revert ExecutorHopFee(factory, fee);
            address pair = _v2PairAddress(factory, tokenIn, tokenOut, initCodeHash);
            (uint256 amountOut, bool zeroForOne) = _v2Out(pair, tokenIn, tokenOut, v.feeBps, amountIn);
            if (pay) OZIERC20(tokenIn).safeTransfer(pair, amountIn);
            _pairSwap(pair, zeroForOne, amountOut, to, "");
            return amountOut;
        }
        // a listed kind this executor cannot swap on (a Balancer pool) is no venue for a hop
        if (v.kind != DexRegistry.DexKind.UniswapV3) revert ExecutorFactoryNotEnabled(factory);
        if (fee == 0) revert ExecutorHopFee(factory, fee);
        return _swapV3(_v3Pool(factory, tokenIn, tokenOut, fee, initCodeHash), tokenIn, tokenOut, amountIn, to);
    }

    function _v3Pool(address factory, address tokenIn, address tokenOut, uint24 fee, bytes32 initCodeHash)
        private
        pure
        returns (address)
    {
        (address t0, address t1) = tokenIn < tokenOut ? (tokenIn, tokenOut) : (tokenOut, tokenIn);
        bytes32 salt;
        assembly ("memory-safe") {
            // abi.encode(t0, t1, fee) in free memory, which is not claimed: nothing allocates
            // before the keccak reads it
            let ptr := mload(0x40)
            mstore(ptr, t0)
            mstore(add(ptr, 0x20), t1)
            mstore(add(ptr, 0x40), fee)
            salt := keccak256(ptr, 0x60)
        }
        return _create2(factory, salt, initCodeHash);
    }

    function _swapV3(address pool, address tokenIn, address tokenOut, uint256 amountIn, address to)
        private
        returns (uint256)
    {
        bool zero = tokenIn < tokenOut;
        _expect(pool, CALLBACK_V3_SWAP);
        // the amount's cast is checked: from 2^255 up it would turn negative, an exact-output swap
        (int256 a0, int256 a1) = IUniswapV3Pool(pool).swap(
            to, zero, SafeCast.toInt256(amountIn), zero ? MIN_SQRT_RATIO_PLUS_ONE : MAX_SQRT_RATIO_MINUS_ONE, abi.encode(tokenIn)
        );
        return uint256(-(zero ? a1 : a0));
    }

    /// @dev A V2 flash swap's hop: an enabled V2 listing, its fee field 0 as every source's
    /// V2 hop must carry (the pair's fee is the listing's)
    function _v2Quote(
        address factory,
        bytes32 initCodeHash,
        address tokenIn,
        address tokenOut,
        uint24 fee,
        uint256 amountIn
    ) private view returns (address pair, uint256 out, bool zeroForOne) {
        Listing storage v = _storage().listings[_listingKey(factory, initCodeHash)];
        if (!v.enabled || v.kind != DexRegistry.DexKind.UniswapV2) revert ExecutorFactoryNotEnabled(factory);
        if (fee != 0) revert ExecutorHopFee(factory, fee);
        pair = _v2PairAddress(factory, tokenIn, tokenOut, initCodeHash);
        (out, zeroForOne) = _v2Out(pair, tokenIn, tokenOut, v.feeBps, amountIn);
    }

    function _v2PairAddress(address factory, address tokenIn, address tokenOut, bytes32 initCodeHash)
        private
        pure
        returns (address)
    {
        (address t0, address t1) = tokenIn < tokenOut ? (tokenIn, tokenOut) : (tokenOut, tokenIn);
        bytes32 salt;
        assembly ("memory-safe") {
            // abi.encodePacked(t0, t1): 40 bytes in the scratch space
            mstore(0x00, shl(96, t0))
            mstore(0x14, shl(96, t1))
            salt := keccak256(0x00, 0x28)
        }
        return _create2(factory, salt, initCodeHash);
    }

    function _v2Out(address pair, address tokenIn, address tokenOut, uint16 feeBps, uint256 amountIn)
        private
        view
        returns (uint256 out, bool zeroForOne)
    {
        zeroForOne = tokenIn < tokenOut;
        uint256 r0;
        uint256 r1;
        bool ok;
        assembly ("memory-safe") {
            // getReserves() without the high-level call's extcodesize and abi checks: a derived
            // address with no pair behind it returns nothing, which reverts below; the third
            // word, the last update's timestamp, is not needed to price the swap
            mstore(0x00, 0x0902f1ac00000000000000000000000000000000000000000000000000000000)
            ok := staticcall(gas(), pair, 0x00, 0x04, 0x00, 0x40)
            ok := and(ok, gt(returndatasize(), 0x3f))
            r0 := mload(0x00)
            r1 := mload(0x20)
        }
        if (!ok) revert ExecutorNoPool(pair);
        (uint256 rIn, uint256 rOut) = zeroForOne ? (r0, r1) : (r1, r0);
        uint256 withFee = amountIn * (10_000 - feeBps);
        out = (withFee * rOut) / (rIn * 10_000 + withFee);
    }

    /// @dev The hop's output and input valued at the oracles' USD prices may differ by at most
    /// the stricter non-zero bound of its two tokens; a hop where neither token has a bound is
    /// not checked. A checked hop needs both tokens' prices, so a stale, missing or broken feed
    /// of either reverts with the registry's error.
    function _checkDeviation(address tokenIn, address tokenOut, uint256 amountIn, uint256 amountOut) private view {
        PriceFeedRegistry feeds = _storage().feeds;
        if (address(feeds) == address(0)) revert ExecutorNoPriceFeeds();
        uint256 boundIn = feeds.getFeed(tokenIn).maxDeviationBps;
        uint256 boundOut = feeds.getFeed(tokenOut).maxDeviationBps;
        uint256 bound = boundIn == 0 ? boundOut : (boundOut == 0 ? boundIn : Math.min(boundIn, boundOut));
        if (bound == 0) return;
        // updatedAt is not needed: latestPrice already reverts on a stale answer
        // slither-disable-next-line unused-return
        (uint256 priceIn,) = feeds.latestPrice(tokenIn);
        // slither-disable-next-line unused-return
        (uint256 priceOut,) = feeds.latestPrice(tokenOut);
        uint256 valueIn = Math.mulDiv(amountIn, priceIn, 10 ** IERC20Metadata(tokenIn).decimals());
        uint256 valueOut = Math.mulDiv(amountOut, priceOut, 10 ** IERC20Metadata(tokenOut).decimals());
        uint256 gap = valueOut > valueIn ? valueOut - valueIn : valueIn - valueOut;
        uint256 deviation = valueIn == 0 ? type(uint256).max : Math.mulDiv(gap, 10_000, valueIn);
        if (deviation > bound) revert ExecutorPriceDeviation(tokenIn, tokenOut, deviation, bound);
    }

    /*//////////////////////////////////////////////////////////////
                                  GATE
    //////////////////////////////////////////////////////////////*/

    /// @dev onlyRole(EXECUTOR_ROLE) and whenNotPaused, in that order, with the gate's key
    /// let through on one SLOAD
    function _checkGate() private view {
        Gate storage g = _storage().gate;
        uint256 word;
        assembly ("memory-safe") {
            word := sload(g.slot)
        }
        // Gate's layout: key (bits 0-159) | state (160-167) | tableNonce (168-199)
        if (address(uint160(word)) == msg.sender && (word >> 160) & 0xff == GATE_OPEN) return;
        _checkRole(EXECUTOR_ROLE);
        _requireNotPaused();
    }

    /// @dev executeV2_e0's _checkGate, on no storage of its own: the closed bits and the
    /// table's nonce come from the ERC-1967 slot the proxy has just read (0.1k gas), the key
    /// from the table's head, whose account the route pays for anyway (0.1k). Returns the table
    /// (zero: none) once the caller passed, by the key or by the full checks.
    function _checkTableGate() private view returns (address table) {
        (uint256 state, uint32 nonce) = _flags();
        if (nonce != 0) {
            table = _tableAt(nonce);
            address key;
            assembly ("memory-safe") {
                extcodecopy(table, 0x00, 1, 0x20)
                key := mload(0x00)
            }
            if (key == msg.sender && state == OPEN) return table;
        }
        _checkRole(EXECUTOR_ROLE);
        _requireNotPaused();
    }

    /// @dev The flags: the state bits (OPEN and the closed ones) and the CREATE nonce of the
    /// table executeV2_e0 reads
    function _flags() private view returns (uint256 state, uint32 nonce) {
        bytes32 slot = FLAGS;
        uint256 word;
        assembly ("memory-safe") {
            word := sload(slot)
        }
        return ((word >> 160) & 0xff, uint32(word >> 168));
    }

    function _tableNonce() private view returns (uint32 nonce) {
        (, nonce) = _flags();
    }

    /// @dev Rewrites the flags, and only them: the implementation's 20 bytes are read back and
    /// kept as they are
    function _writeFlags(uint256 state, uint32 nonce) private {
        uint256 flags = (uint256(nonce) << 168) | (state << 160);
        bytes32 slot = FLAGS;
        assembly ("memory-safe") {
            sstore(slot, or(and(sload(slot), IMPLEMENTATION_MASK), flags))
        }
    }

    /// @dev Sets, then clears, state bits of the flags, keeping their nonce
    function _markFlags(uint256 set, uint256 clear) private {
        (uint256 state, uint32 nonce) = _flags();
        _writeFlags((state | set) & ~clear, nonce);
    }

    /// @dev The last table's CREATE nonce: the gate's record, or the flags' where it is larger
    /// (an implementation of 2026-11-26 kept it in the flags only; otherwise the flags never
    /// hold a nonce newer than the gate's)
    function _lastTableNonce(Gate storage gate) private view returns (uint32 last) {
        (, uint32 cached) = _flags();
        last = gate.tableNonce;
        if (cached > last) last = cached;
    }

    /// @notice UUPS upgrade (UPGRADER only); closes both gates' caches first
    /// @dev The flags and the gate are this implementation's caches of AccessControl and
    /// Pausable. An implementation that does not know them (a rollback) would let them go
    /// stale: a key revoked or a pause made under it would not reach them. So they are closed
    /// on the way out, whatever comes next: the flags cleared (the table's nonce moved into the
    /// gate first, so that its record survives), the gate closed. Both callers take the
    /// full checks, and executeV2_e0 finds no table, until the first sync rebuilds both from
    /// the authorities (pass a syncFactory call as `data` to keep the fast paths through the
    /// upgrade; `ape run upgrade` does).
    function upgradeToAndCall(address newImplementation, bytes memory data) public payable virtual override {
        Gate storage gate = _storage().gate;
        gate.tableNonce = _lastTableNonce(gate);
        gate.state = GATE_CLOSED;
        _writeFlags(0, 0);
        super.upgradeToAndCall(newImplementation, data);
    }

    /// @dev The gate made true to its authorities again: its key dropped unless it still holds
    /// EXECUTOR_ROLE (an implementation in between may have revoked it without knowing the
    /// gate), its state taken from Pausable. Returns the key (zero: none).
    function _refreshGate(ExecutorStorage storage $) private returns (address key) {
        key = $.gate.key;
        if (key != address(0) && !hasRole(EXECUTOR_ROLE, key)) key = address(0);
        _setGate($, key);
    }

    /// @dev The gate's key, open unless Pausable says paused (or there is no key: then not even
    /// a simulated call from the zero address matches it)
    function _setGate(ExecutorStorage storage $, address key) private {
        ($.gate.key, $.gate.state) = (key, key != address(0) && !paused() ? GATE_OPEN : GATE_CLOSED);
    }

    /// @dev The first EXECUTOR granted becomes the gate's key, in the gate and, with a new
    /// table, in the table's head
    function _grantRole(bytes32 role, address account) internal virtual override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (role != EXECUTOR_ROLE) return granted;
        ExecutorStorage storage $ = _storage();
        if (_refreshGate($) == address(0)) {
            _setGate($, account);
            if (_tableNonce() != 0) _deployTable($);
        }
    }

    /// @dev A revoked (or renounced) gate key closes executeV2_e0's fast path with one write
    /// that cannot fail, not a table rewrite (~17k gas a venue): every caller takes the full
    /// checks until the next grant writes a new head
    function _revokeRole(bytes32 role, address account) internal virtual override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        ExecutorStorage storage $ = _storage();
        if (role == EXECUTOR_ROLE && $.gate.key == account) {
            _setGate($, address(0));
            _markFlags(CLOSED_KEY, 0);
        }
    }

    function _pause() internal virtual override {
        super._pause();
        _storage().gate.state = GATE_CLOSED;
        _markFlags(CLOSED_PAUSED, 0);
    }

    /// @dev Reopens the gate only for a key that still holds EXECUTOR_ROLE (see _refreshGate)
    function _unpause() internal virtual override {
        super._unpause();
        _refreshGate(_storage());
        _markFlags(0, CLOSED_PAUSED);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _hop(bytes calldata route, uint256 i)
        private
        pure
        returns (address factory, bytes32 initCodeHash, address tokenOut, uint24 fee)
    {
        // execute() checked the length, and callbacks get the route back from the pool it
        // called; reading past the end would give zeros, never another caller's data
        assembly ("memory-safe") {
            let at := add(route.offset, add(20, mul(i, HOP)))
            factory := shr(96, calldataload(at))
            initCodeHash := calldataload(add(at, 20))
            tokenOut := shr(96, calldataload(add(at, 52)))
            fee := shr(232, calldataload(add(at, 72)))
        }
    }

    function _tokenOut(bytes calldata route, uint256 i) private pure returns (address) {
        uint256 at = 20 + i * HOP + 52;
        return address(bytes20(route[at:at + 20]));
    }

    function _listingKey(address factory, bytes32 initCodeHash) private pure returns (bytes32 key) {
        assembly ("memory-safe") {
            // abi.encodePacked(factory, initCodeHash): 52 bytes in the scratch space
            mstore(0x00, shl(96, factory))
            mstore(0x14, initCodeHash)
            key := keccak256(0x00, 0x34)
        }
    }

    /// @dev pair.swap(...) as a plain call, its revert bubbled up: without the high-level
    /// call's extcodesize check (every pair here was derived and has answered getReserves)
    function _pairSwap(address pair, bool zeroForOne, uint256 out, address to, bytes memory data) private {
        assembly ("memory-safe") {
            // swap(uint256,uint256,address,bytes) in unclaimed free memory; `data` lies below it
            let ptr := mload(0x40)
            let len := mload(data)
            mstore(ptr, 0x022c0d9f00000000000000000000000000000000000000000000000000000000)
            mstore(add(ptr, 0x04), mul(iszero(zeroForOne), out))
            mstore(add(ptr, 0x24), mul(zeroForOne, out))
            mstore(add(ptr, 0x44), to)
            mstore(add(ptr, 0x64), 0x80)
            mstore(add(ptr, 0x84), len)
            mcopy(add(ptr, 0xa4), add(data, 0x20), len)
            // the bytes' tail is zero-padded to a word, as the ABI encodes it
            mstore(add(add(ptr, 0xa4), len), 0)
            if iszero(call(gas(), pair, 0, ptr, add(0xa4, and(add(len, 31), not(31))), 0, 0)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
        }
    }

    /// @dev token.balanceOf(this) without the high-level call's extcodesize check: an address
    /// with no code answers nothing, which reverts here as a failed call does
    function _selfBalance(address token) private view returns (uint256 held) {
        assembly ("memory-safe") {
            mstore(0x00, 0x70a0823100000000000000000000000000000000000000000000000000000000)
            mstore(0x04, address())
            // staticcall runs first: Yul evaluates arguments right to left
            if iszero(and(gt(returndatasize(), 0x1f), staticcall(gas(), token, 0x00, 0x24, 0x00, 0x20))) {
                // the reason goes to free memory: it may be longer than the scratch space
                let ptr := mload(0x40)
                returndatacopy(ptr, 0x00, returndatasize())
                revert(ptr, returndatasize())
            }
            held := mload(0x00)
        }
    }

    function _create2(address factory, bytes32 salt, bytes32 initCodeHash) private pure returns (address pool) {
        assembly ("memory-safe") {
            // 0xff | factory | salt | initCodeHash (85 bytes) in unclaimed free memory
            let ptr := mload(0x40)
            mstore(ptr, factory)
            mstore8(add(ptr, 11), 0xff)
            mstore(add(ptr, 0x20), salt)
            mstore(add(ptr, 0x40), initCodeHash)
            pool := and(keccak256(add(ptr, 11), 85), 0xffffffffffffffffffffffffffffffffffffffff)
        }
    }

    /// @dev A callback is legitimate only from the contract this executor called last, and only
    /// the one callback that call makes (a pool called to `flash` may not answer as if it had
    /// been called to `swap`), while an execute() runs; the flag is transient, so it cannot
    /// outlive the transaction. One word: the caller, and the callback's tag above it.
    function _expect(address caller, uint256 callback) private {
        _tstore(LOCK, (_tload(LOCK) & 0xff) | (uint256(uint160(caller)) << 8) | (callback << 168));
    }

    /// @dev Consumes the expectation: each call this executor makes earns one callback.
    /// Returns the lock's source part, 1 + the running execute's source.
    function _checkCaller(uint256 callback) private returns (uint256 lock) {
        uint256 word = _tload(LOCK);
        lock = word & 0xff;
        if (lock == 0 || word >> 8 != uint256(uint160(msg.sender)) | (callback << 160)) {
            revert ExecutorUnexpectedCallback(msg.sender);
        }
        _tstore(LOCK, lock);
    }

    /// @dev The V3 pool to borrow from is the caller's choice, so it is held to the rule every
    /// hop's pool meets: it must sit at the CREATE2 address that a listed, enabled V3 factory
    /// derives for the tokens and fee the pool reports, and hold the start token. Anything
    /// else, such as a contract that would answer `flash` by calling back for the executor's
    /// tokens, reverts before it is called.
    function _checkFlashPool(address pool, address token) private view returns (bool zero) {
        if (pool.code.length == 0) revert ExecutorNoPool(pool);
        IUniswapV3Pool p = IUniswapV3Pool(pool);
        address factory = p.factory();
        Venue storage v = _storage().venues[factory];
        if (!v.enabled || v.kind != DexRegistry.DexKind.UniswapV3) revert ExecutorFactoryNotEnabled(factory);
        (address t0, address t1, uint24 fee) = (p.token0(), p.token1(), p.fee());
        address derived = _v3Pool(factory, t0, t1, fee, v.initCodeHash);
        if (derived != pool) revert ExecutorForeignPool(pool, derived);
        zero = t0 == token;
        if (!zero && t1 != token) revert ExecutorTokenNotInPool(pool, token);
    }

    /// @dev Writes the gate's key and every V2 venue into a new table (code read with
    /// EXTCODECOPY, SSTORE2-style) and points the flags at it. The table's address is not
    /// stored: executeV2_e0 derives it from the CREATE nonce in the flags, which the proxy has
    /// already read, so it costs no SLOAD of its own.
    function _deployTable(ExecutorStorage storage $) private {
        uint256 n = $.v2Venues.length;
        // byte 0 stays zero: STOP, so that calling the table does nothing
        bytes memory code = new bytes(TABLE_HEAD + n * ENTRY);
        address key = _refreshGate($);
        assembly ("memory-safe") {
            mstore(add(code, 0x21), key)
        }
        for (uint256 i; i < n; ++i) {
            address factory = $.v2Venues[i];
            Venue storage v = $.venues[factory];
            // only V2 factories join the table and the registry never changes a kind, but the
            // entry is what executeV2_e0 trusts: enabled means an enabled V2 venue
            bool enabled = v.enabled && v.kind == DexRegistry.DexKind.UniswapV2;
            uint256 word = (uint256(uint160(factory)) << 96) | (uint256(enabled ? 1 : 0) << 88) | (uint256(v.feeBps) << 72);
            bytes32 initCodeHash = v.initCodeHash;
            assembly ("memory-safe") {
                let at := add(add(code, add(0x20, TABLE_HEAD)), mul(i, ENTRY))
                mstore(at, word)
                mstore(add(at, 0x20), initCodeHash)
            }
        }
        // creation code: PUSH2 size, DUP1, PUSH1 10, PUSH0, CODECOPY, PUSH0, RETURN; then the code
        bytes memory init = abi.encodePacked(hex"61", uint16(code.length), hex"80600a5f395ff3", code);
        address table;
        assembly ("memory-safe") {
            table := create(0, add(init, 0x20), mload(init))
        }
        // this executor creates nothing else, so each table's nonce is the last one's plus one;
        // the first one's is the proxy's nonce, 1 for a contract (EIP-161)
        uint32 last = _lastTableNonce($.gate);
        uint32 nonce = last + 1;
        if (table == address(0)) revert ExecutorTableNotDeployed(_tableAt(nonce), table);
        // the record can fall behind: tables an older implementation deployed and recorded in
        // the flags alone, which an upgrade then cleared. CREATE's address is the authority
        // (one nonce maps to it), so the nonce is searched for, a bounded way. Past the bound
        // executeV2_e0 shuts rather than make every sync revert, and with it every registry
        // change (an emergency disable too); the record moves past the nonces searched (the
        // table is at none of them, and a record is never ahead), so each later sync searches
        // 1,024 further while the real nonce moves one, and catches up.
        address expected = _tableAt(nonce);
        for (address at = expected; at != table; at = _tableAt(nonce)) {
            if (nonce - last == NONCE_SEARCH) {
                $.gate.tableNonce = nonce;
                _writeFlags(0, 0);
                emit VenueTableNotLocated(table, expected);
                return;
            }
            ++nonce;
        }
        $.gate.tableNonce = nonce;
        // the flags rebuilt from the authorities: Pausable, and the key just written in the head
        // (none: closed, so that not even a simulated call from the zero address passes)
        _writeFlags(OPEN | (paused() ? CLOSED_PAUSED : 0) | (key == address(0) ? CLOSED_KEY : 0), nonce);
        emit VenueTableDeployed(table, n);
    }

    /// @dev The address this proxy's CREATE with `nonce` deploys to: keccak256(rlp([this, nonce]))
    /// for nonces from 1 (a table's nonce is never 0: contracts start at 1, EIP-161; RLP would
    /// write 0 as 0x80, which this does not)
    function _tableAt(uint256 nonce) private view returns (address table) {
        assembly ("memory-safe") {
            // rlp: list prefix | 0x94 | this (20) | nonce (one byte below 0x80, else 0x80 + its
            // length and its bytes); the nonce is a uint32, so the list is under 56 bytes
            let ptr := mload(0x40)
            mstore(add(ptr, 2), shl(96, address()))
            mstore8(add(ptr, 1), 0x94)
            let size := 23
            switch lt(nonce, 0x80)
            case 1 {
                mstore8(ptr, 0xd6)
                mstore8(add(ptr, 22), nonce)
            }
            default {
                let len := 0
                for { let x := nonce } gt(x, 0) { x := shr(8, x) } { len := add(len, 1) }
                mstore8(ptr, add(0xd6, len))
                mstore8(add(ptr, 22), add(0x80, len))
                mstore(add(ptr, 23), shl(sub(256, mul(8, len)), nonce))
                size := add(23, len)
            }
            table := and(keccak256(ptr, size), 0xffffffffffffffffffffffffffffffffffffffff)
        }
    }

    function _storage() private pure returns (ExecutorStorage storage $) {
        bytes32 slot = STORAGE_LOCATION;
        assembly {
            $.slot := slot
        }
    }

    /// @dev keccak256(asset | amount | route), hashed in scratch memory past the free pointer
    /// without claiming it
    function _aaveLoan(address asset, uint256 amount, bytes calldata route) private pure returns (uint256 id) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, shl(96, asset))
            mstore(add(ptr, 20), amount)
            calldatacopy(add(ptr, 52), route.offset, route.length)
            id := keccak256(ptr, add(52, route.length))
        }
    }

    function _tstore(bytes32 slot, uint256 value) private {
        assembly {
            tstore(slot, value)
        }
    }

    function _tload(bytes32 slot) private view returns (uint256 value) {
        assembly {
            value := tload(slot)
        }
    }
}
