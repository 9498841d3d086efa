"""bench-sync: initial pool-state sync from a local anvil node, batched.

Deploys a large world (the standard one plus many more tokens, each with Uniswap V2 pairs on
both forks and V3 pools), then times `read_pools` — three JSON-RPC batch rounds — over every
pool. Last line: JSON with `pools`, `sync_s`, `pools_per_s` (and the V2/V3 split).
"""

from __future__ import annotations

import json
import os
import time

from keeper.chain.pool_reader import read_pools
from keeper.manifest import DexKind
from keeper.world.config import TokenSpec, V2PairSpec, V3PoolSpec, WorldConfig, default_world
from keeper.world.local import start_world

QUICK = os.environ.get("QUICK", "") not in ("", "0")


def big_world(extra_tokens: int) -> WorldConfig:
    base = default_world()
    tokens = [TokenSpec(symbol=f"T{i:03d}", decimals=18, price_usd=1.0 + i % 17)
              for i in range(extra_tokens)]
    v2 = list(base.v2_pairs)
    v3 = list(base.v3_pools)
    for i, t in enumerate(tokens):
        for dex in ("uniswap-v2", "sushiswap"):
            for quote in ("WETH", "USDC"):
                v2.append(V2PairSpec(dex=dex, a=t.symbol, b=quote, depth_usd=200_000))
        if i % 4 == 0:
            v3.append(V3PoolSpec(a=t.symbol, b="WETH", fee=3000, full_range_usd=100_000,
                                 concentrated_usd=100_000))
    return WorldConfig(tokens=base.tokens + tuple(tokens), v2_pairs=tuple(v2),
                       v3_pools=tuple(v3), balancer_funding_usd=base.balancer_funding_usd)


def main() -> None:
    t0 = time.perf_counter()
    world = start_world(big_world(10 if QUICK else 60))
    deploy_s = time.perf_counter() - t0
    try:
        pools = [p for p in world.manifest.pools if p.kind is not DexKind.BALANCER_V2]
        block = world.w3.eth.block_number
        timings = []
        for _ in range(3):
            t0 = time.perf_counter()
            states = read_pools(world.w3, pools, block)
            timings.append(time.perf_counter() - t0)
        sync_s = min(timings)
        v3 = sum(1 for p in pools if p.kind is DexKind.UNISWAP_V3)
        v2_only = [p for p in pools if p.kind is DexKind.UNISWAP_V2]
        t0 = time.perf_counter()
        read_pools(world.w3, v2_only, block)
        v2_s = time.perf_counter() - t0
        print(json.dumps({
            "pools": len(states),
            "sync_s": round(sync_s, 3),
            "pools_per_s": round(len(states) / sync_s, 1),
            "v2_pools": len(v2_only),
            "v2_pools_per_s": round(len(v2_only) / v2_s, 1),
            "v3_pools": v3,
            "world_deploy_s": round(deploy_s, 1),
        }))
    finally:
        world.stop()


if __name__ == "__main__":
    main()
