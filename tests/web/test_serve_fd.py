"""`flashkeeper web --fd N`: gunicorn serves on a listening socket the process inherits, as
from systemd's socket activation (LISTEN_FDS=1: the socket is fd 3, LISTEN_PID the server's)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import requests

from web.testing import listening, port_of


def test_web__fd_from_systemd_socket_activation__serves(tmp_path: Path) -> None:
    """gunicorn adopts LISTEN_FDS itself too: with --fd 3 it took fd 3 twice and died on the
    second (EBADF, the first had closed it), so `--fd` under systemd failed to start."""
    exe = Path(sys.executable).parent / "flashkeeper"
    env = {**os.environ, "FLASHKEEPER_WEB_SECRET_KEY": secrets.token_urlsafe(48),
           "FLASHKEEPER_WEB_JWT_KEY": secrets.token_urlsafe(48),
           "FLASHKEEPER_DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
           "FLASHKEEPER_WEB_FRONTEND_DIST": str(tmp_path / "none")}
    log = tmp_path / "web.log"
    with listening() as sock, log.open("wb") as out:
        url = f"http://127.0.0.1:{port_of(sock)}"
        fd = sock.fileno()
        # exec keeps the shell's pid, so LISTEN_PID=$$ names the server, as systemd's does
        proc = subprocess.Popen(
            ["sh", "-c", f"LISTEN_PID=$$ LISTEN_FDS=1 exec {exe} web --fd 3 --threads 8"],
            env=env, stdout=out, stderr=subprocess.STDOUT, pass_fds=(fd, 3),
            preexec_fn=lambda: os.dup2(fd, 3))  # the child sees it as fd 3, as from systemd
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            try:
                if requests.get(f"{url}/api/openapi.json", timeout=2).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        assert "Traceback" not in log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
