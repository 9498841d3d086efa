"""The one way the keeper, the world and the web app open a JSON-RPC connection over HTTP."""

from __future__ import annotations

from urllib.parse import urlsplit

from web3 import HTTPProvider, Web3
from web3.types import RPCEndpoint

# A node's chain id never changes under one URL, and web3's validation middleware asks for
# it before every call and transaction: cached, a contract call costs one request instead of
# two (profiling 150 swaps of the V2 parity test: 1,446 of its 2,772 requests were
# eth_chainId, 9 s of its 27.5 s).
_CACHED = {RPCEndpoint("eth_chainId")}


def http_web3(url: str, timeout: float = 60) -> Web3:
    """A Web3 over HTTP to `url` that asks for the chain id once."""
    return Web3(HTTPProvider(url, request_kwargs={"timeout": timeout},
                             cache_allowed_requests=True, cacheable_requests=_CACHED))


def shown_url(url: str) -> str:
    """`url` as it may be printed: scheme, host and port only. A hosted node's path, query or
    user part carries its API key (https://host/v3/<key>)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number
        return "<not a URL>"
    if not parts.scheme or not parts.hostname:
        # whatever was given is not echoed: it may be a key pasted in the wrong place
        return "<not a URL>"
    return f"{parts.scheme}://{parts.hostname}{f':{port}' if port else ''}"
