"""executeV2_e0, the packed all-V2 entry point, on the real protocols: it keeps exactly the
profit execute() keeps on the same route, holds every rule execute() holds, and its venue table
mirrors the registry (each hop's pool is still derived from an enabled listing)."""

from __future__ import annotations

import dataclasses

import pytest
import rlp
from eth_utils import keccak
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD

from keeper.chain.anvil import wait_receipt
from keeper.detect.opportunity import RouteHop
from keeper.manifest import Dex, DexKind
from keeper.onchain.deploy_system import deploy_behind_proxy, venue_indexes
from keeper.onchain.registry import dex_id
from keeper.onchain.route import (
    SOURCES,
    encode_route,
    encode_v2_path,
    execute_v2_calldata,
    pack_v2_head,
)
from keeper.world.artifacts import project_artifact
from keeper.world.deploy import _Tx

FAR = 2**31 - 1
ENTRY = 64
HEAD = 33  # the table's STOP byte and the gate key's word


def _venues(system) -> dict[str, int]:
    return venue_indexes(system.executor, system.manifest)


def _tx(system, head: int, path: bytes, sender: str | None = None) -> dict:
    return {"from": sender or system.keeper, "to": system.executor.address, "gas": 3_000_000,
            "data": "0x" + execute_v2_calldata(head, path).hex()}


def _send(system, head: int, path: bytes, sender: str | None = None) -> dict:
    w3 = system.world.w3
    return wait_receipt(w3, w3.eth.send_transaction(_tx(system, head, path, sender)))


def _revert_data(system, head: int, path: bytes, sender: str | None = None) -> bytes:
    tx = _tx(system, head, path, sender)
    del tx["gas"]
    with pytest.raises(ContractLogicError) as e:
        system.world.w3.eth.call(tx)
    data = e.value.data
    return bytes.fromhex(data[2:]) if isinstance(data, str) else b""


def _error(signature: str, *words: int) -> bytes:
    return keccak(text=signature)[:4] + b"".join(w.to_bytes(32, "big") for w in words)


def _balance(system, token: str) -> int:
    c = system.world.w3.eth.contract(address=token, abi=project_artifact("TestERC20").abi)
    return c.functions.balanceOf(system.executor.address).call()


def _cycle(system):
    opps = [o for o in system.opportunities() if all(h.kind == "uniswap_v2" for h in o.route)]
    assert opps, "the planted dislocation must show up as an all-V2 opportunity"
    return opps[0]


def _registry(system):
    return system.world.w3.eth.contract(address=system.manifest.system.dex_registry,
                                        abi=project_artifact("DexRegistry").abi)


def test_execute_v2__planted_cycle__keeps_exactly_what_execute_keeps(system, plant):
    plant(system)
    opp = _cycle(system)
    expected = opp.gross_profit
    assert expected > 0
    # the same route through execute() first, from the same state
    snap = system.world.snapshot()
    before = _balance(system, opp.start_token)
    r = system.send(system.executor.functions.execute(
        SOURCES["uniswap-v2-flashswap-last"], "0x" + "00" * 20, opp.amount_in, expected, FAR,
        False, encode_route(opp, system.manifest)), system.keeper)
    assert r["status"] == "0x1"
    assert _balance(system, opp.start_token) - before == expected
    system.world.revert(snap)

    path = encode_v2_path(opp, system.manifest, _venues(system))
    assert len(path) == 21 * len(opp.route)
    before = _balance(system, opp.start_token)
    r = _send(system, pack_v2_head(opp.amount_in, expected, FAR, False), path)
    assert r["status"] == "0x1"
    assert _balance(system, opp.start_token) - before == expected
    (log,) = system.executor.events.Executed().process_receipt(r, errors=DISCARD)
    assert (log["args"]["token"], log["args"]["source"], log["args"]["amount"],
            log["args"]["profit"]) == (opp.start_token, SOURCES["uniswap-v2-flashswap-last"],
                                       opp.amount_in, expected)


