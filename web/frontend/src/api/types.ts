// The REST API's and the socket streams' shapes (web/api/schemas.py, keeper/report.py).

export type Role = "viewer" | "trader" | "admin";

export const ROLE_RANK: Record<Role, number> = { viewer: 0, trader: 1, admin: 2 };

export interface Me {
  id: number;
  login: string;
  email: string | null;
  name: string | null;
  role: Role;
}

export interface KeeperStatus {
  state: "running" | "paused" | "stopped" | "unknown";
  kill_switch: boolean;
  paused?: boolean;
  last_heartbeat: number | null;
}

export interface ModelInfo {
  name?: string;
  version?: string;
  drift?: number | null;
  [key: string]: unknown;
}

export interface Status {
  node: { head: number | null; lag_s: number | null; chain_id: number };
  keeper: KeeperStatus;
  mempool_rate: number | null;
  circuit_breaker: Record<string, unknown> | null;
  models: ModelInfo[];
}

/** What the keeper publishes on the "status" stream after every block. */
export interface StatusEvent {
  head: number | null;
  lag_s: number | null;
  chain_id: number;
  ts: number;
  mempool_rate: number | null;
  keeper?: { paused: boolean; pools: number; cycles: number; sync_s: number; reorgs: number;
    reconnects: number;
    last_check?: { block: number; checked: number; repaired: number; ts: number } | null };
  circuit_breaker: Record<string, unknown> | null;
  models: ModelInfo[];
}

export interface TokenPrice {
  symbol: string;
  address: string;
  price_usd: number | null;
}

export interface PoolPrice {
  address: string;
  dex: string;
  token0: string;
  token1: string;
  price: number | null;
  reserve0: string | null;
  reserve1: string | null;
  fee?: number;
  tick?: number | null;
  liquidity?: string | null;
  block?: number;
}

export interface Spread {
  pair: string;
  dexes: Record<string, number>;
  spread_bps: number;
}

export interface Prices {
  tokens: TokenPrice[];
  pools: PoolPrice[];
  spreads: Spread[];
  ts: number | null;
}

export interface RouteHop {
  pool: string;
  kind: string;
  token_in: string;
  token_out: string;
  fee: number;
  symbol_in?: string;
  symbol_out?: string;
}

export interface Opportunity {
  id: number | string;
  block: number;
  route: RouteHop[];
  path?: string;
  start_symbol?: string;
  amount_in: string;
  expected_out: string;
  profit: string;
  profit_usd: number | null;
  score: number | null;
  uncertainty: number | null;
  decision: string;
  reason: string | null;
  ts: number | null;
  flash_source?: string;
  gas_estimate?: number;
}

export interface Trade {
  ts: number;
  pnl_usd: number;
  success: boolean;
  gas_eth: number;
  route: string;
  dex: string;
  tx_hash?: string;
  [key: string]: unknown;
}

export interface Pnl {
  cumulative: { ts: number; pnl_usd: number }[];
  success_rate: number | null;
  gas_spent_eth: number;
  by_route: { route: string; pnl_usd: number; trades: number }[];
  by_dex: { dex: string; pnl_usd: number; trades: number }[];
}

export interface Risk {
  min_profit_usd: number;
  max_gas_gwei: number;
  max_trade_usd: number;
  max_slippage_bps: number;
  max_hops: number;
}

export interface Controls {
  paused: boolean;
  kill_switch: boolean;
  risk: Risk;
  version: number;
}

export interface User {
  id: number;
  provider: string;
  login: string;
  email: string | null;
  name: string | null;
  role: Role;
}

export interface AuditItem {
  id: number;
  ts: number;
  actor: string | null;
  action: string;
  outcome: string;
  target: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

export interface Items<T> {
  items: T[];
}

export interface RegistryDex {
  id: string;
  kind: number | string;
  factory: string;
  enabled: boolean | null;
  fee_bps: number | null;
  // disabled by a registrar: only a registrar's key may enable it again
  held?: boolean | null;
}

export interface RegistryFeed {
  token: string;
  symbol: string;
  feed: string | null;
  heartbeat_s: number | null;
  max_deviation_bps: number | null;
}

export interface Registry {
  onchain: boolean;
  why: string | null;
  dexes: RegistryDex[];
  feeds: RegistryFeed[];
}
