"""Admin: users and roles, the audit log, executor pause/unpause, DEX registry switches and
price feeds."""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import func, select

from keeper.bus import get_bus
from keeper.onchain.registry import dex_id as registry_id
from web import audit, onchain
from web.api import bp
from web.api.schemas import (
    Audit,
    ExecutorResult,
    FeedUpdate,
    LimitQuery,
    Registry,
    RoleUpdate,
    UserOut,
    Users,
)
from web.auth.rbac import requires
from web.auth.roles import Role
from web.errors import ApiError
from web.extensions import db
from web.store.models import User


def user_dict(u: User) -> dict:
    return {"id": u.id, "provider": u.provider, "login": u.login, "email": u.email,
            "name": u.name, "role": u.role,
            "last_login_at": u.last_login_at.timestamp() if u.last_login_at else None}


@bp.get("/users")
@requires(Role.ADMIN, summary="Every user with its role", response=Users)
def users() -> dict:
    with db.session() as s:
        return {"items": [user_dict(u) for u in s.scalars(select(User).order_by(User.id))]}


@bp.put("/users/<int(max=2147483647):user_id>/role")
@requires(Role.ADMIN, summary="Change a user's role", body=RoleUpdate, response=UserOut)
def set_role(user_id: int, body: RoleUpdate) -> dict:
    with db.session() as s:
        user = s.get(User, user_id, with_for_update=True)
        if user is None:
            raise ApiError(404, "not_found", f"no user {user_id}")
        before = user.role
        if before == Role.ADMIN and body.role != Role.ADMIN:
            admins = s.scalar(select(func.count()).select_from(User)
                              .where(User.role == Role.ADMIN.value))
            if admins <= 1:
                raise ApiError(409, "last_admin", "the last admin cannot be demoted")
        user.role = body.role.value
        out = user_dict(user)
    audit.record("role_change", target=out["login"],
                 detail={"user_id": user_id, "before": before, "after": body.role.value})
    # open sockets carry the role they connected with: close them, clients reconnect
    get_bus(current_app.config["FLASHKEEPER"].redis_url).publish(
        "session", {"event": "role_changed", "user_id": user_id})
    return out


@bp.get("/audit")
@requires(Role.ADMIN, summary="The audit log, newest first", query=LimitQuery, response=Audit)
def audit_log(query: LimitQuery) -> dict:
    return {"items": [{"id": e.id, "ts": e.ts.timestamp(), "actor": e.actor, "action": e.action,
                       "outcome": e.outcome, "target": e.target, "detail": e.detail or {},
                       "ip": e.ip} for e in audit.recent(query.limit)]}


def _onchain(action: str, contract: str, field: str, function: str, args: tuple,
             keys: tuple[str, ...], target: str) -> dict:
    try:
        sent = onchain.send(current_app.config["FLASHKEEPER"], contract, field, function, args,
                            keys)
    except onchain.OnchainUnavailable as e:
        audit.record(action, "failed", target=target, detail={"why": str(e)})
        raise ApiError(409, "onchain_unavailable", str(e)) from e
    except onchain.OnchainFailed as e:
        audit.record(action, "failed", target=target, detail={"why": str(e)})
        raise ApiError(409, "onchain_failed", str(e)) from e
    audit.record(action, target=target, detail={"tx_hash": sent.tx_hash})
    return {"action": action, "tx_hash": sent.tx_hash}


@bp.post("/admin/executor/pause")
@requires(Role.ADMIN, summary="Pause the FlashArbExecutor (guardian key)",
          response=ExecutorResult)
def executor_pause() -> dict:
    # the admin key also works: the deployment grants its admin GUARDIAN_ROLE
    return _onchain("executor_pause", "FlashArbExecutor", "executor", "pause", (),
                    (onchain.GUARDIAN_KEY_ENV, onchain.ADMIN_KEY_ENV), "executor")


@bp.post("/admin/executor/unpause")
@requires(Role.ADMIN, summary="Unpause the FlashArbExecutor (admin key)",
          response=ExecutorResult)
def executor_unpause() -> dict:
    return _onchain("executor_unpause", "FlashArbExecutor", "executor", "unpause", (),
                    (onchain.ADMIN_KEY_ENV, onchain.GUARDIAN_KEY_ENV), "executor")


DEX_ID = re.compile(r"^[A-Za-z0-9._-]{1,32}$")


@bp.post("/admin/registry/dex/<dex_id>/<any(enable, disable):action>")
@requires(Role.ADMIN, summary="Enable or disable a DEX in the DexRegistry (curator key)",
          response=ExecutorResult)
def registry_dex(dex_id: str, action: str) -> dict:
    if not DEX_ID.match(dex_id):
        raise ApiError(422, "invalid_request", "a DEX id is 1..32 characters [A-Za-z0-9._-]")
    return _onchain(f"registry_{action}", "DexRegistry", "dex_registry", "setEnabled",
                    (registry_id(dex_id), action == "enable"), (onchain.CURATOR_KEY_ENV,
                                                onchain.ADMIN_KEY_ENV), f"dex:{dex_id}")


ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


@bp.get("/registry")
@requires(Role.VIEWER, summary="The DEXes and price feeds registered on chain", response=Registry)
def registry() -> dict:
    try:
        return onchain.registry_view(current_app.config["FLASHKEEPER"])
    except onchain.OnchainUnavailable as e:
        raise ApiError(409, "onchain_unavailable", str(e)) from e


@bp.put("/admin/registry/feed/<token>")
@requires(Role.ADMIN, summary="Set a token's price feed, heartbeat and maximum deviation in the "
          "PriceFeedRegistry (feed-manager key)", body=FeedUpdate, response=ExecutorResult)
def registry_feed(token: str, body: FeedUpdate) -> dict:
    if not ADDRESS.match(token):
        raise ApiError(422, "invalid_request", "a token is a 0x-prefixed 20-byte address")
    from web3 import Web3

    args = (Web3.to_checksum_address(token), Web3.to_checksum_address(body.feed),
            body.heartbeat_s, body.max_deviation_bps)
    return _onchain("registry_feed", "PriceFeedRegistry", "price_feed_registry", "setFeed", args,
                    (onchain.FEED_MANAGER_KEY_ENV, onchain.ADMIN_KEY_ENV), f"feed:{token}")
