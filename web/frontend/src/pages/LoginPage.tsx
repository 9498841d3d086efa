import { Alert, Box, Button, Card, CardContent, Stack, Typography } from "@mui/material";
import { useAuth } from "../auth/AuthContext";

const LABEL: Record<string, string> = {
  github: "Sign in with GitHub", google: "Sign in with Google", standin: "Sign in (local stand-in provider)",
};

export function LoginPage() {
  const { providers, login, error } = useAuth();
  return (
    <Box sx={{ display: "grid", placeItems: "center", minHeight: "100vh" }}>
      <Card sx={{ width: 380 }}>
        <CardContent>
          <Typography variant="h5" gutterBottom>Flashkeeper</Typography>
          <Typography color="text.secondary" gutterBottom>
            The arbitrage keeper's dashboard. Sign in to continue.
          </Typography>
          {error && <Alert severity="error" sx={{ my: 1 }}>{error}</Alert>}
          <Stack spacing={1} sx={{ mt: 2 }}>
            {providers.map((p) => (
              <Button key={p} variant="contained" onClick={() => login(p)} data-testid={`login-${p}`}>
                {LABEL[p] ?? `Sign in with ${p}`}
              </Button>
            ))}
            {!providers.length && <Alert severity="warning">No login provider is configured.</Alert>}
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
}
