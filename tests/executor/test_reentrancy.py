"""Re-entry through a hostile token in the route reverts the whole execute. With the token's
hook told not to bubble, the trade goes through and every re-entry it tried was refused with
the executor's own error; disarmed, the same route succeeds."""

from __future__ import annotations

import pytest
from eth_utils import keccak

from keeper.chain.anvil import wait_receipt
from keeper.detect.opportunity import Opportunity, RouteHop
from keeper.manifest import DexKind, Pool
from keeper.onchain.deploy_system import venue_indexes
from keeper.onchain.route import (
    SOURCES,
    encode_route,
    encode_v2_path,
    execute_v2_calldata,
    pack_v2_head,
)
from keeper.world.artifacts import npm_artifact, project_artifact


def _hook_pairs(system):
    """A ReentrantToken (HOOK) with a HOOK/WETH pair on uniswap-v2 and on sushiswap, 10% apart,
    and the manifest that lists them."""
    w3, m = system.world.w3, system.manifest
    admin = system.admin
    art = project_artifact("ReentrantToken")
    deploy = w3.eth.contract(abi=art.abi, bytecode=art.bytecode).constructor("Hook", "HOOK", 18)
    address = wait_receipt(w3, deploy.transact({"from": admin}))["contractAddress"]
    token = w3.eth.contract(address=w3.to_checksum_address(address), abi=art.abi)
    wait_receipt(w3, token.functions.mint(admin, 10**30).transact({"from": admin}))
    weth = w3.eth.contract(address=m.weth, abi=npm_artifact("WETH9").abi)
    wait_receipt(w3, weth.functions.deposit().transact({"from": admin, "value": 200 * 10**18}))
    pairs = {}
    for dex, hook_per_weth in (("uniswap-v2", 1000), ("sushiswap", 1100)):  # 10% apart
        factory = w3.eth.contract(address=m.dex(dex).factory,
                                  abi=npm_artifact("UniswapV2Factory").abi)
        wait_receipt(w3, factory.functions.createPair(token.address, m.weth)
                     .transact({"from": admin}))
        pair = factory.functions.getPair(token.address, m.weth).call()
        wait_receipt(w3, weth.functions.transfer(pair, 50 * 10**18).transact({"from": admin}))
        wait_receipt(w3, token.functions.transfer(pair, 50 * hook_per_weth * 10**18)
                     .transact({"from": admin}))
        p = w3.eth.contract(address=pair, abi=npm_artifact("UniswapV2Pair").abi)
        wait_receipt(w3, p.functions.mint(admin).transact({"from": admin}))
        pairs[dex] = pair
    extra = [Pool(address=pairs[d], dex=d, kind=DexKind.UNISWAP_V2,
                  token0=min(token.address, m.weth, key=lambda a: int(a, 16)),
                  token1=max(token.address, m.weth, key=lambda a: int(a, 16)), fee=3000)
             for d in pairs]
    return token, pairs, m.model_copy(update={"pools": [*m.pools, *extra]})


@pytest.mark.parametrize("source", ["balancer", "uniswap-v2-flashswap-last", "execute-v2"])
@pytest.mark.parametrize("reentry", ["uniswapV2Call", "execute", "receiveFlashLoan"])
def test_execute__hostile_token_reenters__reverts_and_disarmed_succeeds(system, reentry, source):
    w3, m = system.world.w3, system.manifest
    admin = system.admin
    token, pairs, manifest = _hook_pairs(system)
    # buy HOOK cheap on sushiswap, sell it on uniswap-v2
    route = (RouteHop(pairs["sushiswap"], "uniswap_v2", m.weth, token.address, 3000),
             RouteHop(pairs["uniswap-v2"], "uniswap_v2", token.address, m.weth, 3000))
    opp = Opportunity(0, 0, m.weth, route, 10**18, 0, 0, "balancer", 0, 0, 0, 0, None)
    # with the last-pair flash swap the hostile token moves from pair to pair, never through
    # the executor: its hook still fires inside the execute
    packed = encode_route(opp, manifest)
    ex = system.executor.functions
    if source == "execute-v2":  # the same last-pair flash swap through the packed entry
        outer = execute_v2_calldata(pack_v2_head(10**18, 1, 2**31 - 1, False),
                                    encode_v2_path(opp, manifest,
                                                   venue_indexes(system.executor, m)))
    else:
        outer = bytes.fromhex(ex.execute(SOURCES[source], "0x" + "00" * 20, 10**18, 1, 2**40,
                                         False, packed)._encode_transaction_data()[2:])
    # well-formed payloads, so that only the guard can refuse them: a route the executor
    # could run, a last-pair leg layout (amount | token | one leg), and for `execute` a token
    # that holds EXECUTOR, so the lock (not the role) is what stops it
    legs = (10**18).to_bytes(32, "big") + bytes.fromhex(m.weth[2:]) + bytes.fromhex(
        pairs["uniswap-v2"][2:]) + b"\x01" + (10**15).to_bytes(14, "big")
    payloads = {
        "uniswapV2Call": (ex.uniswapV2Call(system.executor.address, 10**18, 0, legs)
                          ._encode_transaction_data(), "ExecutorUnexpectedCallback(address)"),
        "execute": (outer, "ExecutorReentered()"),  # the outer call itself, again
        "receiveFlashLoan": (ex.receiveFlashLoan([m.weth], [10**18], [0], packed)
                             ._encode_transaction_data(), "ExecutorUnexpectedCallback(address)"),
    }
    data, error = payloads[reentry]
    if reentry == "execute":
        role = ex.EXECUTOR_ROLE().call()
        wait_receipt(w3, ex.grantRole(role, token.address).transact({"from": admin}))
    def run() -> dict:
        return wait_receipt(w3, w3.eth.send_transaction({
            "from": system.keeper, "to": system.executor.address, "gas": 3_000_000,
            "data": outer}))

    snap = system.world.snapshot()
    wait_receipt(w3, token.functions.arm(system.executor.address, data, True)
                 .transact({"from": admin}))
    assert run()["status"] == "0x0"
    system.world.revert(snap)
    snap = system.world.snapshot()
    # the hook's calls answered, not bubbled: every one was refused, by the guard's own error
    wait_receipt(w3, token.functions.arm(system.executor.address, data, False)
                 .transact({"from": admin}))
    assert run()["status"] == "0x1"
    hook = token.functions
    assert hook.calls().call() > 0
    assert hook.succeeded().call() == 0
    assert hook.lastRevert().call()[:4] == keccak(text=error)[:4]
    system.world.revert(snap)  # the trade above took the dislocation
    wait_receipt(w3, hook.arm(system.executor.address, b"", False).transact({"from": admin}))
    assert run()["status"] == "0x1"


