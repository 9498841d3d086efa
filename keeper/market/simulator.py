"""The market simulator's shell: turns seeded decisions into real router transactions.

Every decision (which pool, which way, how much) comes from one seeded RNG and from chain state
that is itself a function of the earlier transactions, so two runs with the same seed on a fresh
world send the same transactions.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from web3 import Web3

from keeper.chain.anvil import wait_receipt
from keeper.manifest import DexKind, Manifest, Pool, Token
from keeper.market.config import MarketConfig
from keeper.market.meter import ArbitrageMeter
from keeper.market.walk import PriceWalk
from keeper.world.artifacts import npm_artifact, project_artifact

log = logging.getLogger(__name__)

MAX_UINT = 2**256 - 1
FAR_DEADLINE = 2**63  # a constant, so that calldata never depends on the wall clock
TRADER_FUNDING_USD = 10_000_000  # fits the 10,000 ETH ape-foundry gives an account
ERC20_ABI = [
    {"name": "balanceOf", "type": "function", "stateMutability": "view",
     "inputs": [{"name": "a", "type": "address"}], "outputs": [{"name": "", "type": "uint256"}]},
    {"name": "approve", "type": "function", "stateMutability": "nonpayable",
     "inputs": [{"name": "s", "type": "address"}, {"name": "v", "type": "uint256"}],
     "outputs": [{"name": "", "type": "bool"}]},
    {"name": "mint", "type": "function", "stateMutability": "nonpayable",
     "inputs": [{"name": "to", "type": "address"}, {"name": "v", "type": "uint256"}],
     "outputs": []},
    {"name": "allowance", "type": "function", "stateMutability": "view",
     "inputs": [{"name": "o", "type": "address"}, {"name": "s", "type": "address"}],
     "outputs": [{"name": "", "type": "uint256"}]},
]


@dataclass(frozen=True)
class SentTx:
    sender: str
    to: str
    data: str
    value: int
    tx_hash: str
    kind: str  # "swap" | "oracle" | "setup"


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class MarketSimulator:
    def __init__(self, w3: Web3, manifest: Manifest, config: MarketConfig | None = None) -> None:
        self.w3 = w3
        self.m = manifest
        self.cfg = config or MarketConfig()
        self.rng = random.Random(self.cfg.seed)
        self.tokens = {t.address: t for t in manifest.tokens if not t.hostile}
        self.walk = PriceWalk(
            {t.symbol: float(t.price_usd or 1.0) for t in self.tokens.values()},
            random.Random(self.cfg.seed ^ 0x5EED),
            self.cfg.volatility_bps, self.cfg.stable_volatility_bps,
        )
        self.pools = [p for p in manifest.pools
                      if p.token0 in self.tokens and p.token1 in self.tokens]
        self.traders = [Web3.to_checksum_address(a)
                        for a in w3.eth.accounts[1 : 1 + self.cfg.traders]]
        self.owner = Web3.to_checksum_address(manifest.deployer or w3.eth.accounts[0])
        self.steps = 0
        self.sent: list[SentTx] = []
        self._v2_pair = npm_artifact("UniswapV2Pair").abi
        self._v3_pool = npm_artifact("UniswapV3Pool").abi
        self._routers = {d.id: d.router for d in manifest.dexes if d.router}
        self._v2_router = w3.eth.contract(abi=npm_artifact("UniswapV2Router02").abi)
        self._v3_router = w3.eth.contract(abi=npm_artifact("SwapRouter").abi)
        self._feed = w3.eth.contract(abi=project_artifact("MockAggregator").abi)

    # --- set-up ------------------------------------------------------------------------------
    def setup(self) -> None:
        """Fund each trader with every tradable token, up to TRADER_FUNDING_USD of it, and
        approve the routers. Only the shortfall is wrapped or minted and only a spent
        allowance is renewed, so a market restarted on the same node does not wrap another
        ~3.3k ETH a trader each time (a plain anvil's 10k ETH accounts ran dry on the third
        start)."""
        weth = self.w3.eth.contract(address=self.m.weth, abi=npm_artifact("WETH9").abi)
        for trader in self.traders:
            for token in self.tokens.values():
                erc = self.w3.eth.contract(address=token.address, abi=ERC20_ABI)
                target = int(Fraction(TRADER_FUNDING_USD) / Fraction(token.price_usd or 1)
                             * 10**token.decimals)
                short = target - int(erc.functions.balanceOf(trader).call())
                if short > 0 and token.address == self.m.weth:
                    self._send(trader, weth.functions.deposit(), "setup", value=short)
                elif short > 0:
                    self._send(trader, erc.functions.mint(trader, short), "setup")
                for router in sorted(set(self._routers.values())):
                    if erc.functions.allowance(trader, router).call() < MAX_UINT // 2:
                        self._send(trader, erc.functions.approve(router, MAX_UINT), "setup")

    # --- one step ----------------------------------------------------------------------------
    def step(self) -> list[SentTx]:
        """One block's worth of activity: move reference prices, update oracles, trade."""
        before = len(self.sent)
        prices = self.walk.step()
        if self.steps % self.cfg.oracle_every == 0:
            self._update_oracles(prices)
        for _ in range(poisson(self.rng, self.cfg.swaps_per_block)):
            self._trade(prices)
        self.steps += 1
        return self.sent[before:]

    def _update_oracles(self, prices: dict[str, float]) -> None:
        for token in sorted(self.tokens.values(), key=lambda t: t.symbol):
            if token.feed is None:
                continue
            feed = self.w3.eth.contract(address=token.feed, abi=self._feed.abi)
            answer = round(prices[token.symbol] * 10**8)
            self._send(self.owner, feed.functions.setAnswer(answer), "oracle")

    def _trade(self, prices: dict[str, float]) -> None:
        pool = self.pools[self.rng.randrange(len(self.pools))]
        trader = self.traders[self.rng.randrange(len(self.traders))]
        t0, t1 = self.tokens[pool.token0], self.tokens[pool.token1]
        informed = self.rng.random() < self.cfg.informed_share
        lo, hi = self.cfg.trade_depth_bps
        share_bps = math.exp(self.rng.uniform(math.log(lo), math.log(hi)))
        coin = self.rng.random() < 0.5
        if informed:
            ref = prices[t0.symbol] / prices[t1.symbol] * 10 ** (t1.decimals - t0.decimals)
            zero_for_one = self.pool_price(pool) > ref  # token0 dear in the pool: sell it
        else:
            zero_for_one = coin
        token_in, token_out = (t0, t1) if zero_for_one else (t1, t0)
        depth = self._balance(token_in.address, pool.address)
        amount_in = int(depth * share_bps / 10_000)
        if amount_in == 0:
            return
        self._send(trader, self._swap_call(pool, token_in, token_out, amount_in, trader), "swap")

    def _swap_call(self, pool: Pool, tin: Token, tout: Token, amount: int, trader: str):
        router = self._routers[pool.dex]
        if pool.kind is DexKind.UNISWAP_V2:
            c = self.w3.eth.contract(address=router, abi=self._v2_router.abi)
            return c.functions.swapExactTokensForTokens(
                amount, 0, [tin.address, tout.address], trader, FAR_DEADLINE)
        c = self.w3.eth.contract(address=router, abi=self._v3_router.abi)
        return c.functions.exactInputSingle(
            (tin.address, tout.address, pool.fee, trader, FAR_DEADLINE, amount, 0, 0))

    # --- chain reads -------------------------------------------------------------------------
    def pool_price(self, pool: Pool) -> float:
        """Raw units of token1 per raw unit of token0."""
        if pool.kind is DexKind.UNISWAP_V2:
            pair = self.w3.eth.contract(address=pool.address, abi=self._v2_pair)
            r0, r1, _ = pair.functions.getReserves().call()
            return r1 / r0
        v3 = self.w3.eth.contract(address=pool.address, abi=self._v3_pool)
        sqrt_p = v3.functions.slot0().call()[0]
        return (sqrt_p / 2**96) ** 2

    def _balance(self, token: str, holder: str) -> int:
        erc = self.w3.eth.contract(address=token, abi=ERC20_ABI)
        return int(erc.functions.balanceOf(holder).call())

    def _send(self, sender: str, call, kind: str, value: int = 0) -> SentTx:
        data = call._encode_transaction_data()
        # anvil fills in the nonce and fees of an unlocked account; with interval mining the
        # transaction waits in the pending pool, where the keeper's mempool listener sees it
        request = {"from": sender, "to": call.address, "data": data, "value": value,
                   "gas": self.cfg.gas_limit}
        tx_hash = self.w3.eth.send_transaction(request).to_0x_hex()
        if self.cfg.wait_for_inclusion:
            wait_receipt(self.w3, tx_hash)
        sent = SentTx(sender, call.address, data, value, tx_hash, kind)
        self.sent.append(sent)
        return sent

    # --- loop --------------------------------------------------------------------------------
    def run(self, stop: threading.Event, on_step: Callable[[int, list[SentTx]], None]
            | None = None, poll_s: float = 0.2, meter: ArbitrageMeter | None = None,
            automine_step_s: float = 2.0) -> None:
        """One step per new block until `stop` is set. With a meter, each block's available
        arbitrage is recorded first (the state the block left, before the market trades).
        On an auto-mining node (ape's local network, a bare anvil) blocks come only with
        transactions, so waiting for one would wait forever: there the market steps every
        `automine_step_s` seconds instead, and its trades mine their own blocks."""
        automine = self._automines()
        last = self.w3.eth.block_number
        while not stop.is_set():
            head = self.w3.eth.block_number
            if not automine and head == last:
                time.sleep(poll_s)
                continue
            last = head
            try:
                if meter is not None:
                    meter.set_prices(self.walk.prices)
                    meter.measure(head)
                txs = self.step()
            except Exception as e:  # a dead node or a reverting trade must not end the market
                log.warning("market step at block %d failed: %s", head, e)
                txs = None
            if on_step and txs is not None:
                on_step(head, txs)
            if automine:
                stop.wait(automine_step_s)

    def _automines(self) -> bool:
        """Whether the node mines a block per transaction (anvil's `anvil_getAutomine`; any
        other node, or an error, counts as mining blocks on its own)."""
        try:
            return self.w3.provider.make_request("anvil_getAutomine", []).get("result") is True
        except Exception:  # not a dev node: its blocks come on their own
            return False
