"""keeper.chain.http: the chain id is asked for once per connection, nothing else is cached."""

from __future__ import annotations

import pytest
from requests.exceptions import ConnectionError as RequestsConnectionError

from keeper.chain.anvil import Anvil
from keeper.chain.http import http_web3, shown_url


def test_http_web3__node_gone__chain_id_from_cache_everything_else_fails():
    anvil = Anvil(chain_id=4242).start()
    try:
        w3 = http_web3(anvil.http_url, timeout=5)
        assert w3.eth.chain_id == 4242
        assert w3.eth.block_number == 0
    finally:
        anvil.stop()
    assert w3.eth.chain_id == 4242  # answered without the node
    with pytest.raises(RequestsConnectionError):
        w3.eth.get_block_number()  # not cached: the node is asked, and it is gone


def test_shown_url__keeps_where_drops_the_key():
    # hosted nodes put the API key in the path, a query or the user part
    assert shown_url("https://eth-mainnet.g.alchemy.com/v2/KEY123") == \
        "https://eth-mainnet.g.alchemy.com"
    assert shown_url("https://user:pass@node.example:8545/rpc?key=KEY") == \
        "https://node.example:8545"
    assert shown_url("ws://127.0.0.1:8546") == "ws://127.0.0.1:8546"
    # not a URL at all (it printed "://?"): said so, and not echoed
    assert shown_url("not-a-url") == shown_url("http://h:port/x") == "<not a URL>"
