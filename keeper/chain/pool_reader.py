"""Read exact pool state from a node: V2 reserves, V3 price, liquidity and initialized ticks.

V3 ticks are found the way the pool stores them: the tick bitmap, one 256-bit word per 256
tick spacings, then `ticks(tick).liquidityNet` for each set bit. Reads go in JSON-RPC batches
(one round trip per batch), not one request per call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from web3 import Web3

from keeper.errors import NodeError
from keeper.manifest import DexKind, Pool
from keeper.math.tick_math import MAX_TICK, MIN_TICK
from keeper.state.types import PoolState, V2PoolState, V3PoolState
from keeper.world.artifacts import npm_artifact

BATCH = 500
_V2_ABI = npm_artifact("UniswapV2Pair").abi
_V3_ABI = npm_artifact("UniswapV3Pool").abi


def _block_param(block: int | str) -> str:
    return block if isinstance(block, str) else hex(block)


def batch_call(w3: Web3, fns: Sequence, block: int | str) -> list:
    """eth_call every contract function in JSON-RPC batches; decoded outputs in order."""
    out: list = []
    tag = _block_param(block)
    for i in range(0, len(fns), BATCH):
        chunk = fns[i : i + BATCH]
        requests = [("eth_call", [{"to": fn.address, "data": fn._encode_transaction_data()}, tag])
                    for fn in chunk]
        responses = w3.provider.make_batch_request(requests)
        if not isinstance(responses, list):
            raise NodeError(f"batch eth_call failed: {responses}")
        for fn, resp in zip(chunk, sorted(responses, key=lambda r: r["id"]), strict=True):
            if "error" in resp:
                raise NodeError(f"eth_call {fn.fn_name} on {fn.address}: {resp['error']}")
            types = [o["type"] for o in fn.abi["outputs"]]
            values = w3.codec.decode(types, bytes.fromhex(resp["result"][2:]))
            out.append(values[0] if len(values) == 1 else values)
    return out


def read_v2(w3: Web3, pool: Pool, block: int | str = "latest") -> V2PoolState:
    pair = w3.eth.contract(address=pool.address, abi=_V2_ABI)
    r0, r1, _ = pair.functions.getReserves().call(block_identifier=block)
    return V2PoolState(pool.address, pool.token0, pool.token1, r0, r1, pool.fee,
                       0 if block == "latest" else int(block))


def read_v3(w3: Web3, pool: Pool, block: int | str = "latest") -> V3PoolState:
    c = w3.eth.contract(address=pool.address, abi=_V3_ABI)
    spacing = pool.tick_spacing or c.functions.tickSpacing().call()
    slot0 = c.functions.slot0().call(block_identifier=block)
    liquidity = c.functions.liquidity().call(block_identifier=block)
    lo_word, hi_word = (MIN_TICK // spacing) >> 8, (MAX_TICK // spacing) >> 8
    words = list(range(lo_word, hi_word + 1))
    bitmaps = batch_call(w3, [c.functions.tickBitmap(w) for w in words], block)
    ticks = []
    for word, bits in zip(words, bitmaps, strict=True):
        while bits:
            low = bits & -bits
            ticks.append(((word << 8) + low.bit_length() - 1) * spacing)
            bits ^= low
    infos = batch_call(w3, [c.functions.ticks(t) for t in ticks], block)
    net = {t: int(info[1]) for t, info in zip(ticks, infos, strict=True)}
    return V3PoolState(pool.address, pool.token0, pool.token1, pool.fee, spacing, slot0[0],
                       slot0[1], liquidity, net, 0 if block == "latest" else int(block))


def read_pool(w3: Web3, pool: Pool, block: int | str = "latest") -> PoolState:
    if pool.kind is DexKind.UNISWAP_V2:
        return read_v2(w3, pool, block)
    return read_v3(w3, pool, block)


def refresh_prices(w3: Web3, states: Sequence[PoolState],
                   block: int | str = "latest") -> list[PoolState]:
    """New states with reserves (V2) or price, tick and liquidity (V3) re-read in one batch.

    V3 tick maps are kept: only Mint and Burn change them, and a caller that sees those
    (the keeper, from logs) re-reads the pool with `read_v3`."""
    fns = []
    for s in states:
        if isinstance(s, V2PoolState):
            fns.append(w3.eth.contract(address=s.address, abi=_V2_ABI).functions.getReserves())
        else:
            c = w3.eth.contract(address=s.address, abi=_V3_ABI)
            fns += [c.functions.slot0(), c.functions.liquidity()]
    values = iter(batch_call(w3, fns, block))
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
