"""The keeper's store on the real PostgreSQL of this machine (SQLite is the default)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from keeper.detect.opportunity import Opportunity, RouteHop
from keeper.store.db import KeeperDB

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_url():
    """A private schema per test run, dropped afterwards."""
    schema = f"fk_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG)
    with admin.begin() as c:
        c.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{PG}?options=-csearch_path%3D{schema}"
    with admin.begin() as c:
        c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def _opp(block: int, profit: int) -> Opportunity:
    hop = RouteHop("0x" + "1" * 40, "uniswap_v2", "0x" + "2" * 40, "0x" + "3" * 40, 3000)
    return Opportunity(1, block, "0x" + "2" * 40, (hop, hop), 10**30, 10**30 + profit, profit,
                       "balancer", 0, 150_000, 0, profit, 1.5)


def test_keeper_db__postgres__big_amounts_exact_and_reorg_forgets(pg_url):
    db = KeeperDB(pg_url)
    db.record_block(10, "0x" + "a" * 64, 2, [_opp(10, 5)])
    db.record_block(11, "0x" + "b" * 64, 1, [_opp(11, 7), _opp(11, 9)])
    rows = db.recent_opportunities()
    assert [int(r.amount_in) for r in rows] == [10**30] * 3  # beyond 64 bits, exact
    db.record_block(11, "0x" + "c" * 64, 1, [])  # block 11 again, on another branch
    assert db.block_hashes() == {10: "0x" + "a" * 64, 11: "0x" + "c" * 64}
    assert [int(r.profit) for r in db.recent_opportunities()] == [5]
