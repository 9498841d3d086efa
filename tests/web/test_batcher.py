"""The per-stream throttle: sustained rate never above hz, nothing lost, and a publisher at
exactly the limit's rate is not pushed back by one late emit (no lag ratchet)."""

from __future__ import annotations

import threading
import time

from web.live.batcher import Gcra, StreamBatcher


def _run(hz: float) -> tuple[StreamBatcher, list[tuple[float, list[dict]]]]:
    emits: list[tuple[float, list[dict]]] = []
    b = StreamBatcher(lambda stream, items: emits.append((time.monotonic(), items)), hz, 1000)
    threading.Thread(target=b.run, daemon=True).start()
    return b, emits


def test_flood__batched_under_the_rate_and_nothing_lost() -> None:
    b, emits = _run(10.0)
    t0 = time.monotonic()
    n = 0
    while time.monotonic() - t0 < 1.0:  # 200 items/s for one second
        b.add("prices", {"seq": n})
        n += 1
        time.sleep(0.005)
    time.sleep(0.3)
    b.stop()
    seqs = [i["seq"] for _, items in emits for i in items]
    assert seqs == list(range(n))  # every item, in order
    times = [t for t, _ in emits]
    for start in times:  # any one-second window: sustained 10 Hz, one early emit allowed
        assert sum(1 for t in times if start <= t < start + 1.0) <= 11
    assert len(emits) <= 14  # 1.3 s at 10 Hz, plus the leading emit


def _simulate(rate: Gcra, arrivals: list[float]) -> list[float]:
    """Emit times of items arriving at `arrivals` (one stream, each alone in its batch while
    the stream keeps up), with the batcher's rule and no wall clock."""
    emits = []
    for t in arrivals:
        at = max(t, rate.next_at("s"))
        rate.sent("s", at)
        emits.append(at)
    return emits


def test_gcra__publisher_at_the_limit__a_late_item_does_not_delay_the_rest() -> None:
    arrivals = [k * 0.1 + (0.04 if k == 5 else 0.0) for k in range(20)]
    emits = _simulate(Gcra(10.0), arrivals)
    lags = [e - a for e, a in zip(emits, arrivals, strict=True)]
    assert max(lags) == 0.0  # nothing waits: the late item left late, the next on time
    strict = _simulate(Gcra(10.0, tolerance_periods=0.0), arrivals)
    # the rule it replaced (strict 100 ms spacing): every item after the late one waits 40 ms
    assert min(s - a for s, a in zip(strict[6:], arrivals[6:], strict=True)) > 0.039


def test_gcra__never_above_the_rate_sustained() -> None:
    rate = Gcra(10.0)
    emits = _simulate(rate, [k * 0.001 for k in range(5000)])  # 1 kHz for 5 s
    for i, start in enumerate(emits):
        assert sum(1 for t in emits[i:] if t < start + 1.0) <= 11
    assert len([t for t in emits if t < 5.0]) <= 51
