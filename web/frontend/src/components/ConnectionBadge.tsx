import { Chip, Tooltip } from "@mui/material";
import type { ConnectionState } from "../live/SocketContext";

const LOOK: Record<ConnectionState, { label: string; color: "success" | "warning" | "error" | "default" }> = {
  connected: { label: "live", color: "success" },
  connecting: { label: "connecting", color: "default" },
  reconnecting: { label: "reconnecting", color: "warning" },
  offline: { label: "offline", color: "error" },
};

export function ConnectionBadge({ state, attempt }: { state: ConnectionState; attempt: number }) {
  const look = LOOK[state];
  const label = state === "reconnecting" && attempt > 0 ? `${look.label} (${attempt})` : look.label;
  return (
    <Tooltip title="Live updates over Socket.IO">
      <Chip size="small" variant="outlined" color={look.color} label={label}
        data-testid="connection-state" data-state={state} />
    </Tooltip>
  );
}
