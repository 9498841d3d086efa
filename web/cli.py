"""`flashkeeper web` (serve the dashboard) and `flashkeeper users` (accounts and roles)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

import click
from flask import Flask
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from keeper.config import LOCAL_DATABASE_URL
from web.auth.roles import Role

ROLES = click.Choice([r.value for r in Role])


@click.command("web")
@click.option("--host", default=None, help="bind address (FLASHKEEPER_WEB_HOST)")
@click.option("--port", type=int, default=None, help="port (FLASHKEEPER_WEB_PORT)")
@click.option("--threads", type=int, default=1000, show_default=True,
              help="worker threads: each open WebSocket holds one")
@click.option("--dev", is_flag=True, help="Werkzeug's development server instead of gunicorn")
@click.option("--with-keeper", is_flag=True,
              help="run the keeper daemon in this process (one machine, no Redis)")
@click.option("--worker", type=click.Choice(["gthread", "gevent"]), default=None,
              help="gunicorn worker (FLASHKEEPER_WEB_ASYNC_MODE: threading or gevent); gevent "
                   "serves many sockets with less CPU, gthread is the default")
@click.option("--fd", type=int, default=None,
              help="serve on this inherited listening TCP socket (from a supervisor, the demo or "
                   "a test) instead of binding --host/--port: no other process can take the "
                   "port between its choice and the bind")
def web(host: str | None, port: int | None, threads: int, dev: bool, with_keeper: bool,
        worker: str | None, fd: int | None) -> None:
    """Serve the dashboard: REST API, Socket.IO and the built front end."""
    from keeper.errors import FlashkeeperError
    from web.app import create_app
    from web.config import WebSettings
    from web.extensions import socketio

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if fd is not None:
        if dev or host or port:
            raise click.UsageError("--fd serves with gunicorn on that socket: not with --dev, "
                                   "--host or --port")
        host, port = inherited_address(fd)
        # gunicorn also adopts systemd's LISTEN_FDS when LISTEN_PID is this process: the same
        # descriptor twice, and the second adoption fails on the one the first closed
        for name in ("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"):
            os.environ.pop(name, None)
    overrides: dict[str, Any] = {k: v for k, v in (("host", host), ("port", port)) if v}
    if worker:
        overrides["async_mode"] = "gevent" if worker == "gevent" else "threading"
    settings = WebSettings(**overrides)
    if settings.async_mode == "gevent" and (with_keeper or dev):
        # the keeper's asyncio loop and Werkzeug's server need real threads
        raise click.UsageError("--worker gevent cannot run with --with-keeper or --dev")
    from keeper.store.db import check_database_url

    try:  # here, not in a gunicorn worker, where it would be "Worker failed to boot"
        check_database_url(settings.database_url)
    except FlashkeeperError as e:
        raise click.ClickException(str(e)) from None
    if with_keeper:  # a bad manifest stops here with its reason, not in a booting worker
        from keeper.config import KeeperSettings
        from keeper.manifest import load_manifest

        try:
            load_manifest(KeeperSettings().manifest)
        except FlashkeeperError as e:
            raise click.ClickException(f"--with-keeper: {e}") from None
    click.echo(f"dashboard on {settings.public_url} (bound to {settings.host}:{settings.port}; "
               f"login providers: {', '.join(settings.providers) or 'none configured'})")

    def factory() -> Flask:
        app = create_app(settings)
        if with_keeper:
            from web.embedded import EmbeddedKeeper

            app.extensions["flashkeeper_keeper"] = keeper = EmbeddedKeeper()
            keeper.start()
        return app

    if dev:
        socketio.run(factory(), host=settings.host, port=settings.port,
                     allow_unsafe_werkzeug=True)
        return
    bind = f"fd://{fd}" if fd is not None else f"{settings.host}:{settings.port}"
    serve(factory, bind, threads, settings.async_mode)


def inherited_address(fd: int) -> tuple[str, int]:
    """(host, port) of the listening TCP socket open on `fd`; a click error for anything else
    (a closed descriptor, a file, a socket not listening)."""
    import socket

    try:
        copy = os.dup(fd)  # inspected through a copy: the server takes `fd` itself
    except OSError as e:
        raise click.BadParameter(f"{fd} is not an open socket ({e.strerror})",
                                 param_hint="--fd") from None
    try:
        sock = socket.socket(fileno=copy)
    except OSError as e:
        os.close(copy)
        raise click.BadParameter(f"{fd} is not an open socket ({e.strerror})",
                                 param_hint="--fd") from None
    with sock:
        if sock.type != socket.SOCK_STREAM or sock.family not in (socket.AF_INET,
                                                                  socket.AF_INET6):
            raise click.BadParameter(f"{fd} is not a TCP socket", param_hint="--fd")
        if not sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
            raise click.BadParameter(f"{fd} is not listening", param_hint="--fd")
        host, port = sock.getsockname()[:2]
    return host, port


def serve(factory: Callable[[], Flask], bind: str, threads: int,
          async_mode: str = "threading") -> None:
    """gunicorn, one gthread worker, on `bind` (host:port, or fd://N): Socket.IO keeps
    per-connection state in the process, so scale out with more processes behind a sticky
    load balancer sharing the Redis queue. The app is created in the worker, after the fork:
    its bus listener and fan-out threads must live in the process that serves the sockets."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            worker = "gevent" if async_mode == "gevent" else "gthread"
            for key, value in {"bind": bind, "workers": 1, "threads": threads,
                               "worker_class": worker, "worker_connections": threads + 100,
                               "timeout": 60, "graceful_timeout": 10, "keepalive": 5,
                               "accesslog": None, "loglevel": "warning"}.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return factory()

    Server().run()


# --- users ---

class _DatabaseOnly(BaseSettings):
    """`users` needs only the database; the web keys stay out of its environment."""

    model_config = SettingsConfigDict(extra="ignore")
    database_url: str = Field(default=LOCAL_DATABASE_URL,
                              validation_alias=AliasChoices("FLASHKEEPER_WEB_DATABASE_URL",
                                                            "FLASHKEEPER_DATABASE_URL"))


def _db_app() -> Flask:
    from web.extensions import db

    app = Flask("flashkeeper-users")
    app.config["FLASHKEEPER"] = _DatabaseOnly()
    db.init_app(app)
    return app


@click.group("users")
def users() -> None:
    """Dashboard accounts and roles."""


@users.command("add")
@click.argument("login")
@click.option("--role", type=ROLES, default=Role.VIEWER.value, show_default=True)
@click.option("--provider", type=click.Choice(["github", "google", "standin"]),
              default="github", show_default=True, help="where LOGIN signs in")
@click.option("--email", default=None)
def add(login: str, role: str, provider: str, email: str | None) -> None:
    """Create an account (bound to the provider's user id at first login), or re-role it."""
    from web import audit
    from web.users import add_user

    with _db_app().app_context():
        user = add_user(login, Role(role), provider, email)
        audit.record("user_add", target=f"{provider}:{login}", detail={"role": role,
                                                                      "via": "cli"})
        click.echo(f"{user.provider}:{user.login} is {user.role} (id {user.id})")


@users.command("set-role")
@click.argument("login")
@click.argument("role", type=ROLES)
@click.option("--provider", default="github", show_default=True)
def set_role(login: str, role: str, provider: str) -> None:
    """Change an existing account's role."""
    from sqlalchemy import select

    from web import audit
    from web.extensions import db
    from web.store.models import User

    with _db_app().app_context(), db.session() as s:
        user = s.scalar(select(User).where(User.provider == provider, User.login == login))
        if user is None:
            raise click.ClickException(f"no user {provider}:{login}")
        before, user.role = user.role, Role(role).value
    with _db_app().app_context():
        audit.record("role_change", target=f"{provider}:{login}",
                     detail={"before": before, "after": role, "via": "cli"})
        click.echo(f"{provider}:{login} is now {role}")


@users.command("list")
def list_users() -> None:
    """Every account with its role."""
    from web.users import all_users

    with _db_app().app_context():
        for u in all_users():
            click.echo(f"{u.id:>4}  {u.role:<7} {u.provider}:{u.login}  {u.email or ''}")
