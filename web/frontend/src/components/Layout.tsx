import {
  AppBar, Box, Button, Drawer, List, ListItemButton, ListItemText, Stack, Toolbar, Typography,
} from "@mui/material";
import type { ReactNode } from "react";
import { NavLink, useLocation } from "react-router-dom";
import type { Role } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { useLiveData } from "../live/LiveData";
import { useLive } from "../live/SocketContext";
import { ConnectionBadge } from "./ConnectionBadge";
import { KeeperStateChip } from "./KeeperStateChip";

const WIDTH = 200;

export const NAV: { to: string; label: string; role: Role }[] = [
  { to: "/", label: "Prices", role: "viewer" },
  { to: "/opportunities", label: "Opportunities", role: "viewer" },
  { to: "/pnl", label: "Trades & P&L", role: "viewer" },
  { to: "/status", label: "System status", role: "viewer" },
  { to: "/controls", label: "Controls", role: "trader" },
  { to: "/users", label: "Users & audit", role: "admin" },
];

export function Layout({ children }: { children: ReactNode }) {
  const { user, hasRole, logout } = useAuth();
  const live = useLive();
  const { status } = useLiveData();
  const { pathname } = useLocation();
  return (
    <Box sx={{ display: "flex", minHeight: "100vh" }}>
      <AppBar position="fixed" sx={{ zIndex: (t) => t.zIndex.drawer + 1 }} color="default" elevation={1}>
        <Toolbar variant="dense" sx={{ gap: 1 }}>
          <Typography variant="h6" sx={{ flexGrow: 1, fontWeight: 700 }}>Flashkeeper</Typography>
          <Typography variant="body2" color="text.secondary" data-testid="head">
            block {status?.node.head ?? "—"}
          </Typography>
          <KeeperStateChip keeper={status?.keeper} />
          <ConnectionBadge state={live.state} attempt={live.attempt} />
          <Stack direction="row" spacing={1} alignItems="center" sx={{ ml: 2 }}>
            <Typography variant="body2" data-testid="whoami">
              {user?.login} · {user?.role}
            </Typography>
            <Button size="small" onClick={() => void logout()}>Sign out</Button>
          </Stack>
        </Toolbar>
      </AppBar>
      <Drawer variant="permanent" sx={{ width: WIDTH, flexShrink: 0,
        "& .MuiDrawer-paper": { width: WIDTH, boxSizing: "border-box" } }}>
        <Toolbar variant="dense" />
        <List component="nav" aria-label="pages">
          {NAV.filter((n) => hasRole(n.role)).map((n) => (
            <ListItemButton key={n.to} component={NavLink} to={n.to} selected={pathname === n.to}>
              <ListItemText primary={n.label} />
            </ListItemButton>
          ))}
        </List>
      </Drawer>
      <Box component="main" sx={{ flexGrow: 1, p: 3, minWidth: 0 }}>
        <Toolbar variant="dense" />
        {children}
      </Box>
    </Box>
  );
}