def test_execute_v2__profit_below_min_profit__reverts_with_insufficient_profit(system, plant):
    plant(system)
    opp = _cycle(system)
    path = encode_v2_path(opp, system.manifest, _venues(system))
    head = pack_v2_head(opp.amount_in, opp.gross_profit + 1, FAR, False)
    assert _revert_data(system, head, path) == _error(
        "InsufficientProfit(uint256,uint256)", opp.gross_profit, opp.gross_profit + 1)


def test_execute_v2__caller_not_executor__reverts(system, plant):
    plant(system)
    opp = _cycle(system)
    path = encode_v2_path(opp, system.manifest, _venues(system))
    role = system.executor.functions.EXECUTOR_ROLE().call()
    data = _revert_data(system, pack_v2_head(opp.amount_in, 1, FAR, False), path,
                        system.stranger)
    assert data == _error("AccessControlUnauthorizedAccount(address,bytes32)",
                          int(system.stranger, 16), int.from_bytes(role, "big"))


def test_execute_v2__paused__reverts_for_the_gate_key_too(system, plant):
    plant(system)
    opp = _cycle(system)
    path = encode_v2_path(opp, system.manifest, _venues(system))
    head = pack_v2_head(opp.amount_in, 1, FAR, False)
    ex = system.executor.functions
    assert ex.gateKey().call() == system.keeper
    assert system.send(ex.pause(), system.admin)["status"] == "0x1"
    assert _revert_data(system, head, path) == _error("EnforcedPause()")
    before = _balance(system, opp.start_token)
    assert _send(system, head, path)["status"] == "0x0"
    assert _balance(system, opp.start_token) == before


def test_execute_v2__deadline_and_target_block__enforced(system, plant):
    plant(system)
    opp = _cycle(system)
    path = encode_v2_path(opp, system.manifest, _venues(system))
    latest = system.world.w3.eth.block_number
    mined_in = latest + 1  # automine: the next block
    data = _revert_data(system, pack_v2_head(opp.amount_in, 1, latest - 1, False), path)
    assert data[:36] == _error("ExecutorDeadlinePassed(uint256,uint256)", latest - 1)
    data = _revert_data(system, pack_v2_head(opp.amount_in, 1, mined_in + 5, True), path)
    assert data[:36] == _error("ExecutorWrongBlock(uint256,uint256)", mined_in + 5)
    r = _send(system, pack_v2_head(opp.amount_in, 1, mined_in, True), path)
    assert r["status"] == "0x1" and int(str(r["blockNumber"]), 0) == mined_in


@pytest.mark.parametrize("length", [0, 20, 21, 41, 43, 62, 105, 126])
def test_execute_v2__path_not_two_to_four_hops__reverts_with_bad_route(system, length):
    path = bytes.fromhex(system.manifest.weth[2:]) + bytes(max(0, length - 20))
    assert _revert_data(system, pack_v2_head(10**18, 1, FAR, False), path[:length]) == _error(
        "ExecutorBadRoute(uint256)", length)


@pytest.mark.parametrize("index", [2, 255])
def test_execute_v2__venue_past_the_table__reverts(system, plant, index):
    plant(system)
    opp = _cycle(system)
    path = bytearray(encode_v2_path(opp, system.manifest, _venues(system)))
    path[20] = index  # the first hop's venue
    assert _revert_data(system, pack_v2_head(opp.amount_in, 1, FAR, False), bytes(path)) == (
        _error("ExecutorVenueNotEnabled(uint256)", index))


def test_execute_v2__token_with_no_pair_on_the_venue__reverts_no_pool(system, plant):
    """The path names tokens, never pools: a token the factory has no pair for derives an
    address with nothing behind it."""
    plant(system)
    opp = _cycle(system)
    stranger_token = system.stranger
    route = (RouteHop(opp.route[0].pool, "uniswap_v2", opp.start_token, stranger_token, 3000),
             RouteHop(opp.route[1].pool, "uniswap_v2", stranger_token, opp.start_token, 3000))
    path = encode_v2_path(dataclasses.replace(opp, route=route), system.manifest,
                          _venues(system))
    data = _revert_data(system, pack_v2_head(opp.amount_in, 1, FAR, False), path)
    assert data[:4] == keccak(text="ExecutorNoPool(address)")[:4]
    assert int.from_bytes(data[4:], "big") not in {int(p.address, 16)
                                                   for p in system.manifest.pools}


