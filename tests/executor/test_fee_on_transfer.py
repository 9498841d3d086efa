"""A fee-on-transfer token in the middle of a V2 -> V2 route, on the real pairs. The first
hop pays its output straight into the second pair, so the token's burn on that transfer is
the pair's shortfall (its K check fails) and never comes out of the executor's own holding
of the token, even where someone first donated a surplus to the second pair to cover it."""

from __future__ import annotations

import pytest
from web3.exceptions import ContractLogicError

from keeper.onchain.route import encode_hop
from keeper.world.artifacts import npm_artifact, project_artifact
from tests.executor.test_executor import _execute_call


def _fot_route(system):
    """WETH -> FOT on uniswap-v2's pair, FOT -> WETH on a sushiswap pair made here, where FOT
    is 10% dearer: a profitable cycle through the token. Returns (route, pair, fot, weth)."""
    w3, m = system.world.w3, system.manifest
    admin = system.admin
    fot = w3.eth.contract(address=m.token("FOT").address,
                          abi=project_artifact("FeeOnTransferToken").abi)
    weth = w3.eth.contract(address=m.weth, abi=npm_artifact("WETH9").abi)
    uni, sushi = m.dex("uniswap-v2"), m.dex("sushiswap")
    pair_abi = npm_artifact("UniswapV2Pair").abi
    factory_abi = npm_artifact("UniswapV2Factory").abi
    uni_pair = w3.eth.contract(address=w3.eth.contract(address=uni.factory, abi=factory_abi)
                               .functions.getPair(fot.address, weth.address).call(), abi=pair_abi)
    r0, r1, _ = uni_pair.functions.getReserves().call()
    r_fot, r_weth = (r0, r1) if fot.address.lower() < weth.address.lower() else (r1, r0)
    sushi_factory = w3.eth.contract(address=sushi.factory, abi=factory_abi)
    system.send(sushi_factory.functions.createPair(fot.address, weth.address), admin)
    pair = w3.eth.contract(address=sushi_factory.functions.getPair(fot.address, weth.address)
                           .call(), abi=pair_abi)
    seed_fot = 50_000 * 10**18
    seed_weth = seed_fot * r_weth * 11 // (r_fot * 10)
    system.send(fot.functions.mint(pair.address, seed_fot), admin)
    system.give_weth(pair.address, seed_weth)
    system.send(pair.functions.mint(admin), admin)
    route = (bytes.fromhex(weth.address[2:]) + encode_hop(uni, fot.address, 0)
             + encode_hop(sushi, weth.address, 0))
    return route, pair, fot, weth


def _call(system, route: bytes):
    """A Balancer-funded execute of 1 WETH, minimum profit 1 wei."""
    return _execute_call(system, route, 10**18, 1)


def _execute(system, route: bytes) -> bool:
    """Mined: whether it succeeded."""
    return system.send(_call(system, route), system.keeper)["status"] == "0x1"


def test_execute__fee_on_transfer_mid_route__shortfall_never_paid_from_the_executor(system):
    route, pair, fot, weth = _fot_route(system)
    ex = system.executor.address
    # the executor holds some of the token (say, dust a withdrawal left)
    system.send(fot.functions.mint(ex, 1_000 * 10**18), system.admin)
    held_fot, held_weth = (fot.functions.balanceOf(ex).call(),
                           weth.functions.balanceOf(ex).call())

    # no donation: the second pair receives 1% less than the executor priced, and refuses
    with pytest.raises(ContractLogicError, match="UniswapV2: K"):
        _call(system, route).call({"from": system.keeper})
    assert not _execute(system, route)
    assert fot.functions.balanceOf(ex).call() == held_fot
    assert weth.functions.balanceOf(ex).call() == held_weth

    # a surplus donated to the second pair covers its shortfall: the trade goes through, and
    # the burn on the first hop's output is paid by the donor, not by the executor
    system.send(fot.functions.mint(system.stranger, 100 * 10**18), system.admin)
    system.send(fot.functions.transfer(pair.address, 100 * 10**18), system.stranger)
    assert _execute(system, route)
    assert fot.functions.balanceOf(ex).call() == held_fot
    assert weth.functions.balanceOf(ex).call() > held_weth
