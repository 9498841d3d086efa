"""Exact pool states with a per-block journal, so a reorg rewinds to the common ancestor.

Pure: the chain shell feeds it blocks (number, hash, parent hash, decoded events) in order and
asks it to rewind when the chain says a block it holds is no longer canonical.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace

from eth_utils import to_checksum_address

from keeper.errors import FlashkeeperError
from keeper.math.liquidity_math import add_delta
from keeper.state.events import (
    LiquidityEvent,
    PoolCreatedEvent,
    PoolEvent,
    SwapEvent,
    SyncEvent,
)
from keeper.state.types import PoolState, V2PoolState, V3PoolState

log = logging.getLogger(__name__)


class ParentMismatch(FlashkeeperError):
    """The block does not extend the chain this store holds: the caller must rewind first."""

    def __init__(self, number: int, parent_hash: str, held: str) -> None:
        super().__init__(f"block {number}'s parent {parent_hash} is not the held {held}")
        self.number = number


class StateStore:
    def __init__(self, states: Iterable[PoolState], depth: int = 256) -> None:
        self.states: dict[str, PoolState] = {to_checksum_address(s.address): s for s in states}
        self.depth = depth
        self.hashes: dict[int, str] = {}  # processed block number -> hash
        # block -> each pool's state before the block (None: the pool did not exist yet)
        self.journal: dict[int, dict[str, PoolState | None]] = {}
        self.skipped_unknown = 0
        self.liquidity_changed: set[str] = set()  # of the last applied block

    @property
    def head(self) -> int | None:
        return max(self.hashes) if self.hashes else None

    def hash_at(self, number: int) -> str | None:
        return self.hashes.get(number)

    def reset(self, states: Iterable[PoolState], number: int, block_hash: str) -> None:
        """Start over from states read at one block (initial sync, or a reorg deeper than the
        journal)."""
        self.states = {to_checksum_address(s.address): s for s in states}
        self.hashes = {number: block_hash}
        self.journal = {}

    def apply_block(self, number: int, block_hash: str, parent_hash: str,
                    events: Iterable[PoolEvent]) -> set[str]:
        """Apply one block's events; returns the pools that changed. Applying a block that is
        already held (same hash) changes nothing."""
        if self.hashes.get(number) == block_hash:
            return set()
        if number in self.hashes:
            raise ParentMismatch(number, parent_hash, self.hashes[number])
        held_parent = self.hashes.get(number - 1)
        if held_parent is not None and held_parent != parent_hash:
            raise ParentMismatch(number, parent_hash, held_parent)
        before: dict[str, PoolState | None] = {}
        self.liquidity_changed = set()
        for ev in sorted(events, key=lambda e: e.key.log_index):
            if isinstance(ev, PoolCreatedEvent):
                continue  # the shell reads new pools whole (see ChainFollower)
            address = to_checksum_address(ev.pool)
            state = self.states.get(address)
            if state is None:
                self.skipped_unknown += 1
                log.warning("skipping %s for untracked pool %s", type(ev).__name__, address)
                continue
            try:
                new = _apply(state, ev)
            except FlashkeeperError as e:
                log.warning("skipping %s on %s at block %d: %s", type(ev).__name__, address,
                            number, e)
                continue
            before.setdefault(address, state)
            self.states[address] = new
            if isinstance(ev, LiquidityEvent):
                self.liquidity_changed.add(address)
        self.hashes[number] = block_hash
        self.journal[number] = before
        for old in [n for n in self.hashes if n <= number - self.depth]:
            self.hashes.pop(old, None)
            self.journal.pop(old, None)
        return set(before)

    def add_pool(self, state: PoolState, number: int) -> None:
        """A pool discovered at block `number` (already processed): a rewind below that
        block forgets it again."""
        address = to_checksum_address(state.address)
        self.journal.setdefault(number, {}).setdefault(address, self.states.get(address))
        self.states[address] = state

    def replace_state(self, state: PoolState) -> None:
        """Overwrite a pool's state in place (a re-read at the held head); the journal keeps
        the pre-block state, so a later rewind still restores correctly."""
        self.states[to_checksum_address(state.address)] = state

    def rewind(self, to_number: int) -> set[str]:
        """Undo every block above `to_number`; returns the pools whose state went back."""
        changed: set[str] = set()
        for number in sorted((n for n in self.hashes if n > to_number), reverse=True):
            for address, state in self.journal.pop(number, {}).items():
                if state is None:
                    self.states.pop(address, None)
                else:
                    self.states[address] = state
                changed.add(address)
            self.hashes.pop(number)
        return changed

    def can_rewind_to(self, number: int) -> bool:
        return number in self.hashes


def _apply(state: PoolState, ev: PoolEvent) -> PoolState:
    if isinstance(ev, SyncEvent):
        if not isinstance(state, V2PoolState):
            raise _Mismatch("Sync on a V3 pool")
        return replace(state, reserve0=ev.reserve0, reserve1=ev.reserve1, block=ev.key.block_number)
    if not isinstance(state, V3PoolState):
        raise _Mismatch(f"{type(ev).__name__} on a V2 pool")
    if isinstance(ev, SwapEvent):
        return replace(state, sqrt_price_x96=ev.sqrt_price_x96, tick=ev.tick,
                       liquidity=ev.liquidity, block=ev.key.block_number)
    assert isinstance(ev, LiquidityEvent)
    ticks = dict(state.ticks)
    for tick, delta in ((ev.tick_lower, ev.delta), (ev.tick_upper, -ev.delta)):
        net = ticks.get(tick, 0) + delta
        if net == 0:
            # usually a boundary nobody references any more; but liquidityNet can be 0 with
            # liquidityGross > 0 (positions meeting at a tick), so the shell re-reads the tick
            # map of every pool with liquidity events (`liquidity_changed`) to stay exact
            ticks.pop(tick, None)
        else:
            ticks[tick] = net
    liquidity = state.liquidity
    if ev.tick_lower <= state.tick < ev.tick_upper:
        liquidity = add_delta(liquidity, ev.delta)
    return replace(state, ticks=ticks, liquidity=liquidity, block=ev.key.block_number)


class _Mismatch(FlashkeeperError):
    pass