def test_execute_v2__venue_disabled_in_the_registry__reverts_until_enabled(system, plant):
    plant(system)
    opp = _cycle(system)
    m, ex = system.manifest, system.executor.functions
    venues = _venues(system)
    path = encode_v2_path(opp, m, venues)
    head = pack_v2_head(opp.amount_in, 1, FAR, False)
    dex = m.dex(next(p.dex for p in m.pools if p.address == opp.route[1].pool))
    registry = _registry(system)
    table = ex.venueTable().call()
    assert system.send(registry.functions.setEnabled(dex_id(dex.id), False),
                       system.admin)["status"] == "0x1"
    assert ex.venueTable().call() != table  # the listener rewrote it
    assert _revert_data(system, head, path) == _error("ExecutorVenueNotEnabled(uint256)",
                                                      venues[dex.factory])
    assert system.send(registry.functions.setEnabled(dex_id(dex.id), True),
                       system.admin)["status"] == "0x1"
    assert _venues(system) == venues  # indexes never move
    assert _send(system, head, path)["status"] == "0x1"


def test_venue_table__mirrors_the_registry__v2_venues_only(system):
    w3, m = system.world.w3, system.manifest
    ex = system.executor.functions
    code = w3.eth.get_code(ex.venueTable().call())
    v2 = [d for d in m.dexes if d.kind is DexKind.UNISWAP_V2]
    # STOP, the gate's key as a word, then the entries
    assert code[:1] == b"\x00" and len(code) == HEAD + ENTRY * len(v2)
    assert code[1:HEAD] == bytes(12) + bytes.fromhex(system.keeper[2:])
    for d in m.dexes:
        if d.kind is not DexKind.UNISWAP_V2:
            with pytest.raises(ContractLogicError):
                ex.venueIndex(d.factory).call()
            continue
        at = HEAD + ENTRY * ex.venueIndex(d.factory).call()
        entry = code[at:at + ENTRY]
        enabled, _kind, fee_bps, init_hash = ex.venue(d.factory).call()
        assert entry[:20] == bytes.fromhex(d.factory[2:])
        assert (entry[20], int.from_bytes(entry[21:23], "big")) == (int(enabled), fee_bps)
        assert entry[23:32] == bytes(9) and entry[32:] == init_hash
    # anyone may sync, but a factory the registry does not list takes no index and leaves
    # the table as it was
    table = ex.venueTable().call()
    assert system.send(ex.syncFactory(system.stranger), system.stranger)["status"] == "0x1"
    with pytest.raises(ContractLogicError):
        ex.venueIndex(system.stranger).call()
    assert ex.venueTable().call() == table
    # a registry update rewrites the entry in place
    d = v2[-1]
    registry = _registry(system)
    dex = registry.functions.getDex(dex_id(d.id)).call()
    index = ex.venueIndex(d.factory).call()
    r = system.send(registry.functions.update(dex_id(d.id), dex[4], 25, dex[5]), system.admin)
    assert r["status"] == "0x1"
    assert ex.venueIndex(d.factory).call() == index
    code = w3.eth.get_code(ex.venueTable().call())
    assert int.from_bytes(code[HEAD + ENTRY * index + 21:HEAD + ENTRY * index + 23], "big") == 25


