import {
  Card, CardHeader, Chip, Table, TableBody, TableCell, TableHead, TableRow, Tooltip, Typography,
} from "@mui/material";
import type { Opportunity } from "../api/types";
import { Empty } from "../components/Empty";
import { clock, units, usd } from "../format/numbers";
import { useLiveData } from "../live/LiveData";

const DECISION_COLOR: Record<string, "success" | "error" | "info" | "default"> = {
  accepted: "success", executed: "success", rejected: "error", detected: "info",
};

function pathOf(o: Opportunity): string {
  if (o.path) return o.path;
  const hops = o.route ?? [];
  if (!hops.length) return "—";
  return [hops[0]!.symbol_in ?? hops[0]!.token_in.slice(0, 6),
    ...hops.map((h) => h.symbol_out ?? h.token_out.slice(0, 6))].join("→");
}

export function Score({ score, uncertainty }: { score: number | null; uncertainty: number | null }) {
  if (score === null || score === undefined) {
    return <Tooltip title="no model has scored this yet"><span>—</span></Tooltip>;
  }
  const u = uncertainty ?? 0;
  return (
    <span data-testid="score">
      {score.toFixed(2)}<Typography component="span" variant="caption" color="text.secondary"> ±{u.toFixed(2)}</Typography>
    </span>
  );
}

export function OpportunitiesPage() {
  const { opportunities } = useLiveData();
  return (
    <Card variant="outlined">
      <CardHeader title="Opportunities" subheader="newest first: sized, costed, scored and decided" />
      <Table size="small" data-testid="opportunities">
        <TableHead>
          <TableRow>
            <TableCell>Time</TableCell><TableCell>Block</TableCell><TableCell>Route</TableCell>
            <TableCell align="right">Amount in</TableCell><TableCell align="right">Net profit</TableCell>
            <TableCell>Flash</TableCell><TableCell align="right">Gas</TableCell>
            <TableCell>Score ± unc.</TableCell><TableCell>Decision</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {opportunities.map((o) => {
            const dec = (o as { start_decimals?: number }).start_decimals ?? 18;
            return (
              <TableRow key={o.id} data-testid="opportunity-row">
                <TableCell>{clock(o.ts)}</TableCell>
                <TableCell>{o.block}</TableCell>
                <TableCell>{pathOf(o)}</TableCell>
                <TableCell align="right" sx={{ whiteSpace: "nowrap" }}>{units(o.amount_in, dec)} {o.start_symbol ?? ""}</TableCell>
                <TableCell align="right">{usd(o.profit_usd)}</TableCell>
                <TableCell sx={{ whiteSpace: "nowrap" }}>{o.flash_source ?? "—"}</TableCell>
                <TableCell align="right">{o.gas_estimate?.toLocaleString() ?? "—"}</TableCell>
                <TableCell><Score score={o.score} uncertainty={o.uncertainty} /></TableCell>
                <TableCell>
                  <Tooltip title={o.reason ?? ""}>
                    <Chip size="small" color={DECISION_COLOR[o.decision] ?? "default"} label={o.decision} />
                  </Tooltip>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {!opportunities.length && <Empty>no opportunity yet: the keeper reports them per block</Empty>}
    </Card>
  );
}
