"""Market simulator settings (env prefix FLASHKEEPER_MARKET_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class MarketConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLASHKEEPER_MARKET_", extra="ignore")

    seed: int = 7
    swaps_per_block: float = Field(default=3.0, ge=0, description="Poisson mean per step")
    traders: int = Field(default=6, ge=1, le=9, description="anvil accounts 1..traders")
    volatility_bps: float = Field(default=25.0, ge=0, description="per-step sd of log price")
    stable_volatility_bps: float = Field(default=2.0, ge=0)
    informed_share: float = Field(default=0.6, ge=0, le=1, description="trades pushed to ref")
    trade_depth_bps: tuple[float, float] = (5.0, 80.0)  # trade size as a share of pool depth
    oracle_every: int = Field(default=1, ge=1, description="steps between oracle updates")
    gas_limit: int = 400_000
    # wait for each transaction's receipt: on an auto-mining node this makes every read see the
    # trades before it (exact reproducibility); leave off under interval mining, where trades
    # are meant to wait in the mempool
    wait_for_inclusion: bool = False
