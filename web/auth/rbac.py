"""Role checks from ONE declaration per endpoint.

    @bp.get("/controls")
    @requires(Role.VIEWER, response=Controls)
    def controls(): ...

`requires` authenticates (JWT from header or cookie, CSRF for cookies on mutating methods),
checks the role, validates the body/query with pydantic and records the declaration for the
OpenAPI document; `public` marks the few routes that need no token. `create_app` refuses to
start when an /api or /auth route carries neither (deny by default). Socket.IO events use
`on_event(role)` the same way; the namespace refuses any event without one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import request
from flask_jwt_extended import current_user, verify_jwt_in_request
from pydantic import BaseModel

from web.auth.roles import Role
from web.errors import ApiError

F = TypeVar("F", bound=Callable[..., Any])
META = "_flashkeeper_endpoint"


@dataclass(frozen=True)
class Endpoint:
    role: Role | None  # None: public
    summary: str = ""
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    refresh: bool = False  # authenticates with the refresh token instead
    auth_optional: bool = False


def endpoint_of(view: Callable[..., Any]) -> Endpoint | None:
    return getattr(view, META, None)


def requires(role: Role, *, summary: str = "", body: type[BaseModel] | None = None,
             query: type[BaseModel] | None = None, response: type[BaseModel] | None = None
             ) -> Callable[[F], F]:
    meta = Endpoint(role, summary, body, query, response)

    def decorate(fn: F) -> F:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            verify_jwt_in_request()
            user_role = Role(current_user.role)
            if not user_role.allows(role):
                raise ApiError(403, "forbidden", f"requires role {role.value}")
            _validate(meta, kwargs)
            return fn(*args, **kwargs)

        setattr(wrapper, META, meta)
        return wrapper  # type: ignore[return-value]

    return decorate


def public(*, summary: str = "", body: type[BaseModel] | None = None,
           query: type[BaseModel] | None = None, response: type[BaseModel] | None = None,
           refresh: bool = False, auth_optional: bool = False) -> Callable[[F], F]:
    """No role needed (login, callbacks, the OpenAPI document). `refresh=True`: the view
    authenticates with a refresh token itself."""
    meta = Endpoint(None, summary, body, query, response, refresh, auth_optional)

    def decorate(fn: F) -> F:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            _validate(meta, kwargs)
            return fn(*args, **kwargs)

        setattr(wrapper, META, meta)
        return wrapper  # type: ignore[return-value]

    return decorate


def _validate(meta: Endpoint, kwargs: dict[str, Any]) -> None:
    if meta.query is not None:
        kwargs["query"] = meta.query.model_validate(request.args.to_dict())
    if meta.body is not None:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise ApiError(400, "invalid_body", "a JSON object body is required")
        kwargs["body"] = meta.body.model_validate(data)


# --- Socket.IO ---

SOCKET_META = "_flashkeeper_socket_role"


def on_event(role: Role) -> Callable[[F], F]:
    """Declare the role a Socket.IO event handler needs (checked by the namespace)."""

    def decorate(fn: F) -> F:
        setattr(fn, SOCKET_META, role)
        return fn

    return decorate


def socket_role_of(handler: Callable[..., Any]) -> Role | None:
    return getattr(handler, SOCKET_META, None)
