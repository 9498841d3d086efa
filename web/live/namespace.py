"""The /live namespace: token checked on connect, role checked on every event."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

from flask import request
from flask_jwt_extended import decode_token
from flask_socketio import Namespace, join_room, leave_room
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from web import audit
from web.auth.rbac import on_event, socket_role_of
from web.auth.revocation import family_key, jti_key
from web.auth.roles import Role
from web.auth.tokens import ACCESS_COOKIE, revocations
from web.extensions import db
from web.store.models import User

log = logging.getLogger("flashkeeper.live")

NAMESPACE = "/live"
Stream = Literal["prices", "opportunities", "trades", "status", "control"]


class Subscription(BaseModel):
    model_config = ConfigDict(extra="forbid")
    streams: list[Stream] = Field(min_length=1, max_length=5)


class ControlAction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["pause", "resume"]


@dataclass
class SocketSession:
    user_id: int
    login: str
    role: Role
    expires: float  # the access token's exp: the socket closes then


class LiveNamespace(Namespace):
    def __init__(self) -> None:
        super().__init__(NAMESPACE)
        self._lock = threading.Lock()
        self.sessions: dict[str, SocketSession] = {}

    # --- dispatch: deny any event that has no role declaration ---

    def trigger_event(self, event: str, *args: Any) -> Any:
        if event in ("connect", "disconnect"):
            return super().trigger_event(event, *args)
        sid = args[0] if args else None
        handler = getattr(self, f"on_{event}", None)
        role = socket_role_of(handler) if handler is not None else None
        session = self.sessions.get(sid) if sid else None
        if role is None:
            return {"ok": False, "error": "unknown_event"}
        if session is None:
            return {"ok": False, "error": "unauthorized"}
        if session.expires <= time.time():
            self.disconnect(sid, namespace=NAMESPACE)
            return {"ok": False, "error": "token_expired"}
        if not session.role.allows(role):
            return {"ok": False, "error": "forbidden", "requires": role.value}
        return super().trigger_event(event, *args)

    # --- lifecycle ---

    def on_connect(self, auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str) or not token:
            token = request.cookies.get(ACCESS_COOKIE)
        if not token:
            raise ConnectionRefusedError("authentication required")
        session = authenticate(token)
        if session is None:
            raise ConnectionRefusedError("invalid or revoked token")
        with self._lock:
            self.sessions[request.sid] = session  # type: ignore[attr-defined]

    def on_disconnect(self, reason: Any = None) -> None:
        with self._lock:
            self.sessions.pop(request.sid, None)  # type: ignore[attr-defined]

    # --- events ---

    @on_event(Role.VIEWER)
    def on_subscribe(self, data: Any = None) -> dict[str, Any]:
        try:
            sub = Subscription.model_validate(data)
        except ValidationError:
            return {"ok": False, "error": "invalid_request"}
        for stream in sub.streams:
            join_room(stream)
        return {"ok": True, "streams": sub.streams}

    @on_event(Role.VIEWER)
    def on_unsubscribe(self, data: Any = None) -> dict[str, Any]:
        try:
            sub = Subscription.model_validate(data)
        except ValidationError:
            return {"ok": False, "error": "invalid_request"}
        for stream in sub.streams:
            leave_room(stream)
        return {"ok": True, "streams": sub.streams}

    @on_event(Role.TRADER)
    def on_control(self, data: Any = None) -> dict[str, Any]:
        from web.controls import write_control  # the bus import stays out of connect paths

        try:
            action = ControlAction.model_validate(data)
        except ValidationError:
            return {"ok": False, "error": "invalid_request"}
        session = self.sessions[request.sid]  # type: ignore[attr-defined]
        with db.session() as s:
            user = s.get(User, session.user_id)
        state = write_control("paused", action.action == "pause", session.login)
        audit.record(f"keeper_{action.action}", user=user, detail={"via": "socket"})
        return {"ok": True, "controls": state}

    # --- server side ---

    def disconnect_user(self, user_id: int) -> int:
        """Close this process's sockets of one user (logout, role change)."""
        with self._lock:
            sids = [sid for sid, s in self.sessions.items() if s.user_id == user_id]
        for sid in sids:
            self.socketio.server.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)
        return len(sids)

    def disconnect_expired(self) -> int:
        now = time.time()
        with self._lock:
            sids = [sid for sid, s in self.sessions.items() if s.expires <= now]
        for sid in sids:
            self.socketio.server.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)
        return len(sids)


def authenticate(token: str) -> SocketSession | None:
    """The same checks as the REST API: signature, pinned algorithm, expiry, type, revocation,
    and a user that still exists."""
    try:
        claims = decode_token(token)
    except Exception:  # every decoding failure is the same refusal
        return None
    if claims.get("type") != "access":
        return None
    keys = [jti_key(claims["jti"])] + ([family_key(claims["fam"])] if "fam" in claims else [])
    if revocations().any_revoked(keys):
        return None
    try:
        user_id = int(claims["sub"])
    except (KeyError, TypeError, ValueError):
        return None
    with db.session() as s:
        user = s.get(User, user_id)
    if user is None:
        return None
    return SocketSession(user.id, user.login, Role(user.role), float(claims["exp"]))
