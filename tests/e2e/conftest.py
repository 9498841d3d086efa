"""A whole system for the browser: anvil with the world, `flashkeeper web --with-keeper` (the
demo's process model) on the stand-in OAuth provider, the built front end, and Debian chromium
driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from keeper.chain.anvil import dev_key
from keeper.config import ROOT
from keeper.manifest import save_manifest
from keeper.onchain.deploy_system import deploy_system, grant_operator
from keeper.world.local import LocalWorld, start_world
from web.testing import listening, port_of

DIST = ROOT / "web" / "frontend" / "dist"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OPERATOR = 8  # the account the dashboard's admin actions sign with


@dataclass
class System:
    world: LocalWorld
    url: str
    log: Path


def _cli(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "keeper.cli", *args], env=env, cwd=ROOT, check=True,
                   capture_output=True)


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    # a missing build or browser is a failure here, not a skip: `make test` provides both
    assert (DIST / "index.html").stat().st_size > 64, "front end not built: make frontend"
    assert Path(CHROMIUM).exists(), "Debian chromium missing: make browser"
    tmp = tmp_path_factory.mktemp("e2e")
    world = start_world()
    # the system too: the admin's registry switches are real transactions the keeper follows
    world.manifest = deploy_system(world.w3, world.manifest, admin=world.deployer)
    grant_operator(world.w3, world.manifest, world.deployer, world.w3.eth.accounts[OPERATOR])
    manifest = tmp / "local.json"
    save_manifest(world.manifest, manifest)
    # the server inherits a socket bound here: a port found free and let go could be taken
    # (the other test lane starts anvils) before gunicorn bound it
    with listening() as sock:
        url = f"http://127.0.0.1:{port_of(sock)}"
        env = {**os.environ,
               "FLASHKEEPER_RPC_URL": world.anvil.http_url,
               "FLASHKEEPER_WS_URL": world.anvil.ws_url, "FLASHKEEPER_MANIFEST": str(manifest),
               "FLASHKEEPER_DATABASE_URL": f"sqlite:///{tmp / 'flashkeeper.db'}",
               "FLASHKEEPER_WEB_DEMO": "1", "FLASHKEEPER_WEB_OAUTH_STANDIN": "1",
               "FLASHKEEPER_WEB_PUBLIC_URL": url, "FLASHKEEPER_ADMIN_KEY": dev_key(OPERATOR)}
        for login, role in (("trader", "trader"), ("viewer", "viewer"), ("root", "admin")):
            _cli("users", "add", login, "--role", role, "--provider", "standin", env=env)
        log = tmp / "web.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "keeper.cli", "web", "--with-keeper",
                                     "--threads", "64", "--fd", str(sock.fileno())], env=env,
                                    cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                    pass_fds=(sock.fileno(),))
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, f"web did not start: {log.read_text()[-3000:]}"
            try:
                if requests.get(f"{url}/auth/providers", timeout=5).ok:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.3)
        yield System(world, url, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        world.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield b
        b.close()
