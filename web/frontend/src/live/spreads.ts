import type { PoolPrice, Spread } from "../api/types";

/** Cross-DEX spreads from pool prices: the same rule as the server's web/api/spreads.py. */
export function spreadsOf(pools: PoolPrice[]): Spread[] {
  const byPair = new Map<string, Record<string, number>>();
  for (const p of pools) {
    if (!(typeof p.price === "number" && p.price > 0 && p.dex && p.token0 && p.token1)) continue;
    let [t0, t1, price] = [p.token0, p.token1, p.price];
    if (t0.toLowerCase() > t1.toLowerCase()) [t0, t1, price] = [t1, t0, 1 / price];
    const key = `${t0}/${t1}`;
    const quotes = byPair.get(key) ?? {};
    quotes[p.dex] = Math.max(quotes[p.dex] ?? 0, price);
    byPair.set(key, quotes);
  }
  const out: Spread[] = [];
  for (const [pair, dexes] of byPair) {
    const values = Object.values(dexes);
    if (values.length < 2) continue;
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    out.push({ pair, dexes, spread_bps: Math.round(((hi - lo) / lo) * 10_000 * 100) / 100 });
  }
  return out.sort((a, b) => b.spread_bps - a.spread_bps);
}
