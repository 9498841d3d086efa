"""Token graph and cycle enumeration: every route of 2..max_hops pools that starts and ends in a
base token, visits no token twice and uses no pool twice. Edges are (pool index, direction);
edge id = 2 * pool index + (0 if token0 -> token1 else 1)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np


def edge_id(pool_idx: int, zero_for_one: bool) -> int:
    return 2 * pool_idx + (0 if zero_for_one else 1)


def enumerate_cycles(pairs: Sequence[tuple[str, str]], bases: Iterable[str],
                     max_hops: int) -> list[tuple[int, ...]]:
    """pairs[i] = (token0, token1) of pool i. Returns cycles as tuples of edge ids."""
    adj: dict[str, list[tuple[int, int, str]]] = defaultdict(list)  # token -> (pool, edge, to)
    for i, (t0, t1) in enumerate(pairs):
        adj[t0].append((i, edge_id(i, True), t1))
        adj[t1].append((i, edge_id(i, False), t0))
    cycles: list[tuple[int, ...]] = []
    for base in bases:
        stack: list[tuple[str, tuple[int, ...], frozenset[str], frozenset[int]]] = [
            (base, (), frozenset((base,)), frozenset())]
        while stack:
            token, path, seen, used = stack.pop()
            for pool, edge, nxt in adj.get(token, ()):
                if pool in used:
                    continue
                if nxt == base:
                    if len(path) >= 1:
                        cycles.append((*path, edge))
                    continue
                if nxt in seen or len(path) + 1 >= max_hops:
                    continue
                stack.append((nxt, (*path, edge), seen | {nxt}, used | {pool}))
    return cycles


class CycleIndex:
    """Cycles as a padded edge matrix, and pool -> cycles for incremental re-evaluation."""

    def __init__(self, cycles: list[tuple[int, ...]], n_pools: int, max_hops: int) -> None:
        self.cycles = cycles
        self.pad = 2 * n_pools  # an edge id whose log-rate is always 0
        n = len(cycles)
        self.edges = np.full((n, max_hops), self.pad, dtype=np.int32)
        lengths = np.fromiter((len(c) for c in cycles), dtype=np.int32, count=n)
        for k in range(max_hops):
            rows = np.nonzero(lengths > k)[0]
            self.edges[rows, k] = [cycles[r][k] for r in rows]
        flat_pools = self.edges // 2
        members: list[list[int]] = [[] for _ in range(n_pools)]
        for row, pools in enumerate(flat_pools.tolist()):
            for p in set(pools):
                if p < n_pools:
                    members[p].append(row)
        self.by_pool = [np.asarray(m, dtype=np.int32) for m in members]

    def cycles_touching(self, pool_indices: Iterable[int]) -> np.ndarray:
        parts = [self.by_pool[i] for i in pool_indices]
        if not parts:
            return np.empty(0, dtype=np.int32)
        return np.unique(np.concatenate(parts))
