"""The state store: journal rewinds, idempotent blocks, hostile input skipped with a warning."""

from __future__ import annotations

import logging

import pytest
from eth_abi import encode

from keeper.state.events import BURN_V3, MINT_V3, SWAP_V3, SYNC, LogKey, SyncEvent, decode_log
from keeper.state.store import ParentMismatch, StateStore
from keeper.state.types import V2PoolState, V3PoolState

P2 = "0x" + "a1" * 20
P3 = "0x" + "b2" * 20
T0, T1 = "0x" + "01" * 20, "0x" + "02" * 20
H = ["0x" + f"{i:064x}" for i in range(100)]


def _store() -> StateStore:
    return StateStore([V2PoolState(P2, T0, T1, 1000, 2000),
                       V3PoolState(P3, T0, T1, 3000, 60, 2**96, 0, 10**18, {-60: 10**18,
                                                                             60: -(10**18)})])


def _raw(address: str, topics: list[str], data: bytes, block: int, index: int) -> dict:
    return {"address": address, "topics": topics, "data": "0x" + data.hex(),
            "blockNumber": hex(block), "blockHash": H[block], "logIndex": hex(index)}


def _sync(block: int, r0: int, r1: int, index: int = 0) -> SyncEvent:
    return SyncEvent(LogKey(block, H[block], index), P2, r0, r1)


def test_store__rewind__restores_every_pool_as_of_the_ancestor():
    s = _store()
    s.reset(s.states.values(), 10, H[10])
    s.apply_block(11, H[11], H[10], [_sync(11, 1100, 1900)])
    s.apply_block(12, H[12], H[11], [_sync(12, 1200, 1800), _sync(12, 1300, 1700, 1)])
    assert s.states[s_addr(P2)].reserve0 == 1300
    changed = s.rewind(10)
    assert changed == {s_addr(P2)}
    assert (s.states[s_addr(P2)].reserve0, s.states[s_addr(P2)].reserve1) == (1000, 2000)
    assert s.head == 10


def s_addr(a: str) -> str:
    from eth_utils import to_checksum_address

    return to_checksum_address(a)


def test_store__same_block_twice__is_idempotent_and_foreign_parent_refused():
    s = _store()
    s.reset(s.states.values(), 10, H[10])
    assert s.apply_block(11, H[11], H[10], [_sync(11, 5, 6)]) == {s_addr(P2)}
    assert s.apply_block(11, H[11], H[10], [_sync(11, 7, 8)]) == set()
    assert s.states[s_addr(P2)].reserve0 == 5
    with pytest.raises(ParentMismatch):
        s.apply_block(12, H[12], H[99], [])  # parent is not the held block 11
    with pytest.raises(ParentMismatch):
        s.apply_block(11, H[50], H[10], [])  # another block 11: the caller must rewind first


def test_v3_events__swap_mint_burn__update_price_ticks_and_active_liquidity():
    s = _store()
    s.reset(s.states.values(), 1, H[1])
    swap = _raw(P3, [SWAP_V3, "0x" + "00" * 32, "0x" + "00" * 32],
                encode(["int256", "int256", "uint160", "uint128", "int24"],
                       [5, -4, 2**96 + 7, 10**18, 3]), 2, 0)
    tl = "0x" + (-120 % 2**256).to_bytes(32, "big").hex()
    tu = "0x" + (120).to_bytes(32, "big").hex()
    mint = _raw(P3, [MINT_V3, "0x" + "00" * 32, tl, tu],
                encode(["address", "uint128", "uint256", "uint256"], [T0, 500, 1, 1]), 2, 1)
    burn = _raw(P3, [BURN_V3, "0x" + "00" * 32, tl, tu],
                encode(["uint128", "uint256", "uint256"], [200, 1, 1]), 2, 2)
    events = [decode_log(r) for r in (swap, mint, burn)]
    s.apply_block(2, H[2], H[1], events)
    st = s.states[s_addr(P3)]
    assert (st.sqrt_price_x96, st.tick) == (2**96 + 7, 3)
    assert st.liquidity == 10**18 + 300  # the range [-120, 120) holds the current tick
    assert st.ticks[-120] == 300 and st.ticks[120] == -300
    assert s.liquidity_changed == {s_addr(P3)}


def test_malformed_and_unknown__skipped_with_warning_never_raised(caplog):
    caplog.set_level(logging.WARNING)
    s = _store()
    s.reset(s.states.values(), 1, H[1])
    bad = [
        {"address": P2, "topics": [SYNC], "data": "0x1234", "blockNumber": "0x2",
         "blockHash": H[2], "logIndex": "0x0"},  # truncated data
        {"address": P2, "data": "0x", "blockNumber": "0x2"},  # no topics, no hash
        "not a log",
    ]
    assert [decode_log(b) for b in bad] == [None, None, None]
    unknown = SyncEvent(LogKey(2, H[2], 0), "0x" + "cc" * 20, 1, 1)
    wrong_kind = SyncEvent(LogKey(2, H[2], 1), P3, 1, 1)  # a Sync on a V3 pool
    assert s.apply_block(2, H[2], H[1], [unknown, wrong_kind]) == set()
    assert s.skipped_unknown == 1
    warned = [r.getMessage() for r in caplog.records
              if r.levelno == logging.WARNING and r.name.startswith("keeper.state")]
    # one per bad input: three undecodable logs, an unknown pool, a Sync on a V3 pool
    assert len(warned) == 5, warned
