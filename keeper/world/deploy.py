"""Deploy the local world on a fresh chain from the protocols' real published bytecode.

Deterministic: the same config, deployer and fresh chain give the same addresses and state.
Uses plain web3 with the node's unlocked accounts (anvil), so tests, benchmarks, the demo and
`ape run world` share one code path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from fractions import Fraction
from math import isqrt, log

from web3 import Web3
from web3.contract import Contract

from keeper.chain.anvil import wait_receipt
from keeper.manifest import Dex, DexKind, Manifest, Pool, Token, TokenKind
from keeper.world.artifacts import Artifact, npm_artifact, project_artifact
from keeper.world.config import TokenSpec, V2PairSpec, V3PoolSpec, WorldConfig, default_world
from keeper.world.errors import WorldDeployError

log_ = logging.getLogger(__name__)

MIN_TICK, MAX_TICK = -887272, 887272
TICK_SPACING = {100: 1, 500: 10, 3000: 60, 10000: 200}
MAX_UINT = 2**256 - 1
FEED_DECIMALS = 8
SUPPLY_UNITS = 10**12  # whole tokens minted to the deployer per test token
TOKEN_CONTRACT = {
    TokenKind.STANDARD: "TestERC20",
    TokenKind.FEE_ON_TRANSFER: "FeeOnTransferToken",
    TokenKind.NO_RETURN: "NoReturnToken",
    TokenKind.REVERTING: "RevertingToken",
}


# (to, data, value) -> the hash of the mined transaction: how a signer that is not an unlocked
# node account sends (ape's keystore accounts in `ape run deploy` on a live network)
Submit = Callable[[dict], str]


class _Tx:
    """Sends transactions from one account and fails loudly on a revert: an account the node
    holds unlocked (anvil), or any signer through `submit`."""

    def __init__(self, w3: Web3, sender: str, submit: Submit | None = None,
                 timeout: float = 30.0, progress: Callable[[str], None] | None = None) -> None:
        self.w3 = w3
        self.sender = Web3.to_checksum_address(sender)
        self.submit = submit
        self.timeout = timeout
        # told of each contract and transaction as it lands: on a live network a run that
        # fails halfway has already created contracts, which the operator must be able to find
        self.progress = progress

    def _send(self, tx: dict) -> dict:
        if self.submit is None:
            tx_hash = self.w3.eth.send_transaction({"from": self.sender, **tx})
        else:
            tx_hash = self.submit(tx)
        return wait_receipt(self.w3, tx_hash, self.timeout)

    def deploy(self, art: Artifact, *args: object) -> Contract:
        if not art.deployable:
            raise WorldDeployError(art.name, "artifact has no creation bytecode")
        factory = self.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
        receipt = self._send({"data": factory.constructor(*args).data_in_transaction})
        if receipt["status"] != "0x1" or not receipt["contractAddress"]:
            raise WorldDeployError(art.name, "deployment reverted")
        address = Web3.to_checksum_address(receipt["contractAddress"])
        if self.progress:
            self.progress(f"deployed {art.name} at {address}")
        return self.w3.eth.contract(address=address, abi=art.abi)

    def send(self, call, what: str, value: int = 0) -> dict:
        receipt = self._send({"to": call.address, "data": call._encode_transaction_data(),
                              "value": value})
        if receipt["status"] != "0x1":
            raise WorldDeployError(what, "transaction reverted")
        if self.progress:
            self.progress(f"sent {what} ({receipt['transactionHash']})")
        return receipt


def raw_price(a: TokenSpec, b: TokenSpec, skew_bps: int = 0) -> Fraction:
    """Raw units of b per raw unit of a at the reference prices, shifted by skew_bps."""
    human = Fraction(a.price_usd) / Fraction(b.price_usd)
    return human * Fraction(10**b.decimals, 10**a.decimals) * Fraction(10_000 + skew_bps, 10_000)


def sqrt_price_x96(price1_per_0: Fraction) -> int:
    return isqrt(price1_per_0.numerator * 2**192 // price1_per_0.denominator)


def tick_at(price1_per_0: Fraction) -> int:
    return int(log(float(price1_per_0)) // log(1.0001))


def units(spec: TokenSpec, usd: float) -> int:
    return int(Fraction(usd) / Fraction(spec.price_usd) * 10**spec.decimals)


def weth_needed(cfg: WorldConfig) -> int:
    """Wei of WETH the deployer wraps: what the pools and the vault take, plus 1%.

    Wrapping only what is needed keeps the world deployable from a node's default balances
    (ape-foundry gives each test account 10,000 ETH)."""
    weth = next(t for t in cfg.tokens if t.kind is TokenKind.WETH)
    usd = sum(p.depth_usd / 2 for p in cfg.v2_pairs if weth.symbol in (p.a, p.b))
    usd += sum((p.full_range_usd + p.concentrated_usd) / 2
               for p in cfg.v3_pools if weth.symbol in (p.a, p.b))
    usd += cfg.balancer_funding_usd + cfg.aave_funding_usd
    return units(weth, usd * 1.01)


def deploy_world(w3: Web3, deployer: str, config: WorldConfig | None = None) -> Manifest:
    cfg = config or default_world()
    tx = _Tx(w3, deployer)
    start_block = w3.eth.block_number
    specs = {t.symbol: t for t in cfg.tokens}

    weth = tx.deploy(npm_artifact("WETH9"))
    tx.send(weth.functions.deposit(), "WETH9.deposit", value=weth_needed(cfg))
    contracts: dict[str, Contract] = {}
    for spec in cfg.tokens:
        if spec.kind is TokenKind.WETH:
            contracts[spec.symbol] = weth
            continue
        token = tx.deploy(project_artifact(TOKEN_CONTRACT[spec.kind]),
                          f"Test {spec.symbol}", spec.symbol, spec.decimals)
        tx.send(token.functions.mint(tx.sender, SUPPLY_UNITS * 10**spec.decimals),
                f"{spec.symbol}.mint")
        contracts[spec.symbol] = token

    feeds = {}
    for spec in cfg.tokens:
        answer = int(Fraction(spec.price_usd) * 10**FEED_DECIMALS)
        feeds[spec.symbol] = tx.deploy(project_artifact("MockAggregator"), FEED_DECIMALS, answer)

    dexes, pools = [], []
    v2_art = npm_artifact("UniswapV2Pair")
    pair_hash = Web3.keccak(hexstr=v2_art.bytecode).to_0x_hex()
    for dex_id in sorted({p.dex for p in cfg.v2_pairs}, key=_dex_order):
        factory = tx.deploy(npm_artifact("UniswapV2Factory"), tx.sender)
        router = tx.deploy(npm_artifact("UniswapV2Router02"), factory.address, weth.address)
        dexes.append(Dex(id=dex_id, kind=DexKind.UNISWAP_V2, factory=factory.address,
                         router=router.address, fee_bps=cfg.v2_fee_bps, init_code_hash=pair_hash))
        for pair_spec in (p for p in cfg.v2_pairs if p.dex == dex_id):
            pools.append(_seed_v2(w3, tx, factory, pair_spec, specs, contracts, cfg.v2_fee_bps))

    v3 = _deploy_v3(w3, tx, weth.address)
    dexes.append(v3.dex)
    for pool_spec in cfg.v3_pools:
        pools.append(v3.seed(pool_spec, specs, contracts))

    authorizer = tx.deploy(npm_artifact("BalancerAuthorizer"), tx.sender)
    vault = tx.deploy(npm_artifact("BalancerVault"), authorizer.address, weth.address, 0, 0)
    dexes.append(Dex(id="balancer-v2", kind=DexKind.BALANCER_V2, factory=vault.address))
    for spec in cfg.tokens:
        if spec.kind in (TokenKind.STANDARD, TokenKind.WETH):
            amount = units(spec, cfg.balancer_funding_usd)
            tx.send(contracts[spec.symbol].functions.transfer(vault.address, amount),
                    f"fund vault {spec.symbol}")

    aave = None
    if cfg.aave_funding_usd > 0:
        from keeper.world.aave import deploy_aave

        aave = deploy_aave(tx, [(s.symbol, contracts[s.symbol].address, s.decimals,
                                 units(s, cfg.aave_funding_usd))
                                for s in cfg.tokens if s.kind in (TokenKind.STANDARD,
                                                                  TokenKind.WETH)])

    chain_id = w3.eth.chain_id
    tokens = [
        Token(symbol=s.symbol, address=contracts[s.symbol].address, decimals=s.decimals,
              kind=s.kind, feed=feeds[s.symbol].address, price_usd=s.price_usd)
        for s in cfg.tokens
    ]
    return Manifest(
        chain_id=chain_id,
        deployed_at_block=start_block,
        deployer=tx.sender,
        weth=weth.address,
        balancer_vault=vault.address,
        aave_pool=aave.pool if aave else None,
        aave_flash_premium_bps=aave.premium_bps if aave else None,
        tokens=tokens,
        dexes=dexes,
        pools=pools,
        extra={"balancer_authorizer": authorizer.address,
               **({"aave_addresses_provider": aave.provider,
                   "aave_pool_configurator": aave.configurator} if aave else {})},
    )


def _dex_order(dex_id: str) -> tuple[int, str]:
    # uniswap-v2 first so that addresses do not depend on set iteration order
    return (0 if dex_id == "uniswap-v2" else 1, dex_id)


def _seed_v2(w3: Web3, tx: _Tx, factory: Contract, spec: V2PairSpec,
             specs: dict[str, TokenSpec], contracts: dict[str, Contract], fee_bps: int) -> Pool:
    a, b = specs[spec.a], specs[spec.b]
    ta, tb = contracts[spec.a], contracts[spec.b]
    tx.send(factory.functions.createPair(ta.address, tb.address), f"createPair {spec.a}/{spec.b}")
    pair_addr = factory.functions.getPair(ta.address, tb.address).call()
    pair = w3.eth.contract(address=pair_addr, abi=npm_artifact("UniswapV2Pair").abi)
    amount_a = units(a, spec.depth_usd / 2)
    amount_b = int(amount_a * raw_price(a, b, spec.skew_bps))
    tx.send(ta.functions.transfer(pair_addr, amount_a), f"seed {spec.a}")
    tx.send(tb.functions.transfer(pair_addr, amount_b), f"seed {spec.b}")
    tx.send(pair.functions.mint(tx.sender), f"mint {spec.dex} {spec.a}/{spec.b}")
    token0, token1 = sorted([ta.address, tb.address], key=lambda x: int(x, 16))
    r0, r1, _ = pair.functions.getReserves().call()
    return Pool(address=pair_addr, dex=spec.dex, kind=DexKind.UNISWAP_V2, token0=token0,
                token1=token1, fee=fee_bps * 100, seeded_reserves=(r0, r1))


class _V3:
    def __init__(self, w3: Web3, tx: _Tx, factory: Contract, npm: Contract, dex: Dex) -> None:
        self.w3, self.tx, self.factory, self.npm, self.dex = w3, tx, factory, npm, dex
        self.approved: set[str] = set()

    def seed(self, spec: V3PoolSpec, specs: dict[str, TokenSpec],
             contracts: dict[str, Contract]) -> Pool:
        a, b = specs[spec.a], specs[spec.b]
        ca, cb = contracts[spec.a], contracts[spec.b]
        flipped = int(ca.address, 16) > int(cb.address, 16)
        (s0, c0), (s1, c1) = ((b, cb), (a, ca)) if flipped else ((a, ca), (b, cb))
        price = raw_price(a, b, spec.skew_bps)
        price1_per_0 = 1 / price if flipped else price
        spacing = TICK_SPACING[spec.fee]
        sqrt_price = sqrt_price_x96(price1_per_0)
        self.tx.send(
            self.npm.functions.createAndInitializePoolIfNecessary(
                c0.address, c1.address, spec.fee, sqrt_price),
            f"create V3 {spec.a}/{spec.b}/{spec.fee}")
        for c in (c0, c1):
            if c.address not in self.approved:
                self.tx.send(c.functions.approve(self.npm.address, MAX_UINT), "approve NPM")
                self.approved.add(c.address)
        lo_full = -(MAX_TICK // spacing) * spacing
        hi_full = (MAX_TICK // spacing) * spacing
        if spec.full_range_usd:
            self._mint(c0, c1, spec.fee, lo_full, hi_full,
                       units(s0, spec.full_range_usd / 2), units(s1, spec.full_range_usd / 2))
        if spec.concentrated_usd:
            tick = tick_at(price1_per_0)
            width = int(log(1 + spec.concentrated_width_pct / 100) / log(1.0001))
            lo = ((tick - width) // spacing) * spacing
            hi = ((tick + width) // spacing + 1) * spacing
            self._mint(c0, c1, spec.fee, lo, hi,
                       units(s0, spec.concentrated_usd / 2), units(s1, spec.concentrated_usd / 2))
        address = self.factory.functions.getPool(c0.address, c1.address, spec.fee).call()
        return Pool(address=address, dex=self.dex.id, kind=DexKind.UNISWAP_V3, token0=c0.address,
                    token1=c1.address, fee=spec.fee, tick_spacing=spacing,
                    seeded_sqrt_price_x96=sqrt_price)

    def _mint(self, c0: Contract, c1: Contract, fee: int, lo: int, hi: int, amount0: int,
              amount1: int) -> None:
        params = (c0.address, c1.address, fee, lo, hi, amount0, amount1, 0, 0, self.tx.sender,
                  2**63)
        self.tx.send(self.npm.functions.mint(params), f"V3 mint [{lo},{hi}]")


def _deploy_v3(w3: Web3, tx: _Tx, weth: str) -> _V3:
    factory = tx.deploy(npm_artifact("UniswapV3Factory"))
    router = tx.deploy(npm_artifact("SwapRouter"), factory.address, weth)
    quoter = tx.deploy(npm_artifact("QuoterV2"), factory.address, weth)
    # tokenDescriptor only renders NFT metadata (tokenURI); no position logic depends on it
    npm = tx.deploy(npm_artifact("NonfungiblePositionManager"), factory.address, weth,
                    "0x0000000000000000000000000000000000000000")
    pool_hash = Web3.keccak(hexstr=npm_artifact("UniswapV3Pool").bytecode).to_0x_hex()
    dex = Dex(id="uniswap-v3", kind=DexKind.UNISWAP_V3, factory=factory.address,
              router=router.address, quoter=quoter.address, position_manager=npm.address,
              init_code_hash=pool_hash)
    return _V3(w3, tx, factory, npm, dex)
