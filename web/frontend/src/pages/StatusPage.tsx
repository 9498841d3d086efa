import {
  Card, CardHeader, Grid, Table, TableBody, TableCell, TableHead, TableRow,
} from "@mui/material";
import { Empty } from "../components/Empty";
import { KeeperStateChip } from "../components/KeeperStateChip";
import { StatCard } from "../components/StatCard";
import { ago } from "../format/numbers";
import { useLiveData } from "../live/LiveData";

export function StatusPage() {
  const { status, statusEvent } = useLiveData();
  const k = statusEvent?.keeper;
  const cb = status?.circuit_breaker;
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Node head" value={status?.node.head ?? "—"} testId="node-head"
          hint={`chain ${status?.node.chain_id ?? "—"}`} />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Processing lag" testId="node-lag"
          value={status?.node.lag_s == null ? "—" : `${(status.node.lag_s * 1000).toFixed(0)} ms`}
          hint="header received → block handled" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Mempool" value={status?.mempool_rate == null ? "—" : `${status.mempool_rate.toFixed(1)} tx/s`} />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Keeper" value={<KeeperStateChip keeper={status?.keeper} />}
          hint={`heartbeat ${ago(status?.keeper.last_heartbeat)}`} />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}><StatCard label="Pools tracked" value={k?.pools ?? "—"} /></Grid>
      <Grid size={{ xs: 6, md: 3 }}><StatCard label="Cycles indexed" value={k?.cycles?.toLocaleString() ?? "—"} /></Grid>
      <Grid size={{ xs: 6, md: 3 }}><StatCard label="Reorgs / reconnects" value={k ? `${k.reorgs} / ${k.reconnects}` : "—"} /></Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Last consistency check" testId="last-check"
          value={k?.last_check ? `${k.last_check.repaired} repaired` : "—"}
          hint={k?.last_check ? `block ${k.last_check.block}, ${k.last_check.checked} pools, ${ago(k.last_check.ts)}` : "every 100 blocks, or on request"} />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Circuit breaker" value={cb ? String(cb.state ?? "reported") : "—"}
          hint={cb ? JSON.stringify(cb) : "risk engine not reporting"} />
      </Grid>
      <Grid size={12}>
        <Card variant="outlined">
          <CardHeader title="Models" subheader="versions and drift" />
          <Table size="small">
            <TableHead>
              <TableRow><TableCell>Model</TableCell><TableCell>Version</TableCell>
                <TableCell align="right">Drift</TableCell></TableRow>
            </TableHead>
            <TableBody>
              {(status?.models ?? []).map((m, i) => (
                <TableRow key={`${m.name ?? i}`}>
                  <TableCell>{m.name ?? "?"}</TableCell>
                  <TableCell>{m.version ?? "?"}</TableCell>
                  <TableCell align="right">{m.drift == null ? "—" : Number(m.drift).toFixed(3)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {!status?.models.length && <Empty>no model is reporting yet</Empty>}
        </Card>
      </Grid>
    </Grid>
  );
}
