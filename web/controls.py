"""Keeper controls: the keeper is not a web process, so the dashboard writes its wishes to the
`keeper_control` table (versioned, with who and when) and announces each change on the bus
stream "control"; the keeper reads the table at start and follows the stream."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from keeper.bus import get_bus
from web.extensions import db, socketio
from web.store.models import KeeperControl, now

DEFAULT_RISK: dict[str, Any] = {
    "min_profit_usd": 1.0,
    "max_gas_gwei": 100.0,
    "max_trade_usd": 10_000.0,
    "max_slippage_bps": 50,
    "max_hops": 3,
}
DEFAULTS: dict[str, Any] = {"paused": False, "kill_switch": False, "risk": DEFAULT_RISK}


def read_controls() -> dict[str, Any]:
    state: dict[str, Any] = {k: (dict(v) if isinstance(v, dict) else v)
                             for k, v in DEFAULTS.items()}
    versions: dict[str, int] = {}
    with db.session() as s:
        for row in s.scalars(select(KeeperControl)):
            state[row.key] = row.value["value"]
            versions[row.key] = row.version
    state["version"] = sum(versions.values())
    return state


def write_control(key: str, value: Any, actor: str) -> dict[str, Any]:
    """Store one control (optimistic versioning), then announce the whole state."""
    if key not in DEFAULTS:
        raise KeyError(key)
    with db.session() as s:
        row = s.get(KeeperControl, key, with_for_update=True)
        if row is None:
            s.add(KeeperControl(key=key, value={"value": value}, version=1, updated_by=actor))
        else:
            row.value = {"value": value}
            row.version += 1
            row.updated_by = actor
            row.updated_at = now()
    state = read_controls()
    announce(state, actor)
    return state


def announce(state: dict[str, Any], actor: str) -> None:
    message = {"controls": state, "by": actor, "ts": now().timestamp()}
    get_bus(current_app.config["FLASHKEEPER"].redis_url).publish("control", message)
    # through Flask-SocketIO's message queue (Redis when configured): every web process's
    # subscribers of the "control" room see the change
    socketio.emit("control", {"items": [message]}, to="control", namespace="/live")


def request_check(actor: str) -> dict[str, Any]:
    """Ask the keeper for a consistency check against the chain (a command, not a stored
    control: it runs once, after the keeper's next block, and shows on the status page)."""
    message = {"command": "check", "by": actor, "ts": now().timestamp()}
    get_bus(current_app.config["FLASHKEEPER"].redis_url).publish("control", message)
    return message
