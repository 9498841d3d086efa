import {
  Alert, Card, CardHeader, Grid, MenuItem, Select, Table, TableBody, TableCell, TableHead,
  TableRow,
} from "@mui/material";
import { useCallback, useEffect, useState } from "react";
import { get, put } from "../api/client";
import type { AuditItem, Items, Role, User } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { clock } from "../format/numbers";

const ROLES: Role[] = ["viewer", "trader", "admin"];

export function UsersPage() {
  const { user: me } = useAuth();
  const [users, setUsers] = useState<User[]>([]);
  const [audit, setAudit] = useState<AuditItem[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [u, a] = await Promise.all([get<Items<User>>("/api/users"),
        get<Items<AuditItem>>("/api/audit?limit=100")]);
      setUsers(u.items);
      setAudit(a.items);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => void load(), [load]);

  async function setRole(u: User, role: Role) {
    try {
      await put(`/api/users/${u.id}/role`, { role });
      setError(null);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <Grid container spacing={2}>
      {error && <Grid size={12}><Alert severity="error">{error}</Alert></Grid>}
      <Grid size={{ xs: 12, lg: 5 }}>
        <Card variant="outlined">
          <CardHeader title="Users and roles" />
          <Table size="small" data-testid="users">
            <TableHead>
              <TableRow><TableCell>Login</TableCell><TableCell>Provider</TableCell><TableCell>Role</TableCell></TableRow>
            </TableHead>
            <TableBody>
              {users.map((u) => (
                <TableRow key={u.id}>
                  <TableCell>{u.login}<br /><small>{u.email}</small></TableCell>
                  <TableCell>{u.provider}</TableCell>
                  <TableCell>
                    <Select size="small" value={u.role} disabled={u.id === me?.id}
                      onChange={(e) => void setRole(u, e.target.value as Role)}>
                      {ROLES.map((r) => <MenuItem key={r} value={r}>{r}</MenuItem>)}
                    </Select>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      </Grid>
      <Grid size={{ xs: 12, lg: 7 }}>
        <Card variant="outlined">
          <CardHeader title="Audit log" subheader="every auth event and control action" />
          <Table size="small" data-testid="audit">
            <TableHead>
              <TableRow><TableCell>Time</TableCell><TableCell>Who</TableCell><TableCell>Action</TableCell>
                <TableCell>Outcome</TableCell><TableCell>From</TableCell></TableRow>
            </TableHead>
            <TableBody>
              {audit.map((a) => (
                <TableRow key={a.id}>
                  <TableCell>{clock(a.ts)}</TableCell>
                  <TableCell>{a.actor ?? "—"}</TableCell>
                  <TableCell>{a.action}{a.target ? ` → ${a.target}` : ""}</TableCell>
                  <TableCell>{a.outcome}</TableCell>
                  <TableCell>{a.ip ?? "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      </Grid>
    </Grid>
  );
}
