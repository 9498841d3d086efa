import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { RegistryPanel } from "../pages/RegistryPanel";
import { Providers, mockFetch } from "./fixtures";

function registry(enabled: boolean) {
  return {
    onchain: true, why: null,
    dexes: [{ id: "sushiswap", kind: 0, factory: "0xf", enabled, fee_bps: 30 }],
    feeds: [{ token: `0x${"ab".repeat(20)}`, symbol: "WETH", feed: `0x${"cd".repeat(20)}`,
      heartbeat_s: 3600, max_deviation_bps: 200 }],
  };
}

describe("RegistryPanel", () => {
  it("disables a DEX on chain and shows the registry's new state", async () => {
    let enabled = true;
    const calls = mockFetch({
      "GET /api/registry": () => [200, registry(enabled)],
      "POST /api/admin/registry/dex/sushiswap/disable": () => {
        enabled = false;
        return [200, { action: "registry_disable", tx_hash: "0xabc123def4567890" }];
      },
    });
    render(<Providers role="admin"><RegistryPanel /></Providers>);
    await userEvent.click(await screen.findByRole("button", { name: "Disable" }));
    await waitFor(() => expect(screen.getByText("disabled")).toBeInTheDocument());
    expect(screen.getByRole("button", { name: "Enable" })).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(1);
  });

  it("marks a DEX a registrar disabled as held", async () => {
    mockFetch({
      "GET /api/registry": () => [200, { ...registry(false),
        dexes: [{ id: "sushiswap", kind: 0, factory: "0xf", enabled: false, fee_bps: 30, held: true },
          { id: "uniswap-v2", kind: 0, factory: "0xe", enabled: false, fee_bps: 30, held: false }] }],
    });
    render(<Providers role="admin"><RegistryPanel /></Providers>);
    expect(await screen.findAllByText("held by registrar")).toHaveLength(1);
  });

  it("sends a feed's heartbeat and deviation, and refuses a bound above 5000 bps", async () => {
    const calls = mockFetch({
      "GET /api/registry": () => [200, registry(true)],
      [`PUT /api/admin/registry/feed/0x${"ab".repeat(20)}`]: () => [200, { action: "registry_feed", tx_hash: "0x1" }],
    });
    render(<Providers role="admin"><RegistryPanel /></Providers>);
    const deviation = await screen.findByLabelText("WETH max deviation");
    await userEvent.clear(deviation);
    await userEvent.type(deviation, "9000");
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    await userEvent.clear(deviation);
    await userEvent.type(deviation, "150");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true));
    const body = JSON.parse(String(calls.find((c) => c.method === "PUT")!.init.body));
    expect(body).toEqual({ feed: `0x${"cd".repeat(20)}`, heartbeat_s: 3600, max_deviation_bps: 150 });
  });
});
