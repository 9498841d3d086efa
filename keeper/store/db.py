"""The keeper's writer: one short transaction per block."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import create_engine, delete, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session

from keeper.detect.opportunity import Opportunity
from keeper.errors import ConfigError
from keeper.store.models import Base, BlockRow, OpportunityRow


def check_database_url(url: str) -> None:
    """ConfigError unless SQLAlchemy can use `url`: it parses, and its dialect and driver are
    installed. The message never repeats the URL, which may carry a password."""
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018 (a port that is not a number raises here, naming it)
    except (ArgumentError, ValueError):  # ValueError's message may be the password itself
        raise ConfigError("the database URL is not one SQLAlchemy can parse "
                          "(dialect+driver://user:password@host/database)") from None
    try:
        # the dialect, then its driver's module: get_dialect alone passes mysql:// here
        parsed.get_dialect().import_dbapi()
    except (NoSuchModuleError, ImportError):
        raise ConfigError(f"the database URL names {parsed.drivername!r}, a dialect or driver "
                          "this installation does not have (sqlite, postgresql+psycopg)") from None


def make_engine(url: str) -> Engine:
    check_database_url(url)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url, pool_pre_ping=True)


class KeeperDB:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        Base.metadata.create_all(self.engine)

    def record_block(self, number: int, block_hash: str, pools_changed: int,
                     opportunities: Sequence[Opportunity]) -> None:
        with Session(self.engine) as s, s.begin():
            # idempotent, and reorg-safe: this block and any recorded above it (a branch the
            # chain dropped) are replaced by what this block says
            s.execute(delete(OpportunityRow).where(OpportunityRow.block >= number))
            s.execute(delete(BlockRow).where(BlockRow.number > number))
            s.merge(BlockRow(number=number, hash=block_hash, pools_changed=pools_changed,
                             opportunities=len(opportunities)))
            for o in opportunities:
                d = o.to_dict()
                s.add(OpportunityRow(
                    block=number, block_hash=block_hash, cycle_id=o.cycle_id,
                    start_token=o.start_token, route=d["route"], amount_in=d["amount_in"],
                    expected_out=d["expected_out"], profit=d["profit"],
                    profit_usd=o.profit_usd, flash_source=o.flash_source,
                    gas_estimate=o.gas_estimate))

    def forget_above(self, number: int) -> None:
        """A reorg: blocks above the common ancestor never happened."""
        with Session(self.engine) as s, s.begin():
            s.execute(delete(OpportunityRow).where(OpportunityRow.block > number))
            s.execute(delete(BlockRow).where(BlockRow.number > number))

    def recent_opportunities(self, limit: int = 50) -> list[OpportunityRow]:
        with Session(self.engine) as s:
            rows = s.scalars(select(OpportunityRow).order_by(OpportunityRow.id.desc())
                             .limit(limit)).all()
            s.expunge_all()
            return list(rows)

    def block_hashes(self) -> dict[int, str]:
        with Session(self.engine) as s:
            return {n: h for n, h in s.execute(select(BlockRow.number, BlockRow.hash))}
