"""How much each flash source can lend of each token: the Balancer vault's balance, and the
underlying held by the Aave V3 reserve's aToken. Read in two batches; the detector offers a
source for an amount only when it can lend it."""

from __future__ import annotations

from web3 import Web3

from keeper.chain.pool_reader import AAVE_RESERVE, BALANCE_OF, batch_call
from keeper.manifest import Manifest


def read_flash_liquidity(w3: Web3, manifest: Manifest, block: int | str = "latest"
                         ) -> tuple[dict[str, int], dict[str, int]]:
    """(Balancer vault liquidity, Aave V3 liquidity) per token address."""
    tokens = [t.address for t in manifest.tokens if not t.hostile]
    balancer: dict[str, int] = {}
    if manifest.balancer_vault:
        amounts = batch_call(w3, [BALANCE_OF(t, manifest.balancer_vault) for t in tokens], block)
        balancer = {t: int(a) for t, a in zip(tokens, amounts, strict=True)}
    aave: dict[str, int] = {}
    if manifest.aave_pool:
        reserves = batch_call(w3, [AAVE_RESERVE(manifest.aave_pool, t) for t in tokens], block)
        listed = [(t, Web3.to_checksum_address(r[8])) for t, r in zip(tokens, reserves,
                                                                      strict=True)
                  if int(r[8], 16) != 0]
        amounts = batch_call(w3, [BALANCE_OF(t, a_token) for t, a_token in listed], block)
        aave = {t: int(a) for (t, _), a in zip(listed, amounts, strict=True)}
    return balancer, aave
