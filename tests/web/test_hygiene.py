"""Rate limits, CORS allow-list, security headers, validation and error bodies, SPA serving."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from web.app import create_app
from web.auth.roles import Role
from web.testing import base_config, bearer, make_user, tokens_for

ALLOWED = "https://dash.example.test"


@pytest.fixture
def config(tmp_path: Any) -> dict[str, Any]:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><html><body><div id=root></div>"
                                     "<script src=/assets/app.js></script></body></html>")
    (dist / "assets" / "app.js").write_text("console.log('dashboard')")
    return base_config(tmp_path, cors_origins=[ALLOWED], rate_refresh="3 per minute",
                       rate_login="2 per minute", frontend_dist=dist)


def test_refresh_is_rate_limited(app: Flask) -> None:
    client = app.test_client()
    codes = [client.post("/auth/refresh", headers=bearer("x.y.z")).status_code
             for _ in range(5)]
    assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429]
    r = client.post("/auth/refresh")
    assert r.status_code == 429 and r.json["error"] == "too_many_requests"
    assert "Retry-After" in r.headers


def test_login_is_rate_limited(config: dict[str, Any]) -> None:
    # GitHub's login redirects without asking the provider anything (no OIDC discovery), so
    # every call is served until the limit
    app = create_app({**config, "github_client_id": "gh-client",
                      "github_client_secret": "gh-secret-" + "x" * 24})
    client = app.test_client()
    codes = [client.get("/auth/login/github").status_code for _ in range(3)]
    assert codes == [302, 302, 429], codes  # the configured 2 per minute
    app.extensions["flashkeeper_live"].stop()


def test_api_is_rate_limited(tmp_path: Any) -> None:
    app = create_app(base_config(tmp_path, rate_api="4 per minute"))
    token = tokens_for(app, make_user(app, "busy", Role.VIEWER)).access
    client = app.test_client()
    codes = [client.get("/api/controls", headers=bearer(token)).status_code for _ in range(6)]
    assert codes == [200] * 4 + [429] * 2
    app.extensions["flashkeeper_live"].stop()


def test_cors_allows_only_listed_origins(app: Flask, tokens: dict) -> None:
    client = app.test_client()
    r = client.get("/api/controls", headers={**bearer(tokens["viewer"]), "Origin": ALLOWED})
    assert r.headers.get("Access-Control-Allow-Origin") == ALLOWED
    assert r.headers.get("Access-Control-Allow-Credentials") == "true"
    r = client.get("/api/controls", headers={**bearer(tokens["viewer"]),
                                             "Origin": "https://evil.example"})
    assert r.status_code == 200  # CORS is enforced by the browser, from the missing header
    assert "Access-Control-Allow-Origin" not in r.headers
    r = client.options("/api/controls/pause", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in r.headers
    r = client.options("/api/controls/pause", headers={
        "Origin": ALLOWED, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "X-CSRF-TOKEN"})
    assert r.headers.get("Access-Control-Allow-Origin") == ALLOWED


def test_security_headers_on_every_response(app: Flask, tokens: dict) -> None:
    client = app.test_client()
    for r in (client.get("/"), client.get("/api/me", headers=bearer(tokens["viewer"])),
              client.get("/api/me")):
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in r.headers["Content-Security-Policy"]
        assert r.headers["Strict-Transport-Security"].startswith("max-age=")
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_bodies_are_validated(app: Flask, tokens: dict) -> None:
    client = app.test_client()
    trader = bearer(tokens["trader"])
    r = client.put("/api/controls/risk", headers=trader,
                   json={"min_profit_usd": -1, "max_gas_gwei": 50, "max_trade_usd": 1})
    assert r.status_code == 422 and r.json["details"][0]["loc"] == ["min_profit_usd"]
    assert "input" not in r.json["details"][0]  # refused values are not echoed
    r = client.put("/api/controls/risk", headers=trader,
                   json={"min_profit_usd": 1, "max_gas_gwei": 50, "max_trade_usd": 1,
                         "unexpected": True})
    assert r.status_code == 422
    r = client.put("/api/controls/risk", headers=trader, data="not json",
                   content_type="application/json")
    assert r.status_code == 400
    r = client.post("/api/controls/kill", headers=trader, json={"confirm": "yes"})
    assert r.status_code == 422
    assert client.get("/api/controls", headers=trader).json["kill_switch"] is False
    r = client.get("/api/opportunities?limit=100000", headers=trader)
    assert r.status_code == 422


def test_oversized_body_is_refused(app: Flask, tokens: dict) -> None:
    r = app.test_client().put("/api/controls/risk", headers=bearer(tokens["trader"]),
                              data="x" * (128 * 1024), content_type="application/json")
    assert r.status_code == 413 and r.is_json


def test_unexpected_errors_are_json_without_a_stack_trace(tmp_path: Any) -> None:
    app = create_app(base_config(tmp_path))

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals at /work/main/web/app.py line 1")

    r = app.test_client().get("/boom")
    assert r.status_code == 500 and r.json == {"error": "internal",
                                               "message": "internal server error"}
    assert b"Traceback" not in r.data and b"secret" not in r.data
    app.extensions["flashkeeper_live"].stop()


def test_every_api_route_needs_a_declaration(tmp_path: Any) -> None:
    from web.app import UndeclaredRoute, _check_declarations

    app = create_app(base_config(tmp_path))

    @app.get("/api/forgotten")
    def forgotten() -> str:
        return "no role declared"

    with pytest.raises(UndeclaredRoute, match="/api/forgotten"):
        _check_declarations(app)
    app.extensions["flashkeeper_live"].stop()


def test_spa_is_served_with_client_side_routing(app: Flask) -> None:
    client = app.test_client()
    assert b"id=root" in client.get("/").data
    assert b"id=root" in client.get("/opportunities/42").data  # SPA fallback
    assert client.get("/assets/app.js").data == b"console.log('dashboard')"
    r = client.get("/api/nope")
    assert r.status_code == 404 and r.is_json


def test_without_a_build_a_notice_is_served(tmp_path: Any) -> None:
    app = create_app(base_config(tmp_path, frontend_dist=tmp_path / "missing"))
    assert b"front end not built" in app.test_client().get("/").data
    app.extensions["flashkeeper_live"].stop()


def test_audit_records_auth_events_and_control_actions(app: Flask, tokens: dict) -> None:
    client = app.test_client()
    client.post("/api/controls/pause", headers=bearer(tokens["trader"]),
                environ_base={"REMOTE_ADDR": "10.1.2.3"})
    client.put("/api/controls/risk", headers=bearer(tokens["trader"]),
               json={"min_profit_usd": 3, "max_gas_gwei": 40, "max_trade_usd": 900})
    client.post("/auth/logout", headers=bearer(tokens["viewer"]))
    items = client.get("/api/audit?limit=10", headers=bearer(tokens["admin"])).json["items"]
    by_action = {i["action"]: i for i in items}
    assert by_action["keeper_pause"]["actor"] == "trader-user"
    assert by_action["keeper_pause"]["ip"] == "10.1.2.3"
    assert by_action["risk_update"]["detail"]["after"]["max_trade_usd"] == 900
    assert by_action["logout"]["actor"] == "viewer-user"
    text = str(items)
    assert tokens["viewer"] not in text and "eyJ" not in text  # no token in the log
