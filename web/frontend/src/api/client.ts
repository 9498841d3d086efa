// The REST client: same-origin cookies (HttpOnly `__Host-` JWTs), the CSRF double-submit
// header on writes, and one transparent refresh (rotation) when the access token has expired.

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

async function send(method: string, path: string, body?: unknown, csrfCookie = "csrf_access_token") {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const csrf = readCookie(csrfCookie);
  if (WRITE.has(method) && csrf) headers["X-CSRF-TOKEN"] = csrf;
  return fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

let refreshing: Promise<boolean> | null = null;

/** Rotate the refresh token once for every caller that saw a 401 at the same time: a second
 * rotation with the already-used token would count as reuse and end the login. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= send("POST", "/auth/refresh", undefined, "csrf_refresh_token")
    .then((r) => r.ok)
    .catch(() => false)
    .finally(() => {
      setTimeout(() => (refreshing = null), 0);
    });
  return refreshing;
}

async function toError(r: Response): Promise<ApiError> {
  let code = `http_${r.status}`;
  let message = r.statusText || "request failed";
  try {
    const data = (await r.json()) as { error?: string; message?: string };
    code = data.error ?? code;
    message = data.message ?? message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(r.status, code, message);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let r = await send(method, path, body);
  if (r.status === 401 && !path.startsWith("/auth/") && (await refreshSession())) {
    r = await send(method, path, body);
  }
  if (!r.ok) throw await toError(r);
  return (await r.json()) as T;
}

export const get = <T>(path: string) => api<T>("GET", path);
export const post = <T>(path: string, body?: unknown) => api<T>("POST", path, body);
export const put = <T>(path: string, body?: unknown) => api<T>("PUT", path, body);
export const del = <T>(path: string) => api<T>("DELETE", path);
