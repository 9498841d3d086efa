"""The keeper daemon: initial batched sync, then follow the chain and detect every block.

    chain (ws) -> ChainFollower -> StateStore (journal) -> Detector -> KeeperDB (+ log)

Risk checks and execution are later pipeline stages; until they exist every opportunity is
recorded with decision "detected". The execution stage's transaction builder is in place
(keeper.execute: calldata, simulation, access list); nothing here signs or sends yet.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from web3 import Web3

from keeper import report
from keeper.bus import Bus, get_bus
from keeper.chain.discovery import discover
from keeper.chain.flash_liquidity import read_flash_liquidity
from keeper.chain.follower import ChainFollower
from keeper.chain.http import http_web3
from keeper.chain.node_check import check_manifest_on_node, ensure_answers
from keeper.chain.pool_reader import (
    DECIMALS,
    LATEST_ROUND,
    SYMBOL,
    batch_call,
    read_pool,
    read_pools,
    read_v3,
)
from keeper.config import KeeperSettings
from keeper.detect.world import detector_for, tradable_pools
from keeper.manifest import Dex, DexKind, Manifest, Pool, load_manifest
from keeper.onchain.registry import enabled_factories
from keeper.state.events import PoolCreatedEvent
from keeper.state.store import StateStore
from keeper.state.types import PoolState, V3PoolState
from keeper.store.db import KeeperDB

log = logging.getLogger("flashkeeper.keeper")

@dataclass
class Drift:
    checked: int = 0
    repaired: list[str] = field(default_factory=list)


class Keeper:
    """Everything but the socket: testable with a plain HTTP node."""

    def __init__(self, settings: KeeperSettings, manifest: Manifest | None = None,
                 db: KeeperDB | None = None, bus: Bus | None = None) -> None:
        self.settings = settings
        self.manifest = manifest or load_manifest(settings.manifest)
        self.w3 = http_web3(settings.rpc_url, timeout=30)
        self.pools: list[Pool] = tradable_pools(self.manifest)
        self.factories: list[str] = []
        self.detector = detector_for(self.manifest, max_hops=settings.max_hops)
        self.store = StateStore([])
        self.db = db or KeeperDB(settings.database_url)
        self.prices = {t.address: float(t.price_usd or 0) for t in self.manifest.tokens}
        # address -> (symbol, decimals); None marks a token never to route (hostile, unreadable)
        self.token_meta: dict[str, tuple[str, int] | None] = {
            t.address: None if t.hostile else (t.symbol, t.decimals) for t in self.manifest.tokens}
        self.last_opportunities: list = []
        self.sync_seconds = 0.0
        self.processed_head: int | None = None  # last block fully handled (stored, recorded)
        # the dashboard's view: published after every block; "control" comes back from it
        self.bus = bus or get_bus(settings.redis_url)
        self.paused = False
        self.check_requested = False  # by the dashboard ("check" command) or SIGUSR1
        self.last_check: dict | None = None  # {block, checked, repaired}: shown on the dashboard
        self.follower: ChainFollower | None = None
        self._unsubscribe = self.bus.subscribe(self._on_bus)

    def trading_dexes(self) -> list[Dex]:
        """The manifest's V2/V3 DEXes, narrowed to the DexRegistry's enabled ones when the
        manifest names a registry: the on-chain list is the authority."""
        dexes = [d for d in self.manifest.dexes
                 if d.kind in (DexKind.UNISWAP_V2, DexKind.UNISWAP_V3)]
        registry = self.manifest.system.dex_registry
        if registry:
            enabled = enabled_factories(self.w3, registry)
            dexes = [d for d in dexes if d.factory in enabled]
        return dexes

    def discover_pools(self, number: int) -> list[Pool]:
        """Every pool of the trading DEXes' factories whose tokens are sound ERC-20s."""
        dexes = self.trading_dexes()
        pools = self._sound_pools(dexes, number)
        self.factories = [d.factory for d in dexes]
        return pools

    def _sound_pools(self, dexes: list[Dex], number: int) -> list[Pool]:
        """The factories' pools (the manifest's entry where it has one) whose tokens are sound
        ERC-20s."""
        found = discover(self.w3, dexes, self.manifest.deployed_at_block, number)
        known = {p.address: p for p in self.manifest.pools}
        return [p for p in (known.get(f.address, f) for f in found)
                if self.token_ok(p.token0) and self.token_ok(p.token1)]

    def _track(self, pool: Pool, state: PoolState, number: int) -> None:
        """Follow a pool found after the initial sync, read whole at block `number`."""
        self.pools.append(pool)
        self.store.add_pool(state, number)
        self.detector.update_pools([state])
        self.detector.enable(pool.address)  # a creation reorged out and in again

    def initial_sync(self) -> int:
        """Discover pools, read them all at one block (batched), seed store and detector."""
        t0 = time.perf_counter()
        block = self.w3.eth.get_block("latest")
        number = block["number"]
        self.pools = self.discover_pools(number)
        states = read_pools(self.w3, self.pools, number)
        self.store.reset(states, number, block["hash"].to_0x_hex())
        self.db.forget_above(number)
        self.detector.update_pools(states)
        self.detector.build()
        self.refresh_flash_liquidity(number)
        self.sync_seconds = time.perf_counter() - t0
        self.processed_head = number
        log.info("synced %d pools at block %d in %.2fs (%d cycles)", len(states), number,
                 self.sync_seconds, self.detector.cycle_count)
        self.publish(number, [])
        return number

    def token_ok(self, address: str) -> bool:
        """Known good, or a contract that answers decimals() and symbol(): cached either way."""
        if address in self.token_meta:
            return self.token_meta[address] is not None
        try:
            decimals, symbol = batch_call(self.w3, [DECIMALS(address), SYMBOL(address)])
            self.token_meta[address] = (str(symbol), int(decimals))
            self.detector.decimals[address] = int(decimals)
        except Exception as e:  # not an ERC-20 (no code, reverts, garbage): never route it
            log.warning("unknown token %s is not a readable ERC-20 (%s): skipped", address, e)
            self.token_meta[address] = None
        return self.token_meta[address] is not None

    def on_new_pools(self, number: int, created: list[PoolCreatedEvent]) -> list[str]:
        """Pools a registered factory created: tracked if both tokens are sound ERC-20s."""
        added = []
        for ev in created:
            dex = next((d for d in self.manifest.dexes if d.factory.lower() == ev.factory.lower()
                        and d.factory in self.factories), None)
            if dex is None or dex.kind not in (DexKind.UNISWAP_V2, DexKind.UNISWAP_V3):
                continue
            t0, t1 = Web3.to_checksum_address(ev.token0), Web3.to_checksum_address(ev.token1)
            if not (self.token_ok(t0) and self.token_ok(t1)):
                log.warning("pool %s of %s skipped: a token is unknown or hostile", ev.pool,
                            dex.id)
                continue
            is_v2 = dex.kind is DexKind.UNISWAP_V2
            pool = Pool(address=ev.pool, dex=dex.id, kind=dex.kind, token0=t0, token1=t1,
                        fee=(dex.fee_bps or 30) * 100 if is_v2 else int(ev.fee or 0),
                        tick_spacing=None if is_v2 else ev.tick_spacing)
            try:
                state = read_pool(self.w3, pool, number)
            except Exception as e:
                log.warning("new pool %s unreadable at block %d: %s", pool.address, number, e)
                continue
            self._track(pool, state, number)
            added.append(pool.address)
            log.info("discovered %s pool %s at block %d", dex.id, pool.address, number)
        return added

    def refresh_flash_liquidity(self, number: int) -> None:
        """What Balancer and Aave can lend now: the detector offers a source for an amount
        only up to it (at sync, with every consistency check and on every registry log)."""
        try:
            balancer, aave = read_flash_liquidity(self.w3, self.manifest, number)
        except Exception as e:  # a missing source must not stop detection
            log.warning("flash liquidity unreadable at block %d: %s", number, e)
            return
        try:
            allowed = self.balancer_allowed()
        except Exception as e:  # fail closed: this switch is the only one (see balancer_allowed)
            log.warning("DexRegistry unreadable at block %d (%s): no Balancer loans until it "
                        "answers", number, type(e).__name__)
            allowed = False
        if not allowed:
            balancer = {}
        for held, fresh in ((self.detector.cfg.balancer_liquidity, balancer),
                            (self.detector.cfg.aave_liquidity, aave)):
            held.clear()
            held.update(fresh)

    def balancer_allowed(self) -> bool:
        """Whether to borrow from the Balancer vault: with a DexRegistry, only while it lists
        the vault enabled, so that the operator's switch stops the loans too. The executor
        does not check this on chain (the Vault is immutable code, and the read would add a
        cold SLOAD to every Balancer-funded execute)."""
        registry, vault = self.manifest.system.dex_registry, self.manifest.balancer_vault
        if not registry or not vault:
            return True
        # an unlisted vault is not allowed either: the registry is the authority
        return vault.lower() in {f.lower() for f in enabled_factories(self.w3, registry)}

    def on_registry_change(self, number: int) -> None:
        """A DexRegistry log: trade exactly the DEXes it now enables. Pools of a disabled DEX
        stay followed (so re-enabling is instant) but no cycle routes through them; a DEX
        enabled for the first time has its pools discovered and read at this block. The
        Balancer listing switches the vault's flash loans."""
        self.refresh_flash_liquidity(number)
        dexes = self.trading_dexes()
        enabled = {d.factory for d in dexes}
        if enabled == set(self.factories):
            return
        factory_of = {d.id: d.factory for d in self.manifest.dexes}
        for pool in self.pools:
            if factory_of.get(pool.dex) in enabled:
                self.detector.enable(pool.address)
            else:
                self.detector.disable(pool.address)
        known = {p.address for p in self.pools}
        fresh = [p for p in self._sound_pools([d for d in dexes if d.factory not in
                                               self.factories], number)
                 if p.address not in known]
        for pool, state in zip(fresh, read_pools(self.w3, fresh, number), strict=True):
            self._track(pool, state, number)
            if self.follower is not None:
                self.follower.addresses.append(pool.address)
        self.factories = [d.factory for d in dexes]
        if self.follower is not None:
            self.follower.factories = list(self.factories)
        log.warning("DexRegistry changed at block %d: trading %s", number,
                    ", ".join(d.id for d in dexes) or "nothing")

    def refresh_prices(self, number: int) -> None:
        """USD prices from the tokens' feeds (Chainlink-shaped); the manifest's as fallback."""
        feeds = [t for t in self.manifest.tokens if t.feed]
        if not feeds:
            return
        try:
            rounds = batch_call(self.w3, [LATEST_ROUND(t.feed) for t in feeds], number)
        except Exception as e:  # a dead feed must not stop detection
            log.warning("price feeds unavailable at block %d: %s", number, e)
            return
        for token, r in zip(feeds, rounds, strict=True):
            if r[1] > 0:
                self.prices[token.address] = r[1] / 1e8

    def on_block(self, number: int, block_hash: str, dirty: set[str],
                 liquidity_changed: set[str]) -> None:
        for address in liquidity_changed:
            pool = next(p for p in self.pools if p.address == address)
            state = read_v3(self.w3, pool, number)  # the exact tick map after Mint/Burn
            self.store.replace_state(state)
        for gone in (a for a in dirty if a not in self.store.states):
            self.detector.disable(gone)  # its creation was reorged out
        states = [self.store.states[a] for a in dirty if a in self.store.states]
        self.detector.update_pools(states)
        self.refresh_prices(number)
        gas_price = int(self.w3.eth.gas_price)
        found = self.detector.evaluate([s.address for s in states], number, gas_price,
                                       self.prices)
        self.last_opportunities = found
        self.db.record_block(number, block_hash, len(states), found)
        self.processed_head = number
        self.publish(number, found)
        if found:
            best = found[0]
            log.info("block %d: %d pools changed, %d opportunities, best $%.2f via %s", number,
                     len(states), len(found), best.profit_usd or 0, best.flash_source)

    # --- the dashboard ---

    def publish(self, number: int, found: list) -> None:
        """Status, prices and the block's opportunities on the bus. The dashboard is a
        bystander: a failure here is logged, never allowed to stop the pipeline."""
        stats = self.follower.stats if self.follower else None
        # lag: from the header's arrival to now (none before the follower has seen a head)
        received = stats.head_time if stats is not None and stats.head == number else None
        dex_of = {p.address: p.dex for p in self.pools}
        try:
            self.bus.publish("status", report.status_payload(
                head=number, received_at=received, chain_id=self.settings.chain_id,
                pools=len(self.store.states), cycles=self.detector.cycle_count,
                sync_s=self.sync_seconds, paused=self.paused,
                mempool_rate=stats.pending_rate if stats else None,
                reorgs=stats.reorgs if stats else 0,
                reconnects=stats.reconnects if stats else 0, last_check=self.last_check))
            self.bus.publish("prices", report.prices_payload(
                self.store.states.values(), dex_of, self.token_meta, self.prices))
            if found:
                self.bus.publish("opportunities",
                                 report.opportunities_payload(found, self.token_meta))
        except Exception:
            log.exception("publishing block %d to the dashboard failed", number)

    def _on_bus(self, stream: str, payload: dict) -> None:
        if stream != "control":
            return
        if payload.get("command") == "check":
            log.warning("consistency check requested by %s", payload.get("by", "?"))
            self.check_requested = True  # runs after the next block, on the keeper's thread
            return
        controls = payload.get("controls")
        if isinstance(controls, dict) and isinstance(controls.get("paused"), bool):
            if controls["paused"] != self.paused:
                log.warning("keeper %s by %s", "paused" if controls["paused"] else "resumed",
                            payload.get("by", "?"))
            self.paused = controls["paused"]

    def check_consistency(self, repair: bool = True) -> Drift:
        """Compare every tracked pool with the chain at the held head; repair drift."""
        drift = Drift()
        head = self.store.head
        if head is None:
            return drift
        self.refresh_flash_liquidity(head)
        for pool in self.pools:
            chain = read_pool(self.w3, pool, head)
            held = self.store.states.get(pool.address)
            drift.checked += 1
            if held is None or _differs(held, chain):
                drift.repaired.append(pool.address)
                log.warning("drift on %s at block %d: repaired from chain", pool.address, head)
                if repair:
                    self.store.replace_state(chain)
                    self.detector.update_pools([chain])
        self.last_check = {"block": head, "checked": drift.checked,
                           "repaired": len(drift.repaired), "ts": time.time()}
        log.info("consistency check at block %d: %d pools, %d repaired", head, drift.checked,
                 len(drift.repaired))
        return drift

    def resync(self) -> None:
        self.initial_sync()

    def check_node(self) -> None:
        """The node answers (NodeError) and the manifest describes it (ConfigError): another
        chain's manifest, or one whose contracts this node does not hold, would otherwise
        fail somewhere in the first sync, as a traceback."""
        ensure_answers(self.w3, self.settings.rpc_url)
        check_manifest_on_node(self.w3, self.manifest, system=True)

    async def run(self, stop: asyncio.Event, check_every: int = 100) -> None:
        self.check_node()
        self.initial_sync()
        follower = ChainFollower(self.settings.ws_url, self.store,
                                 [p.address for p in self.pools], self._on_block_checked,
                                 resync=self.resync, factories=self.factories,
                                 on_new_pools=self.on_new_pools,
                                 watch=[r for r in [self.manifest.system.dex_registry] if r],
                                 on_watch=self.on_registry_change)
        self.follower = follower
        self._check_every = check_every
        try:
            await follower.run(stop)
        finally:
            self.close()

    def close(self) -> None:
        """Leave the bus and release the database's connections: this keeper will not run
        (again). Idempotent."""
        self._unsubscribe()
        self.db.engine.dispose()

    def _on_block_checked(self, number: int, block_hash: str, dirty: set[str],
                          liquidity_changed: set[str]) -> None:
        try:
            self.on_block(number, block_hash, dirty, liquidity_changed)
            if self.check_requested or (self._check_every and number % self._check_every == 0):
                self.check_requested = False
                self.check_consistency()
                self.publish(number, [])
        except Exception:  # one bad block must not end the daemon; the next check repairs
            log.exception("processing block %d failed", number)


def _differs(a: object, b: object) -> bool:
    if isinstance(a, V3PoolState) and isinstance(b, V3PoolState):
        return (a.sqrt_price_x96, a.tick, a.liquidity, {k: v for k, v in a.ticks.items() if v}) \
            != (b.sqrt_price_x96, b.tick, b.liquidity, {k: v for k, v in b.ticks.items() if v})
    return (getattr(a, "reserve0", None), getattr(a, "reserve1", None)) != \
        (getattr(b, "reserve0", None), getattr(b, "reserve1", None))
