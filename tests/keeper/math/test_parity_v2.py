"""V2 math parity: 1,000 random swaps on the real Uniswap V2 pairs. The pair must pay exactly
`get_amount_out` and refuse one wei more (its K check), so the port is exact, not close."""

from __future__ import annotations

import math
import random

import pytest
from web3.exceptions import ContractLogicError

from keeper.chain.anvil import wait_receipt
from keeper.manifest import DexKind
from keeper.math import v2
from keeper.math.errors import InsufficientInputAmount, InsufficientLiquidity
from keeper.world.artifacts import npm_artifact

SWAPS = 1000
ERC20 = [{"name": "transfer", "type": "function", "stateMutability": "nonpayable",
          "inputs": [{"name": "to", "type": "address"}, {"name": "v", "type": "uint256"}],
          "outputs": [{"name": "", "type": "bool"}]}]


def test_v2_parity__1000_random_swaps__exact_and_one_wei_more_reverts(fresh_world_state):
    w = fresh_world_state
    w3, m = w.w3, w.manifest
    hostile = {t.address for t in m.tokens if t.hostile}
    pools = [p for p in m.pools if p.kind is DexKind.UNISWAP_V2
             and p.token0 not in hostile and p.token1 not in hostile]
    pair_abi = npm_artifact("UniswapV2Pair").abi
    rng = random.Random(20261123)
    # gas and price given, so web3 does not ask the node for them before each of the 2,000
    # transactions (run alone after this, 101 s; 81 s with the chain id cached too, by
    # keeper.chain.http; 129 s before either, in a clean-clone run)
    tx = {"from": w.deployer, "gas": 300_000, "gasPrice": w3.eth.gas_price}
    weth = w3.eth.contract(address=m.weth, abi=npm_artifact("WETH9").abi)
    wait_receipt(w3, weth.functions.deposit().transact({**tx, "value": 200_000 * 10**18}))
    verified = mismatches = 0
    pairs: dict = {}  # web3 contract objects are costly to build: one per address
    tokens: dict = {}

    def send(fn) -> None:
        receipt = wait_receipt(w3, fn.transact(tx))
        assert receipt["status"] == "0x1"

    for i in range(SWAPS):
        pool = pools[rng.randrange(len(pools))]
        if pool.address not in pairs:
            pairs[pool.address] = w3.eth.contract(address=pool.address, abi=pair_abi)
        pair = pairs[pool.address]
        r0, r1, _ = pair.functions.getReserves().call()
        zero_for_one = rng.random() < 0.5
        r_in, r_out = (r0, r1) if zero_for_one else (r1, r0)
        token_in = pool.token0 if zero_for_one else pool.token1
        edge = i % 10 == 0
        if edge:  # edge amounts: dust, and trades as large as the whole reserve
            amount = rng.choice([1, 2, 3, 1000, r_in // 2, r_in, 3 * r_in])
        else:
            amount = int(math.exp(rng.uniform(math.log(1_000), math.log(r_in / 5))))
        expected = v2.get_amount_out(amount, r_in, r_out, pool.fee)
        if token_in not in tokens:
            tokens[token_in] = w3.eth.contract(address=token_in, abi=ERC20)
        token = tokens[token_in]
        send(token.functions.transfer(pool.address, amount))
        more = (0, expected + 1) if zero_for_one else (expected + 1, 0)
        with pytest.raises(ContractLogicError, match="UniswapV2: K"):
            pair.functions.swap(*more, w.deployer, b"").call(tx)
        verified += 1
        if expected == 0:
            send(pair.functions.sync())  # absorb the dust so the next swap starts clean
            continue
        exact = (0, expected) if zero_for_one else (expected, 0)
        send(pair.functions.swap(*exact, w.deployer, b""))
        n0, n1, _ = pair.functions.getReserves().call()
        new_in, new_out = (n0, n1) if zero_for_one else (n1, n0)
        mismatches += (new_in, new_out) != (r_in + amount, r_out - expected)
    assert verified == SWAPS
    assert mismatches == 0


def test_v2_get_amount_in__is_the_least_input_for_the_output():
    rng = random.Random(5)
    for _ in range(5000):
        r_in, r_out = rng.randrange(10**3, 10**30), rng.randrange(10**3, 10**30)
        out = rng.randrange(1, r_out)
        a_in = v2.get_amount_in(out, r_in, r_out)
        assert v2.get_amount_out(a_in, r_in, r_out) >= out
        if a_in > 1:
            assert v2.get_amount_out(a_in - 1, r_in, r_out) < out or a_in - 1 == 0


def test_v2__bad_input__raises_the_library_errors():
    with pytest.raises(InsufficientInputAmount):
        v2.get_amount_out(0, 10, 10)
    with pytest.raises(InsufficientLiquidity):
        v2.get_amount_out(1, 0, 10)
    with pytest.raises(InsufficientLiquidity):
        v2.get_amount_in(10, 10, 10)
