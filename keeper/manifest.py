"""The deployment manifest: one JSON file between the chain and every Python process.

The world script (local anvil) and the deploy script (any network) write it; the keeper, the web
app, the market simulator, benchmarks and tests read it. Addresses are checksummed strings.
"""

from __future__ import annotations

import json
import os
import tempfile
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from web3 import Web3

from keeper.errors import ConfigError


class DexKind(StrEnum):
    UNISWAP_V2 = "uniswap_v2"
    UNISWAP_V3 = "uniswap_v3"
    BALANCER_V2 = "balancer_v2"


class TokenKind(StrEnum):
    STANDARD = "standard"
    WETH = "weth"
    FEE_ON_TRANSFER = "fee_on_transfer"
    NO_RETURN = "no_return"
    REVERTING = "reverting"


def _checksum(value: str) -> str:
    if not Web3.is_address(value):
        raise ValueError(f"not an address: {value!r}")
    return Web3.to_checksum_address(value)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Token(_Model):
    symbol: str
    address: str
    decimals: int = Field(ge=0, le=36)
    kind: TokenKind = TokenKind.STANDARD
    feed: str | None = None  # MockAggregator (local) or Chainlink feed
    price_usd: float | None = None  # the world's initial reference price

    _addr = field_validator("address", "feed")(lambda v: v if v is None else _checksum(v))

    @property
    def hostile(self) -> bool:
        return self.kind not in (TokenKind.STANDARD, TokenKind.WETH)


class Dex(_Model):
    id: str  # e.g. "uniswap-v2", "sushiswap", "uniswap-v3", "balancer-v2"
    kind: DexKind
    factory: str  # V2/V3 factory; the Vault for Balancer
    router: str | None = None  # UniswapV2Router02 / V3 SwapRouter
    quoter: str | None = None  # V3 QuoterV2
    position_manager: str | None = None  # V3 NonfungiblePositionManager
    fee_bps: int | None = None  # V2 forks: the fixed swap fee in basis points (30 = 0.3%)
    init_code_hash: str | None = None  # V2 pair / V3 pool creation-code hash

    _addr = field_validator("factory", "router", "quoter", "position_manager")(
        lambda v: v if v is None else _checksum(v)
    )


class Pool(_Model):
    address: str
    dex: str  # Dex.id
    kind: DexKind
    token0: str
    token1: str
    fee: int  # in hundredths of a basis point, as Uniswap V3 counts it (V2 0.3% -> 3000)
    tick_spacing: int | None = None  # V3 only
    # the state the world seeded (local world only): lets tests and tools check a fresh chain
    seeded_reserves: tuple[int, int] | None = None  # V2
    seeded_sqrt_price_x96: int | None = None  # V3

    _addr = field_validator("address", "token0", "token1")(_checksum)


class SystemContracts(_Model):
    """Flashkeeper's own contracts (proxies), written by `ape run deploy`."""

    dex_registry: str | None = None
    price_feed_registry: str | None = None
    executor: str | None = None
    executor_implementation: str | None = None

    _addr = field_validator("*")(lambda v: v if v is None else _checksum(v))


class Manifest(_Model):
    chain_id: int
    deployed_at_block: int = 0
    deployer: str | None = None
    weth: str
    balancer_vault: str | None = None
    aave_pool: str | None = None  # Aave V3 Pool (flashLoanSimple)
    aave_flash_premium_bps: int | None = None
    multicall: str | None = None
    tokens: list[Token]
    dexes: list[Dex]
    pools: list[Pool]
    system: SystemContracts = SystemContracts()
    extra: dict[str, str] = Field(default_factory=dict)  # other named addresses (authorizer, ...)

    def token(self, symbol_or_address: str) -> Token:
        key = symbol_or_address.lower()
        for t in self.tokens:
            if t.symbol.lower() == key or t.address.lower() == key:
                return t
        raise KeyError(symbol_or_address)

    def dex(self, dex_id: str) -> Dex:
        for d in self.dexes:
            if d.id == dex_id:
                return d
        raise KeyError(dex_id)

    def pools_of(self, dex_id: str) -> list[Pool]:
        return [p for p in self.pools if p.dex == dex_id]

    def with_system(self, system: SystemContracts) -> Manifest:
        return self.model_copy(update={"system": system})


def load_manifest(path: str | os.PathLike[str], chain_id: int | None = None) -> Manifest:
    """The manifest at `path`; with `chain_id`, only if it was written for that chain: the
    same deployer at the same nonce gives the same addresses on every chain, so another
    chain's manifest would name contracts of ours that it does not describe."""
    p = Path(path)
    try:
        raw = p.read_text()
    except OSError as e:
        raise ConfigError(f"cannot read manifest {p}: {e.strerror}") from e
    try:
        manifest = Manifest.model_validate_json(raw)
    except ValidationError as e:
        # each field and what is wrong with it, on one line, without pydantic's links
        problems = "; ".join(f"{'.'.join(map(str, err['loc'])) or 'manifest'}: {err['msg']}"
                             for err in e.errors(include_url=False, include_input=False))
        raise ConfigError(f"malformed manifest {p}: {problems}") from e
    if chain_id is not None and manifest.chain_id != chain_id:
        raise ConfigError(f"manifest is for chain {manifest.chain_id}, connected to {chain_id} "
                          f"({p})")
    return manifest


def save_manifest(manifest: Manifest, path: str | os.PathLike[str]) -> None:
    """Write atomically so a reader never sees half a manifest."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=p.name, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(manifest.model_dump(mode="json"), f, indent=2)
        f.write("\n")
    os.replace(tmp, p)
