import {
  Alert, Button, Card, CardHeader, Chip, Grid, Table, TableBody, TableCell, TableHead, TableRow,
  TextField,
} from "@mui/material";
import { useCallback, useEffect, useState } from "react";
import { ApiError, get, post, put } from "../api/client";
import type { Registry, RegistryFeed } from "../api/types";

const KIND: Record<string, string> = { "0": "Uniswap V2", "1": "Uniswap V3", "2": "Balancer V2" };

function FeedRow({ row, onSave, busy }: {
  row: RegistryFeed; busy: boolean;
  onSave: (row: RegistryFeed, heartbeat: number, deviation: number) => void;
}) {
  const [heartbeat, setHeartbeat] = useState(String(row.heartbeat_s ?? ""));
  const [deviation, setDeviation] = useState(String(row.max_deviation_bps ?? 0));
  const valid = /^\d+$/.test(heartbeat) && Number(heartbeat) >= 1 && /^\d+$/.test(deviation)
    && Number(deviation) <= 5000;
  return (
    <TableRow>
      <TableCell>{row.symbol}</TableCell>
      <TableCell sx={{ fontFamily: "monospace", fontSize: 12 }}>{row.feed ? `${row.feed.slice(0, 10)}…` : "none"}</TableCell>
      <TableCell>
        <TextField size="small" value={heartbeat} onChange={(e) => setHeartbeat(e.target.value)}
          error={!valid} sx={{ width: 100 }} slotProps={{ htmlInput: { "aria-label": `${row.symbol} heartbeat` } }} />
      </TableCell>
      <TableCell>
        <TextField size="small" value={deviation} onChange={(e) => setDeviation(e.target.value)}
          error={!valid} sx={{ width: 90 }} slotProps={{ htmlInput: { "aria-label": `${row.symbol} max deviation` } }} />
      </TableCell>
      <TableCell>
        <Button size="small" disabled={busy || !valid || !row.feed}
          onClick={() => onSave(row, Number(heartbeat), Number(deviation))}>Save</Button>
      </TableCell>
    </TableRow>
  );
}

/** The on-chain registries (admin): DEX switches and feed staleness rules, each a transaction. */
export function RegistryPanel() {
  const [registry, setRegistry] = useState<Registry | null>(null);
  const [notice, setNotice] = useState<{ severity: "success" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => get<Registry>("/api/registry").then(setRegistry,
    (e: Error) => setNotice({ severity: "error", text: e.message })), []);
  useEffect(() => void load(), [load]);

  async function send(label: string, call: () => Promise<{ tx_hash?: string }>) {
    setBusy(true);
    try {
      const r = await call();
      setNotice({ severity: "success", text: `${label}: sent ${r.tx_hash?.slice(0, 12) ?? ""}…` });
      await load();
    } catch (e) {
      setNotice({ severity: "error", text: `${label}: ${e instanceof ApiError ? e.message : String(e)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Grid container spacing={2}>
      {notice && <Grid size={12}><Alert severity={notice.severity} onClose={() => setNotice(null)}>{notice.text}</Alert></Grid>}
      {registry && !registry.onchain && (
        <Grid size={12}><Alert severity="info">Registries not readable on chain: {registry.why}</Alert></Grid>
      )}
      <Grid size={{ xs: 12, lg: 5 }}>
        <Card variant="outlined">
          <CardHeader title="DexRegistry" subheader="the executor trades only on enabled DEXes" />
          <Table size="small" data-testid="registry-dexes">
            <TableHead><TableRow><TableCell>DEX</TableCell><TableCell>Kind</TableCell>
              <TableCell>State</TableCell><TableCell /></TableRow></TableHead>
            <TableBody>
              {(registry?.dexes ?? []).map((d) => (
                <TableRow key={d.id}>
                  <TableCell>{d.id}</TableCell>
                  <TableCell>{KIND[String(d.kind)] ?? d.kind}</TableCell>
                  <TableCell>
                    {d.enabled === null ? "—" : <Chip size="small" color={d.enabled ? "success" : "default"}
                      label={d.enabled ? "enabled" : "disabled"} />}
                    {d.held && <Chip size="small" color="warning" sx={{ ml: 1 }} label="held by registrar"
                      title="A registrar disabled it: only a registrar's key may enable it again" />}
                  </TableCell>
                  <TableCell>
                    {d.enabled !== null && (
                      <Button size="small" disabled={busy || !registry?.onchain}
                        onClick={() => void send(`${d.enabled ? "disable" : "enable"} ${d.id}`, () =>
                          post(`/api/admin/registry/dex/${encodeURIComponent(d.id)}/${d.enabled ? "disable" : "enable"}`))}>
                        {d.enabled ? "Disable" : "Enable"}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      </Grid>
      <Grid size={{ xs: 12, lg: 7 }}>
        <Card variant="outlined">
          <CardHeader title="PriceFeedRegistry" subheader="heartbeat (s) and max pool/oracle deviation (bps)" />
          <Table size="small">
            <TableHead><TableRow><TableCell>Token</TableCell><TableCell>Feed</TableCell>
              <TableCell>Heartbeat</TableCell><TableCell>Max dev.</TableCell><TableCell /></TableRow></TableHead>
            <TableBody>
              {(registry?.feeds ?? []).map((f) => (
                <FeedRow key={`${f.token}-${f.heartbeat_s}-${f.max_deviation_bps}`} row={f} busy={busy || !registry?.onchain}
                  onSave={(row, heartbeat, deviation) => void send(`feed ${row.symbol}`, () =>
                    put(`/api/admin/registry/feed/${row.token}`,
                      { feed: row.feed, heartbeat_s: heartbeat, max_deviation_bps: deviation }))} />
              ))}
            </TableBody>
          </Table>
        </Card>
      </Grid>
    </Grid>
  );
}
