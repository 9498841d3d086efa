"""FlashArbExecutor on the real protocols: each flash source runs a detected route and keeps
exactly the profit the keeper's exact math predicted; every rule that must revert does."""

from __future__ import annotations

import pytest
from eth_abi import encode as abi_encode
from eth_utils import keccak
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD

from keeper.detect.opportunity import Opportunity, RouteHop
from keeper.onchain.registry import dex_id
from keeper.onchain.route import SOURCES, encode_route
from keeper.world.artifacts import npm_artifact

ZERO_ADDRESS = "0x" + "00" * 20

ERC20_BALANCE = [{"name": "balanceOf", "type": "function", "stateMutability": "view",
                  "inputs": [{"name": "a", "type": "address"}],
                  "outputs": [{"name": "", "type": "uint256"}]}]
ERC20_ALLOWANCE = [{"name": "allowance", "type": "function", "stateMutability": "view",
                    "inputs": [{"name": "o", "type": "address"}, {"name": "s", "type": "address"}],
                    "outputs": [{"name": "", "type": "uint256"}]}]
FAR = 2**40
NO_POOL = "0x" + "00" * 20


def _execute_call(system, route: bytes, amount: int, min_profit: int = 0, source: int = 0,
                  flash_pool: str = NO_POOL):
    """The executor's execute() with a far deadline and no exact block, not yet sent."""
    return system.executor.functions.execute(source, flash_pool, amount, min_profit, FAR, False,
                                             route)


def _selector(signature: str) -> str:
    return "0x" + keccak(text=signature)[:4].hex()


def _reverts_with(call, signature: str, sender: str, *args: object) -> None:
    """The call reverts with that error; with `args`, with those arguments too."""
    with pytest.raises(ContractLogicError) as e:
        call.call({"from": sender})
    data = e.value.data if isinstance(e.value.data, str) else str(e.value.args)
    assert _selector(signature) in str(data), (signature, e.value)
    if args:
        types = signature[signature.index("(") + 1:-1].split(",")
        expected = _selector(signature) + abi_encode(types, args).hex()
        assert expected in str(data).lower(), (signature, args, e.value)


def _balance(system, token: str) -> int:
    c = system.world.w3.eth.contract(address=token, abi=ERC20_BALANCE)
    return c.functions.balanceOf(system.executor.address).call()


def _best(system, source: str = "balancer"):
    """The best opportunity the source can fund: a V2 first hop for the first-pair flash swap,
    V2 hops only for the last-pair one."""
    kinds = {"uniswap-v2-flashswap": lambda r: r[0].kind == "uniswap_v2",
             "uniswap-v2-flashswap-last": lambda r: all(h.kind == "uniswap_v2" for h in r)}
    fits = kinds.get(source, lambda r: True)
    opps = [o for o in system.opportunities() if fits(o.route)]
    assert opps, "the planted dislocation must show up as an opportunity"
    return opps[0]


@pytest.mark.parametrize("source", ["balancer", "uniswap-v2-flashswap",
                                    "uniswap-v2-flashswap-last", "uniswap-v3-flash", "aave-v3"])