def test_callback__hostile_token_calls_while_the_vault_is_expected__refused(system):
    """The one moment a callback is expected: the vault has been called and is sending the
    loan. A hostile start token's hook calls receiveFlashLoan then, with a route the executor
    could run; only the caller check (the token is not the vault) refuses it."""
    w3, m = system.world.w3, system.manifest
    admin = system.admin
    token, pairs, manifest = _hook_pairs(system)
    wait_receipt(w3, token.functions.transfer(m.balancer_vault, 10**24).transact({"from": admin}))
    # sell HOOK where it is dear (uniswap-v2), buy it back where it is cheap (sushiswap)
    route = (RouteHop(pairs["uniswap-v2"], "uniswap_v2", token.address, m.weth, 3000),
             RouteHop(pairs["sushiswap"], "uniswap_v2", m.weth, token.address, 3000))
    opp = Opportunity(0, 0, token.address, route, 10**20, 0, 0, "balancer", 0, 0, 0, 0, None)
    packed = encode_route(opp, manifest)
    ex = system.executor.functions
    data = ex.receiveFlashLoan([token.address], [10**20], [0], packed)._encode_transaction_data()
    wait_receipt(w3, token.functions.arm(system.executor.address, data, False)
                 .transact({"from": admin}))
    r = wait_receipt(w3, ex.execute(SOURCES["balancer"], "0x" + "00" * 20, 10**20, 1, 2**40,
                                    False, packed).transact({"from": system.keeper,
                                                             "gas": 3_000_000}))
    assert r["status"] == "0x1"
    assert token.functions.calls().call() > 0
    assert token.functions.succeeded().call() == 0
    assert token.functions.lastRevert().call()[:4] == keccak(
        text="ExecutorUnexpectedCallback(address)")[:4]


