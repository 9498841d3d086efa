"""bench-ws: N authenticated Socket.IO clients subscribed to prices at 10 updates/s.

The dashboard runs as in production (`flashkeeper web --worker gevent`: gunicorn's gevent
worker, the mode the README recommends for many sockets; then again with the default gthread
worker, Socket.IO threading mode with simple-websocket, reported under `gthread_*` keys) with
the Redis bus; this process publishes
price updates on the bus at RATE Hz, each stamped with its publish time; client processes of
asyncio Socket.IO clients record each update's arrival. Reports p50/p99 publish-to-client
latency, updates lost, the highest per-client rate seen and server memory per connection.
Needs Redis on 127.0.0.1:6379. Last line: JSON with clients, rate_hz, p50_ms, p99_ms, lost,
rss_mb_per_client.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import requests

from bench.ws.clients import run_clients
from keeper.bus import RedisBus

QUICK = os.environ.get("QUICK", "") not in ("", "0")
CLIENTS = int(os.environ.get("WS_CLIENTS", 100 if QUICK else 500))
RATE_HZ = 10.0
SECONDS = float(os.environ.get("WS_SECONDS", 5 if QUICK else 30))
CLIENT_PROCS = int(os.environ.get("WS_CLIENT_PROCS", 2))
REDIS_URL = os.environ.get("FLASHKEEPER_REDIS_URL", "redis://127.0.0.1:6379/0")
DRAIN_S = 2.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def worker_pid(master: int) -> int:
    """gunicorn's worker: the master's only child."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn worker did not start")


WORKERS = os.environ.get("WS_WORKERS", "gevent,gthread").split(",")


def start_server(sock: socket.socket, env: dict[str, str], log: Path,
                 worker: str) -> subprocess.Popen:
    """`flashkeeper web` on `sock`, which it inherits (no port to lose between choice and
    bind)."""
    exe = Path(sys.executable).parent / "flashkeeper"
    port = sock.getsockname()[1]
    # gunicorn's default backlog (it keeps an inherited socket's), as the server bound its own
    # socket before 2026-11-27: hundreds of clients connect at once
    sock.listen(2048)
    with log.open("wb") as out:
        proc = subprocess.Popen([str(exe), "web", "--fd", str(sock.fileno()), "--worker", worker,
                                 "--threads", str(CLIENTS * 2 + 50)], env=env, stdout=out,
                                stderr=subprocess.STDOUT, pass_fds=(sock.fileno(),))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited: " + log.read_text()[-2000:])
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/openapi.json", timeout=1).ok:
                return proc
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise RuntimeError("server did not start: " + log.read_text()[-2000:])


def mint_tokens(db_url: str, jwt_key: str, secret_key: str, n: int, tmp: Path) -> list[str]:
    from web.app import create_app
    from web.auth.roles import Role
    from web.testing import make_user, tokens_for

    app = create_app({"testing": True, "database_url": db_url, "jwt_key": jwt_key,
                      "secret_key": secret_key, "frontend_dist": tmp / "none"})
    users = [make_user(app, f"bench-{i}", Role.VIEWER) for i in range(min(n, 50))]
    tokens = [tokens_for(app, users[i % len(users)]).access for i in range(n)]
    app.extensions["flashkeeper_live"].stop()
    return tokens


