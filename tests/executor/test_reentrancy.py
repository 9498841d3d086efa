"""Re-entry through a hostile token in the route reverts the whole execute; the same route
with the token's hook disarmed succeeds (so the revert is the guard's doing)."""

from __future__ import annotations

import pytest

from keeper.chain.anvil import wait_receipt
from keeper.detect.opportunity import Opportunity, RouteHop
from keeper.manifest import DexKind, Pool
from keeper.onchain.route import SOURCES, encode_route
from keeper.world.artifacts import npm_artifact, project_artifact


@pytest.mark.parametrize("source", ["balancer", "uniswap-v2-flashswap-last"])
@pytest.mark.parametrize("reentry", ["uniswapV2Call", "execute", "receiveFlashLoan"])
def test_execute__hostile_token_reenters__reverts_and_disarmed_succeeds(system, reentry, source):
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
    # buy HOOK cheap on sushiswap, sell it on uniswap-v2
    route = (RouteHop(pairs["sushiswap"], "uniswap_v2", m.weth, token.address, 3000),
             RouteHop(pairs["uniswap-v2"], "uniswap_v2", token.address, m.weth, 3000))
    extra = [Pool(address=pairs[d], dex=d, kind=DexKind.UNISWAP_V2,
                  token0=min(token.address, m.weth, key=lambda a: int(a, 16)),
                  token1=max(token.address, m.weth, key=lambda a: int(a, 16)), fee=3000)
             for d in pairs]
    manifest = m.model_copy(update={"pools": [*m.pools, *extra]})
    opp = Opportunity(0, 0, m.weth, route, 10**18, 0, 0, "balancer", 0, 0, 0, 0, None)
    # with the last-pair flash swap the hostile token moves from pair to pair, never through
    # the executor: its hook still fires inside the execute
    call = system.executor.functions.execute(SOURCES[source], "0x" + "00" * 20, 10**18, 1,
                                             2**40, False, encode_route(opp, manifest))
    ex = system.executor.functions
    payloads = {
        "uniswapV2Call": ex.uniswapV2Call(system.executor.address, 1, 0, b"\x00" * 64),
        "execute": call,
        "receiveFlashLoan": ex.receiveFlashLoan([m.weth], [1], [0], b""),
    }
    data = payloads[reentry]._encode_transaction_data()
    wait_receipt(w3, token.functions.arm(system.executor.address, data).transact({"from": admin}))
    armed = wait_receipt(w3, call.transact({"from": system.keeper, "gas": 3_000_000}))
    assert armed["status"] == "0x0"
    wait_receipt(w3, token.functions.arm(system.executor.address, b"").transact({"from": admin}))
    disarmed = wait_receipt(w3, call.transact({"from": system.keeper, "gas": 3_000_000}))
    assert disarmed["status"] == "0x1"
