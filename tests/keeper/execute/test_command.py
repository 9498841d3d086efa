"""A trade command's calldata: the packed executeV2_e0 wherever it can carry the trade, the
general execute() with every field where it cannot, and a command that cannot be sent refused
with a clear error."""

from __future__ import annotations

from dataclasses import replace

import pytest
from eth_abi import decode
from eth_utils import keccak

from keeper.detect.opportunity import Opportunity, RouteHop
from keeper.execute.command import EXECUTE_SELECTOR, TradeCommand, execute_calldata
from keeper.manifest import Dex, DexKind, Manifest, Pool, Token
from keeper.onchain.route import (
    EXECUTE_V2_SELECTOR,
    SOURCES,
    encode_route,
    encode_v2_path,
    pack_v2_head,
)

A, B = "0x" + "a" * 40, "0x" + "b" * 40
F1, F2, F3 = ("0x" + c * 40 for c in "123")
P1, P2, V3 = ("0x" + c * 40 for c in "567")
HASH = "0x" + "ee" * 32
VENUES = {F1: 0, F2: 1}
PACKED = EXECUTE_V2_SELECTOR


def _manifest() -> Manifest:
    tokens = [Token(symbol="A", address=A, decimals=18), Token(symbol="B", address=B, decimals=18)]
    dexes = [Dex(id="one", kind=DexKind.UNISWAP_V2, factory=F1, fee_bps=30, init_code_hash=HASH),
             Dex(id="two", kind=DexKind.UNISWAP_V2, factory=F2, fee_bps=30, init_code_hash=HASH),
             Dex(id="v3", kind=DexKind.UNISWAP_V3, factory=F3, init_code_hash=HASH)]
    pools = [Pool(address=P1, dex="one", kind=DexKind.UNISWAP_V2, token0=A, token1=B, fee=3000),
             Pool(address=P2, dex="two", kind=DexKind.UNISWAP_V2, token0=A, token1=B, fee=3000),
             Pool(address=V3, dex="v3", kind=DexKind.UNISWAP_V3, token0=A, token1=B, fee=500)]
    return Manifest(chain_id=1, weth=A, tokens=tokens, dexes=dexes, pools=pools)


def _opp(source: str = "uniswap-v2-flashswap-last", second: str = P2,
         kind: str = "uniswap_v2") -> Opportunity:
    route = (RouteHop(P1, "uniswap_v2", A, B, 3000), RouteHop(second, kind, B, A, 3000))
    return Opportunity(0, 0, A, route, 10**18, 0, 0, source, 0, 0, 0, 0, None)


def _general(data: bytes) -> list:
    assert data[:4] == EXECUTE_SELECTOR == keccak(
        text="execute(uint8,address,uint256,uint256,uint256,bool,bytes)")[:4]
    return list(decode(["uint8", "address", "uint256", "uint256", "uint256", "bool", "bytes"],
                       data[4:]))


def test_execute_calldata__v2_cycle_lent_by_last_pair__packed_call():
    cmd = TradeCommand(_opp(), min_profit=7, deadline_block=100, exact_block=True)
    data = execute_calldata(cmd, _manifest(), VENUES)
    assert data[:4] == PACKED
    head = int.from_bytes(data[4:36], "big")
    # where executeV2_e0 reads them: amount >> 144, minProfit >> 32, exactBlock bit 31
    assert head >> 144 == 10**18 and (head >> 32) & (2**112 - 1) == 7
    assert head & 0x80000000 and head & 0x7FFFFFFF == 100
    assert data[36:] == encode_v2_path(cmd.opportunity, _manifest(), VENUES)


def test_execute_calldata__largest_values_the_head_holds__still_packed():
    top = TradeCommand(replace(_opp(), amount_in=2**112 - 1), min_profit=2**112 - 1,
                       deadline_block=2**31 - 1)
    data = execute_calldata(top, _manifest(), VENUES)
    assert data[:4] == PACKED
    assert int.from_bytes(data[4:36], "big") == pack_v2_head(2**112 - 1, 2**112 - 1,
                                                             2**31 - 1, False)


@pytest.mark.parametrize("why", ["no venue index", "oracle check", "deadline past the head",
                                 "amount past the head", "min profit past the head",
                                 "other source", "a V3 hop", "five hops"])
def test_execute_calldata__packed_cannot_carry_it__general_execute(why):
    venues, cmd = VENUES, TradeCommand(_opp(), min_profit=7, deadline_block=100)
    if why == "no venue index":
        venues = {F1: 0}
    elif why == "oracle check":
        cmd = replace(cmd, check_deviation=True)
    elif why == "deadline past the head":
        cmd = replace(cmd, deadline_block=2**31)
    elif why == "amount past the head":
        cmd = replace(cmd, opportunity=replace(_opp(), amount_in=2**112))
    elif why == "min profit past the head":
        cmd = replace(cmd, min_profit=2**112)
    elif why == "other source":
        cmd = replace(cmd, opportunity=_opp("balancer"))
    elif why == "a V3 hop":
        # even with its factory indexed (the table holds V2 factories alone)
        venues = {**VENUES, F3: 2}
        cmd = replace(cmd, opportunity=_opp(second=V3, kind="uniswap_v3"))
    else:
        o = _opp()
        cmd = replace(cmd, opportunity=replace(o, route=o.route * 2 + o.route[:1]))
    fields = _general(execute_calldata(cmd, _manifest(), venues))
    source = SOURCES[cmd.opportunity.flash_source] | (0x80 if cmd.check_deviation else 0)
    assert fields == [source, "0x" + "00" * 20, cmd.opportunity.amount_in, cmd.min_profit,
                      cmd.deadline_block, False, encode_route(cmd.opportunity, _manifest())]


def test_execute_calldata__v3_flash__names_its_lender():
    lender = "0x" + "9" * 40
    cmd = TradeCommand(_opp("uniswap-v3-flash"), min_profit=1, deadline_block=5,
                       flash_pool=lender)
    assert _general(execute_calldata(cmd, _manifest(), VENUES))[:2] == [SOURCES[
        "uniswap-v3-flash"], lender]


def test_execute_calldata__v3_hop__its_fee_tier_in_the_route():
    cmd = TradeCommand(_opp("balancer", V3, "uniswap_v3"), min_profit=1, deadline_block=5)
    route = _general(execute_calldata(cmd, _manifest(), VENUES))[6]
    assert route[-3:] == (3000).to_bytes(3, "big")  # the hop's V3 fee tier


@pytest.mark.parametrize(("changes", "message"), [
    ({"opportunity": _opp("uniswap-v3-flash")}, "needs a flash_pool"),
    ({"flash_pool": "0x" + "9" * 40}, "takes no flash_pool"),
    ({"opportunity": _opp("carrier-pigeon")}, "unknown flash source"),
    ({"min_profit": -1}, "min_profit"),
    ({"deadline_block": 2**256}, "deadline_block"),
])
def test_trade_command__cannot_be_sent__refused_by_name(changes, message):
    fields = {"opportunity": _opp(), "min_profit": 0, "deadline_block": 1, **changes}
    with pytest.raises(ValueError, match=message):
        TradeCommand(**fields)
