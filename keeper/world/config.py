"""What the local world contains: tokens, prices, pools and liquidity. Pure data, seeded."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from keeper.manifest import TokenKind


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TokenSpec(_M):
    symbol: str
    decimals: int = Field(ge=0, le=36)
    price_usd: float = Field(gt=0)
    kind: TokenKind = TokenKind.STANDARD


class V2PairSpec(_M):
    dex: str  # "uniswap-v2" | "sushiswap"
    a: str
    b: str
    depth_usd: float = Field(gt=0)  # total value locked
    skew_bps: int = 0  # price of a in b, shifted by this many basis points on this pool


class V3PoolSpec(_M):
    a: str
    b: str
    fee: int  # 500 | 3000 | 10000
    full_range_usd: float = Field(ge=0)
    concentrated_usd: float = Field(ge=0)
    concentrated_width_pct: float = Field(default=5.0, gt=0)  # +-% around the price
    skew_bps: int = 0


class WorldConfig(_M):
    tokens: tuple[TokenSpec, ...]
    v2_pairs: tuple[V2PairSpec, ...]
    v3_pools: tuple[V3PoolSpec, ...]
    balancer_funding_usd: float = 5_000_000  # per token, for zero-fee flash loans
    aave_funding_usd: float = 1_000_000  # per token supplied to the Aave V3 market; 0: none
    v2_fee_bps: int = 30


STANDARD_TOKENS = (
    TokenSpec(symbol="WETH", decimals=18, price_usd=3000.0, kind=TokenKind.WETH),
    TokenSpec(symbol="USDC", decimals=6, price_usd=1.0),
    TokenSpec(symbol="USDT", decimals=6, price_usd=1.0),
    TokenSpec(symbol="DAI", decimals=18, price_usd=1.0),
    TokenSpec(symbol="WBTC", decimals=8, price_usd=60000.0),
    TokenSpec(symbol="LINK", decimals=18, price_usd=15.0),
    TokenSpec(symbol="UNI", decimals=18, price_usd=8.0),
)
HOSTILE_TOKENS = (
    TokenSpec(symbol="FOT", decimals=18, price_usd=2.0, kind=TokenKind.FEE_ON_TRANSFER),
    TokenSpec(symbol="NRT", decimals=6, price_usd=1.0, kind=TokenKind.NO_RETURN),
    TokenSpec(symbol="RVT", decimals=18, price_usd=1.0, kind=TokenKind.REVERTING),
)


def default_world() -> WorldConfig:
    """Seven real-looking tokens, three hostile ones, and the same pairs priced a little apart
    on each DEX so that arbitrage exists from block one."""
    v2 = []
    for dex, skew in (("uniswap-v2", 0), ("sushiswap", 40)):
        for a, b, depth in (
            ("WETH", "USDC", 4_000_000),
            ("WETH", "USDT", 2_000_000),
            ("WETH", "DAI", 2_000_000),
            ("WBTC", "WETH", 3_000_000),
            ("LINK", "WETH", 1_000_000),
            ("UNI", "WETH", 800_000),
            ("USDC", "USDT", 2_000_000),
            ("DAI", "USDC", 2_000_000),
            ("LINK", "USDC", 600_000),
        ):
            v2.append(V2PairSpec(dex=dex, a=a, b=b, depth_usd=depth, skew_bps=skew))
    v2 += [
        V2PairSpec(dex="uniswap-v2", a="FOT", b="WETH", depth_usd=200_000),
        V2PairSpec(dex="uniswap-v2", a="NRT", b="WETH", depth_usd=200_000),
        V2PairSpec(dex="uniswap-v2", a="RVT", b="WETH", depth_usd=200_000),
    ]
    v3 = (
        V3PoolSpec(a="WETH", b="USDC", fee=500, full_range_usd=2_000_000,
                   concentrated_usd=2_000_000, skew_bps=-25),
        V3PoolSpec(a="WETH", b="USDC", fee=3000, full_range_usd=1_000_000,
                   concentrated_usd=1_000_000, skew_bps=20),
        V3PoolSpec(a="WETH", b="USDT", fee=3000, full_range_usd=1_000_000,
                   concentrated_usd=1_000_000, skew_bps=-30),
        V3PoolSpec(a="WETH", b="DAI", fee=500, full_range_usd=1_000_000,
                   concentrated_usd=1_000_000, skew_bps=15),
        V3PoolSpec(a="WBTC", b="WETH", fee=3000, full_range_usd=1_500_000,
                   concentrated_usd=1_500_000, skew_bps=35),
        V3PoolSpec(a="LINK", b="WETH", fee=3000, full_range_usd=500_000,
                   concentrated_usd=500_000, concentrated_width_pct=10, skew_bps=-50),
        V3PoolSpec(a="USDC", b="USDT", fee=500, full_range_usd=1_000_000,
                   concentrated_usd=3_000_000, concentrated_width_pct=1, skew_bps=10),
    )
    return WorldConfig(tokens=STANDARD_TOKENS + HOSTILE_TOKENS, v2_pairs=tuple(v2), v3_pools=v3)
