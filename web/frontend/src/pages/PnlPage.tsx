import {
  Card, CardContent, CardHeader, Grid, Table, TableBody, TableCell, TableHead, TableRow,
} from "@mui/material";
import { useEffect, useState } from "react";
import {
  Area, AreaChart, Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis,
} from "recharts";
import { get } from "../api/client";
import type { Pnl } from "../api/types";
import { Empty } from "../components/Empty";
import { StatCard } from "../components/StatCard";
import { clock, usd } from "../format/numbers";
import { useLiveData } from "../live/LiveData";

export function PnlPage() {
  const { trades } = useLiveData();
  const [pnl, setPnl] = useState<Pnl | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    get<Pnl>("/api/pnl").then((p) => { setPnl(p); setError(null); },
      (e: Error) => setError(e.message));
  }, [trades.length]); // recomputed on the server when a trade arrives

  const total = pnl?.cumulative.at(-1)?.pnl_usd ?? 0;
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Realized P&L" value={usd(total)} testId="pnl-total" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Success rate" testId="success-rate"
          value={pnl?.success_rate == null ? "—" : `${(pnl.success_rate * 100).toFixed(1)}%`} />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Gas spent" value={`${(pnl?.gas_spent_eth ?? 0).toFixed(4)} ETH`} />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Trades" value={trades.length} />
      </Grid>
      {error && <Grid size={12}><Empty>P&L unavailable: {error}</Empty></Grid>}
      <Grid size={{ xs: 12, lg: 8 }}>
        <Card variant="outlined">
          <CardHeader title="Cumulative P&L (USD)" />
          <CardContent sx={{ height: 280 }}>
            {(pnl?.cumulative.length ?? 0) < 1 ? <Empty>no trades yet</Empty> : (
              <ResponsiveContainer width="100%" height="100%">
                <AreaChart data={pnl!.cumulative}>
                  <CartesianGrid strokeDasharray="3 3" opacity={0.2} />
                  <XAxis dataKey="ts" tickFormatter={(t: number) => clock(t)} minTickGap={40} />
                  <YAxis width={70} tickFormatter={(v: number) => usd(v, 0)} />
                  <Tooltip labelFormatter={(t) => clock(Number(t))} formatter={(v) => usd(Number(v))} />
                  <Area dataKey="pnl_usd" stroke="#81c784" fill="#81c78433" isAnimationActive={false} />
                </AreaChart>
              </ResponsiveContainer>
            )}
          </CardContent>
        </Card>
      </Grid>
      <Grid size={{ xs: 12, lg: 4 }}>
        <Card variant="outlined">
          <CardHeader title="By DEX" />
          <CardContent sx={{ height: 280 }}>
            {!pnl?.by_dex.length ? <Empty>no trades yet</Empty> : (
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={pnl.by_dex}>
                  <XAxis dataKey="dex" />
                  <YAxis width={60} />
                  <Tooltip formatter={(v) => usd(Number(v))} />
                  <Bar dataKey="pnl_usd" fill="#4fc3f7" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            )}
          </CardContent>
        </Card>
      </Grid>
      <Grid size={12}>
        <Card variant="outlined">
          <CardHeader title="By route" />
          <Table size="small">
            <TableHead>
              <TableRow><TableCell>Route</TableCell><TableCell align="right">Trades</TableCell>
                <TableCell align="right">P&L</TableCell></TableRow>
            </TableHead>
            <TableBody>
              {(pnl?.by_route ?? []).map((r) => (
                <TableRow key={r.route}>
                  <TableCell>{r.route}</TableCell>
                  <TableCell align="right">{r.trades}</TableCell>
                  <TableCell align="right">{usd(r.pnl_usd)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {!pnl?.by_route.length && <Empty>the executor has not traded yet</Empty>}
        </Card>
      </Grid>
    </Grid>
  );
}
