"""The revocation list: token ids (jti) and whole token families, each kept until the latest
token it covers would have expired anyway. Database by default, Redis when configured."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

import redis
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from web.store.models import RevokedToken

REDIS_PREFIX = "flashkeeper:revoked:"


class RevocationList(Protocol):
    def revoke(self, key: str, expires_at: datetime) -> None: ...

    def any_revoked(self, keys: list[str]) -> bool: ...


def jti_key(jti: str) -> str:
    return f"jti:{jti}"


def family_key(family: str) -> str:
    return f"fam:{family}"


class DatabaseRevocations:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def revoke(self, key: str, expires_at: datetime) -> None:
        with self._sessions() as s, s.begin():
            s.merge(RevokedToken(key=key, expires_at=expires_at))
            # entries past their expiry protect nothing: the signature check refuses the token
            s.execute(delete(RevokedToken).where(RevokedToken.expires_at < datetime.now(UTC)))

    def any_revoked(self, keys: list[str]) -> bool:
        with self._sessions() as s:
            return s.scalar(select(RevokedToken.key).where(RevokedToken.key.in_(keys))
                            .limit(1)) is not None


class RedisRevocations:
    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url)

    def revoke(self, key: str, expires_at: datetime) -> None:
        ttl = max(1, int((expires_at - datetime.now(UTC)).total_seconds()) + 1)
        self._redis.set(REDIS_PREFIX + key, b"1", ex=ttl)

    def any_revoked(self, keys: list[str]) -> bool:
        return bool(self._redis.exists(*[REDIS_PREFIX + k for k in keys]))
