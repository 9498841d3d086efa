"""Decode raw pool logs into typed events (pure). A log that does not decode is reported, not
raised: one malformed or unexpected log must never stop the keeper."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from eth_abi import decode
from eth_utils import keccak

log = logging.getLogger(__name__)


def _topic(signature: str) -> str:
    return "0x" + keccak(text=signature).hex()


SYNC = _topic("Sync(uint112,uint112)")
SWAP_V3 = _topic("Swap(address,address,int256,int256,uint160,uint128,int24)")
MINT_V3 = _topic("Mint(address,address,int24,int24,uint128,uint256,uint256)")
BURN_V3 = _topic("Burn(address,int24,int24,uint128,uint256,uint256)")
PAIR_CREATED = _topic("PairCreated(address,address,address,uint256)")
POOL_CREATED = _topic("PoolCreated(address,address,uint24,int24,address)")
TOPICS = (SYNC, SWAP_V3, MINT_V3, BURN_V3)
CREATION_TOPICS = (PAIR_CREATED, POOL_CREATED)


@dataclass(frozen=True, slots=True)
class LogKey:
    block_number: int
    block_hash: str
    log_index: int


@dataclass(frozen=True, slots=True)
class SyncEvent:
    key: LogKey
    pool: str
    reserve0: int
    reserve1: int


@dataclass(frozen=True, slots=True)
class SwapEvent:
    key: LogKey
    pool: str
    sqrt_price_x96: int
    liquidity: int
    tick: int


@dataclass(frozen=True, slots=True)
class LiquidityEvent:
    """V3 Mint (delta > 0) or Burn (delta < 0) of `delta` liquidity on [lower, upper)."""

    key: LogKey
    pool: str
    tick_lower: int
    tick_upper: int
    delta: int


@dataclass(frozen=True, slots=True)
class PoolCreatedEvent:
    """A factory's PairCreated (V2, fee and spacing None) or PoolCreated (V3)."""

    key: LogKey
    factory: str
    pool: str
    token0: str
    token1: str
    fee: int | None
    tick_spacing: int | None


PoolEvent = SyncEvent | SwapEvent | LiquidityEvent


def _hex(value: object) -> str:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return str(value)


def _int24(topic: str) -> int:
    return int.from_bytes(bytes.fromhex(topic[2:])[-3:], "big", signed=True)


def _address(topic: str) -> str:
    return "0x" + topic[-40:]


def decode_log(raw: dict) -> PoolEvent | PoolCreatedEvent | None:
    """The event a raw JSON-RPC log carries, or None (with a warning) if it is not one."""
    try:
        topics = [_hex(t) for t in raw["topics"]]
        data = bytes.fromhex(_hex(raw["data"])[2:])
        key = LogKey(int(str(raw["blockNumber"]), 0) if isinstance(raw["blockNumber"], str)
                     else int(raw["blockNumber"]), _hex(raw["blockHash"]),
                     int(str(raw["logIndex"]), 0) if isinstance(raw["logIndex"], str)
                     else int(raw["logIndex"]))
        pool = _hex(raw["address"])
        if not topics:
            raise ValueError("no topics")
        t0 = topics[0]
        if t0 == SYNC:
            r0, r1 = decode(["uint112", "uint112"], data)
            return SyncEvent(key, pool, r0, r1)
        if t0 == SWAP_V3:
            _, _, sqrt_p, liquidity, tick = decode(
                ["int256", "int256", "uint160", "uint128", "int24"], data)
            return SwapEvent(key, pool, sqrt_p, liquidity, tick)
        if t0 == MINT_V3:
            _, amount, _, _ = decode(["address", "uint128", "uint256", "uint256"], data)
            return LiquidityEvent(key, pool, _int24(topics[2]), _int24(topics[3]), amount)
        if t0 == BURN_V3:
            amount, _, _ = decode(["uint128", "uint256", "uint256"], data)
            return LiquidityEvent(key, pool, _int24(topics[2]), _int24(topics[3]), -amount)
        if t0 == PAIR_CREATED:
            pair, _ = decode(["address", "uint256"], data)
            return PoolCreatedEvent(key, pool, pair, _address(topics[1]), _address(topics[2]),
                                    None, None)
        if t0 == POOL_CREATED:
            spacing, new_pool = decode(["int24", "address"], data)
            return PoolCreatedEvent(key, pool, new_pool, _address(topics[1]),
                                    _address(topics[2]), int(topics[3], 16), spacing)
        return None  # some other event of a tracked contract: not state we keep
    except (KeyError, ValueError, TypeError, IndexError) as e:
        log.warning("skipping malformed log %r: %s", {k: raw.get(k) for k in
                    ("address", "blockNumber", "logIndex")} if isinstance(raw, dict) else raw, e)
        return None
    except Exception as e:  # eth_abi raises its own decoding errors on short data
        log.warning("skipping undecodable log at %s: %s", raw.get("address"), e)
        return None
