/** Exponential backoff with full jitter: attempt 0 waits up to `base`, capped at `max`. */
export function backoffDelay(attempt: number, base = 500, max = 15_000, random = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
