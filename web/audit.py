"""The audit log: every auth event and control action, with who, what, when and from where.
Never a token, a code or a secret: callers pass only ids and the changed values."""

from __future__ import annotations

import logging
from typing import Any

from flask import has_request_context, request
from flask_jwt_extended import get_current_user
from sqlalchemy import select

from web.extensions import db
from web.store.models import AuditEntry, User

log = logging.getLogger("flashkeeper.audit")

FORBIDDEN_KEYS = ("token", "code", "secret", "password", "key", "verifier", "state")


def record(action: str, outcome: str = "ok", *, target: str | None = None,
           detail: dict[str, Any] | None = None, user: User | None = None) -> None:
    detail = {k: v for k, v in (detail or {}).items()
              if not any(word in k.lower() for word in FORBIDDEN_KEYS)}
    if user is None and has_request_context():
        try:
            user = get_current_user()  # set when the request carried a verified token
        except RuntimeError:
            user = None
    ip = ua = None
    if has_request_context():
        ip = request.remote_addr
        ua = (request.user_agent.string or "")[:512] or None
    entry = AuditEntry(actor_id=getattr(user, "id", None), actor=getattr(user, "login", None),
                       action=action, outcome=outcome, target=target, detail=detail, ip=ip,
                       user_agent=ua)
    with db.session() as s:
        s.add(entry)
    log.info("audit %s %s actor=%s target=%s ip=%s", action, outcome, entry.actor, target, ip)


def recent(limit: int) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
