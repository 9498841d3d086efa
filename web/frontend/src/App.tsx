import { Box, CircularProgress } from "@mui/material";
import { Route, Routes } from "react-router-dom";
import type { ReactNode } from "react";
import { useAuth } from "./auth/AuthContext";
import { RequireRole } from "./auth/RequireRole";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { Layout } from "./components/Layout";
import { LiveDataProvider } from "./live/LiveData";
import { SocketProvider } from "./live/SocketContext";
import { ControlsPage } from "./pages/ControlsPage";
import { LoginPage } from "./pages/LoginPage";
import { OpportunitiesPage } from "./pages/OpportunitiesPage";
import { PnlPage } from "./pages/PnlPage";
import { PricesPage } from "./pages/PricesPage";
import { StatusPage } from "./pages/StatusPage";
import { UsersPage } from "./pages/UsersPage";
import { Empty } from "./components/Empty";

function page(name: string, node: ReactNode) {
  return <ErrorBoundary name={name} key={name}>{node}</ErrorBoundary>;
}

export function App() {
  const { user, loading } = useAuth();
  if (loading && !user) {
    return <Box sx={{ display: "grid", placeItems: "center", minHeight: "100vh" }}><CircularProgress /></Box>;
  }
  if (!user) return <LoginPage />;
  return (
    <SocketProvider>
      <LiveDataProvider>
        <Layout>
          <Routes>
            <Route path="/" element={page("Prices", <PricesPage />)} />
            <Route path="/opportunities" element={page("Opportunities", <OpportunitiesPage />)} />
            <Route path="/pnl" element={page("Trades and P&L", <PnlPage />)} />
            <Route path="/status" element={page("System status", <StatusPage />)} />
            <Route path="/controls" element={page("Controls",
              <RequireRole role="trader"><ControlsPage /></RequireRole>)} />
            <Route path="/users" element={page("Users",
              <RequireRole role="admin"><UsersPage /></RequireRole>)} />
            <Route path="*" element={<Empty>no such page</Empty>} />
          </Routes>
        </Layout>
      </LiveDataProvider>
    </SocketProvider>
  );
}
