import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { RequireRole } from "../auth/RequireRole";
import { ConnectionBadge } from "../components/ConnectionBadge";
import { ErrorBoundary } from "../components/ErrorBoundary";
import { LiveDataProvider, useLiveData } from "../live/LiveData";
import { ControlsPage } from "../pages/ControlsPage";
import { OpportunitiesPage } from "../pages/OpportunitiesPage";
import { CONTROLS, Providers, data, fakeLive, mockFetch } from "./fixtures";

describe("ConnectionBadge", () => {
  it("shows the state and the reconnect attempt", () => {
    render(<ConnectionBadge state="reconnecting" attempt={3} />);
    const badge = screen.getByTestId("connection-state");
    expect(badge).toHaveTextContent("reconnecting (3)");
    expect(badge).toHaveAttribute("data-state", "reconnecting");
  });
});

describe("RequireRole", () => {
  it("refuses a viewer on a trader page and explains why", () => {
    render(<Providers role="viewer"><RequireRole role="trader"><p>secret controls</p></RequireRole></Providers>);
    expect(screen.queryByText("secret controls")).toBeNull();
    expect(screen.getByTestId("forbidden")).toHaveTextContent("needs the trader role");
  });
  it("lets a higher role through", () => {
    render(<Providers role="admin"><RequireRole role="trader"><p>secret controls</p></RequireRole></Providers>);
    expect(screen.getByText("secret controls")).toBeInTheDocument();
  });
});

describe("ErrorBoundary", () => {
  it("contains a failing view", () => {
    const Boom = () => { throw new Error("kaput"); };
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    render(<ErrorBoundary name="Prices"><Boom /></ErrorBoundary>);
    expect(screen.getByRole("alert")).toHaveTextContent("Prices failed");
    expect(screen.getByRole("alert")).toHaveTextContent("kaput");
    spy.mockRestore();
  });
});

describe("OpportunitiesPage", () => {
  it("lists route, exact amount, USD profit, score with uncertainty and decision", () => {
    const liveData = data({ opportunities: [{
      id: "9-1", block: 9, route: [], path: "WETH→USDC→WETH", start_symbol: "WETH",
      amount_in: "1500000000000000000", expected_out: "1510000000000000000", profit: "1",
      profit_usd: 12.5, score: 0.81, uncertainty: 0.07, decision: "rejected",
      reason: "gas above limit", ts: 1_700_000_000, flash_source: "balancer", gas_estimate: 230_000,
    }] });
    render(<Providers liveData={liveData}><OpportunitiesPage /></Providers>);
    const row = screen.getByTestId("opportunity-row");
    expect(row).toHaveTextContent("WETH→USDC→WETH");
    expect(row).toHaveTextContent("1.5000 WETH");
    expect(row).toHaveTextContent("$12.50");
    expect(row).toHaveTextContent("0.81 ±0.07");
    expect(row).toHaveTextContent("rejected");
  });
});

describe("ControlsPage", () => {
  it("pauses with the CSRF header from the cookie", async () => {
    document.cookie = "csrf_access_token=csrf123";
    const calls = mockFetch({ "POST /api/controls/pause": () => [200, { ...CONTROLS, paused: true }] });
    const liveData = data();
    render(<Providers role="trader" liveData={liveData}><ControlsPage /></Providers>);
    await userEvent.click(screen.getByRole("button", { name: "Pause" }));
    await waitFor(() => expect(screen.getByTestId("notice")).toHaveTextContent("pause: done"));
    const call = calls.find((c) => c.path === "/api/controls/pause")!;
    expect((call.init.headers as Record<string, string>)["X-CSRF-TOKEN"]).toBe("csrf123");
    expect(liveData.setControls).toHaveBeenCalledWith(expect.objectContaining({ paused: true }));
  });

  it("shows the server's refusal", async () => {
    mockFetch({ "POST /api/controls/pause": () => [403, { error: "forbidden", message: "requires trader" }] });
    render(<Providers role="trader" liveData={data()}><ControlsPage /></Providers>);
    await userEvent.click(screen.getByRole("button", { name: "Pause" }));
    await waitFor(() => expect(screen.getByTestId("notice")).toHaveTextContent("refused: requires trader"));
  });

  it("engages the kill switch only after KILL is typed", async () => {
    const calls = mockFetch({ "POST /api/controls/kill": () => [200, { ...CONTROLS, paused: true, kill_switch: true }] });
    render(<Providers role="trader" liveData={data()}><ControlsPage /></Providers>);
    await userEvent.click(screen.getByRole("button", { name: "Kill switch" }));
    const confirm = screen.getByRole("button", { name: "Engage kill switch" });
    expect(confirm).toBeDisabled();
    await userEvent.type(screen.getByTestId("confirm-input"), "KILL");
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);
    await waitFor(() => expect(calls.some((c) => c.path === "/api/controls/kill")).toBe(true));
    const body = JSON.parse(String(calls.find((c) => c.path === "/api/controls/kill")!.init.body));
    expect(body).toEqual({ confirm: "KILL" });
  });

  it("refuses to submit an invalid threshold", async () => {
    const calls = mockFetch({});
    render(<Providers role="trader" liveData={data()}><ControlsPage /></Providers>);
    const field = screen.getByLabelText("Max hops");
    await userEvent.clear(field);
    await userEvent.type(field, "2.5");
    expect(screen.getByRole("button", { name: "Save thresholds" })).toBeDisabled();
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(0);
  });
});

describe("LiveDataProvider", () => {
  it("takes the first view from REST and then applies socket batches", async () => {
    mockFetch({
      "GET /api/prices": () => [200, { tokens: [], pools: [], spreads: [], ts: null }],
      "GET /api/status": () => [200, { node: { head: 5, lag_s: 0.1, chain_id: 31337 },
        keeper: { state: "running", kill_switch: false, last_heartbeat: 1 }, mempool_rate: null,
        circuit_breaker: null, models: [] }],
      "GET /api/opportunities": () => [200, { items: [] }],
      "GET /api/trades": () => [200, { items: [] }],
      "GET /api/controls": () => [200, CONTROLS],
    });
    const live = fakeLive();
    let seen: ReturnType<typeof useLiveData> | null = null;
    const Probe = () => { seen = useLiveData(); return null; };
    render(<Providers live={live}><LiveDataProvider><Probe /></LiveDataProvider></Providers>);
    await waitFor(() => expect(seen!.status?.node.head).toBe(5));
    act(() => live.push("prices", [{ ts: 10, tokens: [], pools: [
      { address: "a", dex: "uni", token0: "WETH", token1: "USDC", price: 2000 },
      { address: "b", dex: "sushi", token0: "WETH", token1: "USDC", price: 2020 }] }]));
    expect(seen!.prices!.spreads[0]!.spread_bps).toBe(100);
    act(() => live.push("status", [{ head: 6, lag_s: 0.2, chain_id: 31337, ts: 11,
      mempool_rate: 3, circuit_breaker: null, models: [], keeper: { paused: true } }]));
    expect(seen!.status!.node.head).toBe(6);
    expect(seen!.status!.keeper.state).toBe("paused");
    act(() => live.push("control", [{ controls: { ...CONTROLS, paused: true } }]));
    expect(seen!.controls!.paused).toBe(true);
  });
});
