"""/auth: OAuth login and callback, token refresh (rotation), logout, API tokens."""

from __future__ import annotations

import logging

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from flask import Blueprint, current_app, jsonify, redirect
from flask_jwt_extended import (
    current_user,
    get_jwt,
    get_jwt_request_location,
    set_access_cookies,
    set_refresh_cookies,
    unset_jwt_cookies,
    verify_jwt_in_request,
)

from keeper.bus import get_bus
from web import audit, users
from web.api.schemas import Ok, TokenPairOut
from web.auth import oauth, tokens
from web.auth.rbac import public, requires
from web.auth.roles import Role
from web.errors import ApiError
from web.extensions import limiter

log = logging.getLogger("flashkeeper.web")
bp = Blueprint("auth", __name__, url_prefix="/auth")


def _settings():  # type: ignore[no-untyped-def]
    return current_app.config["FLASHKEEPER"]


def _login_rate() -> str:
    return _settings().rate_login


def _refresh_rate() -> str:
    return _settings().rate_refresh


def _unreachable(provider: str, e: requests.RequestException) -> ApiError:
    # the exception's text names the URL only, but its type is all an operator needs here
    log.warning("%s login service unreachable: %s", provider, type(e).__name__)
    return ApiError(502, "provider_unreachable",
                    f"the {provider} login service did not answer: try again later")


def _client(provider: str):  # type: ignore[no-untyped-def]
    client = oauth.client(provider)
    if client is None:
        raise ApiError(404, "unknown_provider", f"login provider {provider!r} is not configured")
    return client


@bp.get("/providers")
@public(summary="Configured login providers")
def providers():  # type: ignore[no-untyped-def]
    return jsonify(providers=_settings().providers)


@bp.get("/login/<any(github, google, standin):provider>")
@limiter.limit(_login_rate)
@public(summary="Start the OAuth2 authorization-code flow (redirects to the provider)")
def login(provider: str):  # type: ignore[no-untyped-def]
    client = _client(provider)
    try:
        # the redirect URI is the configured one, never derived from the request's Host
        return client.authorize_redirect(_settings().redirect_uri(provider))
    except requests.RequestException as e:  # OIDC discovery: the provider is down
        raise _unreachable(provider, e) from e


@bp.get("/callback/<any(github, google, standin):provider>")
@limiter.limit(_login_rate)
@public(summary="OAuth2 callback: checks state, PKCE and the id_token; sets the cookies")
def callback(provider: str):  # type: ignore[no-untyped-def]
    client = _client(provider)
    try:
        token = client.authorize_access_token()  # the redirect URI saved with the state
        identity = oauth.profile(provider, client, token)
    except MismatchingStateError as e:
        log.warning("state mismatch: %s", e)
        audit.record("login", "denied", detail={"provider": provider, "why": "state mismatch"})
        raise ApiError(400, "state_mismatch", "OAuth state mismatch: start the login again") \
            from e
    except (OAuthError, KeyError, ValueError) as e:  # first: a non-JSON answer is one too
        log.warning("%s login failed: %s: %s", provider, type(e).__name__, e)
        audit.record("login", "failed", detail={"provider": provider,
                                               "why": type(e).__name__})
        raise ApiError(400, "oauth_failed", "the provider did not complete the login") from e
    except requests.RequestException as e:  # its token or user endpoint did not answer
        audit.record("login", "failed", detail={"provider": provider, "why": "unreachable"})
        raise _unreachable(provider, e) from e
    user = users.upsert_from_login(_settings(), identity)
    pair = tokens.issue_pair(user)
    audit.record("login", user=user, detail={"provider": provider, "role": user.role})
    response = redirect(f"{_settings().public_url}/")
    set_access_cookies(response, pair.access)
    set_refresh_cookies(response, pair.refresh)
    return response


@bp.post("/refresh")
@limiter.limit(_refresh_rate)
@public(summary="Rotate the refresh token: a new access/refresh pair; reuse revokes the family",
        refresh=True)
def refresh():  # type: ignore[no-untyped-def]
    verify_jwt_in_request(refresh=True)
    user, claims = current_user, get_jwt()
    try:
        pair = tokens.rotate(user, claims)
    except tokens.RefreshReused as e:
        audit.record("refresh_reuse", "denied", user=user, detail={"family": e.family[:8]})
        _disconnect(user.id, "refresh_reuse")
        response = jsonify(error="token_reused",
                           message="refresh token reused: every session of this login ended")
        unset_jwt_cookies(response)
        return response, 401
    audit.record("refresh", user=user)
    return _pair_response(pair, get_jwt_request_location() == "cookies")


@bp.post("/token")
@limiter.limit(_refresh_rate)
@requires(Role.VIEWER, summary="Issue a Bearer token pair for API clients (new login family)",
          response=TokenPairOut)
def api_token():  # type: ignore[no-untyped-def]
    pair = tokens.issue_pair(current_user)
    audit.record("api_token_issued")
    return _pair_response(pair, cookies=False)


@bp.post("/logout")
@requires(Role.VIEWER, summary="Revoke this login (every token of its family) and close the "
          "user's sockets", response=Ok)
def logout():  # type: ignore[no-untyped-def]
    claims = get_jwt()
    tokens.revoke_token(claims)
    if "fam" in claims:
        tokens.revoke_family(claims["fam"], "logout")
    audit.record("logout")
    _disconnect(current_user.id, "logout")
    response = jsonify(ok=True)
    unset_jwt_cookies(response)
    return response


def _disconnect(user_id: int, event: str) -> None:
    get_bus(_settings().redis_url).publish("session", {"event": event, "user_id": user_id})


def _pair_response(pair: tokens.TokenPair, cookies: bool):  # type: ignore[no-untyped-def]
    expires = _settings().access_minutes * 60
    if cookies:
        response = jsonify(ok=True, expires_in=expires)
        set_access_cookies(response, pair.access)
        set_refresh_cookies(response, pair.refresh)
        return response
    return jsonify(access_token=pair.access, refresh_token=pair.refresh, token_type="Bearer",
                   expires_in=expires)
