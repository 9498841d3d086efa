"""The execute transaction prepared on a real node: simulated by eth_createAccessList, listing
the executor's implementation (the proxy's cold DELEGATECALL target) and the other cold
accounts and slots, never the proxy or the sender; the list saves exactly what it says when
mined; a losing trade is refused before anything is sent, with the executor's error named."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from web3 import Web3

from keeper.chain.anvil import wait_receipt
from keeper.chain.http import http_web3
from keeper.chain.pool_reader import read_pools
from keeper.detect.opportunity import Opportunity
from keeper.detect.world import detector_for, tradable_pools
from keeper.errors import NodeError
from keeper.execute.command import TradeCommand, execute_calldata
from keeper.execute.prepare import ExecuteWouldRevert, prepare
from keeper.manifest import Manifest
from keeper.onchain.deploy_system import deploy_system, executor_contract, venue_indexes
from keeper.onchain.route import EXECUTE_V2_SELECTOR
from keeper.world.artifacts import npm_artifact
from keeper.world.local import LocalWorld


@dataclass
class Planted:
    w3: Web3
    manifest: Manifest
    keeper: str
    opportunity: Opportunity

    def calldata(self, min_profit: int = 1) -> bytes:
        m = self.manifest
        cmd = TradeCommand(self.opportunity, min_profit=min_profit,
                           deadline_block=self.w3.eth.block_number + 3)
        return execute_calldata(cmd, m, venue_indexes(executor_contract(self.w3, m), m))


@pytest.fixture
def planted(fresh_world_state: LocalWorld) -> Iterator[Planted]:
    """The system deployed, and WETH sold cheap on sushiswap's WETH/USDC pair: the detector's
    V2 -> V2 cycle back through uniswap-v2, lent by its last pair (executeV2_e0)."""
    world = fresh_world_state
    w3 = world.w3
    keeper, trader = w3.eth.accounts[9], w3.eth.accounts[7]
    m = deploy_system(w3, world.manifest, admin=world.deployer, keeper=keeper)
    weth = w3.eth.contract(address=m.weth, abi=npm_artifact("WETH9").abi)
    router = w3.eth.contract(address=m.dex("sushiswap").router,
                             abi=npm_artifact("UniswapV2Router02").abi)
    for call in (weth.functions.deposit(), weth.functions.approve(router.address, 2**256 - 1),
                 router.functions.swapExactTokensForTokens(
                     60 * 10**18, 0, [m.weth, m.token("USDC").address], trader, 2**63)):
        tx = {"from": trader, "value": 60 * 10**18} if call.fn_name == "deposit" else {
            "from": trader}
        wait_receipt(w3, call.transact(tx))
    det = detector_for(m, balancer_liquidity={})
    det.update_pools(read_pools(w3, tradable_pools(m)))
    found = [o for o in det.evaluate(None, 0, 0, {t.address: t.price_usd for t in m.tokens})
             if [h.kind for h in o.route] == ["uniswap_v2"] * 2]
    assert found, "the planted dislocation gave no V2 -> V2 cycle"
    # lent by its last pair whatever the detector priced cheapest: the packed call
    yield Planted(w3, m, keeper, replace(found[0], flash_source="uniswap-v2-flashswap-last"))


def _mined(w3: Web3, tx: dict, timestamp: int) -> dict:
    w3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])
    return wait_receipt(w3, w3.eth.send_transaction(tx))


def test_prepare__v2_cycle__lists_the_implementation_and_saves_what_it_says(planted):
    w3, m = planted.w3, planted.manifest
    ts = w3.eth.get_block("latest")["timestamp"] + 12
    w3.provider.make_request("evm_setNextBlockTimestamp", [ts])
    prepared = prepare(w3, m.system.executor, planted.keeper, planted.calldata())
    listed = {e.address: e.storage_keys for e in prepared.access_list}
    assert listed[m.system.executor_implementation.lower()] == ()
    assert m.system.executor.lower() not in listed and planted.keeper.lower() not in listed
    assert all(p.address.lower() in listed for p in m.pools if p.address in
               {h.pool for h in planted.opportunity.route})
    # executeV2_e0, as planted
    assert prepared.tx["data"].startswith("0x" + EXECUTE_V2_SELECTOR.hex())
    snap = w3.provider.make_request("evm_snapshot", [])["result"]
    with_list = _mined(w3, prepared.tx, ts)
    w3.provider.make_request("evm_revert", [snap])
    bare = {k: v for k, v in prepared.tx.items() if k != "accessList"}
    without = _mined(w3, bare, ts)
    assert with_list["status"] == without["status"] == "0x1"
    used = int(with_list["gasUsed"], 16)
    assert used <= prepared.tx["gas"]
    assert int(without["gasUsed"], 16) - used == prepared.list_saves


def test_prepare__unprofitable__executor_error_named_and_nothing_sent(planted):
    w3 = planted.w3
    nonce = w3.eth.get_transaction_count(planted.keeper)
    with pytest.raises(ExecuteWouldRevert, match=r"InsufficientProfit\(\d+, 1000000000000000000"
                                                 r"000000000000\)") as e:
        prepare(w3, planted.manifest.system.executor, planted.keeper,
                planted.calldata(min_profit=10**30))
    assert e.value.data and e.value.data.startswith("0x4e88422a")
    assert w3.eth.get_transaction_count(planted.keeper) == nonce


def test_prepare__not_the_executor_key__refused_with_the_role_error(planted):
    w3 = planted.w3
    with pytest.raises(ExecuteWouldRevert, match="AccessControlUnauthorizedAccount"):
        prepare(w3, planted.manifest.system.executor, w3.eth.accounts[5], planted.calldata())


def test_prepare__dead_node__one_line_without_the_path(refused_port):
    w3 = http_web3(f"http://127.0.0.1:{refused_port}/v3/secret-key", timeout=5)
    with pytest.raises(NodeError) as e:
        prepare(w3, "0x" + "11" * 20, "0x" + "22" * 20, b"\x01\x02\x03\x04")
    assert str(e.value) == (f"no node answers at http://127.0.0.1:{refused_port} "
                            f"(ConnectionError)")
