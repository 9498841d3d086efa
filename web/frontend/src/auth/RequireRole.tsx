import { Alert, Box } from "@mui/material";
import type { ReactNode } from "react";
import type { Role } from "../api/types";
import { useAuth } from "./AuthContext";

/** A page for `role` and above; lower roles see why, not a blank page. */
export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { hasRole, user } = useAuth();
  if (!hasRole(role)) {
    return (
      <Box p={3}>
        <Alert severity="warning" data-testid="forbidden">
          This page needs the {role} role; you are signed in as {user?.login} ({user?.role}).
        </Alert>
      </Box>
    );
  }
  return <>{children}</>;
}
