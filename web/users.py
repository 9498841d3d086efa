"""Users: created on first login (role from the admin allow-lists or the default), or by the
`flashkeeper users` command."""

from __future__ import annotations

from sqlalchemy import select

from web.auth.oauth import Profile
from web.auth.roles import Role
from web.config import WebSettings
from web.extensions import db
from web.store.models import User, now


def is_allow_listed(settings: WebSettings, profile: Profile) -> bool:
    logins = {x.lower() for x in settings.admin_logins}
    emails = {x.lower() for x in settings.admin_emails}
    return (f"{profile.provider}:{profile.login}".lower() in logins
            or (profile.email is not None and profile.email.lower() in emails))


def upsert_from_login(settings: WebSettings, profile: Profile) -> User:
    with db.session() as s:
        user = s.scalar(select(User).where(User.provider == profile.provider,
                                           User.subject == profile.subject))
        if user is None:
            # an operator may have created the account beforehand (`flashkeeper users add`)
            user = s.scalar(select(User).where(User.provider == profile.provider,
                                               User.subject == f"login:{profile.login}"))
        if user is None:
            user = User(provider=profile.provider, subject=profile.subject,
                        login=profile.login, role=settings.default_role.value)
            s.add(user)
        user.subject = profile.subject
        user.login, user.email, user.name = profile.login, profile.email, profile.name
        if is_allow_listed(settings, profile):
            user.role = Role.ADMIN.value
        user.last_login_at = now()
        s.flush()
        return user


def add_user(login: str, role: Role, provider: str = "github", email: str | None = None
             ) -> User:
    """Pre-create (or re-role) an account; it binds to the provider's id at first login."""
    with db.session() as s:
        user = s.scalar(select(User).where(User.provider == provider, User.login == login))
        if user is None:
            user = User(provider=provider, subject=f"login:{login}", login=login, email=email,
                        role=role.value)
            s.add(user)
        else:
            user.role = role.value
        s.flush()
        return user


def all_users() -> list[User]:
    with db.session() as s:
        return list(s.scalars(select(User).order_by(User.id)))
