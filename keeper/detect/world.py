"""Detector configuration from a deployment manifest (base tokens, flash sources, decimals)."""

from __future__ import annotations

from keeper.detect.config import DetectConfig, GasModel
from keeper.detect.detector import Detector
from keeper.manifest import DexKind, Manifest


def detector_for(manifest: Manifest, base_symbols: tuple[str, ...] = ("WETH", "USDC"),
                 max_hops: int = 3, balancer_liquidity: dict[str, int] | None = None,
                 gas: GasModel | None = None, min_profit: int = 1,
                 aave_liquidity: dict[str, int] | None = None) -> Detector:
    bases = tuple(manifest.token(s).address for s in base_symbols)
    v3_flash: dict[str, tuple[str, int]] = {}
    for p in manifest.pools:
        if p.kind is not DexKind.UNISWAP_V3:
            continue
        for t in (p.token0, p.token1):
            if t not in v3_flash or p.fee < v3_flash[t][1]:
                v3_flash[t] = (p.address, p.fee)
    cfg = DetectConfig(base_tokens=bases, max_hops=max_hops, min_profit=min_profit,
                       weth=manifest.weth, gas=gas or GasModel(),
                       balancer_liquidity=balancer_liquidity or {}, v3_flash_pools=v3_flash,
                       aave_liquidity=aave_liquidity or {},
                       aave_premium_bps=manifest.aave_flash_premium_bps or 5)
    detector = Detector(cfg)
    detector.decimals = {t.address: t.decimals for t in manifest.tokens}
    return detector


def tradable_pools(manifest: Manifest) -> list:
    """Pools of well-behaved tokens: hostile tokens are never routed through."""
    hostile = {t.address for t in manifest.tokens if t.hostile}
    return [p for p in manifest.pools if p.kind is not DexKind.BALANCER_V2
            and p.token0 not in hostile and p.token1 not in hostile]