def _hook_v3_pool(system, token, manifest):
    """A HOOK/WETH Uniswap V3 pool (0.3%, full range, 50 WETH) at 1000 HOOK a WETH, made
    through the world's position manager, and the manifest that lists it too."""
    from fractions import Fraction

    from keeper.world.deploy import MAX_TICK, MAX_UINT, TICK_SPACING, sqrt_price_x96

    w3, m, admin = system.world.w3, system.manifest, system.admin
    v3 = m.dex("uniswap-v3")
    npm = w3.eth.contract(address=v3.position_manager,
                          abi=npm_artifact("NonfungiblePositionManager").abi)
    weth = w3.eth.contract(address=m.weth, abi=npm_artifact("WETH9").abi)
    wait_receipt(w3, weth.functions.deposit().transact({"from": admin, "value": 50 * 10**18}))
    t0, t1 = sorted((token.address, m.weth), key=lambda a: int(a, 16))
    hook_is_0 = t0 == token.address
    amounts = (50_000 * 10**18, 50 * 10**18) if hook_is_0 else (50 * 10**18, 50_000 * 10**18)
    price1_per_0 = Fraction(1, 1000) if hook_is_0 else Fraction(1000)
    wait_receipt(w3, npm.functions.createAndInitializePoolIfNecessary(
        t0, t1, 3000, sqrt_price_x96(price1_per_0)).transact({"from": admin}))
    for c in (token, weth):
        wait_receipt(w3, c.functions.approve(npm.address, MAX_UINT).transact({"from": admin}))
    edge = (MAX_TICK // TICK_SPACING[3000]) * TICK_SPACING[3000]
    wait_receipt(w3, npm.functions.mint((t0, t1, 3000, -edge, edge, *amounts, 0, 0, admin,
                                         2**63)).transact({"from": admin}))
    factory = w3.eth.contract(address=v3.factory, abi=npm_artifact("UniswapV3Factory").abi)
    pool = factory.functions.getPool(t0, t1, 3000).call()
    listed = Pool(address=pool, dex="uniswap-v3", kind=DexKind.UNISWAP_V3, token0=t0, token1=t1,
                  fee=3000, tick_spacing=TICK_SPACING[3000])
    return pool, manifest.model_copy(update={"pools": [*manifest.pools, listed]})


@pytest.mark.parametrize("source", ["balancer", "uniswap-v3-flash", "aave-v3"])
@pytest.mark.parametrize("reentry", ["uniswapV3SwapCallback", "uniswapV3FlashCallback",
                                     "executeOperation", "execute"])
def test_execute__hostile_token_in_a_v3_hop_reenters__reverts_and_disarmed_succeeds(
        system, reentry, source):
    """The V3 side of the test above: HOOK bought on a V2 pair, sold to a V3 pool. Its hook
    fires as the pair sends it, and as the executor pays the pool inside
    uniswapV3SwapCallback, the one moment that pool's callback is expected; each re-entry is
    tried while each lender (Balancer, a V3 pool's flash, Aave) is mid-loan."""
    w3, m = system.world.w3, system.manifest
    admin = system.admin
    token, pairs, manifest = _hook_pairs(system)
    pool, manifest = _hook_v3_pool(system, token, manifest)
    # buy HOOK cheap on sushiswap (1100 a WETH), sell it to the V3 pool (1000 a WETH)
    route = (RouteHop(pairs["sushiswap"], "uniswap_v2", m.weth, token.address, 3000),
             RouteHop(pool, "uniswap_v3", token.address, m.weth, 3000))
    opp = Opportunity(0, 0, m.weth, route, 10**18, 0, 0, source, 0, 0, 0, 0, None)
    packed = encode_route(opp, manifest)
    flash_pool = "0x" + "00" * 20
    if source == "uniswap-v3-flash":  # a WETH pool of the world, not in the route
        flash_pool = next(p.address for p in m.pools if p.kind is DexKind.UNISWAP_V3
                          and m.weth in (p.token0, p.token1))
    ex = system.executor.functions
    outer = bytes.fromhex(ex.execute(SOURCES[source], flash_pool, 10**18, 1, 2**40, False,
                                     packed)._encode_transaction_data()[2:])
    # well-formed asks, as the real lender or pool would make them, so that only the guard
    # can refuse them
    weth_word = bytes(12) + bytes.fromhex(m.weth[2:])
    payloads = {
        "uniswapV3SwapCallback": ex.uniswapV3SwapCallback(10**18, -(10**18), weth_word),
        "uniswapV3FlashCallback": ex.uniswapV3FlashCallback(
            0, 0, (10**18).to_bytes(32, "big") + packed),
        "executeOperation": ex.executeOperation(m.weth, 10**18, 0, system.executor.address,
                                                packed),
    }
    if reentry == "execute":  # the outer call itself, again, from a key holding EXECUTOR
        data, error = outer, "ExecutorReentered()"
        wait_receipt(w3, ex.grantRole(ex.EXECUTOR_ROLE().call(), token.address)
                     .transact({"from": admin}))
    else:
        data = payloads[reentry]._encode_transaction_data()
        error = "ExecutorUnexpectedCallback(address)"

    def run() -> dict:
        return wait_receipt(w3, w3.eth.send_transaction({
            "from": system.keeper, "to": system.executor.address, "gas": 3_000_000,
            "data": outer}))

    hook = token.functions
    snap = system.world.snapshot()
    wait_receipt(w3, hook.arm(system.executor.address, data, True).transact({"from": admin}))
    assert run()["status"] == "0x0"
    system.world.revert(snap)
    snap = system.world.snapshot()
    wait_receipt(w3, hook.arm(system.executor.address, data, False).transact({"from": admin}))
    assert run()["status"] == "0x1"
    assert hook.calls().call() >= 2  # the pair's transfer and the executor's payment
    assert hook.succeeded().call() == 0
    assert hook.lastRevert().call()[:4] == keccak(text=error)[:4]
    system.world.revert(snap)
    wait_receipt(w3, hook.arm(system.executor.address, b"", False).transact({"from": admin}))
    assert run()["status"] == "0x1"
