"""keeper.chain.anvil: a node is only talked to once it has bound its own port."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from keeper.chain.anvil import Anvil, rpc
from keeper.errors import NodeError


class _Impostor(BaseHTTPRequestHandler):
    """Answers every JSON-RPC call as a node of chain 31337 would answer eth_chainId"""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "result": "0x7a69"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_anvil__port_held_by_another_node__raises_anvils_reason():
    # another process answers JSON-RPC on the port: before, start() took its first answer
    # for the new node's, and the caller went on talking to the wrong chain
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Impostor)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        with pytest.raises(NodeError, match=f"before listening on port {port}: .*in use"):
            Anvil(port=port).start()
    finally:
        server.shutdown()
        server.server_close()


def test_anvil__nodes_started_side_by_side__each_on_its_own_port():
    nodes = [Anvil(chain_id=chain_id) for chain_id in range(4201, 4205)]
    try:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(Anvil.start, nodes))
        assert len({n.port for n in nodes}) == 4
        assert all(n.port > 0 for n in nodes)
        # each url reaches the node that was started for it
        assert [int(str(rpc(n.http_url, "eth_chainId")), 16) for n in nodes] == \
            list(range(4201, 4205))
    finally:
        for n in nodes:
            n.stop()


def test_anvil__log_path__written_as_it_goes_and_a_bad_one_fails_at_once(tmp_path):
    log = tmp_path / "anvil.log"
    anvil = Anvil(log_path=log).start()
    try:
        assert f"Listening on 127.0.0.1:{anvil.port}" in log.read_text()
        rpc(anvil.http_url, "eth_blockNumber")
        # not held in a buffer until the node stops: its line for the call arrives while it
        # runs (it may print it just after answering, so it is waited for, briefly)
        deadline = time.monotonic() + 5
        while "eth_blockNumber" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert "eth_blockNumber" in log.read_text()
    finally:
        anvil.stop()
    with pytest.raises(FileNotFoundError):
        Anvil(log_path=tmp_path / "missing" / "anvil.log").start()


def test_anvil__stopped__port_kept_for_a_restart_on_it():
    anvil = Anvil(chain_id=4242).start()
    port = anvil.port
    anvil.stop()
    anvil.start()
    try:
        assert anvil.port == port
        assert rpc(anvil.http_url, "eth_chainId") == hex(4242)
    finally:
        anvil.stop()


@pytest.mark.parametrize("held", ["listening", "bound only"])
def test_demo_start_anvil__port_taken__another_port_and_its_own_node(held, refused_port):
    """The demo's anvil on a taken port: it used to check the port with a connect first, which
    a port bound without a listener passes (anvil then failed to bind and the demo ended), and
    which another process could beat to the bind. Now anvil's own failure to bind decides."""
    from keeper.demo import start_anvil

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Impostor)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1] if held == "listening" else refused_port
    node = Anvil(port=port, chain_id=4242)
    try:
        start_anvil(node)
        assert node.port not in (0, port)
        # its own chain, not the impostor's
        assert int(str(rpc(node.http_url, "eth_chainId")), 16) == 4242
    finally:
        node.stop()
        server.shutdown()
        server.server_close()
