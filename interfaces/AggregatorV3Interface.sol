// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Chainlink's price-feed interface (declared here: the npm package cannot install)
/// @notice Trust rule: an answer is usable only if it is positive, its round is complete
/// (answeredInRound >= roundId, updatedAt != 0) and updatedAt is within the feed's heartbeat.
interface AggregatorV3Interface {
    function decimals() external view returns (uint8);
    function description() external view returns (string memory);
    function version() external view returns (uint256);

    function getRoundData(uint80 roundId)
        external
        view
        returns (uint80 roundId_, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
