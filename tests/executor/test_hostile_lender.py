"""The lender is the caller's choice for the V3 flash source (and the admin's for Aave): a
contract that answers as a pool would and then calls back for the executor's tokens must
get nothing. The executor holds USDC here, as a running one holds its profits."""

from __future__ import annotations

import pytest

from keeper.chain.anvil import wait_receipt
from keeper.onchain.route import SOURCES, encode_route
from keeper.world.artifacts import project_artifact
from tests.executor.test_executor import _balance, _best, _execute_call, _reverts_with

LOOT = 5 * 10**9  # 5,000 USDC held by the executor


@pytest.fixture
def lender(system):
    """A HostileLender set to impersonate a real V3 pool holding WETH, and to take LOOT."""
    w3, m = system.world.w3, system.manifest
    art = project_artifact("HostileLender")
    r = wait_receipt(w3, w3.eth.contract(abi=art.abi, bytecode=art.bytecode).constructor()
                     .transact({"from": system.admin}))
    hostile = w3.eth.contract(address=w3.to_checksum_address(r["contractAddress"]), abi=art.abi)
    usdc = m.token("USDC").address
    erc20 = project_artifact("TestERC20").abi
    wait_receipt(w3, w3.eth.contract(address=usdc, abi=erc20).functions.mint(
        system.executor.address, LOOT).transact({"from": system.admin}))
    real = next(p for p in m.pools if p.kind.value == "uniswap_v3" and m.weth in (p.token0,
                                                                               p.token1))
    v3 = next(d for d in m.dexes if d.id == real.dex)
    wait_receipt(w3, hostile.functions.configure(v3.factory, real.token0, real.token1, real.fee,
                                                 usdc, LOOT).transact({"from": system.admin}))
    return hostile


def _execute(system, flash_pool: str, source: str = "uniswap-v3-flash"):
    opp = _best(system)
    return _execute_call(system, encode_route(opp, system.manifest), opp.amount_in,
                         source=SOURCES[source], flash_pool=flash_pool)


def _sent_and_reverted(system, call) -> None:
    """Mined too, not only simulated: the transaction fails and the loot stays."""
    usdc = system.manifest.token("USDC").address
    r = wait_receipt(system.world.w3, call.transact({"from": system.keeper, "gas": 3_000_000}))
    assert r["status"] == "0x0"
    assert _balance(system, usdc) == LOOT


def test_execute__v3_flash_pool_impersonating_a_listed_pool__reverts_foreign_pool(
        system, plant, lender):
    """It reports a listed factory and a real pool's tokens and fee, but it is not at the
    address that factory deployed those at."""
    plant(system)
    call = _execute(system, lender.address)
    _reverts_with(call, "ExecutorForeignPool(address,address)", system.keeper)
    _sent_and_reverted(system, call)


def test_execute__v3_flash_pool_of_an_unlisted_factory__reverts(system, plant, lender):
    plant(system)
    m = system.manifest
    real = next(p for p in m.pools if p.kind.value == "uniswap_v3")
    wait_receipt(system.world.w3, lender.functions.configure(
        system.stranger, real.token0, real.token1, real.fee, m.token("USDC").address, LOOT)
        .transact({"from": system.admin}))
    _reverts_with(_execute(system, lender.address), "ExecutorFactoryNotEnabled(address)",
                  system.keeper)


def test_execute__v3_flash_pool_is_a_v2_pair_or_has_no_code__reverts(system, plant):
    plant(system)
    m = system.manifest
    pair = next(p for p in m.pools if p.kind.value == "uniswap_v2")
    # a V2 pair answers factory() with a factory listed as UniswapV2, not V3
    _reverts_with(_execute(system, pair.address), "ExecutorFactoryNotEnabled(address)",
                  system.keeper)
    _reverts_with(_execute(system, system.stranger), "ExecutorNoPool(address)", system.keeper)


def test_execute__v3_flash_pool_without_the_start_token__reverts(system, plant):
    """A real listed pool that does not hold the start token would lend another token than
    the route spends and repays; the pool would then revert (F0/F1), and this says why first."""
    plant(system)
    m = system.manifest
    opp = _best(system)
    pool = next(p for p in m.pools if p.kind.value == "uniswap_v3"
                and opp.start_token not in (p.token0, p.token1))
    _reverts_with(_execute(system, pool.address), "ExecutorTokenNotInPool(address,address)",
                  system.keeper)


def test_callback__the_expected_lender_answers_with_another_callback__reverts(
        system, plant, lender):
    """The admin points the Aave source at the hostile lender (a mistake or a stolen admin
    key's first step): it is the expected caller, but called for flashLoanSimple it may only
    answer executeOperation, not a swap callback that pays it."""
    plant(system)
    ex = system.executor.functions
    system.send(ex.setAavePool(lender.address), system.admin)
    call = _execute(system, "0x" + "00" * 20, "aave-v3")
    _reverts_with(call, "ExecutorUnexpectedCallback(address)", system.keeper)
    _sent_and_reverted(system, call)


@pytest.mark.parametrize("lie", ["asset", "amount", "route", "initiator"])
def test_execute__aave_callback_names_another_loan_than_asked__reverts(system, plant, lender,
                                                                        lie):
    """The admin's Aave pool lends what was asked, so that the route can run, and answers with
    the right callback, but tells a lie in it. `asset`: it names USDC, which the executor
    holds, as the asset and all of it as the premium, to pull it through the approval
    executeOperation gives (before the loan was bound to what execute asked for, this went
    through and the USDC left). `amount`, `route`: one more than it lent, or a route of its
    own. `initiator`: someone else started the loan. A hostile or compromised pool gets
    nothing; each lie is refused by its own check, with its own argument."""
    _lend_the_start_token(system, plant, lender)
    code = {"asset": 1, "amount": 2, "route": 3, "initiator": 4}[lie]
    system.send(lender.functions.setLie(code, system.stranger), system.admin)
    call = _execute(system, "0x" + "00" * 20, "aave-v3")
    # the initiator check names the initiator; the loan's binding, the caller (the pool)
    refused = system.stranger if lie == "initiator" else lender.address
    _reverts_with(call, "ExecutorUnexpectedCallback(address)", system.keeper, refused)
    _sent_and_reverted(system, call)


def _lend_the_start_token(system, plant, lender) -> None:
    """The planted opportunity's start token (WETH) in the lender's hands, enough to lend
    what the route asks for, and the lender set as the executor's Aave pool."""
    plant(system)
    m = system.manifest
    opp = _best(system)
    assert opp.start_token != m.token("USDC").address, "the loot must not be the start token"
    assert opp.start_token == m.weth
    system.give_weth(lender.address, opp.amount_in)
    system.send(system.executor.functions.setAavePool(lender.address), system.admin)
