"""The one way the keeper, the world and the web app open a JSON-RPC connection over HTTP."""

from __future__ import annotations

from web3 import HTTPProvider, Web3
from web3.types import RPCEndpoint

# A node's chain id never changes under one URL, and web3's validation middleware asks for
# it before every call and transaction: cached, a contract call costs one request instead of
# two (the V2 parity test's 5,000 requests took a third of their time in eth_chainId).
_CACHED = {RPCEndpoint("eth_chainId")}


def http_web3(url: str, timeout: float = 60) -> Web3:
    """A Web3 over HTTP to `url` that asks for the chain id once."""
    return Web3(HTTPProvider(url, request_kwargs={"timeout": timeout},
                             cache_allowed_requests=True, cacheable_requests=_CACHED))
