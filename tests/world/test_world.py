"""The world deploys from real bytecode; the chain agrees with the manifest; routers trade."""

from __future__ import annotations

from web3 import Web3

from keeper.chain.anvil import wait_receipt
from keeper.manifest import DexKind, TokenKind
from keeper.world.artifacts import npm_artifact
from keeper.world.config import default_world

ERC20 = [
    {"name": "balanceOf", "type": "function", "stateMutability": "view",
     "inputs": [{"name": "a", "type": "address"}], "outputs": [{"name": "", "type": "uint256"}]},
    {"name": "decimals", "type": "function", "stateMutability": "view", "inputs": [],
     "outputs": [{"name": "", "type": "uint8"}]},
    {"name": "symbol", "type": "function", "stateMutability": "view", "inputs": [],
     "outputs": [{"name": "", "type": "string"}]},
    {"name": "approve", "type": "function", "stateMutability": "nonpayable",
     "inputs": [{"name": "s", "type": "address"}, {"name": "v", "type": "uint256"}],
     "outputs": [{"name": "", "type": "bool"}]},
]


def _wrap(w, amount: int) -> None:
    """Wrap ETH for a test's trade (the world wraps only what it deploys), and wait for it:
    an auto-mining node answers `eth_sendTransaction` before the block is in."""
    weth = w.w3.eth.contract(address=w.manifest.weth, abi=npm_artifact("WETH9").abi)
    wait_receipt(w.w3, weth.functions.deposit().transact({"from": w.deployer, "value": amount}))


def _code_is(w3: Web3, address: str, artifact: str) -> bool:
    """The deployed runtime is the npm build's runtime (immutables aside: compare length)."""
    import json

    from keeper.world.artifacts import NODE_MODULES, NPM_ARTIFACTS

    data = json.loads((NODE_MODULES / NPM_ARTIFACTS[artifact]).read_text())
    runtime = data.get("deployedBytecode") or data.get("evm", {}).get("deployedBytecode", {})
    if isinstance(runtime, dict):
        runtime = runtime.get("object", "")
    expected = len(bytes.fromhex(runtime.removeprefix("0x")))
    return len(w3.eth.get_code(address)) == expected


def test_world__deploys_real_protocols__manifest_lists_them(world):
    m, w3 = world.manifest, world.w3
    cfg = default_world()
    assert m.chain_id == w3.eth.chain_id
    assert {t.symbol for t in m.tokens} == {t.symbol for t in cfg.tokens}
    assert {t.decimals for t in m.tokens} >= {6, 18}
    assert {t.kind for t in m.tokens} >= {TokenKind.FEE_ON_TRANSFER, TokenKind.NO_RETURN,
                                          TokenKind.REVERTING}
    assert {d.id for d in m.dexes} == {"uniswap-v2", "sushiswap", "uniswap-v3", "balancer-v2"}
    assert _code_is(w3, m.weth, "WETH9")
    assert _code_is(w3, m.dex("uniswap-v3").factory, "UniswapV3Factory")
    assert _code_is(w3, m.dex("uniswap-v3").quoter, "QuoterV2")
    assert _code_is(w3, m.balancer_vault, "BalancerVault")
    for token in m.tokens:
        erc = w3.eth.contract(address=token.address, abi=ERC20)
        assert erc.functions.decimals().call() == token.decimals
        assert erc.functions.symbol().call() == token.symbol
        assert token.feed and len(w3.eth.get_code(token.feed)) > 0
    fees = {p.fee for p in m.pools if p.kind is DexKind.UNISWAP_V3}
    assert {500, 3000} <= fees


def test_world__every_pool_state__matches_manifest(world):
    m, w3 = world.manifest, world.w3
    pair_abi = npm_artifact("UniswapV2Pair").abi
    pool_abi = npm_artifact("UniswapV3Pool").abi
    for pool in m.pools:
        if pool.kind is DexKind.UNISWAP_V2:
            c = w3.eth.contract(address=pool.address, abi=pair_abi)
            factory = m.dex(pool.dex).factory
            assert c.functions.factory().call() == factory
            r0, r1, _ = c.functions.getReserves().call()
            assert (r0, r1) == pool.seeded_reserves
        else:
            c = w3.eth.contract(address=pool.address, abi=pool_abi)
            assert c.functions.fee().call() == pool.fee
            assert c.functions.tickSpacing().call() == pool.tick_spacing
            assert c.functions.slot0().call()[0] == pool.seeded_sqrt_price_x96
            assert c.functions.liquidity().call() > 0
        assert c.functions.token0().call() == pool.token0
        assert c.functions.token1().call() == pool.token1


