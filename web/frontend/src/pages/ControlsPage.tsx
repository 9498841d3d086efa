import {
  Alert, Button, Card, CardActions, CardContent, CardHeader, Grid, Stack, TextField, Typography,
} from "@mui/material";
import { useEffect, useState } from "react";
import { ApiError, del, post, put } from "../api/client";
import type { Controls, Risk } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { useLiveData } from "../live/LiveData";
import { RegistryPanel } from "./RegistryPanel";

type Notice = { severity: "success" | "error"; text: string } | null;

const FIELDS: { key: keyof Risk; label: string; step: number; integer?: boolean }[] = [
  { key: "min_profit_usd", label: "Min profit (USD)", step: 0.5 },
  { key: "max_gas_gwei", label: "Max gas price (gwei)", step: 1 },
  { key: "max_trade_usd", label: "Max trade size (USD)", step: 100 },
  { key: "max_slippage_bps", label: "Max slippage (bps)", step: 1, integer: true },
  { key: "max_hops", label: "Max hops", step: 1, integer: true },
];

function message(e: unknown): string {
  if (e instanceof ApiError) return e.status === 403 ? `refused: ${e.message}` : e.message;
  return String((e as Error).message ?? e);
}

export function ControlsPage() {
  const { controls, setControls } = useLiveData();
  const { hasRole } = useAuth();
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const [killOpen, setKillOpen] = useState(false);
  const [risk, setRisk] = useState<Record<string, string>>({});

  useEffect(() => {
    if (controls) setRisk(Object.fromEntries(FIELDS.map((f) => [f.key, String(controls.risk[f.key] ?? "")])));
  }, [controls]);

  async function act(label: string, call: () => Promise<Controls | Record<string, unknown>>) {
    setBusy(true);
    try {
      const result = await call();
      if ("paused" in result) setControls(result as Controls);
      setNotice({ severity: "success", text: `${label}: done` });
    } catch (e) {
      setNotice({ severity: "error", text: `${label}: ${message(e)}` });
    } finally {
      setBusy(false);
    }
  }

  const riskErrors = Object.fromEntries(FIELDS.map((f) => {
    const v = Number(risk[f.key]);
    const bad = risk[f.key] === "" || !Number.isFinite(v) || v < 0 || (f.integer && !Number.isInteger(v));
    return [f.key, bad];
  }));
  const riskValid = !Object.values(riskErrors).some(Boolean);

  return (
    <Grid container spacing={2}>
      {notice && (
        <Grid size={12}>
          <Alert severity={notice.severity} onClose={() => setNotice(null)} data-testid="notice">
            {notice.text}
          </Alert>
        </Grid>
      )}
      <Grid size={{ xs: 12, md: 6 }}>
        <Card variant="outlined">
          <CardHeader title="Keeper" subheader={controls ? `controls version ${controls.version}` : "loading…"} />
          <CardContent>
            <Typography data-testid="controls-paused" data-paused={String(controls?.paused ?? "")}>
              {controls?.kill_switch ? "Kill switch engaged: the keeper is stopped."
                : controls?.paused ? "Paused: the keeper follows the chain but sends no trades."
                  : "Running."}
            </Typography>
          </CardContent>
          <CardActions>
            <Button variant="contained" color="warning" disabled={busy || !!controls?.paused}
              onClick={() => void act("pause", () => post<Controls>("/api/controls/pause"))}>
              Pause
            </Button>
            <Button variant="contained" color="success" disabled={busy || !controls?.paused || !!controls?.kill_switch}
              onClick={() => void act("resume", () => post<Controls>("/api/controls/resume"))}>
              Resume
            </Button>
            <Button variant="outlined" color="error" disabled={busy || !!controls?.kill_switch}
              onClick={() => setKillOpen(true)}>
              Kill switch
            </Button>
            <Button disabled={busy}
              onClick={() => void act("consistency check", () => post("/api/controls/check"))}>
              Check state now
            </Button>
            {hasRole("admin") && controls?.kill_switch && (
              <Button color="inherit" disabled={busy}
                onClick={() => void act("reset kill switch", () => del<Controls>("/api/controls/kill"))}>
                Reset kill switch
              </Button>
            )}
          </CardActions>
        </Card>
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <Card variant="outlined" component="form" onSubmit={(e) => {
          e.preventDefault();
          const body = Object.fromEntries(FIELDS.map((f) => [f.key, Number(risk[f.key])]));
          void act("risk thresholds", () => put<Controls>("/api/controls/risk", body));
        }}>
          <CardHeader title="Risk thresholds" />
          <CardContent>
            <Stack spacing={1.5}>
              {FIELDS.map((f) => (
                <TextField key={f.key} size="small" type="number" label={f.label}
                  value={risk[f.key] ?? ""} error={riskErrors[f.key]}
                  slotProps={{ htmlInput: { step: f.step, min: 0, name: f.key } }}
                  onChange={(e) => setRisk({ ...risk, [f.key]: e.target.value })} />
              ))}
            </Stack>
          </CardContent>
          <CardActions>
            <Button type="submit" variant="contained" disabled={busy || !riskValid}>Save thresholds</Button>
          </CardActions>
        </Card>
      </Grid>
      {hasRole("admin") && (
        <Grid size={12}>
          <Card variant="outlined">
            <CardHeader title="On-chain (admin)" subheader="sent through the keeper's guardian/admin accounts" />
            <CardActions>
              <Button color="error" disabled={busy}
                onClick={() => void act("executor pause", () => post("/api/admin/executor/pause"))}>
                Pause executor
              </Button>
              <Button disabled={busy}
                onClick={() => void act("executor unpause", () => post("/api/admin/executor/unpause"))}>
                Unpause executor
              </Button>
            </CardActions>
          </Card>
        </Grid>
      )}
      {hasRole("admin") && <Grid size={12}><RegistryPanel /></Grid>}
      <ConfirmDialog open={killOpen} word="KILL" confirmLabel="Engage kill switch"
        title="Engage the kill switch?"
        text="The keeper stops trading at once and stays stopped until an admin resets it."
        onClose={() => setKillOpen(false)}
        onConfirm={() => {
          setKillOpen(false);
          void act("kill switch", () => post<Controls>("/api/controls/kill", { confirm: "KILL" }));
        }} />
    </Grid>
  );
}
