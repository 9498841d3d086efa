"""Read exact pool state from a node: V2 reserves, V3 price, liquidity and initialized ticks.

V3 ticks are found the way the pool stores them: the tick bitmap, one 256-bit word per 256
tick spacings, then `ticks(tick).liquidityNet` for each set bit. Reads go in JSON-RPC batches
(one round trip per 500 calls) with calldata built straight from selectors: building a web3
contract object per pool costs more than the node's whole answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from eth_abi import decode, encode
from eth_utils import keccak
from web3 import Web3

from keeper.errors import NodeError
from keeper.manifest import DexKind, Pool
from keeper.math.tick_math import MAX_TICK, MIN_TICK
from keeper.state.types import PoolState, V2PoolState, V3PoolState

BATCH = 500


@dataclass(frozen=True, slots=True)
class Call:
    to: str
    data: str
    out: tuple[str, ...]


def _fn(signature: str, out: tuple[str, ...], arg_types: tuple[str, ...] = ()):
    selector = keccak(text=signature)[:4]

    def make(to: str, *args: object) -> Call:
        return Call(to, "0x" + (selector + encode(arg_types, args)).hex(), out)

    return make


GET_RESERVES = _fn("getReserves()", ("uint112", "uint112", "uint32"))
SLOT0 = _fn("slot0()", ("uint160", "int24", "uint16", "uint16", "uint16", "uint8", "bool"))
LIQUIDITY = _fn("liquidity()", ("uint128",))
TICK_BITMAP = _fn("tickBitmap(int16)", ("uint256",), ("int16",))
TICKS = _fn("ticks(int24)", ("uint128", "int128", "uint256", "uint256", "int56", "uint160",
                              "uint32", "bool"), ("int24",))
DECIMALS = _fn("decimals()", ("uint8",))
SYMBOL = _fn("symbol()", ("string",))
BALANCE_OF = _fn("balanceOf(address)", ("uint256",), ("address",))
# Aave V3 Pool.getReserveData(asset): the aToken address is the 9th field of ReserveData
AAVE_RESERVE = _fn("getReserveData(address)", ("uint256", "uint128", "uint128", "uint128",
                                                "uint128", "uint128", "uint40", "uint16",
                                                "address", "address", "address", "address",
                                                "uint128", "uint128", "uint128"), ("address",))
LATEST_ROUND = _fn("latestRoundData()", ("uint80", "int256", "uint256", "uint256", "uint80"))


def _block_param(block: int | str) -> str:
    return block if isinstance(block, str) else hex(block)


def batch_call(w3: Web3, calls: Sequence[Call], block: int | str = "latest") -> list:
    """eth_call every Call in JSON-RPC batches; decoded outputs in order (a single output is
    unwrapped). A failing call fails the batch with the node's message."""
    out: list = []
    tag = _block_param(block)
    for i in range(0, len(calls), BATCH):
        chunk = calls[i : i + BATCH]
        requests = [("eth_call", [{"to": c.to, "data": c.data}, tag]) for c in chunk]
        responses = w3.provider.make_batch_request(requests)
        if not isinstance(responses, list):
            raise NodeError(f"batch eth_call failed: {responses}")
        for c, resp in zip(chunk, sorted(responses, key=lambda r: r["id"]), strict=True):
            if "error" in resp:
                raise NodeError(f"eth_call to {c.to}: {resp['error']}")
            values = decode(c.out, bytes.fromhex(resp["result"][2:]))
            out.append(values[0] if len(values) == 1 else values)
    return out


def _words(spacing: int) -> range:
    return range((MIN_TICK // spacing) >> 8, ((MAX_TICK // spacing) >> 8) + 1)


def read_pools(w3: Web3, pools: Sequence[Pool], block: int | str = "latest") -> list[PoolState]:
    """Every pool's full state at one block in three batch rounds (reserves and prices; V3
    bitmap words; V3 initialized ticks), whatever the number of pools."""
    number = 0 if block == "latest" else int(block)
    first: list[Call] = []
    for p in pools:
        if p.kind is DexKind.UNISWAP_V2:
            first.append(GET_RESERVES(p.address))
        else:
            first += [SLOT0(p.address), LIQUIDITY(p.address)]
    values = iter(batch_call(w3, first, block))
    head = [(next(values),) if p.kind is DexKind.UNISWAP_V2 else (next(values), next(values))
            for p in pools]
    words = [(i, w) for i, p in enumerate(pools) if p.kind is DexKind.UNISWAP_V3
             for w in _words(p.tick_spacing or 1)]
    bitmaps = batch_call(w3, [TICK_BITMAP(pools[i].address, w) for i, w in words], block)
    ticks: list[tuple[int, int]] = []
    for (i, word), bits in zip(words, bitmaps, strict=True):
        while bits:
            low = bits & -bits
            ticks.append((i, ((word << 8) + low.bit_length() - 1) * (pools[i].tick_spacing or 1)))
            bits ^= low
    infos = batch_call(w3, [TICKS(pools[i].address, t) for i, t in ticks], block)
    nets: dict[int, dict[int, int]] = {}
    for (i, t), info in zip(ticks, infos, strict=True):
        nets.setdefault(i, {})[t] = int(info[1])
    out: list[PoolState] = []
    for i, p in enumerate(pools):
        if p.kind is DexKind.UNISWAP_V2:
            r0, r1, _ = head[i][0]
            out.append(V2PoolState(p.address, p.token0, p.token1, r0, r1, p.fee, number))
        else:
            slot0, liquidity = head[i]
            out.append(V3PoolState(p.address, p.token0, p.token1, p.fee, p.tick_spacing or 1,
                                   slot0[0], slot0[1], liquidity, nets.get(i, {}), number))
    return out


def read_pool(w3: Web3, pool: Pool, block: int | str = "latest") -> PoolState:
    return read_pools(w3, [pool], block)[0]


def read_v3(w3: Web3, pool: Pool, block: int | str = "latest") -> V3PoolState:
    state = read_pool(w3, pool, block)
    assert isinstance(state, V3PoolState)
    return state


def refresh_prices(w3: Web3, states: Sequence[PoolState],
                   block: int | str = "latest") -> list[PoolState]:
    """New states with reserves (V2) or price, tick and liquidity (V3) re-read in one batch.

    V3 tick maps are kept: only Mint and Burn change them, and a caller that sees those
    (the keeper, from logs) re-reads the pool with `read_v3`."""
    calls: list[Call] = []
    for s in states:
        if isinstance(s, V2PoolState):
            calls.append(GET_RESERVES(s.address))
        else:
            calls += [SLOT0(s.address), LIQUIDITY(s.address)]
    values = iter(batch_call(w3, calls, block))
    number = 0 if block == "latest" else int(block)
    out: list[PoolState] = []
    for s in states:
        if isinstance(s, V2PoolState):
            r0, r1, _ = next(values)
            out.append(replace(s, reserve0=r0, reserve1=r1, block=number))
        else:
            slot0, liquidity = next(values), next(values)
            out.append(replace(s, sqrt_price_x96=slot0[0], tick=slot0[1], liquidity=liquidity,
                               block=number))
    return out