def test_world__same_pair__priced_differently_across_dexes(world):
    m = world.manifest
    weth, usdc = m.token("WETH"), m.token("USDC")
    prices = []
    for pool in m.pools:
        if {pool.token0, pool.token1} != {weth.address, usdc.address}:
            continue
        if pool.kind is DexKind.UNISWAP_V2:
            r0, r1 = pool.seeded_reserves
            p = r1 / r0
        else:
            p = (pool.seeded_sqrt_price_x96 / 2**96) ** 2
        prices.append(p if pool.token0 == weth.address else 1 / p)
    assert len(prices) >= 4  # two V2 forks and two V3 tiers
    spread = max(prices) / min(prices) - 1
    assert 0.001 < spread < 0.02  # a few tens of basis points: arbitrage, not nonsense


def test_world__v2_router_swap__moves_reserves_by_constant_product(fresh_world_state):
    w = fresh_world_state
    m, w3 = w.manifest, w.w3
    weth, usdc = m.token("WETH"), m.token("USDC")
    for dex_id in ("uniswap-v2", "sushiswap"):
        pool = next(p for p in m.pools_of(dex_id) if {p.token0, p.token1} ==
                    {weth.address, usdc.address})
        pair = w3.eth.contract(address=pool.address, abi=npm_artifact("UniswapV2Pair").abi)
        r0, r1, _ = pair.functions.getReserves().call()
        r_in, r_out = (r0, r1) if pool.token0 == weth.address else (r1, r0)
        amount_in = 10 * 10**18
        router = w3.eth.contract(address=m.dex(dex_id).router,
                                 abi=npm_artifact("UniswapV2Router02").abi)
        _wrap(w, amount_in)
        wait_receipt(w3, w3.eth.contract(address=weth.address, abi=ERC20).functions.approve(
            router.address, amount_in).transact({"from": w.deployer}))
        usdc_c = w3.eth.contract(address=usdc.address, abi=ERC20)
        before = usdc_c.functions.balanceOf(w.deployer).call()
        wait_receipt(w3, router.functions.swapExactTokensForTokens(
            amount_in, 0, [weth.address, usdc.address], w.deployer, 2**63
        ).transact({"from": w.deployer}))
        got = usdc_c.functions.balanceOf(w.deployer).call() - before
        # Uniswap V2's own formula (UniswapV2Library.getAmountOut), in integers
        expected = amount_in * 997 * r_out // (r_in * 1000 + amount_in * 997)
        assert got == expected
        n0, n1, _ = pair.functions.getReserves().call()
        new_in, new_out = (n0, n1) if pool.token0 == weth.address else (n1, n0)
        assert (new_in, new_out) == (r_in + amount_in, r_out - expected)


def test_world__v3_router_swap__matches_quoter_and_moves_price(fresh_world_state):
    w = fresh_world_state
    m, w3 = w.manifest, w.w3
    weth, usdc = m.token("WETH"), m.token("USDC")
    v3 = m.dex("uniswap-v3")
    pool = next(p for p in m.pools_of("uniswap-v3") if p.fee == 500 and
                {p.token0, p.token1} == {weth.address, usdc.address})
    c = w3.eth.contract(address=pool.address, abi=npm_artifact("UniswapV3Pool").abi)
    sqrt_before = c.functions.slot0().call()[0]
    amount_in = 50 * 10**18
    quoter = w3.eth.contract(address=v3.quoter, abi=npm_artifact("QuoterV2").abi)
    quoted, sqrt_after_q, _, _ = quoter.functions.quoteExactInputSingle(
        (weth.address, usdc.address, amount_in, pool.fee, 0)).call()
    router = w3.eth.contract(address=v3.router, abi=npm_artifact("SwapRouter").abi)
    _wrap(w, amount_in)
    wait_receipt(w3, w3.eth.contract(address=weth.address, abi=ERC20).functions.approve(
        router.address, amount_in).transact({"from": w.deployer}))
    usdc_c = w3.eth.contract(address=usdc.address, abi=ERC20)
    before = usdc_c.functions.balanceOf(w.deployer).call()
    wait_receipt(w3, router.functions.exactInputSingle(
        (weth.address, usdc.address, pool.fee, w.deployer, 2**63, amount_in, 0, 0)
    ).transact({"from": w.deployer}))
    got = usdc_c.functions.balanceOf(w.deployer).call() - before
    sqrt_after = c.functions.slot0().call()[0]
    assert got == quoted > 0
    assert sqrt_after == sqrt_after_q
    # selling WETH lowers WETH's price in USDC, whichever token sorts first
    assert (sqrt_after < sqrt_before) == (pool.token0 == weth.address)


def test_world__fresh_chain_twice__identical_manifest(world):
    from keeper.world.local import start_world

    again = start_world()
    try:
        assert again.manifest == world.manifest.model_copy(
            update={"deployed_at_block": again.manifest.deployed_at_block})
    finally:
        again.stop()
