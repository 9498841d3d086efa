"""The database extension: one engine per app, a session per unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from keeper.store.db import check_database_url
from keeper.store.models import Base as KeeperBase
from web.store.models import WebBase


class Database:
    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["FLASHKEEPER"].database_url)
        WebBase.metadata.create_all(engine)
        KeeperBase.metadata.create_all(engine)  # the dashboard reads them before a keeper runs
        app.extensions["flashkeeper_db"] = (engine, sessionmaker(engine, expire_on_commit=False))

    @staticmethod
    def engine() -> Engine:
        return current_app.extensions["flashkeeper_db"][0]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error."""
        factory = current_app.extensions["flashkeeper_db"][1]
        with factory() as s, s.begin():
            yield s


def make_engine(url: str) -> Engine:
    check_database_url(url)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # threads of one process share the file; WAL lets readers run beside the writer
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _wal(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            dbapi_conn.execute("PRAGMA foreign_keys=ON")  # as PostgreSQL enforces them

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
