"""CHECK_DEVIATION: with it, every hop is held against the PriceFeedRegistry's oracles and a
token's maximum deviation; without it (or without a bound) nothing changes."""

from __future__ import annotations

import pytest
from web3.logs import DISCARD

from keeper.chain.anvil import rpc
from keeper.onchain.route import CHECK_DEVIATION, SOURCES, encode_route, source_code
from keeper.world.artifacts import project_artifact
from tests.executor.test_executor import NO_POOL, _balance, _best, _execute_call, _reverts_with


def _feeds(system):
    return system.world.w3.eth.contract(address=system.manifest.system.price_feed_registry,
                                        abi=project_artifact("PriceFeedRegistry").abi)


def _bound(system, symbol: str, bps: int, heartbeat: int = 86_400) -> None:
    token = system.manifest.token(symbol)
    system.send(_feeds(system).functions.setFeed(token.address, token.feed, heartbeat, bps),
                system.admin)


def _bound_all(system, bps: int, heartbeat: int = 86_400) -> None:
    for t in system.manifest.tokens:
        if t.feed and not t.hostile:
            _bound(system, t.symbol, bps, heartbeat)


def _execute(system, opp, check: bool, min_profit: int = 0, source: str = "balancer"):
    return _execute_call(system, encode_route(opp, system.manifest), opp.amount_in, min_profit,
                         source_code(source, check))


def test_source_code__flag_is_the_contracts_constant(system):
    assert system.executor.functions.CHECK_DEVIATION().call() == CHECK_DEVIATION
    assert source_code("uniswap-v2-flashswap", True) == SOURCES["uniswap-v2-flashswap"] | 0x80
    assert system.executor.functions.priceFeeds().call() == \
        system.manifest.system.price_feed_registry


@pytest.mark.parametrize("source", ["balancer", "uniswap-v2-flashswap-last"])
def test_execute__hop_beyond_the_bound__reverts_price_deviation(system, plant, source):
    plant(system, weth_in=400)  # sushiswap's WETH/USDC price driven far from the oracle
    opp = _best(system, source)
    _bound(system, "WETH", 100)  # 1%: the dislocated pool is out of bounds
    _reverts_with(_execute(system, opp, check=True, source=source),
                  "ExecutorPriceDeviation(address,address,uint256,uint256)", system.keeper)
    # without the flag the same trade goes through (the bound is opt-in per execute)
    before = _balance(system, opp.start_token)
    assert system.send(_execute(system, opp, check=False, source=source),
                       system.keeper)["status"] == "0x1"
    assert _balance(system, opp.start_token) > before


def test_execute__within_the_bound__keeps_the_predicted_profit(system, plant):
    plant(system)
    opp = _best(system)
    _bound_all(system, 5_000)  # the deployment's default is 200 bps on every feed
    before = _balance(system, opp.start_token)
    receipt = system.send(_execute(system, opp, check=True, min_profit=opp.gross_profit),
                          system.keeper)
    assert receipt["status"] == "0x1"
    assert _balance(system, opp.start_token) - before == opp.gross_profit
    logs = system.executor.events.Executed().process_receipt(receipt, errors=DISCARD)
    assert logs[0]["args"]["source"] == SOURCES["balancer"]  # the flag is not the source


def test_execute__bounded_token_with_stale_oracle__reverts_stale(system, plant):
    plant(system)
    opp = _best(system)
    _bound_all(system, 5_000, heartbeat=60)
    rpc(system.world.anvil.http_url, "evm_increaseTime", 3_600)
    rpc(system.world.anvil.http_url, "evm_mine")
    _reverts_with(_execute(system, opp, check=True),
                  "PriceFeedStale(address,uint256,uint32)", system.keeper)


def test_execute__flag_without_feed_registry__reverts(system, plant):
    plant(system)
    opp = _best(system)
    system.send(system.executor.functions.setPriceFeeds(NO_POOL), system.admin)
    _reverts_with(_execute(system, opp, check=True), "ExecutorNoPriceFeeds()", system.keeper)


def test_set_price_feeds__admin_only(system):
    _reverts_with(system.executor.functions.setPriceFeeds(system.stranger),
                  "AccessControlUnauthorizedAccount(address,bytes32)", system.stranger)


def test_execute__no_bound__flag_changes_nothing(system, plant):
    plant(system)
    opp = _best(system)
    _bound_all(system, 0)
    before = _balance(system, opp.start_token)
    system.send(_execute(system, opp, check=True, min_profit=opp.gross_profit), system.keeper)
    assert _balance(system, opp.start_token) - before == opp.gross_profit
