"""Real router swaps in the world, one block each (shared by the chain tests)."""

from __future__ import annotations

from keeper.chain.anvil import wait_receipt
from keeper.manifest import DexKind
from keeper.world.artifacts import npm_artifact

MAX = 2**256 - 1


def swapper(world):
    """Returns swap(pool_dex, amount_weth): a real router swap WETH -> USDC, one block each."""
    w3, m = world.w3, world.manifest
    tx = {"from": world.deployer}
    weth = w3.eth.contract(address=m.weth, abi=npm_artifact("WETH9").abi)
    wait_receipt(w3, weth.functions.deposit().transact({**tx, "value": 5_000 * 10**18}))
    usdc = m.token("USDC").address
    for d in m.dexes:
        if d.router:
            wait_receipt(w3, weth.functions.approve(d.router, MAX).transact(tx))

    def swap(dex_id: str, amount: int) -> None:
        d = m.dex(dex_id)
        if d.kind is DexKind.UNISWAP_V2:
            r = w3.eth.contract(address=d.router, abi=npm_artifact("UniswapV2Router02").abi)
            call = r.functions.swapExactTokensForTokens(amount, 0, [m.weth, usdc],
                                                        world.deployer, 2**63)
        else:
            r = w3.eth.contract(address=d.router, abi=npm_artifact("SwapRouter").abi)
            call = r.functions.exactInputSingle((m.weth, usdc, 500, world.deployer, 2**63,
                                                 amount, 0, 0))
        assert wait_receipt(w3, call.transact(tx))["status"] == "0x1"

    return swap
