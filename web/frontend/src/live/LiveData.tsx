import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { get } from "../api/client";
import type {
  Controls, Items, Opportunity, Prices, Status, StatusEvent, Trade,
} from "../api/types";
import { appendPoint, byBlockThenProfit, mergeNewest } from "./history";
import type { Point } from "./history";
import { spreadsOf } from "./spreads";
import { useLive } from "./SocketContext";

export interface LiveData {
  prices: Prices | null;
  /** Spread (bps) per pair over time, one key per pair. */
  spreadHistory: Point[];
  status: Status | null;
  statusEvent: StatusEvent | null;
  opportunities: Opportunity[];
  trades: Trade[];
  controls: Controls | null;
  setControls: (c: Controls) => void;
  refresh: () => Promise<void>;
}

const DataContext = createContext<LiveData | null>(null);

function recordSpreads(history: Point[], prices: Prices): Point[] {
  const point: Point = { t: prices.ts ?? Date.now() / 1000 };
  for (const s of prices.spreads) point[s.pair] = s.spread_bps;
  return appendPoint(history, point);
}

/** REST for the first view, then the socket streams; REST again after a reconnect. */
export function LiveDataProvider({ children }: { children: ReactNode }) {
  const live = useLive();
  const [prices, setPrices] = useState<Prices | null>(null);
  const [spreadHistory, setSpreadHistory] = useState<Point[]>([]);
  const [status, setStatus] = useState<Status | null>(null);
  const [statusEvent, setStatusEvent] = useState<StatusEvent | null>(null);
  const [opportunities, setOpportunities] = useState<Opportunity[]>([]);
  const [trades, setTrades] = useState<Trade[]>([]);
  const [controls, setControls] = useState<Controls | null>(null);

  const refresh = useCallback(async () => {
    const results = await Promise.allSettled([
      get<Prices>("/api/prices"), get<Status>("/api/status"),
      get<Items<Opportunity>>("/api/opportunities?limit=100"),
      get<Items<Trade>>("/api/trades?limit=200"), get<Controls>("/api/controls"),
    ]);
    const [p, s, o, t, c] = results;
    if (p.status === "fulfilled") {
      setPrices(p.value);
      if (p.value.ts) setSpreadHistory((h) => recordSpreads(h, p.value));
    }
    if (s.status === "fulfilled") setStatus(s.value);
    if (o.status === "fulfilled") setOpportunities(o.value.items);
    if (t.status === "fulfilled") setTrades(t.value.items);
    if (c.status === "fulfilled") setControls(c.value);
  }, []);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void get<Status>("/api/status").then(setStatus, () => {}),
      10_000);
    return () => clearInterval(timer);
  }, [refresh]);

  useEffect(() => {
    if (live.state === "connected") void refresh(); // what the socket missed while away
  }, [live.state, refresh]);

  useEffect(() => {
    const offs = [
      live.on("prices", (items) => {
        const last = items[items.length - 1] as Partial<Prices> | undefined;
        if (!last?.pools) return;
        const next: Prices = {
          tokens: last.tokens ?? [], pools: last.pools,
          spreads: last.spreads ?? spreadsOf(last.pools), ts: last.ts ?? Date.now() / 1000,
        };
        setPrices(next);
        setSpreadHistory((h) => recordSpreads(h, next));
      }),
      live.on("status", (items) => {
        const ev = items[items.length - 1] as unknown as StatusEvent | undefined;
        if (!ev) return;
        setStatusEvent(ev);
        setStatus((s) => s && {
          ...s,
          node: { head: ev.head, lag_s: ev.lag_s, chain_id: ev.chain_id },
          mempool_rate: ev.mempool_rate,
          circuit_breaker: ev.circuit_breaker,
          models: ev.models,
          keeper: {
            ...s.keeper, last_heartbeat: ev.ts,
            state: s.keeper.kill_switch ? "stopped" : ev.keeper?.paused ? "paused" : "running",
          },
        });
      }),
      live.on("opportunities", (items) =>
        setOpportunities((cur) =>
          mergeNewest(cur, byBlockThenProfit(items as unknown as Opportunity[])))),
      live.on("trades", (items) =>
        setTrades((cur) => [...(items as unknown as Trade[]).reverse(), ...cur].slice(0, 500))),
      live.on("control", (items) => {
        const last = items[items.length - 1] as { controls?: Controls } | undefined;
        if (last?.controls) setControls(last.controls);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [live]);

  const value = useMemo<LiveData>(() => ({
    prices, spreadHistory, status, statusEvent, opportunities, trades, controls, setControls,
    refresh,
  }), [prices, spreadHistory, status, statusEvent, opportunities, trades, controls, refresh]);
  return <DataContext.Provider value={value}>{children}</DataContext.Provider>;
}

export function useLiveData(): LiveData {
  const data = useContext(DataContext);
  if (data === null) throw new Error("useLiveData outside <LiveDataProvider>");
  return data;
}

export const LiveDataTestProvider = DataContext.Provider;
