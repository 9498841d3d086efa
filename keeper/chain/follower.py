"""Follow the chain over one WebSocket: new heads (and pending-transaction counts) by
subscription, each block's pool logs by `eth_getLogs` on the block hash.

Why logs by block hash rather than a logs subscription: a head and its logs then always belong
to the same block, so a reorg shows up in one place only (the head's parent hash) and the
journal rewinds by block; a missed notification or a dropped socket is the same case as a
backfill. Reconnects back off exponentially; after each connect the follower backfills every
block from the last one it processed to the head, so no block is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from web3 import AsyncWeb3, WebSocketProvider

from keeper.state.events import CREATION_TOPICS, TOPICS, PoolCreatedEvent, decode_log
from keeper.state.store import ParentMismatch, StateStore

log = logging.getLogger(__name__)


@dataclass
class FollowerStats:
    blocks: int = 0
    reorgs: int = 0
    reconnects: int = 0
    backfilled: int = 0
    pending_seen: int = 0
    pending_rate: float = 0.0  # pending transactions per second, last window
    head: int | None = None
    head_time: float = 0.0
    _window: list[float] = field(default_factory=list, repr=False)


# (number, block hash, changed pool addresses, pools whose tick maps must be re-read)
OnBlock = Callable[[int, str, set[str], set[str]], None]
# (number, creation events) -> addresses of the pools the keeper decided to track
OnNewPools = Callable[[int, list[PoolCreatedEvent]], list[str]]


class ChainFollower:
    def __init__(self, ws_url: str, store: StateStore, addresses: Sequence[str],
                 on_block: OnBlock, max_backoff: float = 10.0, resync: Callable[[], None]
                 | None = None, factories: Sequence[str] = (),
                 on_new_pools: OnNewPools | None = None, watch: Sequence[str] = (),
                 on_watch: Callable[[int], None] | None = None) -> None:
        self.ws_url = ws_url
        self.store = store
        self.addresses = list(addresses)
        self.factories = list(factories)
        self.on_new_pools = on_new_pools
        # contracts whose every log matters (the DexRegistry): `on_watch(block)` after any
        self.watch = list(watch)
        self.on_watch = on_watch
        self.on_block = on_block
        self.max_backoff = max_backoff
        self.resync = resync
        self.stats = FollowerStats()

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            try:
                async with AsyncWeb3(WebSocketProvider(self.ws_url, max_connection_retries=1)
                                     ) as w3:
                    backoff = 0.2
                    await self._session(w3, stop)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # the socket dropped, or the node went away
                if stop.is_set():
                    break
                self.stats.reconnects += 1
                log.warning("chain connection lost (%s); reconnecting in %.1fs", e, backoff)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=backoff)
                backoff = min(self.max_backoff, backoff * 2)

    async def _session(self, w3: AsyncWeb3, stop: asyncio.Event) -> None:
        heads = await w3.eth.subscribe("newHeads")
        pending = await w3.eth.subscribe("newPendingTransactions")
        await self.catch_up(w3, await w3.eth.block_number)  # backfill what was missed
        stopper = asyncio.ensure_future(stop.wait())
        try:
            async for msg in _with_stop(w3.socket.process_subscriptions(), stopper):
                sub = msg.get("subscription")
                if sub == pending:
                    self._count_pending()
                elif sub == heads:
                    number = int(msg["result"]["number"])
                    await self.catch_up(w3, number)
        finally:
            stopper.cancel()

    def _count_pending(self) -> None:
        now = time.monotonic()
        self.stats.pending_seen += 1
        w = self.stats._window
        w.append(now)
        while w and w[0] < now - 10:
            w.pop(0)
        self.stats.pending_rate = len(w) / 10.0

    async def catch_up(self, w3: AsyncWeb3, target: int) -> None:
        """Process every block up to `target`, rewinding first if the chain reorganised."""
        held = self.store.head
        number = target if held is None else held + 1
        if held is not None and target <= held:
            # a head at or below ours: a duplicate notification, or a reorg onto a new branch
            block = await w3.eth.get_block(target)
            if block["hash"].to_0x_hex() == self.store.hash_at(target):
                return
            number = await self._rewind(w3, target - 1)
        while number <= target:
            block = await w3.eth.get_block(number)
            parent = block["parentHash"].to_0x_hex()
            held_parent = self.store.hash_at(number - 1)
            if held_parent is not None and held_parent != parent:
                number = await self._rewind(w3, number - 1)
                continue
            block_hash = block["hash"].to_0x_hex()
            logs = await w3.eth.get_logs({"blockHash": block["hash"],
                                          "address": self.addresses + self.factories,
                                          "topics": [list(TOPICS + CREATION_TOPICS)]})
            events = [e for e in (decode_log(dict(raw)) for raw in logs) if e is not None]
            created = [e for e in events if isinstance(e, PoolCreatedEvent)
                       and e.factory.lower() in {f.lower() for f in self.factories}]
            try:
                dirty = self.store.apply_block(number, block_hash, parent, events)
            except ParentMismatch:
                number = await self._rewind(w3, number - 1)
                continue
            if created and self.on_new_pools is not None:
                # read whole at this block by the keeper: their own logs of this block were
                # not in the filter yet and are already in the state read
                added = await asyncio.to_thread(self.on_new_pools, number, created)
                self.addresses += [a for a in added if a not in self.addresses]
            if self.watch and self.on_watch is not None and await w3.eth.get_logs(
                    {"blockHash": block["hash"], "address": self.watch}):
                await asyncio.to_thread(self.on_watch, number)
            if held is not None and number < target:
                self.stats.backfilled += 1
            self.stats.blocks += 1
            self.stats.head, self.stats.head_time = number, time.time()
            self.on_block(number, block_hash, dirty, set(self.store.liquidity_changed))
            number += 1

    async def _rewind(self, w3: AsyncWeb3, number: int) -> int:
        """Walk back to the newest block the store and the chain agree on; return the next
        block number to process."""
        self.stats.reorgs += 1
        while number >= 0 and self.store.can_rewind_to(number):
            canonical = (await w3.eth.get_block(number))["hash"].to_0x_hex()
            if canonical == self.store.hash_at(number):
                changed = self.store.rewind(number)
                log.warning("reorg: rewound to block %d (%d pools restored)", number,
                            len(changed))
                self.on_block(number, canonical, changed, set())
                return number + 1
            number -= 1
        log.error("reorg deeper than the journal: full resync")
        if self.resync is None:
            raise RuntimeError("reorg deeper than the journal and no resync hook")
        await asyncio.to_thread(self.resync)
        head = self.store.head
        return (head if head is not None else number) + 1


async def _with_stop(agen, stopper: asyncio.Future):
    """Iterate an async generator until it ends or `stopper` completes."""
    it = agen.__aiter__()
    while True:
        nxt = asyncio.ensure_future(it.__anext__())
        done, _ = await asyncio.wait({nxt, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if nxt not in done:
            nxt.cancel()
            return
        try:
            yield nxt.result()
        except StopAsyncIteration:
            return
