import { Chip } from "@mui/material";
import type { KeeperStatus } from "../api/types";

const COLOR = { running: "success", paused: "warning", stopped: "error", unknown: "default" } as const;

export function KeeperStateChip({ keeper }: { keeper: KeeperStatus | undefined }) {
  const state = keeper?.state ?? "unknown";
  return (
    <Chip size="small" color={COLOR[state]} label={`keeper ${state}`}
      data-testid="keeper-state" data-state={state} />
  );
}
