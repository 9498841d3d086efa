"""Pool discovery from factories: every V2 pair by `allPairs`, every V3 pool by its
factory's PoolCreated logs (V3 factories cannot be enumerated)."""

from __future__ import annotations

from web3 import Web3

from keeper.chain.pool_reader import _fn, batch_call
from keeper.manifest import Dex, DexKind, Pool
from keeper.state.events import POOL_CREATED, PoolCreatedEvent, decode_log

ALL_PAIRS_LENGTH = _fn("allPairsLength()", ("uint256",))
ALL_PAIRS = _fn("allPairs(uint256)", ("address",), ("uint256",))
TOKEN0 = _fn("token0()", ("address",))
TOKEN1 = _fn("token1()", ("address",))
LOG_CHUNK = 10_000  # blocks per eth_getLogs request: nodes cap log ranges


def v2_pools(w3: Web3, dex: Dex, block: int | str = "latest") -> list[Pool]:
    (count,) = (batch_call(w3, [ALL_PAIRS_LENGTH(dex.factory)], block))
    pairs = batch_call(w3, [ALL_PAIRS(dex.factory, i) for i in range(count)], block)
    tokens = batch_call(w3, [c for p in pairs for c in (TOKEN0(p), TOKEN1(p))], block)
    fee = (dex.fee_bps or 30) * 100
    return [Pool(address=p, dex=dex.id, kind=DexKind.UNISWAP_V2, token0=tokens[2 * i],
                 token1=tokens[2 * i + 1], fee=fee) for i, p in enumerate(pairs)]


def v3_pools(w3: Web3, dex: Dex, from_block: int, to_block: int) -> list[Pool]:
    pools = []
    for start in range(from_block, to_block + 1, LOG_CHUNK):
        logs = w3.eth.get_logs({"address": dex.factory, "topics": [POOL_CREATED],
                                "fromBlock": start,
                                "toBlock": min(to_block, start + LOG_CHUNK - 1)})
        for raw in logs:
            ev = decode_log(dict(raw))
            if isinstance(ev, PoolCreatedEvent):
                pools.append(Pool(address=ev.pool, dex=dex.id, kind=DexKind.UNISWAP_V3,
                                  token0=ev.token0, token1=ev.token1, fee=int(ev.fee or 0),
                                  tick_spacing=ev.tick_spacing))
    return pools


def discover(w3: Web3, dexes: list[Dex], from_block: int, block: int) -> list[Pool]:
    out: list[Pool] = []
    for d in dexes:
        if d.kind is DexKind.UNISWAP_V2:
            out += v2_pools(w3, d, block)
        elif d.kind is DexKind.UNISWAP_V3:
            out += v3_pools(w3, d, from_block, block)
    return out