def run(worker: str) -> dict:
    from web.testing import listening, port_of

    tmp = Path(tempfile.mkdtemp(prefix="bench-ws-"))
    keys = {"FLASHKEEPER_WEB_SECRET_KEY": secrets.token_urlsafe(48),
            "FLASHKEEPER_WEB_JWT_KEY": secrets.token_urlsafe(48)}
    db_url = f"sqlite:///{tmp / 'web.db'}"
    with listening() as sock:
        port = port_of(sock)
        env = {**os.environ, **keys, "FLASHKEEPER_DATABASE_URL": db_url,
               "FLASHKEEPER_REDIS_URL": REDIS_URL, "FLASHKEEPER_WEB_PUBLIC_URL":
               f"http://127.0.0.1:{port}", "FLASHKEEPER_WEB_FRONTEND_DIST": str(tmp / "none"),
               "FLASHKEEPER_WEB_RATE_API": "100000 per minute"}
        tokens = mint_tokens(db_url, keys["FLASHKEEPER_WEB_JWT_KEY"],
                             keys["FLASHKEEPER_WEB_SECRET_KEY"], CLIENTS, tmp)
        server = start_server(sock, env, tmp / "server.log", worker)
    procs: list[tuple[mp.Process, mp.connection.Connection]] = []
    try:
        pid = worker_pid(server.pid)
        time.sleep(1.0)
        rss_before = rss_mb(pid)
        t0 = time.perf_counter()
        ctx = mp.get_context("spawn")
        share = [tokens[i::CLIENT_PROCS] for i in range(CLIENT_PROCS)]
        for part in share:
            parent, child = ctx.Pipe()
            p = ctx.Process(target=run_clients, args=(f"http://127.0.0.1:{port}", part, child),
                            daemon=True)
            p.start()
            procs.append((p, parent))
        connected = 0
        for _, conn in procs:
            kind, value = conn.recv()
            if kind == "error":
                raise RuntimeError(f"client process failed: {value}")
            connected += value
        connect_s = time.perf_counter() - t0
        time.sleep(1.0)
        rss_after = rss_mb(pid)
        print(f"{connected} clients connected and subscribed in {connect_s:.1f}s; server "
              f"RSS {rss_before:.1f} -> {rss_after:.1f} MB", flush=True)

        bus = RedisBus(REDIS_URL)
        n = int(SECONDS * RATE_HZ)
        start = time.perf_counter()
        for seq in range(n):
            target = start + seq / RATE_HZ
            time.sleep(max(0.0, target - time.perf_counter()))
            bus.publish("prices", {"seq": seq, "t_pub": time.time(), "tokens": [],
                                   "pools": []})
        bus.close()
        time.sleep(DRAIN_S)
        rss_end = rss_mb(pid)
        results = []
        for _, conn in procs:
            conn.send("stop")
        for p, conn in procs:
            kind, value = conn.recv()
            if kind == "error":
                raise RuntimeError(f"client process failed: {value}")
            results.extend(value)
            p.join(timeout=30)
    finally:
        for p, _ in procs:
            if p.is_alive():
                p.terminate()
        server.terminate()
        server.wait(timeout=15)

    latencies = np.array([x for _, lat, _ in results for x in lat])
    lost = sum(n - len(seqs) for seqs, _, _ in results)
    max_rate = max(rate for _, _, rate in results)
    summary = {
        "worker": worker,
        "clients": connected,
        "rate_hz": RATE_HZ,
        "seconds": SECONDS,
        "updates_published": n,
        "deliveries": int(latencies.size),
        "p50_ms": round(float(np.percentile(latencies, 50)), 2),
        "p99_ms": round(float(np.percentile(latencies, 99)), 2),
        "max_ms": round(float(latencies.max()), 2),
        "lost": int(lost),
        "max_client_rate_hz": max_rate,
        "rss_mb_per_client": round((rss_after - rss_before) / max(connected, 1), 3),
        "server_rss_mb": round(rss_end, 1),
        "connect_s": round(connect_s, 1),
        "cpus": os.cpu_count(),
    }
    print(f"{worker}: p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms (target <= 100), "
          f"lost {lost} of {n * connected} (target 0), {summary['rss_mb_per_client']} MB/client",
          flush=True)
    return summary


def main() -> None:
    runs = [run(worker) for worker in WORKERS]
    summary = dict(runs[0])
    for other in runs[1:]:
        for key in ("p50_ms", "p99_ms", "max_ms", "lost", "max_client_rate_hz",
                    "rss_mb_per_client"):
            summary[f"{other['worker']}_{key}"] = other[key]
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
