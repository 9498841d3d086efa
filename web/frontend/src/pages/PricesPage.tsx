import {
  Card, CardContent, CardHeader, Chip, Grid, Table, TableBody, TableCell, TableHead, TableRow,
  Typography,
} from "@mui/material";
import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Empty } from "../components/Empty";
import { StatCard } from "../components/StatCard";
import { bps, clock, price, usd } from "../format/numbers";
import type { Spread } from "../api/types";
import { useLiveData } from "../live/LiveData";

/** Quote a pair the way traders read it (WETH/USDC 3,000 rather than USDC/WETH 0.00033). */
function readable(s: Spread): Spread {
  const quotes = Object.values(s.dexes);
  if (!quotes.length || Math.max(...quotes) >= 1) return s;
  const [a, b] = s.pair.split("/");
  return { ...s, pair: `${b}/${a}`,
    dexes: Object.fromEntries(Object.entries(s.dexes).map(([d, p]) => [d, 1 / p])) };
}

const COLORS = ["#4fc3f7", "#ffb74d", "#81c784", "#e57373", "#ba68c8"];

export function PricesPage() {
  const { prices, spreadHistory } = useLiveData();
  const topPairs = useMemo(() => (prices?.spreads ?? []).slice(0, 5).map((s) => s.pair), [prices]);
  const tokens = (prices?.tokens ?? []).filter((t) => t.price_usd);
  return (
    <Grid container spacing={2}>
      <Grid size={12}>
        <Typography variant="h5">Live prices</Typography>
        <Typography variant="body2" color="text.secondary" data-testid="prices-updated"
          data-ts={prices?.ts ?? ""}>
          updated {clock(prices?.ts)} · {prices?.pools.length ?? 0} pools
        </Typography>
      </Grid>
      {tokens.slice(0, 6).map((t) => (
        <Grid key={t.address} size={{ xs: 6, md: 2 }}>
          <StatCard label={t.symbol} value={usd(t.price_usd, t.price_usd! < 10 ? 4 : 2)} />
        </Grid>
      ))}
      <Grid size={{ xs: 12, lg: 7 }}>
        <Card variant="outlined">
          <CardHeader title="Cross-DEX spread (bps)" subheader="the widest pairs, per block" />
          <CardContent sx={{ height: 300 }}>
            {spreadHistory.length < 2 ? <Empty>waiting for blocks…</Empty> : (
              <ResponsiveContainer width="100%" height="100%">
                <LineChart data={spreadHistory}>
                  <CartesianGrid strokeDasharray="3 3" opacity={0.2} />
                  <XAxis dataKey="t" tickFormatter={(t: number) => clock(t)} minTickGap={40} />
                  <YAxis width={50} />
                  <Tooltip labelFormatter={(t) => clock(Number(t))} />
                  <Legend />
                  {topPairs.map((pair, i) => (
                    <Line key={pair} dataKey={pair} stroke={COLORS[i % COLORS.length]} dot={false}
                      isAnimationActive={false} connectNulls />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            )}
          </CardContent>
        </Card>
      </Grid>
      <Grid size={{ xs: 12, lg: 5 }}>
        <Card variant="outlined">
          <CardHeader title="Spreads" />
          <Table size="small" data-testid="spreads">
            <TableHead>
              <TableRow><TableCell>Pair</TableCell><TableCell>Quotes</TableCell>
                <TableCell align="right">Spread</TableCell></TableRow>
            </TableHead>
            <TableBody>
              {(prices?.spreads ?? []).map(readable).map((s) => (
                <TableRow key={s.pair}>
                  <TableCell>{s.pair}</TableCell>
                  <TableCell>
                    {Object.entries(s.dexes).map(([dex, p]) => (
                      <Chip key={dex} size="small" variant="outlined" sx={{ mr: 0.5, mb: 0.5 }}
                        label={`${dex} ${price(p)}`} />
                    ))}
                  </TableCell>
                  <TableCell align="right">
                    <Chip size="small" color={s.spread_bps > 30 ? "warning" : "default"} label={bps(s.spread_bps)} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {!prices?.spreads.length && <Empty>no pair is quoted on two DEXes yet</Empty>}
        </Card>
      </Grid>
      <Grid size={12}>
        <Card variant="outlined">
          <CardHeader title="Pools" />
          <Table size="small" data-testid="pools">
            <TableHead>
              <TableRow>
                <TableCell>DEX</TableCell><TableCell>Pair</TableCell>
                <TableCell align="right">Price</TableCell><TableCell align="right">Fee</TableCell>
                <TableCell align="right">Tick</TableCell><TableCell align="right">Block</TableCell>
                <TableCell>Address</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {(prices?.pools ?? []).map((p) => (
                <TableRow key={p.address} data-testid="pool-row">
                  <TableCell>{p.dex}</TableCell>
                  <TableCell>{p.token0}/{p.token1}</TableCell>
                  <TableCell align="right" data-testid="pool-price">{price(p.price)}</TableCell>
                  <TableCell align="right">{p.fee === undefined ? "—" : `${p.fee / 10_000}%`}</TableCell>
                  <TableCell align="right">{p.tick ?? "—"}</TableCell>
                  <TableCell align="right">{p.block ?? "—"}</TableCell>
                  <TableCell sx={{ fontFamily: "monospace", fontSize: 12 }}>{p.address.slice(0, 10)}…</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {!prices?.pools.length && <Empty>the keeper has not reported pool prices yet</Empty>}
        </Card>
      </Grid>
    </Grid>
  );
}
