"""keeper.chain.http: the chain id is asked for once per connection, nothing else is cached."""

from __future__ import annotations

import pytest
from requests.exceptions import ConnectionError as RequestsConnectionError

from keeper.chain.anvil import Anvil
from keeper.chain.http import http_web3


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
