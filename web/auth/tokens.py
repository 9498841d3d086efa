"""JWT policy: HS256 pinned, 15-minute access tokens, refresh tokens rotated on every use with
reuse detection (a spent refresh token revokes its whole family), a persisted revocation list.

Browsers get `__Host-` cookies (HttpOnly, Secure, SameSite=Strict) plus a readable CSRF cookie
for the double-submit check; API clients send `Authorization: Bearer`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app, jsonify
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from sqlalchemy import select, update

from web.auth.revocation import (
    DatabaseRevocations,
    RedisRevocations,
    RevocationList,
    family_key,
    jti_key,
)
from web.config import WebSettings
from web.extensions import db, jwt
from web.store.models import RefreshToken, TokenFamily, User, now

ACCESS_COOKIE = "__Host-access"
REFRESH_COOKIE = "__Host-refresh"
ALGORITHM = "HS256"


def configure_jwt(app: Flask, settings: WebSettings) -> None:
    app.config.update(
        JWT_SECRET_KEY=settings.jwt_key.get_secret_value(),  # type: ignore[union-attr]
        JWT_ALGORITHM=ALGORITHM,
        JWT_DECODE_ALGORITHMS=[ALGORITHM],  # "none", RS/ES confusion: refused by the decoder
        JWT_ACCESS_TOKEN_EXPIRES=timedelta(minutes=settings.access_minutes),
        JWT_REFRESH_TOKEN_EXPIRES=timedelta(days=settings.refresh_days),
        JWT_TOKEN_LOCATION=["headers", "cookies"],
        JWT_ACCESS_COOKIE_NAME=ACCESS_COOKIE,
        JWT_REFRESH_COOKIE_NAME=REFRESH_COOKIE,
        JWT_ACCESS_COOKIE_PATH="/",  # `__Host-` cookies must have Path=/ and no Domain
        JWT_REFRESH_COOKIE_PATH="/",
        JWT_COOKIE_SECURE=settings.cookie_secure,
        JWT_COOKIE_SAMESITE="Strict",
        JWT_COOKIE_DOMAIN=None,
        JWT_SESSION_COOKIE=False,
        JWT_COOKIE_CSRF_PROTECT=True,
        JWT_CSRF_IN_COOKIES=True,
        JWT_CSRF_METHODS=["POST", "PUT", "PATCH", "DELETE"],
        JWT_ACCESS_CSRF_HEADER_NAME="X-CSRF-TOKEN",
        JWT_REFRESH_CSRF_HEADER_NAME="X-CSRF-TOKEN",
        JWT_ERROR_MESSAGE_KEY="message",
        JWT_IDENTITY_CLAIM="sub",
    )
    sessions = app.extensions["flashkeeper_db"][1]
    app.extensions["flashkeeper_revocations"] = (
        RedisRevocations(settings.redis_url) if settings.redis_url
        else DatabaseRevocations(sessions))


def revocations() -> RevocationList:
    return current_app.extensions["flashkeeper_revocations"]


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    family: str


def issue_pair(user: User, family: str | None = None) -> TokenPair:
    """A new access/refresh pair; a new family (login) unless rotating within one."""
    with db.session() as s:
        if family is None:
            family = uuid.uuid4().hex
            s.add(TokenFamily(id=family, user_id=user.id))
            s.flush()  # no ORM relationship orders the inserts: the family row goes first
        claims = {"fam": family}
        access = create_access_token(identity=str(user.id), additional_claims=claims)
        refresh = create_refresh_token(identity=str(user.id), additional_claims=claims)
        decoded = decode_token(refresh)
        s.add(RefreshToken(jti=decoded["jti"], family_id=family,
                           expires_at=datetime.fromtimestamp(decoded["exp"], UTC)))
    return TokenPair(access, refresh, family)


class RefreshReused(Exception):
    """A refresh token was presented a second time: the family has been revoked."""

    def __init__(self, user_id: int, family: str) -> None:
        super().__init__(f"refresh token reuse in family {family}")
        self.user_id = user_id
        self.family = family


def rotate(user: User, claims: dict[str, Any]) -> TokenPair:
    """Spend a refresh token and issue the next pair of its family. The compare-and-set on
    `used_at` makes two concurrent uses of one token count as reuse."""
    family = claims["fam"]
    with db.session() as s:
        spent = s.execute(update(RefreshToken)
                          .where(RefreshToken.jti == claims["jti"],
                                 RefreshToken.used_at.is_(None))
                          .values(used_at=now())).rowcount
    if spent != 1:
        revoke_family(family, "refresh_reuse")
        raise RefreshReused(user.id, family)
    return issue_pair(user, family)


def revoke_family(family: str, reason: str) -> None:
    with db.session() as s:
        s.execute(update(TokenFamily).where(TokenFamily.id == family,
                                            TokenFamily.revoked_at.is_(None))
                  .values(revoked_at=now(), revoked_reason=reason))
    # covers every access and refresh token of the family for as long as any can live
    settings: WebSettings = current_app.config["FLASHKEEPER"]
    revocations().revoke(family_key(family), now() + timedelta(days=settings.refresh_days))


def revoke_token(claims: dict[str, Any]) -> None:
    revocations().revoke(jti_key(claims["jti"]), datetime.fromtimestamp(claims["exp"], UTC))


def revoke_user_sessions(user_id: int, reason: str) -> None:
    with db.session() as s:
        families = s.scalars(select(TokenFamily.id).where(TokenFamily.user_id == user_id,
                                                          TokenFamily.revoked_at.is_(None)))
        families = list(families)
    for family in families:
        revoke_family(family, reason)


# --- flask-jwt-extended callbacks: every failure is a JSON 401 without detail to exploit ---

def _unauthorized(message: str, code: str = "unauthorized"):  # type: ignore[no-untyped-def]
    return jsonify(error=code, message=message), 401


@jwt.token_in_blocklist_loader
def _is_revoked(_header: dict, payload: dict) -> bool:
    keys = [jti_key(payload["jti"])]
    if "fam" in payload:
        keys.append(family_key(payload["fam"]))
    return revocations().any_revoked(keys)


@jwt.user_lookup_loader
def _load_user(_header: dict, payload: dict) -> User | None:
    try:
        user_id = int(payload["sub"])
    except (KeyError, TypeError, ValueError):
        return None
    with db.session() as s:
        return s.get(User, user_id)


@jwt.user_lookup_error_loader
def _user_gone(_header: dict, _payload: dict):  # type: ignore[no-untyped-def]
    return _unauthorized("the token's user no longer exists", "user_unknown")


@jwt.expired_token_loader
def _expired(_header: dict, _payload: dict):  # type: ignore[no-untyped-def]
    return _unauthorized("token expired", "token_expired")


@jwt.invalid_token_loader
def _invalid(reason: str):  # type: ignore[no-untyped-def]
    return _unauthorized(f"invalid token: {reason}", "token_invalid")


@jwt.unauthorized_loader
def _missing(reason: str):  # type: ignore[no-untyped-def]
    return _unauthorized(reason, "token_missing")


@jwt.revoked_token_loader
def _revoked(_header: dict, _payload: dict):  # type: ignore[no-untyped-def]
    return _unauthorized("token revoked", "token_revoked")


@jwt.token_verification_failed_loader
def _claims_failed(_header: dict, _payload: dict):  # type: ignore[no-untyped-def]
    return _unauthorized("token claims refused", "token_invalid")
