// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@flashkeeper/interfaces/AggregatorV3Interface.sol";
import {GuardedUpgradeable} from "../common/GuardedUpgradeable.sol";

/// @title Oracle feeds per token, with staleness rules
/// @notice `latestPrice(token)` returns the feed's answer scaled to 18 decimals, or reverts with
/// the reason it cannot be trusted. FEED_MANAGER edits feeds; GUARDIAN pauses edits.
contract PriceFeedRegistry is GuardedUpgradeable {
    struct Feed {
        AggregatorV3Interface aggregator;
        uint32 heartbeat; // seconds an answer stays fresh
        uint8 decimals; // read from the aggregator when the feed is set
        uint16 maxDeviationBps; // 0: no bound; else how far a pool price may stray (executor)
    }

    /// @custom:storage-location erc7201:flashkeeper.storage.PriceFeedRegistry
    struct PriceFeedRegistryStorage {
        mapping(address token => Feed) feeds;
        address[] tokens;
    }

    // keccak256(abi.encode(uint256(keccak256("flashkeeper.storage.PriceFeedRegistry")) - 1)) & ~bytes32(uint256(0xff))
    /// @notice The ERC-7201 slot of PriceFeedRegistryStorage
    bytes32 public constant STORAGE_LOCATION = 0x372a4d786faf76064f1d732f2ea65d37a8de8bb1adc073085265119d20223300;
    /// @notice May set and remove feeds
    bytes32 public constant FEED_MANAGER_ROLE = keccak256("FEED_MANAGER_ROLE");
    /// @notice The loosest per-token deviation bound accepted (50%)
    uint16 public constant MAX_DEVIATION_BPS = 5000;
    /// @notice The most decimals a feed may have: beyond them a positive answer scales to a
    /// price of 0, and from 96 the scale itself overflows (Chainlink's feeds have 8 or 18)
    uint8 public constant MAX_DECIMALS = 36;

    error PriceFeedZeroAddress(address token);
    error PriceFeedNoCode(address aggregator);
    error PriceFeedBadHeartbeat(uint32 heartbeat);
    error PriceFeedBadDeviation(uint16 maxDeviationBps);
    error PriceFeedBadDecimals(address aggregator, uint8 decimals);
    error PriceFeedMissing(address token);
    error PriceFeedStale(address token, uint256 updatedAt, uint32 heartbeat);
    error PriceFeedNonPositive(address token, int256 answer);
    error PriceFeedIncompleteRound(address token, uint80 roundId, uint80 answeredInRound);
    error PriceFeedFutureAnswer(address token, uint256 updatedAt, uint256 blockTimestamp);
    /// @notice The answer does not fit 18 decimals: it overflows, or scales down to 0
    error PriceFeedOutOfRange(address token, int256 answer);

    event FeedSet(address indexed token, address indexed aggregator, uint32 heartbeat, uint8 decimals, uint16 maxDeviationBps);
    event FeedRemoved(address indexed token);

    /// @notice Grant every role to `admin`
    function initialize(address admin) external initializer {
        __Guarded_init(admin);
        _grantRole(FEED_MANAGER_ROLE, admin);
    }

    /// @notice Set (or replace) the feed of `token`
    /// @param aggregator a Chainlink AggregatorV3Interface; its decimals are read now
    /// @param heartbeat seconds after which its answer is stale (non-zero)
    /// @param maxDeviationBps the executor's bound on a hop's price against this feed (0: none)
    function setFeed(address token, AggregatorV3Interface aggregator, uint32 heartbeat, uint16 maxDeviationBps)
        external
        onlyRole(FEED_MANAGER_ROLE)
        whenNotPaused
    {
        if (token == address(0) || address(aggregator) == address(0)) revert PriceFeedZeroAddress(token);
        if (address(aggregator).code.length == 0) revert PriceFeedNoCode(address(aggregator));
        if (heartbeat == 0) revert PriceFeedBadHeartbeat(heartbeat);
        if (maxDeviationBps > MAX_DEVIATION_BPS) revert PriceFeedBadDeviation(maxDeviationBps);
        PriceFeedRegistryStorage storage $ = _storage();
        if (address($.feeds[token].aggregator) == address(0)) $.tokens.push(token);
        uint8 decimals = aggregator.decimals();
        if (decimals > MAX_DECIMALS) revert PriceFeedBadDecimals(address(aggregator), decimals);
        $.feeds[token] = Feed(aggregator, heartbeat, decimals, maxDeviationBps);
        emit FeedSet(token, address(aggregator), heartbeat, decimals, maxDeviationBps);
    }

    /// @notice Remove the feed of `token`
    /// @dev Refused while paused, unlike DexRegistry's disabling: a removal can widen what
    /// trades, since the executor leaves a hop unchecked when neither token has a bound (a
    /// hop from a bounded token to one without a feed is refused until the bound goes)
    function removeFeed(address token) external onlyRole(FEED_MANAGER_ROLE) whenNotPaused {
        PriceFeedRegistryStorage storage $ = _storage();
        if (address($.feeds[token].aggregator) == address(0)) revert PriceFeedMissing(token);
        delete $.feeds[token];
        uint256 n = $.tokens.length;
        for (uint256 i; i < n; ++i) {
            if ($.tokens[i] == token) {
                $.tokens[i] = $.tokens[n - 1];
                $.tokens.pop();
                break;
            }
        }
        emit FeedRemoved(token);
    }

    /// @notice The feed of `token` (aggregator zero if none)
    function getFeed(address token) external view returns (Feed memory) {
        return _storage().feeds[token];
    }

    /// @notice Tokens with a feed
    function tokens() external view returns (address[] memory) {
        return _storage().tokens;
    }

    /// @notice The latest trusted price of `token` in USD with 18 decimals, and its time
    /// @dev Reverts PriceFeedMissing, PriceFeedIncompleteRound, PriceFeedNonPositive,
    /// PriceFeedFutureAnswer, PriceFeedStale or PriceFeedOutOfRange: each a different way the
    /// answer is untrustworthy
    function latestPrice(address token) external view returns (uint256 price, uint256 updatedAt) {
        Feed memory feed = _storage().feeds[token];
        if (address(feed.aggregator) == address(0)) revert PriceFeedMissing(token);
        // startedAt is not part of any staleness rule: updatedAt and the round ids are
        // slither-disable-next-line unused-return
        (uint80 roundId, int256 answer,, uint256 updated, uint80 answeredInRound) = feed.aggregator.latestRoundData();
        if (updated == 0 || answeredInRound < roundId) revert PriceFeedIncompleteRound(token, roundId, answeredInRound);
        if (answer <= 0) revert PriceFeedNonPositive(token, answer);
        // an answer dated after this block is a broken or forged feed, and would pass the
        // staleness rule for longer than its heartbeat
        if (updated > block.timestamp) revert PriceFeedFutureAnswer(token, updated, block.timestamp);
        if (block.timestamp > updated + feed.heartbeat) revert PriceFeedStale(token, updated, feed.heartbeat);
        // answer > 0 was checked, so the cast is exact; decimals were bounded by setFeed (an
        // older implementation's entry is checked again rather than left to a Panic)
        if (feed.decimals > MAX_DECIMALS) revert PriceFeedBadDecimals(address(feed.aggregator), feed.decimals);
        if (feed.decimals <= 18) {
            uint256 scale = 10 ** (18 - feed.decimals);
            if (uint256(answer) > type(uint256).max / scale) revert PriceFeedOutOfRange(token, answer);
            price = uint256(answer) * scale;
        } else {
            price = uint256(answer) / 10 ** (feed.decimals - 18);
            if (price == 0) revert PriceFeedOutOfRange(token, answer);
        }
        return (price, updated);
    }

    function _storage() private pure returns (PriceFeedRegistryStorage storage $) {
        bytes32 slot = STORAGE_LOCATION;
        // the ERC-7201 slot: a fixed struct location no future base contract can collide with
        assembly {
            $.slot := slot
        }
    }
}
