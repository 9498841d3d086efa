from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from web.app import create_app
from web.auth.roles import Role
from web.testing import base_config, make_user, tokens_for


@pytest.fixture
def config(tmp_path: Any) -> dict[str, Any]:
    return base_config(tmp_path)


@pytest.fixture
def app(config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(config)
    yield app
    app.extensions["flashkeeper_live"].stop()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def tokens(app: Flask) -> dict[str, str]:
    """An access token per role (a fresh login family each)."""
    out = {}
    for role in Role:
        user = make_user(app, f"{role.value}-user", role)
        out[role.value] = tokens_for(app, user).access
    return out