def test_execute__each_flash_source__keeps_exactly_the_predicted_profit(system, source, plant):
    plant(system)
    m = system.manifest
    opp = _best(system, source)
    flash_pool, fee = "0x" + "00" * 20, 0
    if source == "uniswap-v3-flash":
        used = {h.pool for h in opp.route}
        pool = next(p for p in m.pools if p.kind.value == "uniswap_v3" and p.address not in used
                    and opp.start_token in (p.token0, p.token1))
        flash_pool, fee = pool.address, -(-opp.amount_in * pool.fee // 1_000_000)
    if source == "aave-v3":  # the deployed premium, rounded half up as Aave's percentMul
        fee = (opp.amount_in * m.aave_flash_premium_bps + 5_000) // 10_000
        assert fee > 0
    expected = opp.gross_profit - fee
    assert expected > 0
    before = _balance(system, opp.start_token)
    receipt = system.send(_execute_call(system, encode_route(opp, m), opp.amount_in, expected,
                                        SOURCES[source], flash_pool), system.keeper)
    assert receipt["status"] == "0x1"
    assert _balance(system, opp.start_token) - before == expected
    logs = system.executor.events.Executed().process_receipt(receipt, errors=DISCARD)
    assert logs[0]["args"]["profit"] == expected
    # no approval outlives the execute: every pool, the vault and the flash pool see zero
    spenders = {p.address for p in m.pools} | {m.balancer_vault, m.aave_pool}
    for token in {t.address for t in m.tokens if not t.hostile}:
        c = system.world.w3.eth.contract(address=token, abi=ERC20_ALLOWANCE)
        for spender in spenders:
            assert c.functions.allowance(system.executor.address, spender).call() == 0


@pytest.mark.parametrize("above", ["by one", "near 2^256"])
def test_execute__min_profit_above_result__reverts_insufficient_profit(system, plant, above):
    # near 2^256 the check once added it to the executor's balance before the trade, and
    # overflowed into a Panic whenever that balance was not 0 (a running executor keeps its
    # profits): it holds one wei of the start token here
    plant(system)
    opp = _best(system)
    assert opp.start_token == system.manifest.weth
    system.give_weth(system.executor.address, 1)
    wanted = opp.gross_profit + 1 if above == "by one" else 2**256 - 1
    call = _execute_call(system, encode_route(opp, system.manifest), opp.amount_in, wanted)
    _reverts_with(call, "InsufficientProfit(uint256,uint256)", system.keeper)


def test_execute__caller_not_executor__reverts(system, plant):
    plant(system)
    opp = _best(system)
    call = _execute_call(system, encode_route(opp, system.manifest), opp.amount_in)
    _reverts_with(call, "AccessControlUnauthorizedAccount(address,bytes32)", system.stranger)


def test_execute__paused_or_past_deadline_or_wrong_block__reverts(system, plant):
    plant(system)
    opp = _best(system)
    route = encode_route(opp, system.manifest)
    block = system.world.w3.eth.block_number
    ex = system.executor.functions
    _reverts_with(ex.execute(0, "0x" + "00" * 20, opp.amount_in, 0, block - 1, False, route),
                  "ExecutorDeadlinePassed(uint256,uint256)", system.keeper)
    _reverts_with(ex.execute(0, "0x" + "00" * 20, opp.amount_in, 0, block + 5, True, route),
                  "ExecutorWrongBlock(uint256,uint256)", system.keeper)
    system.send(ex.pause(), system.admin)
    _reverts_with(ex.execute(0, "0x" + "00" * 20, opp.amount_in, 0, FAR, False, route),
                  "EnforcedPause()", system.keeper)


def test_callbacks__called_from_outside_an_execute__revert(system):
    ex = system.executor.functions
    s = system.stranger
    _reverts_with(ex.uniswapV2Call(system.executor.address, 1, 0, b"\x00" * 64),
                  "ExecutorUnexpectedCallback(address)", s)
    _reverts_with(ex.uniswapV3SwapCallback(1, 0, b"\x00" * 32),
                  "ExecutorUnexpectedCallback(address)", s)
    _reverts_with(ex.uniswapV3FlashCallback(0, 0, b"\x00" * 64),
                  "ExecutorUnexpectedCallback(address)", s)
    _reverts_with(ex.receiveFlashLoan([system.manifest.weth], [1], [0], b""),
                  "ExecutorUnexpectedCallback(address)", s)
    _reverts_with(ex.executeOperation(system.manifest.weth, 1, 0, system.executor.address, b""),
                  "ExecutorUnexpectedCallback(address)", s)


def test_balancer_flash_loan__started_by_attacker_to_executor__reverts(system):
    vault = system.world.w3.eth.contract(address=system.manifest.balancer_vault,
                                         abi=npm_artifact("BalancerVault").abi)
    # a route the executor could run: only the callback guard can refuse it
    opp = Opportunity(0, 0, system.manifest.weth, _v2_cycle(system), 10**18, 0, 0, "balancer",
                      0, 0, 0, 0, None)
    call = vault.functions.flashLoan(system.executor.address, [system.manifest.weth],
                                     [10**18], encode_route(opp, system.manifest))
    _reverts_with(call, "ExecutorUnexpectedCallback(address)", system.stranger)


def _v2_cycle(system) -> tuple[RouteHop, RouteHop]:
    """WETH -> USDC on uniswap-v2, back on sushiswap."""
    m = system.manifest
    usdc = m.token("USDC").address

    def pool(dex: str) -> str:
        return next(p.address for p in m.pools if p.dex == dex
                    and {p.token0, p.token1} == {m.weth, usdc})

    return (RouteHop(pool("uniswap-v2"), "uniswap_v2", m.weth, usdc, 3000),
            RouteHop(pool("sushiswap"), "uniswap_v2", usdc, m.weth, 3000))


@pytest.mark.parametrize("data", [b"\x00" * 64, b"\x01" * 87])
def test_v2_flash_swap__started_by_attacker_to_executor__reverts(system, data):
    """A pair's flash swap whose `to` is the executor calls uniswapV2Call outside any execute:
    with the first-pair layout (amount | route) and with the last-pair one (legs) alike."""
    m = system.manifest
    pool = next(p for p in m.pools if p.kind.value == "uniswap_v2" and m.weth in (p.token0,
                                                                                  p.token1))
    pair = system.world.w3.eth.contract(address=pool.address,
                                        abi=npm_artifact("UniswapV2Pair").abi)
    out = (10**15, 0) if pool.token0 == m.weth else (0, 10**15)
    call = pair.functions.swap(*out, system.executor.address, data)
    _reverts_with(call, "ExecutorUnexpectedCallback(address)", system.stranger)


def test_aave_flash_loan__started_by_attacker_to_executor__reverts(system):
    from keeper.world.artifacts import npm_artifact as npm

    pool = system.world.w3.eth.contract(address=system.manifest.aave_pool,
                                        abi=npm("AavePool").abi)
    call = pool.functions.flashLoanSimple(system.executor.address, system.manifest.weth,
                                          10**18, b"", 0)
    _reverts_with(call, "ExecutorUnexpectedCallback(address)", system.stranger)


def test_set_aave_pool_or_price_feeds__admin_only__event_emitted(system):
    ex, events = system.executor.functions, system.executor.events
    assert ex.aavePool().call() == system.manifest.aave_pool
    for setter in (ex.setAavePool, ex.setPriceFeeds):
        _reverts_with(setter(system.stranger), "AccessControlUnauthorizedAccount(address,bytes32)",
                      system.stranger)
    r = system.send(ex.setAavePool(system.stranger), system.admin)
    assert events.AavePoolSet().process_receipt(r, errors=DISCARD)[0]["args"]["pool"] == \
        system.stranger
    r = system.send(ex.setPriceFeeds(system.stranger), system.admin)
    assert events.PriceFeedsSet().process_receipt(r, errors=DISCARD)[0]["args"]["feeds"] == \
        system.stranger
    assert (ex.aavePool().call(), ex.priceFeeds().call()) == (system.stranger, system.stranger)


def test_withdraw__admin_only__not_to_the_zero_address(system, plant):
    plant(system)
    opp = _best(system)
    system.send(_execute_call(system, encode_route(opp, system.manifest), opp.amount_in, 1),
                system.keeper)
    held = _balance(system, opp.start_token)
    ex = system.executor.functions
    _reverts_with(ex.withdraw(opp.start_token, system.stranger, held),
                  "AccessControlUnauthorizedAccount(address,bytes32)", system.stranger)
    # the start token is WETH9 here, which would take the transfer and burn it
    assert opp.start_token == system.manifest.weth
    _reverts_with(ex.withdraw(opp.start_token, ZERO_ADDRESS, held), "ExecutorZeroRecipient()",
                  system.admin)
    receipt = system.send(ex.withdraw(opp.start_token, system.admin, held), system.admin)
    assert _balance(system, opp.start_token) == 0
    event = system.executor.events.Withdrawn().process_receipt(receipt, errors=DISCARD)[0]
    assert (event["args"]["token"], event["args"]["to"], event["args"]["amount"]) == (
        opp.start_token, system.admin, held)


def test_execute__dex_disabled_in_registry__reverts(system, plant):
    from keeper.world.artifacts import project_artifact

    plant(system)
    opp = _best(system)
    registry = system.world.w3.eth.contract(address=system.manifest.system.dex_registry,
                                            abi=project_artifact("DexRegistry").abi)
    dex_of = {p.address: p.dex for p in system.manifest.pools}
    for hop in opp.route:
        system.send(registry.functions.setEnabled(dex_id(dex_of[hop.pool]), False), system.admin)
    call = _execute_call(system, encode_route(opp, system.manifest), opp.amount_in)
    _reverts_with(call, "ExecutorFactoryNotEnabled(address)", system.keeper)


def test_execute__route_carries_unlisted_init_code_hash__reverts(system, plant):
    """The hop's init-code hash picks the listing: a hash the registry did not list for that
    factory (which would derive some other address) finds nothing enabled."""
    plant(system)
    opp = _best(system)
    route = bytearray(encode_route(opp, system.manifest))
    route[20 + 20:20 + 52] = keccak(text="not the pair's creation code")
    call = _execute_call(system, bytes(route), opp.amount_in)
    _reverts_with(call, "ExecutorFactoryNotEnabled(address)", system.keeper)


def _fee_field(route: bytearray, hop: int, fee: int) -> bytes:
    at = 20 + hop * 75 + 72
    route[at:at + 3] = fee.to_bytes(3, "big")
    return bytes(route)


def test_execute__hop_fee_disagrees_with_its_listing__reverts_hop_fee(system, plant):
    """A hop pays its output straight into the next pair when the next hop's fee field says
    V2 (0), so the field must match the listing: a V2 hop with a fee, or a V3 hop without
    one, would have sent the previous output to an address that is not the pool that runs
    (a V3 factory may enable a tier 0) or made the executor pay a V2 pair from its own funds."""
    opp = next(o for o in system.opportunities("balancer")
               if [h.kind for h in o.route] == ["uniswap_v2", "uniswap_v3"])
    route = encode_route(opp, system.manifest)
    cases = [(opp, route, 0, 1), (opp, route, 1, 0)]
    # the harmful one: a second V2 hop with a fee would be paid from the executor's funds
    plant(system)
    v2 = next(o for o in system.opportunities("balancer")
              if [h.kind for h in o.route] == ["uniswap_v2", "uniswap_v2"])
    cases.append((v2, encode_route(v2, system.manifest), 1, 1))
    for o, r, hop, fee in cases:
        call = _execute_call(system, _fee_field(bytearray(r), hop, fee), o.amount_in)
        _reverts_with(call, "ExecutorHopFee(address,uint24)", system.keeper)


@pytest.mark.parametrize("source", ["uniswap-v2-flashswap", "uniswap-v2-flashswap-last"])
def test_execute__v2_flash_swap_hop_with_a_fee__reverts_hop_fee(system, plant, source):
    """The V2 flash swaps quote the hops they borrow through from the pair and the listing's
    fee, never the hop's fee field; a field that is not 0 is refused there as on execute's
    other hops (the lender's hop, and for the last pair's loan every hop)."""
    plant(system)
    opp = next(o for o in system.opportunities("balancer")
               if [h.kind for h in o.route] == ["uniswap_v2", "uniswap_v2"])
    route = encode_route(opp, system.manifest)
    for hop in (0, 1):
        _reverts_with(_execute_call(system, _fee_field(bytearray(route), hop, 3000),
                                    opp.amount_in, source=SOURCES[source]),
                      "ExecutorHopFee(address,uint24)", system.keeper)
    # the route as encoded goes through from the same state: the refusal is the field's
    call = _execute_call(system, route, opp.amount_in, source=SOURCES[source])
    assert system.send(call, system.keeper)["status"] == "0x1"


def _swap_recipients(frame: dict, pair: str) -> list[str]:
    """The `to` of every swap() called on `pair` in a callTracer tree, in call order."""
    found = []
    if frame.get("to", "").lower() == pair.lower() and frame.get("input", "")[:10] == "0x022c0d9f":
        found.append("0x" + frame["input"][2 + 8 + 64 * 2 + 24:2 + 8 + 64 * 3])
    for child in frame.get("calls", []):
        found += _swap_recipients(child, pair)
    return found


def test_execute__next_hop_unlisted__reverts_after_the_early_payment(system, plant):
    """The first hop pays the second hop's derived pair before that hop's listing is read:
    a second hop naming an unlisted factory must still revert the whole trade (the trace
    shows the payment made, the receipt and balances show it undone)."""
    plant(system)
    opp = next(o for o in system.opportunities("balancer")
               if [h.kind for h in o.route] == ["uniswap_v2", "uniswap_v2"])
    route = bytearray(encode_route(opp, system.manifest))
    route[20 + 75:20 + 95] = bytes.fromhex(system.stranger[2:])  # hop 1's factory
    call = _execute_call(system, bytes(route), opp.amount_in)
    _reverts_with(call, "ExecutorFactoryNotEnabled(address)", system.keeper)
    tokens = (opp.start_token, opp.route[0].token_out)
    before = [_balance(system, t) for t in tokens]
    receipt = system.send(call, system.keeper)
    assert receipt["status"] == "0x0"
    assert [_balance(system, t) for t in tokens] == before
    # the pair hop 1 names, derived (CREATE2) from the unlisted factory, got hop 0's output
    t0, t1 = sorted((opp.route[0].token_out, opp.start_token), key=str.lower)
    salt = keccak(bytes.fromhex(t0[2:]) + bytes.fromhex(t1[2:]))
    derived = keccak(b"\xff" + bytes.fromhex(system.stranger[2:]) + salt
                     + bytes(route[20 + 95:20 + 127]))[12:]
    tree = system.world.w3.provider.make_request("debug_traceTransaction", [
        receipt["transactionHash"], {"tracer": "callTracer"}])["result"]
    assert _swap_recipients(tree, opp.route[0].pool) == ["0x" + derived.hex()]


def test_execute__hop_on_a_listed_balancer_venue__reverts_not_enabled(system):
    """Balancer is listed (enabled, no init-code hash) so the keeper can borrow from it, but a
    hop cannot swap there: the executor refuses it rather than treating it as a V3 pool."""
    m = system.manifest
    usdc = m.token("USDC").address
    balancer = next(d for d in m.dexes if d.kind.value == "balancer_v2")
    assert system.executor.functions.listing(balancer.factory, b"\0" * 32).call()[0] is True
    hop = bytes.fromhex(balancer.factory[2:]) + b"\0" * 32
    route = (bytes.fromhex(m.weth[2:]) + hop + bytes.fromhex(usdc[2:]) + b"\0" * 3
             + hop + bytes.fromhex(m.weth[2:]) + b"\0" * 3)
    call = _execute_call(system, route, 10**18)
    _reverts_with(call, "ExecutorFactoryNotEnabled(address)", system.keeper)


def test_execute__derived_pair_does_not_exist__reverts_no_pool(system):
    """A listed factory and hash, but two tokens it has no pair for: the derived address is
    empty, and the executor says so instead of swapping with nothing."""
    m = system.manifest
    dex = next(d for d in m.dexes if d.kind.value == "uniswap_v2")
    paired = {frozenset((p.token0, p.token1)) for p in m.pools if p.dex == dex.id}
    tokens = [t.address for t in m.tokens if not t.hostile]
    a, b = next((x, y) for x in tokens for y in tokens
                if x != y and frozenset((x, y)) not in paired)
    hop = bytes.fromhex(dex.factory[2:]) + bytes.fromhex(dex.init_code_hash[2:])
    route = (bytes.fromhex(a[2:]) + hop + bytes.fromhex(b[2:]) + b"\0" * 3
             + hop + bytes.fromhex(a[2:]) + b"\0" * 3)
    for source in ("balancer", "uniswap-v2-flashswap-last"):
        call = _execute_call(system, route, 10**6, source=SOURCES[source])
        _reverts_with(call, "ExecutorNoPool(address)", system.keeper)


def test_execute__last_pair_source_on_a_route_not_back_to_the_start__reverts(system, plant):
    """The last pair lends the route's final token; if that is not the start token the
    executor would pay the first pair from its own balance, and the profit check stops it."""
    plant(system)
    m = system.manifest
    opp = _best(system, "uniswap-v2-flashswap")
    # leave the executor holding profit
    system.send(_execute_call(system, encode_route(opp, m), opp.amount_in, 1), system.keeper)
    start = opp.start_token
    v2 = [p for p in m.pools if p.kind.value == "uniswap_v2"
          and not (m.token(p.token0).hostile or m.token(p.token1).hostile)]
    first = next(p for p in v2 if start in (p.token0, p.token1))
    middle = first.token1 if first.token0 == start else first.token0
    second = next(p for p in v2 if middle in (p.token0, p.token1)
                  and start not in (p.token0, p.token1))
    end = second.token1 if second.token0 == middle else second.token0
    route = (RouteHop(first.address, "uniswap_v2", start, middle, first.fee),
             RouteHop(second.address, "uniswap_v2", middle, end, second.fee))
    held = {t: _balance(system, t) for t in (start, middle, end)}
    amount = held[start] // 2  # the executor can pay the first pair: only the check stops it
    assert amount > 0
    opp2 = Opportunity(0, 0, start, route, amount, 0, 0, "uniswap-v2-flashswap-last",
                       0, 0, 0, 0, None)
    call = _execute_call(system, encode_route(opp2, m), amount,
                         source=SOURCES["uniswap-v2-flashswap-last"])
    _reverts_with(call, "InsufficientProfit(uint256,uint256)", system.keeper)
    # mined too, not only simulated: the failed transaction leaves every balance as it was
    assert system.send(call, system.keeper)["status"] == "0x0"
    assert {t: _balance(system, t) for t in held} == held


def test_sync_factory__init_code_hash_updated__old_hash_delisted(system):

    dex = next(d for d in system.manifest.dexes if d.kind.value == "uniswap_v2")
    registry, ex = _registry(system), system.executor.functions
    old, new = bytes.fromhex(dex.init_code_hash[2:]), keccak(text="a new pair bytecode")
    assert ex.listing(dex.factory, old).call()[0] is True
    info = registry.functions.getDex(dex_id(dex.id)).call()
    router, fee = dex.router, dex.fee_bps
    system.send(registry.functions.update(dex_id(dex.id), router, fee, new), system.admin)
    assert ex.listing(dex.factory, old).call()[0] is False
    assert ex.listing(dex.factory, new).call()[0] is True
    system.send(registry.functions.update(dex_id(dex.id), router, fee, old), system.admin)
    assert ex.listing(dex.factory, old).call()[0] is True
    assert ex.listing(dex.factory, new).call()[0] is False
    assert info == registry.functions.getDex(dex_id(dex.id)).call()


def _registry(system):
    from keeper.world.artifacts import project_artifact

    return system.world.w3.eth.contract(address=system.manifest.system.dex_registry,
                                        abi=project_artifact("DexRegistry").abi)


def test_sync_factory__registry_change__executor_copy_follows_in_the_same_tx(system):

    dex = system.manifest.dexes[0]
    registry = _registry(system)
    assert registry.functions.listener().call() == system.executor.address
    assert system.executor.functions.venue(dex.factory).call()[0] is True
    system.send(registry.functions.setEnabled(dex_id(dex.id), False), system.admin)
    assert system.executor.functions.venue(dex.factory).call()[0] is False
    system.send(registry.functions.setEnabled(dex_id(dex.id), True), system.admin)
    assert system.executor.functions.venue(dex.factory).call()[0] is True


def test_sync_factory__anyone__only_mirrors_the_registry(system):

    dex = system.manifest.dexes[0]
    registry = _registry(system)
    ex = system.executor.functions
    # a stranger cannot set the listener (which would stop the registry's pushes)
    _reverts_with(registry.functions.setListener(system.stranger),
                  "AccessControlUnauthorizedAccount(address,bytes32)", system.stranger)
    # with pushes off the copy goes stale; anyone's sync brings it back to the registry's word
    system.send(registry.functions.setListener("0x" + "00" * 20), system.admin)
    system.send(registry.functions.setEnabled(dex_id(dex.id), False), system.admin)
    assert ex.venue(dex.factory).call()[0] is True
    r = system.send(ex.syncFactory(dex.factory), system.stranger)
    assert ex.venue(dex.factory).call()[0] is False
    synced = system.executor.events.FactorySynced().process_receipt(r, errors=DISCARD)[0]["args"]
    assert (synced["factory"], synced["enabled"]) == (dex.factory, False)
    # syncing an unregistered address (the stranger itself) leaves it not enabled
    system.send(ex.syncFactory(system.stranger), system.stranger)
    assert ex.venue(system.stranger).call()[0] is False
    system.send(registry.functions.setEnabled(dex_id(dex.id), True), system.admin)
    system.send(registry.functions.setListener(system.executor.address), system.admin)
    system.send(ex.syncFactory(dex.factory), system.stranger)
    assert ex.venue(dex.factory).call()[0] is True


@pytest.mark.parametrize("hops_and_extra", [(1, 0), (5, 0), (2, 1), (3, -1), (0, 0)])
def test_execute__route_not_2_to_4_whole_hops__reverts_bad_route(system, hops_and_extra):
    hops, extra = hops_and_extra
    route = b"\x11" * (20 + 75 * hops + extra)
    call = _execute_call(system, route, 10**18)
    _reverts_with(call, "ExecutorBadRoute(uint256)", system.keeper)


@pytest.mark.parametrize("source", ["balancer", "uniswap-v2-flashswap"])
def test_execute__four_hops_mixing_v2_and_v3__runs_every_hop_and_profits(system, plant, source):
    """WETH -> USDC -> WETH twice over the planted dislocation, one leg on a V3 pool."""
    plant(system)
    w3, m = system.world.w3, system.manifest
    usdc = m.token("USDC").address
    sell, buy = _v2_cycle(system)
    v3 = next(p for p in m.pools if p.kind.value == "uniswap_v3"
              and {p.token0, p.token1} == {m.weth, usdc})
    route = (sell, buy, RouteHop(v3.address, "uniswap_v3", m.weth, usdc, v3.fee), buy)
    opp = Opportunity(0, 0, m.weth, route, 10**17, 0, 0, source, 0, 0, 0, 0, None)
    before = _balance(system, m.weth)
    receipt = system.send(_execute_call(system, encode_route(opp, m), opp.amount_in, 1,
                                        SOURCES[source]), system.keeper)
    assert receipt["status"] == "0x1"
    profit = system.executor.events.Executed().process_receipt(receipt, errors=DISCARD)[0][
        "args"]["profit"]
    assert profit > 0 and _balance(system, m.weth) - before == profit
    v2_swaps = w3.eth.contract(abi=npm_artifact("UniswapV2Pair").abi).events.Swap()
    v3_swaps = w3.eth.contract(abi=npm_artifact("UniswapV3Pool").abi).events.Swap()

    # sorted: a flash-swapping first pair logs its swap last, once the callback has returned
    def swapped(event) -> list[str]:
        return sorted(e["address"].lower() for e in event.process_receipt(receipt,
                                                                          errors=DISCARD))

    assert swapped(v2_swaps) == sorted(h.pool.lower() for h in (sell, buy, buy))
    assert swapped(v3_swaps) == [v3.address.lower()]
