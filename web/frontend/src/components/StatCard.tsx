import { Card, CardContent, Typography } from "@mui/material";
import type { ReactNode } from "react";

export function StatCard({ label, value, hint, testId }: {
  label: string; value: ReactNode; hint?: ReactNode; testId?: string;
}) {
  return (
    <Card variant="outlined" sx={{ height: "100%" }}>
      <CardContent>
        <Typography variant="overline" color="text.secondary">{label}</Typography>
        <Typography variant="h5" data-testid={testId} sx={{ fontVariantNumeric: "tabular-nums" }}>
          {value}
        </Typography>
        {hint && <Typography variant="caption" color="text.secondary">{hint}</Typography>}
      </CardContent>
    </Card>
  );
}
