import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, get, post } from "../api/client";
import { ROLE_RANK } from "../api/types";
import type { Me, Role } from "../api/types";

export interface AuthState {
  user: Me | null;
  loading: boolean;
  error: string | null;
  providers: string[];
  hasRole: (role: Role) => boolean;
  login: (provider: string) => void;
  logout: () => Promise<void>;
  reload: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [providers, setProviders] = useState<string[]>([]);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setUser(await get<Me>("/api/me"));
      setError(null);
    } catch (e) {
      setUser(null);
      // 401 is simply "not signed in"; anything else is worth showing
      setError(e instanceof ApiError && e.status === 401 ? null : String((e as Error).message));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    get<{ providers: string[] }>("/auth/providers")
      .then((r) => setProviders(r.providers))
      .catch(() => setProviders([]));
  }, [reload]);

  const logout = useCallback(async () => {
    try {
      await post("/auth/logout");
    } finally {
      setUser(null);
    }
  }, []);

  const value = useMemo<AuthState>(() => ({
    user, loading, error, providers, reload, logout,
    hasRole: (role: Role) => user !== null && ROLE_RANK[user.role] >= ROLE_RANK[role],
    login: (provider: string) => window.location.assign(`/auth/login/${provider}`),
  }), [user, loading, error, providers, reload, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (state === null) throw new Error("useAuth outside <AuthProvider>");
  return state;
}

/** For tests and storybook-like isolation: a fixed auth state. */
export const AuthTestProvider = AuthContext.Provider;
