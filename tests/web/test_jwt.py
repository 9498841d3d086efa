"""JWT attacks are 401s; refresh rotation detects reuse; CSRF double-submit for cookies."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt as pyjwt
from flask import Flask
from flask.testing import FlaskClient
from flask_jwt_extended import create_access_token

from web.auth.roles import Role
from web.auth.tokens import ACCESS_COOKIE, REFRESH_COOKIE
from web.testing import bearer, make_user, tokens_for


def _b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def _claims(app: Flask, token: str) -> dict:
    return pyjwt.decode(token, options={"verify_signature": False})


def test_valid_token_is_accepted(app: Flask, client: FlaskClient, tokens: dict) -> None:
    r = client.get("/api/me", headers=bearer(tokens["viewer"]))
    assert r.status_code == 200
    assert r.json["login"] == "viewer-user" and r.json["role"] == "viewer"


def test_alg_none_is_refused(app: Flask, client: FlaskClient, tokens: dict) -> None:
    claims = _claims(app, tokens["admin"])
    forged = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    r = client.get("/api/me", headers=bearer(forged))
    assert r.status_code == 401 and r.json["error"] == "token_invalid"


def test_wrong_key_is_refused(app: Flask, client: FlaskClient, tokens: dict) -> None:
    claims = _claims(app, tokens["admin"])
    forged = pyjwt.encode(claims, "an-attacker-key-that-is-long-enough-for-hs256!!", "HS256")
    r = client.get("/api/me", headers=bearer(forged))
    assert r.status_code == 401 and r.json["error"] == "token_invalid"


def test_other_algorithm_with_the_right_key_is_refused(app: Flask, client: FlaskClient,
                                                       tokens: dict) -> None:
    claims = _claims(app, tokens["admin"])
    key = app.config["JWT_SECRET_KEY"]
    forged = pyjwt.encode(claims, key, "HS512")  # the algorithm is pinned to HS256
    assert client.get("/api/me", headers=bearer(forged)).status_code == 401


def test_tampered_role_claim_has_no_effect(app: Flask, client: FlaskClient,
                                           tokens: dict) -> None:
    # roles come from the database, not the token: adding a claim grants nothing
    with app.app_context():
        user = make_user(app, "claims", Role.VIEWER)
        token = create_access_token(identity=str(user.id), additional_claims={"role": "admin"})
    assert client.get("/api/users", headers=bearer(token)).status_code == 403


def test_expired_token_is_refused(app: Flask, client: FlaskClient) -> None:
    user = make_user(app, "old", Role.ADMIN)
    with app.app_context():
        token = create_access_token(identity=str(user.id), expires_delta=timedelta(seconds=-1))
    r = client.get("/api/me", headers=bearer(token))
    assert r.status_code == 401 and r.json["error"] == "token_expired"


def test_access_token_lives_15_minutes(app: Flask, tokens: dict) -> None:
    claims = _claims(app, tokens["viewer"])
    assert claims["exp"] - claims["iat"] == 15 * 60


def test_revoked_token_is_refused_after_logout(app: Flask, client: FlaskClient) -> None:
    user = make_user(app, "leaving", Role.TRADER)
    pair = tokens_for(app, user)
    assert client.post("/auth/logout", headers=bearer(pair.access)).status_code == 200
    r = client.get("/api/me", headers=bearer(pair.access))
    assert r.status_code == 401 and r.json["error"] == "token_revoked"
    # the login's refresh token died with it
    assert client.post("/auth/refresh", headers=bearer(pair.refresh)).status_code == 401


def test_refresh_rotates_and_reuse_revokes_the_family(app: Flask, client: FlaskClient) -> None:
    user = make_user(app, "rotating", Role.VIEWER)
    first = tokens_for(app, user)
    r = client.post("/auth/refresh", headers=bearer(first.refresh))
    assert r.status_code == 200
    second = r.json
    assert second["refresh_token"] != first.refresh
    assert client.get("/api/me", headers=bearer(second["access_token"])).status_code == 200
    # an attacker replays the spent refresh token
    r = client.post("/auth/refresh", headers=bearer(first.refresh))
    assert r.status_code == 401 and r.json["error"] == "token_reused"
    # ... and every token of that login is dead, the legitimate user's newest included
    assert client.post("/auth/refresh", headers=bearer(second["refresh_token"])).status_code \
        == 401
    assert client.get("/api/me", headers=bearer(second["access_token"])).status_code == 401
    # another login of the same user is untouched
    other = tokens_for(app, user)
    assert client.get("/api/me", headers=bearer(other.access)).status_code == 200


def test_access_token_cannot_refresh_and_refresh_token_cannot_call_the_api(
        app: Flask, client: FlaskClient) -> None:
    pair = tokens_for(app, make_user(app, "mixup", Role.ADMIN))
    assert client.post("/auth/refresh", headers=bearer(pair.access)).status_code == 401
    assert client.get("/api/me", headers=bearer(pair.refresh)).status_code == 401


def test_token_of_a_deleted_user_is_refused(app: Flask, client: FlaskClient) -> None:
    from web.extensions import db
    from web.store.models import User

    user = make_user(app, "ghost", Role.ADMIN)
    pair = tokens_for(app, user)
    with app.app_context(), db.session() as s:
        s.delete(s.get(User, user.id))
    assert client.get("/api/me", headers=bearer(pair.access)).status_code == 401


def _cookie_client(app: Flask, role: Role) -> tuple[FlaskClient, str]:
    client = app.test_client()
    pair = tokens_for(app, make_user(app, f"cookie-{role.value}", role))
    client.set_cookie(ACCESS_COOKIE, pair.access, secure=True, httponly=True)
    client.set_cookie(REFRESH_COOKIE, pair.refresh, secure=True, httponly=True)
    csrf = _claims(app, pair.access)["csrf"]
    client.set_cookie("csrf_access_token", csrf, secure=True)
    return client, csrf


def test_cookie_auth_needs_the_csrf_header_on_mutations(app: Flask) -> None:
    client, csrf = _cookie_client(app, Role.TRADER)
    assert client.get("/api/controls").status_code == 200  # reads need no CSRF header
    r = client.post("/api/controls/pause")
    assert r.status_code == 401 and "CSRF" in r.json["message"]
    r = client.post("/api/controls/pause", headers={"X-CSRF-TOKEN": "guess"})
    assert r.status_code == 401
    r = client.post("/api/controls/pause", headers={"X-CSRF-TOKEN": csrf})
    assert r.status_code == 200 and r.json["paused"] is True


def test_browser_login_cookies_are_host_prefixed_httponly_secure_strict(app: Flask) -> None:
    user = make_user(app, "browser", Role.VIEWER)
    pair = tokens_for(app, user)
    client = app.test_client()
    r = client.post("/auth/refresh", headers={"Authorization": f"Bearer {pair.refresh}"})
    assert r.status_code == 200 and "Set-Cookie" not in r.headers  # API clients: JSON only
    client.set_cookie(REFRESH_COOKIE, r.json["refresh_token"], secure=True)
    csrf = _claims(app, r.json["refresh_token"])["csrf"]
    r = client.post("/auth/refresh", headers={"X-CSRF-TOKEN": csrf})
    assert r.status_code == 200
    cookies = {c.split("=", 1)[0]: c for c in r.headers.getlist("Set-Cookie")}
    for name in (ACCESS_COOKIE, REFRESH_COOKIE):
        attrs = cookies[name].lower()
        assert "httponly" in attrs and "secure" in attrs and "samesite=strict" in attrs
        assert "path=/" in attrs and "domain=" not in attrs
    assert "httponly" not in cookies["csrf_access_token"].lower()  # the SPA reads it
