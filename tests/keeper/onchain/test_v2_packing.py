"""executeV2_e0's calldata packing: the head's fields land where the contract reads them, the
path is 21 bytes a hop, and a route or value it cannot carry is refused with a clear error
instead of being packed into something else."""

from __future__ import annotations

import pytest
from eth_utils import keccak

from keeper.detect.opportunity import Opportunity, RouteHop
from keeper.manifest import Dex, DexKind, Manifest, Pool, Token
from keeper.onchain.route import encode_v2_path, execute_v2_calldata, pack_v2_head

A, B, C = ("0x" + c * 40 for c in "abc")
F1, F2 = "0x" + "1" * 40, "0x" + "2" * 40
P1, P2, P3, V3 = ("0x" + c * 40 for c in "5678")


def _manifest() -> Manifest:
    tokens = [Token(symbol=s, address=a, decimals=18) for s, a in (("A", A), ("B", B), ("C", C))]
    dexes = [Dex(id="one", kind=DexKind.UNISWAP_V2, factory=F1, fee_bps=30),
             Dex(id="two", kind=DexKind.UNISWAP_V2, factory=F2, fee_bps=25),
             Dex(id="v3", kind=DexKind.UNISWAP_V3, factory="0x" + "3" * 40)]
    pools = [Pool(address=P1, dex="one", kind=DexKind.UNISWAP_V2, token0=A, token1=B, fee=3000),
             Pool(address=P2, dex="two", kind=DexKind.UNISWAP_V2, token0=A, token1=B, fee=2500),
             Pool(address=P3, dex="two", kind=DexKind.UNISWAP_V2, token0=B, token1=C, fee=2500),
             Pool(address=V3, dex="v3", kind=DexKind.UNISWAP_V3, token0=A, token1=B, fee=500)]
    return Manifest(chain_id=1, weth=A, tokens=tokens, dexes=dexes, pools=pools)


def _opp(*hops: tuple[str, str, str, str]) -> Opportunity:
    route = tuple(RouteHop(p, kind, t_in, t_out, 3000) for p, kind, t_in, t_out in hops)
    return Opportunity(0, 0, hops[0][2], route, 10**18, 0, 0, "uniswap-v2-flashswap-last",
                       0, 0, 0, 0, None)


def test_pack_v2_head__fields_at_the_contracts_bits():
    head = pack_v2_head(2**112 - 1, 7, 2**31 - 1, True)
    assert head >> 144 == 2**112 - 1
    assert (head >> 32) & (2**112 - 1) == 7
    assert (head >> 31) & 1 == 1 and head & (2**31 - 1) == 2**31 - 1
    assert (pack_v2_head(5, 0, 9, False) >> 31) & 1 == 0


@pytest.mark.parametrize("field", ["amount", "min_profit", "deadline_block"])
def test_pack_v2_head__value_too_wide__refused_by_name(field):
    values = {"amount": 1, "min_profit": 1, "deadline_block": 1}
    values[field] = 2**31 if field == "deadline_block" else 2**112
    with pytest.raises(ValueError, match=field):
        pack_v2_head(values["amount"], values["min_profit"], values["deadline_block"], False)


def test_encode_v2_path__two_hop_cycle__start_then_index_and_token_per_hop():
    venues = {F1: 0, F2: 1}
    path = encode_v2_path(_opp((P1, "uniswap_v2", A, B), (P2, "uniswap_v2", B, A)),
                          _manifest(), venues)
    assert path == bytes.fromhex(A[2:]) + b"\x00" + bytes.fromhex(B[2:]) + b"\x01"
    three = encode_v2_path(_opp((P1, "uniswap_v2", A, B), (P3, "uniswap_v2", B, C),
                                (P2, "uniswap_v2", C, A)), _manifest(), venues)
    assert len(three) == 63 and three[41] == 1 and three[42:62] == bytes.fromhex(C[2:])
    data = execute_v2_calldata(pack_v2_head(1, 2, 3, False), path)
    assert data[:4] == keccak(text="executeV2_e0(uint256)")[:4]
    assert int.from_bytes(data[4:36], "big") == pack_v2_head(1, 2, 3, False)
    assert data[36:] == path


@pytest.mark.parametrize(("hops", "venues", "error"), [
    ([(P1, "uniswap_v2", A, B)], {F1: 0, F2: 1}, "2 to 4 hops"),
    ([(P1, "uniswap_v2", A, B), (V3, "uniswap_v3", B, A)], {F1: 0, F2: 1}, "all-V2"),
    ([(P1, "uniswap_v2", A, B), (P3, "uniswap_v2", B, C)], {F1: 0, F2: 1}, "cycles"),
    ([(P1, "uniswap_v2", A, B), (P2, "uniswap_v2", C, A)], {F1: 0, F2: 1}, "cycles"),
    ([(P1, "uniswap_v2", A, B), (P2, "uniswap_v2", B, A)], {F1: 0}, "no one-byte index"),
    ([(P1, "uniswap_v2", A, B), (P2, "uniswap_v2", B, A)], {F1: 0, F2: 256}, "no one-byte"),
])
def test_encode_v2_path__route_it_cannot_carry__refused(hops, venues, error):
    with pytest.raises(ValueError, match=error):
        encode_v2_path(_opp(*hops), _manifest(), venues)
