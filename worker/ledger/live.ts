// The live channel: a WebSocket per viewer on the session's ledger (hibernation API, so an idle page
// costs nothing). Each socket receives the session's public state on connect and after every
// change; the admin roster takes a message as its cue to reload. No personal data goes out here.

import { clientPrefix } from "../auth/client-prefix";
import { problemResponse } from "../errors/problem";
import type { PublicSessionView } from "../sessions/schemas";

const MAX_LIVE_SOCKETS = 2_000;
/**
 * Per client (an IPv4 address or an IPv6 /64): a person's tabs and devices. Without it one client
 * could take every one of the session's sockets; past it, a page still works, without live updates.
 */
export const MAX_LIVE_SOCKETS_PER_CLIENT = 5;

/** Answers an upgrade request with a socket that starts with the current state. */
export function acceptViewer(ctx: DurableObjectState, request: Request, state: PublicSessionView | null): Response {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket", { status: 426 });
  if (!state) return new Response("No such session", { status: 404 });
  if (ctx.getWebSockets().length >= MAX_LIVE_SOCKETS) return new Response("Too many viewers", { status: 503 });
  // Each socket is tagged with its client, so the runtime counts them (hibernated ones included).
  const client = clientPrefix(request.headers.get("cf-connecting-ip"));
  const tags = client ? [`client:${client}`] : [];
  if (client && ctx.getWebSockets(tags[0]).length >= MAX_LIVE_SOCKETS_PER_CLIENT) {
    return problemResponse(
      { code: "rate_limited", detail: `At most ${MAX_LIVE_SOCKETS_PER_CLIENT} live connections per client to one session.` },
      { "retry-after": "60" },
    );
  }
  const [socket, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  ctx.acceptWebSocket(server, tags);
  server.send(message(state));
  return new Response(null, { status: 101, webSocket: socket });
}

/** Sends the state to every viewer (the state is computed only when someone is watching). */
export function broadcast(ctx: DurableObjectState, state: () => PublicSessionView | null): void {
  const sockets = ctx.getWebSockets();
  if (sockets.length === 0) return;
  const current = state();
  if (!current) return;
  const text = message(current);
  for (const ws of sockets) {
    try {
      ws.send(text);
    } catch {
      // A socket closing as we speak: the runtime tells us through webSocketClose.
    }
  }
}

function message(session: PublicSessionView): string {
  return JSON.stringify({ type: "session", session });
}

/**
 * The code to answer a closing socket with. The peer's code is echoed when a server may send it;
 * 1005 (no code), 1006 (the connection dropped: a tab closed) and 1015 describe a closing and may
 * not be sent, so those, and anything else outside what close() accepts, are answered 1000.
 */
export function closeCodeFor(peerCode: number): number {
  return peerCode === 1000 || (peerCode >= 3000 && peerCode <= 4999) ? peerCode : 1000;
}
