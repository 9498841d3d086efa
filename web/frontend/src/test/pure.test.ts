import { describe, expect, it } from "vitest";
import { units, usd } from "../format/numbers";
import { backoffDelay } from "../live/backoff";
import { appendPoint, byBlockThenProfit, mergeNewest } from "../live/history";
import { spreadsOf } from "../live/spreads";

describe("units", () => {
  it("formats base units exactly, beyond float precision", () => {
    expect(units("123456789012345678901234567", 18)).toBe("123,456,789.0123");
    expect(units("1500000", 6, 2)).toBe("1.50");
    expect(units("-5", 18)).toBe("-0.0000");
    expect(units("not a number")).toBe("not a number");
  });
  it("shows missing USD as a dash", () => {
    expect(usd(null)).toBe("—");
    expect(usd(1234.5)).toBe("$1,234.50");
  });
});

describe("backoffDelay", () => {
  it("grows exponentially with jitter and respects the cap", () => {
    expect(backoffDelay(0, 500, 15_000, () => 0)).toBe(250);
    expect(backoffDelay(0, 500, 15_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 15_000, () => 1)).toBe(4000);
    expect(backoffDelay(30, 500, 15_000, () => 1)).toBe(15_000);
    for (let a = 0; a < 10; a++) {
      const d = backoffDelay(a);
      expect(d).toBeGreaterThanOrEqual(Math.min(15_000, 500 * 2 ** a) / 2);
      expect(d).toBeLessThanOrEqual(15_000);
    }
  });
});

describe("spreadsOf", () => {
  it("orients pairs once and measures the spread between the extreme DEX quotes", () => {
    const s = spreadsOf([
      { address: "a", dex: "uni", token0: "WETH", token1: "USDC", price: 2000, reserve0: null, reserve1: null },
      { address: "b", dex: "sushi", token0: "USDC", token1: "WETH", price: 1 / 2010, reserve0: null, reserve1: null },
      { address: "c", dex: "uni", token0: "WETH", token1: "DAI", price: 2000, reserve0: null, reserve1: null },
    ]);
    expect(s).toHaveLength(1);
    expect(s[0]!.pair).toBe("USDC/WETH");
    expect(s[0]!.spread_bps).toBeCloseTo(((1 / 2000 - 1 / 2010) / (1 / 2010)) * 10_000, 1);
  });
});

describe("history", () => {
  it("keeps the newest points and replaces a point at the same time", () => {
    let h = appendPoint([], { t: 1, a: 1 }, 2);
    h = appendPoint(h, { t: 1, a: 2 }, 2);
    h = appendPoint(h, { t: 2, a: 3 }, 2);
    h = appendPoint(h, { t: 3, a: 4 }, 2);
    expect(h).toEqual([{ t: 2, a: 3 }, { t: 3, a: 4 }]);
  });
  it("merges newest first without duplicates", () => {
    const merged = mergeNewest([{ id: 2 }, { id: 1 }], [{ id: 4 }, { id: 3 }, { id: 2 }], 3);
    expect(merged.map((x) => x.id)).toEqual([4, 3, 2]);
  });
  it("orders a batch by block, then by profit", () => {
    const sorted = byBlockThenProfit([
      { id: "a", block: 7, profit_usd: 5 }, { id: "b", block: 8, profit_usd: 1 },
      { id: "c", block: 7, profit_usd: 9 }, { id: "d", block: 8, profit_usd: null }]);
    expect(sorted.map((x) => x.id)).toEqual(["b", "d", "c", "a"]);
  });
});
