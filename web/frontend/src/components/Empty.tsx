import { Typography } from "@mui/material";
import type { ReactNode } from "react";

export function Empty({ children }: { children: ReactNode }) {
  return <Typography color="text.secondary" sx={{ py: 3, textAlign: "center" }}>{children}</Typography>;
}
