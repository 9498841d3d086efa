import type { ReactNode } from "react";
import { MemoryRouter } from "react-router-dom";
import { vi } from "vitest";
import { ROLE_RANK } from "../api/types";
import type { Controls, Me, Role } from "../api/types";
import { AuthTestProvider } from "../auth/AuthContext";
import type { AuthState } from "../auth/AuthContext";
import type { LiveData } from "../live/LiveData";
import { LiveDataTestProvider } from "../live/LiveData";
import { LiveTestProvider } from "../live/SocketContext";
import type { Live, Stream } from "../live/SocketContext";

export function auth(role: Role, overrides: Partial<AuthState> = {}): AuthState {
  const user: Me = { id: 1, login: `${role}1`, email: null, name: null, role };
  return {
    user, loading: false, error: null, providers: ["standin"],
    hasRole: (r) => ROLE_RANK[role] >= ROLE_RANK[r],
    login: vi.fn(), logout: vi.fn(async () => {}), reload: vi.fn(async () => {}),
    ...overrides,
  };
}

export const CONTROLS: Controls = {
  paused: false, kill_switch: false, version: 3,
  risk: { min_profit_usd: 1, max_gas_gwei: 100, max_trade_usd: 10_000, max_slippage_bps: 50, max_hops: 3 },
};

export function data(overrides: Partial<LiveData> = {}): LiveData {
  return {
    prices: null, spreadHistory: [], status: null, statusEvent: null, opportunities: [],
    trades: [], controls: CONTROLS, setControls: vi.fn(), refresh: vi.fn(async () => {}),
    ...overrides,
  };
}

/** A socket that tests drive: `push(stream, items)` delivers a batch to the listeners. */
export function fakeLive(): Live & { push: (s: Stream, items: Record<string, unknown>[]) => void } {
  const handlers = new Map<Stream, Set<(items: Record<string, unknown>[]) => void>>();
  return {
    state: "connected", attempt: 0, lastMessageAt: null,
    on: (s, h) => {
      const set = handlers.get(s) ?? new Set();
      set.add(h);
      handlers.set(s, set);
      return () => void set.delete(h);
    },
    emit: vi.fn(async () => ({ ok: true })),
    push: (s, items) => handlers.get(s)?.forEach((h) => h(items)),
  };
}

export function Providers({ role = "viewer", live = fakeLive(), liveData, children }: {
  role?: Role; live?: Live; liveData?: LiveData; children: ReactNode;
}) {
  const inner = liveData ? <LiveDataTestProvider value={liveData}>{children}</LiveDataTestProvider> : children;
  return (
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <AuthTestProvider value={auth(role)}>
        <LiveTestProvider value={live}>{inner}</LiveTestProvider>
      </AuthTestProvider>
    </MemoryRouter>
  );
}

/** fetch that answers by "METHOD path" and records every request. */
export function mockFetch(routes: Record<string, (init: RequestInit) => [number, unknown]>) {
  const calls: { method: string; path: string; init: RequestInit }[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const path = String(input);
    const method = init.method ?? "GET";
    calls.push({ method, path, init });
    const route = routes[`${method} ${path}`] ?? routes[`${method} ${path.split("?")[0]}`];
    const [status, body] = route ? route(init) : [404, { error: "not_found", message: path }];
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fn);
  return calls;
}
