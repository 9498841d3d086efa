"""RBAC matrix: every declared route and every socket event, for no token and each role."""

from __future__ import annotations

import re

from flask import Flask

from web.api.openapi import routes
from web.auth.rbac import endpoint_of
from web.auth.roles import Role
from web.extensions import socketio
from web.live.namespace import LiveNamespace
from web.testing import bearer, make_user, tokens_for

BODIES = {
    "api.kill": {"confirm": "KILL"},
    "api.risk": {"min_profit_usd": 2.5, "max_gas_gwei": 50, "max_trade_usd": 5000},
    "api.set_role": {"role": "viewer"},
    "api.registry_feed": {"feed": "0x" + "11" * 20, "heartbeat_s": 3600, "max_deviation_bps": 200},
}
ROLES: list[Role | None] = [None, Role.VIEWER, Role.TRADER, Role.ADMIN]


def _url(rule: str, target_user: int) -> str:
    values = {"user_id": str(target_user), "dex_id": "uniswap-v2", "action": "disable",
              "provider": "standin", "token": "0x" + "22" * 20}
    return re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m: values[m.group(1)], rule)


def test_every_route_enforces_its_declared_role(app: Flask) -> None:
    client = app.test_client()
    users = {role: make_user(app, f"rbac-{role.value}", role) for role in Role}
    target = make_user(app, "rbac-target", Role.VIEWER)
    checked, failures = 0, []
    for rule, meta in routes(app):
        assert meta is not None, f"{rule.rule} has no role declaration"
        if meta.role is None:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for role in ROLES:
                headers = {}
                if role is not None:  # a fresh login per call: logout revokes its own
                    headers = bearer(tokens_for(app, users[role]).access)
                r = client.open(_url(rule.rule, target.id), method=method, headers=headers,
                                json=BODIES.get(rule.endpoint))
                if role is None:
                    expected = "401"
                elif not role.allows(meta.role):
                    expected = "403"
                else:
                    expected = "allowed"
                # allowed means served: not refused, and neither missing nor crashed
                served = r.status_code not in (401, 403, 404) and r.status_code < 500
                got = "allowed" if served else str(r.status_code)
                checked += 1
                if got != expected:
                    failures.append(f"{method} {rule.rule} as {role}: {r.status_code} "
                                    f"{r.get_data(as_text=True)[:120]}")
                if got in ("401", "403"):
                    assert r.is_json and r.json["error"]
    assert not failures, "\n".join(failures)
    assert checked >= 4 * 20  # every role-declared route x method was tried


def test_matrix_covers_the_contract(app: Flask) -> None:
    declared = {(r.rule, m) for r, meta in routes(app) if meta and meta.role
                for m in (r.methods or set()) - {"HEAD", "OPTIONS"}}
    for path, method in [("/api/me", "GET"), ("/api/controls/pause", "POST"),
                         ("/api/controls/risk", "PUT"), ("/api/users", "GET"),
                         ("/api/users/<int(max=2147483647):user_id>/role", "PUT"),
                         ("/api/admin/executor/pause", "POST"), ("/api/audit", "GET")]:
        assert (path, method) in declared


def test_declared_roles_match_the_issue(app: Flask) -> None:
    role = {r.endpoint: endpoint_of(app.view_functions[r.endpoint]).role  # type: ignore[union-attr]
            for r, _ in routes(app)}
    assert role["api.prices"] == Role.VIEWER
    assert role["api.pause"] == role["api.resume"] == role["api.risk"] == Role.TRADER
    assert role["api.kill"] == role["api.check"] == Role.TRADER
    assert role["api.users"] == role["api.set_role"] == role["api.audit_log"] == Role.ADMIN
    assert role["api.executor_pause"] == role["api.executor_unpause"] == Role.ADMIN
    assert role["api.registry_dex"] == role["api.registry_feed"] == Role.ADMIN
    assert role["api.registry"] == Role.VIEWER
    assert role["api.openapi_document"] is None


SOCKET_EVENTS = {
    "subscribe": ({"streams": ["prices"]}, Role.VIEWER),
    "unsubscribe": ({"streams": ["prices"]}, Role.VIEWER),
    "control": ({"action": "pause"}, Role.TRADER),
}


def test_every_socket_event_enforces_its_role(app: Flask) -> None:
    declared = {name.removeprefix("on_") for name in dir(LiveNamespace)
                if name.startswith("on_") and name not in ("on_connect", "on_disconnect")
                and callable(getattr(LiveNamespace, name))}
    assert declared == set(SOCKET_EVENTS)  # a new event must join this matrix
    for role in Role:
        user = make_user(app, f"sock-{role.value}", role)
        token = tokens_for(app, user).access
        sc = socketio.test_client(app, namespace="/live", auth={"token": token})
        assert sc.is_connected("/live")
        for event, (data, required) in SOCKET_EVENTS.items():
            ack = sc.emit(event, data, namespace="/live", callback=True)
            if role.allows(required):
                assert ack["ok"] is True, (role, event, ack)
            else:
                assert ack == {"ok": False, "error": "forbidden", "requires": required.value}
        assert sc.emit("undeclared", {}, namespace="/live", callback=True)["error"] == \
            "unknown_event"
        sc.disconnect(namespace="/live")


def test_unauthenticated_socket_connect_is_refused(app: Flask) -> None:
    sc = socketio.test_client(app, namespace="/live")
    assert not sc.is_connected("/live")
    sc = socketio.test_client(app, namespace="/live", auth={"token": "not-a-jwt"})
    assert not sc.is_connected("/live")
