// A session's live channel: the WebSocket that pushes its public state after every change, opened
// again after a drop. Its timers are a parameter, so tests drive the reconnection with a fake clock.

import type { PublicSession } from "../api/client";

/** The two timer functions live() uses; `globalThis` is the real one. */
export type Timers = {
  setTimeout(run: () => void, ms: number): number;
  clearTimeout(id: number | undefined): void;
};

/**
 * Follows a session's live channel: `onSession` gets its public state at once and after every
 * change. A dropped socket is opened again after 1, 2, 4… (at most 60) seconds, and at once when
 * the page comes back into view or the browser back online; a hidden page does not reconnect.
 * `onDrop` hears that a socket which had spoken was lost (the next message says it is back).
 * Returns the function that stops it.
 */
export function live(url: string, onSession: (session: PublicSession) => void, timers: Timers, onDrop: () => void): () => void {
  let ws: WebSocket | undefined;
  let timer: number | undefined;
  let delay = 500;
  const open = () => {
    timers.clearTimeout(timer);
    if (ws || document.hidden) return;
    const socket = new WebSocket(url);
    ws = socket;
    let spoke = false;
    socket.onmessage = (e) => {
      delay = 500;
      spoke = true;
      const m = JSON.parse(e.data);
      if (m.type === "session") onSession(m.session);
    };
    socket.onclose = () => {
      if (ws !== socket) return;
      ws = undefined;
      if (spoke) onDrop();
      delay *= 2;
      timer = timers.setTimeout(open, Math.min(delay, 6e4));
    };
  };
  document.addEventListener("visibilitychange", open);
  window.addEventListener("online", open);
  open();
  return () => {
    document.removeEventListener("visibilitychange", open);
    window.removeEventListener("online", open);
    timers.clearTimeout(timer);
    const socket = ws;
    ws = undefined;
    socket?.close();
  };
}
