"""Tables the keeper writes and the dashboard reads.

- `blocks`: each block the keeper processed (number, hash, pools changed, opportunities found,
  when); rows above a reorg's common ancestor are deleted when the keeper rewinds.
- `opportunities`: each sized, costed cycle (`keeper.detect.Opportunity.to_dict()`), with the
  decision taken on it ("detected" until the risk and execution stages exist). Token amounts
  are decimal strings: they exceed 64-bit integers.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, BigInteger, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class BlockRow(Base):
    __tablename__ = "blocks"

    number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hash: Mapped[str] = mapped_column(String(66))
    pools_changed: Mapped[int] = mapped_column(Integer, default=0)
    opportunities: Mapped[int] = mapped_column(Integer, default=0)
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class OpportunityRow(Base):
    __tablename__ = "opportunities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    block: Mapped[int] = mapped_column(BigInteger, index=True)
    block_hash: Mapped[str] = mapped_column(String(66))
    cycle_id: Mapped[int] = mapped_column(Integer)
    start_token: Mapped[str] = mapped_column(String(42))
    route: Mapped[list] = mapped_column(JSON)
    amount_in: Mapped[str] = mapped_column(Text)
    expected_out: Mapped[str] = mapped_column(Text)
    profit: Mapped[str] = mapped_column(Text)
    profit_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    flash_source: Mapped[str] = mapped_column(String(32))
    gas_estimate: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(32), default="detected")
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now,
                                                 index=True)
