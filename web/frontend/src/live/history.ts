// Bounded time series for the charts (pure).

export interface Point {
  t: number; // seconds
  [series: string]: number;
}

/** Append a point, keeping the last `limit`; a point at the same time replaces the last. */
export function appendPoint(series: Point[], point: Point, limit = 300): Point[] {
  const last = series[series.length - 1];
  const next = last && last.t === point.t ? [...series.slice(0, -1), point] : [...series, point];
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/** `incoming` (newest first) ahead of `current`, without duplicates by id, at most `limit`. */
export function mergeNewest<T extends { id: string | number }>(current: T[], incoming: T[],
  limit = 200): T[] {
  const seen = new Set<string | number>();
  const out: T[] = [];
  for (const item of [...incoming, ...current]) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}

/** A socket batch of opportunities in display order: newest block first, then the most
 * profitable (the keeper sends each block's best first; a batch may span blocks). */
export function byBlockThenProfit<T extends { block: number; profit_usd: number | null }>(
  items: T[]): T[] {
  return [...items].sort((a, b) => b.block - a.block || (b.profit_usd ?? 0) - (a.profit_usd ?? 0));
}
