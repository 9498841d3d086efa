from __future__ import annotations

from flask_jwt_extended import current_user

from web.api import bp
from web.api.schemas import Me
from web.auth.rbac import requires
from web.auth.roles import Role


@bp.get("/me")
@requires(Role.VIEWER, summary="The signed-in user", response=Me)
def me() -> dict:
    u = current_user
    return {"id": u.id, "login": u.login, "email": u.email, "name": u.name, "role": u.role,
            "provider": u.provider}
