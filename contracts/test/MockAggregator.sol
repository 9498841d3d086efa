// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@flashkeeper/interfaces/AggregatorV3Interface.sol";

/// @title An oracle feed the local world and tests move by hand
/// @dev The only mock in the world: no oracle network exists on a local chain.
contract MockAggregator is AggregatorV3Interface {
    struct Round {
        int256 answer;
        uint256 startedAt;
        uint256 updatedAt;
        uint80 answeredInRound;
    }

    uint8 public immutable override decimals;
    uint80 private _latest;
    mapping(uint80 => Round) private _rounds;

    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    constructor(uint8 decimals_, int256 initialAnswer) {
        decimals = decimals_;
        setAnswer(initialAnswer);
    }

    function description() external pure override returns (string memory) {
        return "Flashkeeper mock feed";
    }

    function version() external pure override returns (uint256) {
        return 4;
    }

    /// @notice Start a new, complete round with `answer` at the current block time
    function setAnswer(int256 answer) public {
        uint80 id = ++_latest;
        _rounds[id] = Round(answer, block.timestamp, block.timestamp, id);
        emit AnswerUpdated(answer, id, block.timestamp);
    }

    /// @notice Write any round, including stale (old updatedAt) or incomplete ones
    function setRoundData(
        uint80 roundId,
        int256 answer,
        uint256 startedAt,
        uint256 updatedAt,
        uint80 answeredInRound
    ) external {
        _rounds[roundId] = Round(answer, startedAt, updatedAt, answeredInRound);
        if (roundId > _latest) _latest = roundId;
    }

    function getRoundData(uint80 roundId)
        public
        view
        override
        returns (uint80, int256, uint256, uint256, uint80)
    {
        Round memory r = _rounds[roundId];
        return (roundId, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }

    function latestRoundData() external view override returns (uint80, int256, uint256, uint256, uint80) {
        return getRoundData(_latest);
    }
}
