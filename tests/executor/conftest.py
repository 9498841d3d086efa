"""A world with the system deployed (registries + executor) and a planted arbitrage."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from web3.contract import Contract

from keeper.chain.anvil import wait_receipt
from keeper.chain.pool_reader import read_pools
from keeper.detect.world import detector_for, tradable_pools
from keeper.manifest import Manifest
from keeper.onchain.deploy_system import deploy_system, executor_contract
from keeper.world.artifacts import npm_artifact
from keeper.world.local import LocalWorld, start_world


@dataclass
class System:
    world: LocalWorld
    manifest: Manifest
    executor: Contract
    keeper: str
    admin: str
    stranger: str

    def send(self, fn, sender: str) -> dict:
        return wait_receipt(self.world.w3, fn.transact({"from": sender, "gas": 3_000_000}))

    def give_weth(self, to: str, amount: int) -> None:
        """`amount` of WETH to `to`, wrapped by the admin from its ether."""
        w3 = self.world.w3
        weth = w3.eth.contract(address=self.manifest.weth, abi=npm_artifact("WETH9").abi)
        wait_receipt(w3, weth.functions.deposit().transact({"from": self.admin, "value": amount}))
        self.send(weth.functions.transfer(to, amount), self.admin)

    def opportunities(self, source: str | None = None):
        m = self.manifest
        vault_liq = {t.address: 10**40 for t in m.tokens}  # the vault is funded
        det = detector_for(m, balancer_liquidity=vault_liq)
        det.update_pools(read_pools(self.world.w3, tradable_pools(m)))
        found = det.evaluate(None, 0, 0, {t.address: t.price_usd for t in m.tokens})
        return [o for o in found if source is None or o.flash_source == source]


@pytest.fixture(scope="session")
def deployed_system() -> Iterator[System]:
    """The world with the system deployed, once for the whole run (~8 s on a 2-core machine)."""
    world = start_world()
    try:
        w3 = world.w3
        admin, keeper, stranger = w3.eth.accounts[0], w3.eth.accounts[9], w3.eth.accounts[7]
        manifest = deploy_system(w3, world.manifest, admin=admin, keeper=keeper)
        executor = executor_contract(w3, manifest)
        yield System(world, manifest, executor, keeper, admin, stranger)
    finally:
        world.stop()


@pytest.fixture(scope="module")
def system_world(deployed_system: System) -> Iterator[System]:
    """Each module starts from the system as deployed: the node's state (code, storage,
    balances, nonces, block and time) is reverted to it when the module ends."""
    with deployed_system.world.reverted():
        yield deployed_system


@pytest.fixture
def system(system_world: System) -> Iterator[System]:
    with system_world.world.reverted():
        yield system_world


@pytest.fixture
def plant():
    return _plant


def _plant(system: System, dex: str = "sushiswap", weth_in: int = 80) -> None:
    """Sell WETH for USDC on one pool: WETH becomes cheap there."""
    w3, m = system.world.w3, system.manifest
    router = w3.eth.contract(address=m.dex(dex).router, abi=npm_artifact("UniswapV2Router02").abi)
    weth = w3.eth.contract(address=m.weth, abi=npm_artifact("WETH9").abi)
    a = system.stranger
    wait_receipt(w3, weth.functions.deposit().transact({"from": a, "value": weth_in * 10**18}))
    wait_receipt(w3, weth.functions.approve(router.address, 2**256 - 1).transact({"from": a}))
    wait_receipt(w3, router.functions.swapExactTokensForTokens(
        weth_in * 10**18, 0, [m.weth, m.token("USDC").address], a, 2**63).transact({"from": a}))
