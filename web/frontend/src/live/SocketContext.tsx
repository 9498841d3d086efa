import { createContext, useContext, useEffect, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { refreshSession } from "../api/client";
import { backoffDelay } from "./backoff";

export type Stream = "prices" | "opportunities" | "trades" | "status" | "control";
export const STREAMS: Stream[] = ["prices", "opportunities", "trades", "status", "control"];

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

type Handler = (items: Record<string, unknown>[]) => void;

export interface Live {
  state: ConnectionState;
  attempt: number;
  lastMessageAt: number | null;
  /** Listen to one stream's batches; returns the unsubscribe. */
  on: (stream: Stream, handler: Handler) => () => void;
  emit: (event: string, data: unknown) => Promise<Record<string, unknown>>;
}

const LiveContext = createContext<Live | null>(null);

export function SocketProvider({ children, url = "/live" }: { children: ReactNode; url?: string }) {
  const [state, setState] = useState<ConnectionState>("connecting");
  const [attempt, setAttempt] = useState(0);
  const [lastMessageAt, setLastMessageAt] = useState<number | null>(null);
  const handlers = useRef(new Map<Stream, Set<Handler>>());
  const socketRef = useRef<Socket | null>(null);

  useEffect(() => {
    // The server refuses a connect without a valid token and closes sockets on logout or
    // expiry; socket.io does not retry either, so this does: refresh the session, then
    // reconnect with jittered exponential backoff.
    const socket = io(url, {
      withCredentials: true,
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
    });
    socketRef.current = socket;
    let tries = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;

    const retry = async () => {
      setState("reconnecting");
      setAttempt(++tries);
      await refreshSession();
      if (closed) return;
      timer = setTimeout(() => socket.connect(), backoffDelay(tries - 1));
    };

    socket.on("connect", () => {
      tries = 0;
      setAttempt(0);
      setState("connected");
      socket.emit("subscribe", { streams: STREAMS });
    });
    socket.on("connect_error", () => {
      if (!socket.active) void retry(); // refused by the server: not retried by socket.io
      else setState("reconnecting");
    });
    socket.on("disconnect", (reason) => {
      if (closed) return;
      if (reason === "io server disconnect") void retry();
      else setState("reconnecting");
    });
    socket.io.on("reconnect_attempt", (n) => setAttempt(n));
    socket.io.on("reconnect_failed", () => setState("offline"));
    for (const stream of STREAMS) {
      socket.on(stream, (message: { items?: Record<string, unknown>[] }) => {
        setLastMessageAt(Date.now());
        const items = Array.isArray(message?.items) ? message.items : [];
        handlers.current.get(stream)?.forEach((h) => h(items));
      });
    }
    return () => {
      closed = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.io.removeAllListeners();
      socket.disconnect();
    };
  }, [url]);

  const value = useMemo<Live>(() => ({
    state, attempt, lastMessageAt,
    on: (stream, handler) => {
      const set = handlers.current.get(stream) ?? new Set<Handler>();
      set.add(handler);
      handlers.current.set(stream, set);
      return () => void set.delete(handler);
    },
    emit: (event, data) => new Promise((resolve, reject) => {
      const socket = socketRef.current;
      if (!socket?.connected) {
        reject(new Error("not connected"));
        return;
      }
      socket.timeout(5000).emit(event, data, (err: Error | null, ack: Record<string, unknown>) =>
        err ? reject(err) : resolve(ack));
    }),
  }), [state, attempt, lastMessageAt]);

  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  const live = useContext(LiveContext);
  if (live === null) throw new Error("useLive outside <SocketProvider>");
  return live;
}

export const LiveTestProvider = LiveContext.Provider;
