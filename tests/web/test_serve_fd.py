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
        # a launcher puts the socket on fd 3, as systemd does, and execs the server in its
        # own process, so that LISTEN_PID names the server
        launch = ("import os, sys; os.dup2(int(sys.argv[1]), 3); os.close(int(sys.argv[1])); "
                  "os.environ.update(LISTEN_PID=str(os.getpid()), LISTEN_FDS='1'); "
                  "os.execv(sys.argv[2], sys.argv[2:])")
        proc = subprocess.Popen(
            [sys.executable, "-c", launch, str(fd), str(exe), "web", "--fd", "3",
             "--threads", "8"],
            env=env, stdout=out, stderr=subprocess.STDOUT, pass_fds=(fd,))
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
