"""On a real anvil: the keeper's state ends equal to the chain's after live blocks, a reorg and
a dropped socket, and no block is skipped."""

from __future__ import annotations

from keeper.chain.anvil import rpc
from keeper.manifest import DexKind
from tests.keeper.chain.chain_truth import assert_states_equal_chain
from tests.keeper.chain.swapper import swapper as _swapper


def _assert_equal_to_chain(world, running) -> None:
    k = running.keeper
    assert assert_states_equal_chain(world.w3, k) > 0
    assert k.check_consistency(repair=False).repaired == []
    for number, held in k.store.hashes.items():
        assert world.w3.eth.get_block(number)["hash"].to_0x_hex() == held


def test_keeper__live_blocks__state_equals_chain(keeper_world):
    world, _, running = keeper_world
    swap = _swapper(world)
    for i in range(4):
        swap(("uniswap-v2", "sushiswap", "uniswap-v3")[i % 3], (i + 1) * 10**18)
    running.wait_for_head(world.w3.eth.block_number)
    _assert_equal_to_chain(world, running)
    assert running.keeper.follower.stats.blocks >= 4


def test_keeper__reorg__rewinds_to_ancestor_and_follows_new_branch(keeper_world):
    world, _, running = keeper_world
    swap = _swapper(world)
    running.wait_for_head(world.w3.eth.block_number)
    snap = rpc(world.anvil.http_url, "evm_snapshot")
    for _ in range(3):
        swap("uniswap-v2", 20 * 10**18)  # the branch that will be dropped
    old_head = world.w3.eth.block_number
    running.wait_for_head(old_head)
    dropped = running.keeper.store.hash_at(old_head)
    assert rpc(world.anvil.http_url, "evm_revert", snap) is True
    for _ in range(5):
        swap("sushiswap", 7 * 10**18)  # a longer, different branch
    new_head = world.w3.eth.block_number
    assert new_head > old_head
    running.wait_for_head(new_head)
    assert running.keeper.follower.stats.reorgs >= 1
    assert running.keeper.store.hash_at(old_head) != dropped
    _assert_equal_to_chain(world, running)
    recorded = running.keeper.db.block_hashes()
    assert recorded[new_head] == running.keeper.store.hash_at(new_head)
    assert all(world.w3.eth.get_block(n)["hash"].to_0x_hex() == h for n, h in recorded.items())


def test_keeper__socket_dropped__reconnects_and_backfills_every_block(keeper_world):
    world, proxy, running = keeper_world
    swap = _swapper(world)
    start = world.w3.eth.block_number
    running.wait_for_head(start)
    proxy.cut()
    for i in range(6):  # blocks the keeper cannot hear about
        swap(("uniswap-v2", "uniswap-v3")[i % 2], 3 * 10**18)
    head = world.w3.eth.block_number
    proxy.start()
    running.wait_for_head(head)
    stats = running.keeper.follower.stats
    assert stats.reconnects >= 1
    assert stats.backfilled >= 1
    recorded = running.keeper.db.block_hashes()
    assert set(range(start + 1, head + 1)) <= set(recorded)  # no block skipped
    _assert_equal_to_chain(world, running)


def test_read_pools__batched__equals_per_pool_reads(world):
    from keeper.chain.pool_reader import read_pool, read_pools

    block = world.w3.eth.block_number
    pools = [p for p in world.manifest.pools if p.kind is not DexKind.BALANCER_V2]
    assert read_pools(world.w3, pools, block) == [read_pool(world.w3, p, block) for p in pools]