def test_execute_v2__executor_without_a_table__reverts_until_the_first_sync(system):
    """A fresh executor (or one upgraded from an implementation without the table) has none:
    executeV2_e0 refuses, and the first sync of a V2 factory builds it."""
    w3, m = system.world.w3, system.manifest
    fresh, _ = deploy_behind_proxy(_Tx(w3, system.admin, None, 30.0), "FlashArbExecutor",
                                   system.admin, m.system.dex_registry, m.balancer_vault)
    role = fresh.functions.EXECUTOR_ROLE().call()
    wait_receipt(w3, fresh.functions.grantRole(role, system.keeper).transact(
        {"from": system.admin}))
    assert fresh.functions.venueTable().call() == "0x" + "00" * 20
    path = bytes.fromhex(m.weth[2:]) + bytes(22)
    tx = {"from": system.keeper, "to": fresh.address,
          "data": "0x" + execute_v2_calldata(pack_v2_head(10**18, 1, FAR, False), path).hex()}
    with pytest.raises(ContractLogicError) as e:
        w3.eth.call(tx)
    assert e.value.data[:10] == "0x" + keccak(text="ExecutorNoVenueTable()")[:4].hex()
    factory = next(d.factory for d in m.dexes if d.kind is DexKind.UNISWAP_V2)
    wait_receipt(w3, fresh.functions.syncFactory(factory).transact({"from": system.stranger}))
    assert fresh.functions.venueIndex(factory).call() == 0
    code = w3.eth.get_code(fresh.functions.venueTable().call())
    assert code[HEAD:HEAD + 20] == bytes.fromhex(factory[2:]) and len(code) == HEAD + ENTRY


def test_venue_table__many_syncs__found_at_the_proxys_create_address(system):
    """executeV2_e0 never stores the table's address: it derives it from the CREATE nonce the
    flags keep (RLP's one-byte form below 0x80, a length-prefixed one above). Past 130 syncs
    each table still sits where the proxy's nonce says, and executes find it."""
    w3, m = system.world.w3, system.manifest
    ex = system.executor.functions
    factory = next(d.factory for d in m.dexes if d.kind is DexKind.UNISWAP_V2)
    for _ in range(130):
        r = system.send(ex.syncFactory(factory), system.stranger)
        assert r["status"] == "0x1"
    nonce = w3.eth.get_transaction_count(system.executor.address)  # the next CREATE's
    assert nonce > 0x80
    last = nonce - 1
    encoded = rlp.encode([bytes.fromhex(system.executor.address[2:]), last])
    assert ex.venueTable().call() == w3.to_checksum_address(keccak(encoded)[12:])
    code = w3.eth.get_code(ex.venueTable().call())
    assert len(code) == HEAD + ENTRY * len(_venues(system))


def test_venue_table__full__a_new_v2_venue_is_omitted_with_an_event(system):
    """The table holds 256 V2 venues (a hop names one in a byte). Planted full, a V2 DEX the
    registry then lists takes no index and leaves the table as it was, and says so: the
    operator learns that it trades through execute() only."""
    w3, m = system.world.w3, system.manifest
    ex = system.executor
    location = int.from_bytes(ex.functions.STORAGE_LOCATION().call(), "big")
    v2_venues = location + 5  # venues, feeds, aavePool, listings, gate, then v2Venues' length
    w3.provider.make_request("anvil_setStorageAt", [
        ex.address, hex(v2_venues), "0x" + (256).to_bytes(32, "big").hex()])
    table = ex.functions.venueTable().call()
    factory = m.token("USDC").address  # any contract: the registry wants code behind it
    r = system.send(_registry(system).functions.register(
        dex_id("full-table"), 0, factory, factory, 30, keccak(b"some pair code")), system.admin)
    assert r["status"] == "0x1"
    (log,) = ex.events.VenueOmittedFromTable().process_receipt(r, errors=DISCARD)
    assert log["args"]["factory"] == factory
    with pytest.raises(ContractLogicError):
        ex.functions.venueIndex(factory).call()
    assert ex.functions.venueTable().call() == table
    # the keeper's index reader leaves it out, so the path encoder refuses its routes
    dex = Dex(id="full-table", kind=DexKind.UNISWAP_V2, factory=factory, router=factory,
              fee_bps=30, init_code_hash="0x" + keccak(b"some pair code").hex())
    indexes = venue_indexes(ex, m.model_copy(update={"dexes": [*m.dexes, dex]}))
    assert factory not in indexes and indexes == _venues(system)
    # execute() still knows it: the listing is enabled
    assert ex.functions.listing(factory, keccak(b"some pair code")).call()[0] is True
