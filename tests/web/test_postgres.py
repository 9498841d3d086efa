"""The web tables, revocation list and refresh rotation on a real PostgreSQL
(127.0.0.1:5432, database `test`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from web.app import create_app
from web.auth.roles import Role
from web.store.models import WebBase
from web.testing import base_config, bearer, make_user, tokens_for

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_app(tmp_path: Any) -> Iterator[Flask]:
    engine = create_engine(PG_URL)
    with engine.connect() as c:
        c.execute(text("select 1"))  # a missing PostgreSQL is an error, not a skip
    WebBase.metadata.drop_all(engine)
    app = create_app(base_config(tmp_path, database_url=PG_URL))
    yield app
    app.extensions["flashkeeper_live"].stop()
    WebBase.metadata.drop_all(engine)
    engine.dispose()


def test_revocation_and_rotation_on_postgresql(pg_app: Flask) -> None:
    client = pg_app.test_client()
    user = make_user(pg_app, "pg-user", Role.TRADER)
    pair = tokens_for(pg_app, user)
    assert client.post("/api/controls/pause", headers=bearer(pair.access)).status_code == 200
    rotated = client.post("/auth/refresh", headers=bearer(pair.refresh))
    assert rotated.status_code == 200
    assert client.post("/auth/refresh", headers=bearer(pair.refresh)).status_code == 401
    assert client.get("/api/me", headers=bearer(rotated.json["access_token"])).status_code == 401
    other = tokens_for(pg_app, user)
    assert client.post("/auth/logout", headers=bearer(other.access)).status_code == 200
    assert client.get("/api/me", headers=bearer(other.access)).status_code == 401
    engine = create_engine(PG_URL)
    with engine.connect() as c:
        revoked = c.execute(text("select count(*) from web_revoked_tokens")).scalar()
        audit = c.execute(text("select count(*) from web_audit_log where action = "
                               "'refresh_reuse'")).scalar()
    engine.dispose()
    assert revoked >= 3 and audit == 1  # jti + two families; the reuse was audited
