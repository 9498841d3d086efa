"""Request and response models of the REST API (validation and the OpenAPI document)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from web.auth.roles import Role


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _json_number(value: Any) -> Any:
    # JSON Schema's number/integer: no booleans, no numeric strings (pydantic's lax mode
    # would take both); 7.0 is an integer there, so lax int parsing stays for the rest
    if isinstance(value, bool | str):
        raise ValueError("a JSON number is required")
    return value


Number = Annotated[float, BeforeValidator(_json_number)]
Integer = Annotated[int, BeforeValidator(_json_number)]


class Body(Strict):
    """Request bodies: unknown fields refused, numbers must be JSON numbers."""


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


# --- requests ---

class LimitQuery(Strict):
    limit: int = Field(default=50, ge=1, le=500)


class RiskUpdate(Body):
    min_profit_usd: Number = Field(ge=0, le=1e9)
    max_gas_gwei: Number = Field(ge=0.001, le=1e6)
    max_trade_usd: Number = Field(ge=0.01, le=1e12)
    max_slippage_bps: Integer = Field(default=50, ge=0, le=10_000)
    max_hops: Integer = Field(default=3, ge=2, le=4)


class KillRequest(Body):
    confirm: Literal["KILL"]


class RoleUpdate(Body):
    role: Role


# --- responses ---

class Me(Open):
    id: int
    login: str
    email: str | None
    name: str | None
    role: Role


class NodeStatus(Open):
    head: int | None
    lag_s: float | None
    chain_id: int


class KeeperStatus(Open):
    state: Literal["running", "paused", "stopped", "unknown"]
    kill_switch: bool
    last_heartbeat: float | None


class Status(Open):
    node: NodeStatus
    keeper: KeeperStatus
    mempool_rate: float | None
    circuit_breaker: dict[str, Any] | None
    models: list[dict[str, Any]]


class TokenPrice(Open):
    symbol: str
    address: str
    price_usd: float | None


class PoolPrice(Open):
    address: str
    dex: str
    token0: str
    token1: str
    price: float | None
    reserve0: str | None
    reserve1: str | None


class Spread(Open):
    pair: str
    dexes: dict[str, float]
    spread_bps: float


class Prices(Open):
    tokens: list[TokenPrice]
    pools: list[PoolPrice]
    spreads: list[Spread]
    ts: float | None = None


class Opportunity(Open):
    id: int | str
    block: int
    route: list[Any]
    amount_in: str
    expected_out: str
    profit: str
    profit_usd: float | None
    score: float | None
    uncertainty: float | None
    decision: str
    reason: str | None
    ts: float | None


class Opportunities(Open):
    items: list[Opportunity]


class Trades(Open):
    items: list[dict[str, Any]]


class PnlPoint(Open):
    ts: float
    pnl_usd: float


class Pnl(Open):
    cumulative: list[PnlPoint]
    success_rate: float | None
    gas_spent_eth: float
    by_route: list[dict[str, Any]]
    by_dex: list[dict[str, Any]]


class Risk(Open):
    min_profit_usd: float
    max_gas_gwei: float
    max_trade_usd: float


class Controls(Open):
    paused: bool
    kill_switch: bool
    risk: Risk
    version: int


class UserOut(Open):
    id: int
    provider: str
    login: str
    email: str | None
    name: str | None
    role: Role


class Users(Open):
    items: list[UserOut]


class AuditItem(Open):
    id: int
    ts: float
    actor: str | None
    action: str
    outcome: str
    target: str | None
    detail: dict[str, Any]
    ip: str | None


class Audit(Open):
    items: list[AuditItem]


class ExecutorResult(Open):
    action: str
    tx_hash: str


class TokenPairOut(Open):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"]
    expires_in: int


class Ok(Open):
    ok: bool


class FeedUpdate(Body):
    feed: str = Field(pattern=r"^0x[0-9a-fA-F]{40}$")
    heartbeat_s: Integer = Field(ge=1, le=7 * 86_400)
    max_deviation_bps: Integer = Field(default=0, ge=0, le=5_000)


class RegistryDex(Open):
    id: str
    kind: int | str
    factory: str
    enabled: bool | None
    fee_bps: int | None
    held: bool | None = None  # disabled by a registrar: a curator key cannot enable it


class RegistryFeed(Open):
    token: str
    symbol: str
    feed: str | None
    heartbeat_s: int | None
    max_deviation_bps: int | None


class Registry(Open):
    onchain: bool
    why: str | None
    dexes: list[RegistryDex]
    feeds: list[RegistryFeed]


class CheckRequested(Open):
    requested: bool
    ts: float
