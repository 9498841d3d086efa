"""Read-only views of the keeper: status, prices, opportunities, trades, P&L."""

from __future__ import annotations

import time
from datetime import UTC

from flask import current_app
from sqlalchemy import select

from keeper.errors import FlashkeeperError
from keeper.manifest import load_manifest
from keeper.store.models import BlockRow, OpportunityRow
from web.api import bp
from web.api.pnl import pnl_summary
from web.api.schemas import LimitQuery, Opportunities, Pnl, Prices, Status, Trades
from web.api.spreads import spreads
from web.auth.rbac import requires
from web.auth.roles import Role
from web.controls import read_controls
from web.extensions import db
from web.live.runtime import live

HEARTBEAT_STALE_S = 30.0


@bp.get("/status")
@requires(Role.VIEWER, summary="Node, keeper and model status", response=Status)
def status() -> dict:
    settings = current_app.config["FLASHKEEPER"]
    with db.session() as s:
        block = s.scalars(select(BlockRow).order_by(BlockRow.number.desc()).limit(1)).first()
    reported = live(current_app).state.latest("status") or {}
    head = reported.get("head", block.number if block else None)
    lag = None
    if block is not None:
        processed = block.processed_at
        if processed.tzinfo is None:
            processed = processed.replace(tzinfo=UTC)
        lag = round(time.time() - processed.timestamp(), 3)
    heartbeat = reported.get("ts")
    controls = read_controls()
    if controls["kill_switch"]:
        state = "stopped"
    elif not isinstance(heartbeat, int | float) or time.time() - heartbeat > HEARTBEAT_STALE_S:
        state = "unknown"
    elif controls["paused"]:
        state = "paused"
    else:
        state = "running"
    return {
        "node": {"head": head, "lag_s": reported.get("lag_s", lag),
                 "chain_id": reported.get("chain_id", settings.chain_id)},
        "keeper": {"state": state, "kill_switch": controls["kill_switch"],
                   "paused": controls["paused"],
                   "last_heartbeat": heartbeat if isinstance(heartbeat, int | float) else None},
        "mempool_rate": reported.get("mempool_rate"),
        "circuit_breaker": reported.get("circuit_breaker"),
        "models": reported.get("models") or [],
    }


@bp.get("/prices")
@requires(Role.VIEWER, summary="Token prices, pool prices and cross-DEX spreads",
          response=Prices)
def prices() -> dict:
    latest = live(current_app).state.latest("prices")
    if latest is None:
        return {"tokens": _manifest_tokens(), "pools": [], "spreads": [], "ts": None}
    pools = [p for p in latest.get("pools", []) if isinstance(p, dict)]
    return {"tokens": latest.get("tokens", []), "pools": pools,
            "spreads": latest.get("spreads") or spreads(pools), "ts": latest.get("ts")}


def _manifest_tokens() -> list[dict]:
    """Before the keeper reports, the deployment's reference prices (if any)."""
    try:
        manifest = load_manifest(current_app.config["FLASHKEEPER"].manifest)
    except (FlashkeeperError, OSError):
        return []
    return [{"symbol": t.symbol, "address": t.address, "price_usd": t.price_usd}
            for t in manifest.tokens if not t.hostile]


@bp.get("/opportunities")
@requires(Role.VIEWER, summary="Recent opportunities, newest first", query=LimitQuery,
          response=Opportunities)
def opportunities(query: LimitQuery) -> dict:
    with db.session() as s:
        rows = s.scalars(select(OpportunityRow).order_by(OpportunityRow.id.desc())
                         .limit(query.limit)).all()
        items = [_opportunity(r) for r in rows]
    if not items:
        items = live(current_app).state.recent("opportunities", query.limit)
    return {"items": items}


def _opportunity(r: OpportunityRow) -> dict:
    created = r.created_at.replace(tzinfo=r.created_at.tzinfo or UTC)
    return {"id": r.id, "block": r.block, "route": r.route, "amount_in": r.amount_in,
            "expected_out": r.expected_out, "profit": r.profit, "profit_usd": r.profit_usd,
            "score": None, "uncertainty": None, "decision": r.decision, "reason": r.reason,
            "ts": created.timestamp(), "flash_source": r.flash_source,
            "gas_estimate": r.gas_estimate, "start_token": r.start_token}


@bp.get("/trades")
@requires(Role.VIEWER, summary="Recent trades, newest first", query=LimitQuery, response=Trades)
def trades(query: LimitQuery) -> dict:
    return {"items": live(current_app).state.recent("trades", query.limit)}


@bp.get("/pnl")
@requires(Role.VIEWER, summary="Realized P&L: cumulative, success rate, gas, breakdowns",
          response=Pnl)
def pnl() -> dict:
    return pnl_summary(live(current_app).state.recent("trades", 10_000)[::-1])
