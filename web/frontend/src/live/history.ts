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

/** Newest first, without duplicates by id, at most `limit`. */
export function mergeNewest<T extends { id: string | number }>(current: T[], incoming: T[],
  limit = 200): T[] {
  const seen = new Set<string | number>();
  const out: T[] = [];
  for (const item of [...[...incoming].reverse(), ...current]) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
