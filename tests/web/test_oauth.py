"""The OAuth2 login end to end over real HTTP, against the stand-in provider: authorization
code + PKCE + state + OIDC id_token (stand-in and Google shapes) and the GitHub REST shape."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from flask import Flask

from web.app import create_app
from web.audit import recent
from web.auth.tokens import ACCESS_COOKIE, REFRESH_COOKIE
from web.testing import LocalhostBrowser, base_config, listening, port_of, serving


@pytest.fixture
def live(tmp_path: Any) -> Iterator[tuple[Flask, str]]:
    with listening() as sock:
        base = f"http://127.0.0.1:{port_of(sock)}"
        app = create_app(base_config(
            tmp_path, public_url=base, admin_logins=["standin:alice"],
            github_client_id="gh-client", github_client_secret="gh-secret-" + "x" * 24,
            github_oauth_base=f"{base}/standin", github_api_base=f"{base}/standin/github/",
            google_client_id="google-client", google_client_secret="google-secret-" + "y" * 20,
            google_metadata_url=f"{base}/standin/.well-known/openid-configuration"))
        with serving(app, sock) as url:
            yield app, url
        app.extensions["flashkeeper_live"].stop()


def browser() -> requests.Session:
    return LocalhostBrowser()


def sign_in(s: requests.Session, base: str, provider: str, login: str,
            tamper_state: bool = False) -> requests.Response:
    r = s.get(f"{base}/auth/login/{provider}", allow_redirects=False)
    assert r.status_code == 302
    authorize = r.headers["Location"]
    query = parse_qs(urlparse(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["redirect_uri"] == [f"{base}/auth/callback/{provider}"]
    page = s.get(authorize)
    assert page.status_code == 200
    form_token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
    r = s.post(authorize, data={"form_token": form_token, "login": login,
                                "email": f"{login}@example.test", "name": login.title()},
               allow_redirects=False)
    assert r.status_code == 302
    callback = r.headers["Location"]
    assert callback.startswith(f"{base}/auth/callback/{provider}?")
    if tamper_state:
        callback = re.sub(r"state=[^&]+", "state=forged", callback)
    return s.get(callback, allow_redirects=False)


@pytest.mark.parametrize("provider", ["standin", "github", "google"])
def test_login_sets_cookies_and_the_api_knows_the_user(live: tuple[Flask, str],
                                                       provider: str) -> None:
    _, base = live
    s = browser()
    r = sign_in(s, base, provider, "bob")
    assert r.status_code == 302 and r.headers["Location"] == f"{base}/"
    set_cookies = " ".join(r.raw.headers.getlist("Set-Cookie")).lower()
    assert f"{ACCESS_COOKIE.lower()}=" in set_cookies and f"{REFRESH_COOKIE.lower()}=" in \
        set_cookies
    me = s.get(f"{base}/api/me")
    assert me.status_code == 200
    assert me.json()["login"] == "bob" and me.json()["role"] == "viewer"
    assert me.json()["email"] == "bob@example.test"


def test_allow_listed_login_becomes_admin(live: tuple[Flask, str]) -> None:
    _, base = live
    s = browser()
    assert sign_in(s, base, "standin", "alice").status_code == 302
    assert s.get(f"{base}/api/me").json()["role"] == "admin"
    assert s.get(f"{base}/api/users").status_code == 200


def test_state_mismatch_is_rejected(live: tuple[Flask, str]) -> None:
    _, base = live
    s = browser()
    r = sign_in(s, base, "standin", "mallory", tamper_state=True)
    assert r.status_code == 400 and r.json()["error"] == "state_mismatch"
    assert s.get(f"{base}/api/me").status_code == 401
    audit_denied = [c for c in s.cookies if c.name == ACCESS_COOKIE]
    assert audit_denied == []


def test_callback_without_a_started_login_is_rejected(live: tuple[Flask, str]) -> None:
    _, base = live
    r = browser().get(f"{base}/auth/callback/standin?code=abc&state=xyz",
                      allow_redirects=False)
    assert r.status_code == 400


def _authorize(base: str, **overrides: str) -> requests.Response:
    params = {"response_type": "code", "client_id": "flashkeeper-dashboard",
              "redirect_uri": f"{base}/auth/callback/standin", "scope": "openid email",
              "state": "s", "nonce": "n", "code_challenge": "x" * 43,
              "code_challenge_method": "S256"}
    params.update(overrides)
    return requests.get(f"{base}/standin/authorize?{urlencode(params)}", allow_redirects=False)


def test_provider_matches_redirect_uris_exactly_and_requires_pkce(
        live: tuple[Flask, str]) -> None:
    _, base = live
    assert _authorize(base).status_code == 200
    for bad in (f"{base}/auth/callback/standin/", f"{base}/auth/callback/github",
                "http://evil.example/auth/callback/standin"):
        assert _authorize(base, redirect_uri=bad).status_code == 400
    for pkce in ({"code_challenge": "", "code_challenge_method": ""},
                 {"code_challenge_method": "plain"}):
        r = _authorize(base, **pkce)
        assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_unknown_provider_is_404(live: tuple[Flask, str]) -> None:
    _, base = live
    assert requests.get(f"{base}/auth/login/facebook", allow_redirects=False).status_code == 404


def test_login__provider_unreachable__clear_502_without_internals(
        tmp_path: Any, refused_port: int) -> None:
    # nothing listens on `dead`: Google's (and the stand-in's) OIDC discovery fails
    dead = f"http://127.0.0.1:{refused_port}"
    app = create_app(base_config(
        tmp_path, public_url=dead, google_client_id="google-client",
        google_client_secret="google-secret-" + "y" * 20,
        google_metadata_url=f"{dead}/.well-known/openid-configuration"))
    client = app.test_client()
    for provider in ("google", "standin"):
        r = client.get(f"/auth/login/{provider}")
        assert r.status_code == 502, (provider, r.status_code)
        assert r.json["error"] == "provider_unreachable"
        assert provider in r.json["message"] and "127.0.0.1" not in r.get_data(as_text=True)
    app.extensions["flashkeeper_live"].stop()


def test_callback__token_endpoint_unreachable__502_and_audited(
        tmp_path: Any, refused_port: int) -> None:
    # GitHub's authorize step is the browser's redirect: only the callback's code exchange
    # talks to the provider, and here nothing answers it
    dead = f"http://127.0.0.1:{refused_port}"
    app = create_app(base_config(
        tmp_path, public_url="http://127.0.0.1:9", github_client_id="gh-client",
        github_client_secret="gh-secret-" + "x" * 24, github_oauth_base=dead))
    client = app.test_client()
    r = client.get("/auth/login/github")
    assert r.status_code == 302 and r.headers["Location"].startswith(f"{dead}/authorize")
    state = parse_qs(urlparse(r.headers["Location"]).query)["state"][0]
    r = client.get(f"/auth/callback/github?{urlencode({'code': 'c0de', 'state': state})}")
    assert r.status_code == 502 and r.json["error"] == "provider_unreachable"
    assert "127.0.0.1" not in r.get_data(as_text=True)
    with app.app_context():
        entry = recent(1)[0]
        assert (entry.action, entry.outcome, entry.detail) == (
            "login", "failed", {"provider": "github", "why": "unreachable"})
    app.extensions["flashkeeper_live"].stop()
