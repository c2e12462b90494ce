// The live channel: a WebSocket per viewer on the session's ledger (hibernation API, so an idle page
// costs nothing). Each socket receives the session's public state on connect and after every
// change; the admin roster takes a message as its cue to reload. No personal data goes out here.

import type { PublicSessionView } from "../sessions/schemas";

const MAX_LIVE_SOCKETS = 2_000;

/** Answers an upgrade request with a socket that starts with the current state. */
export function acceptViewer(ctx: DurableObjectState, request: Request, state: PublicSessionView | null): Response {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket", { status: 426 });
  if (!state) return new Response("No such session", { status: 404 });
  if (ctx.getWebSockets().length >= MAX_LIVE_SOCKETS) return new Response("Too many viewers", { status: 503 });
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  ctx.acceptWebSocket(server);
  server.send(message(state));
  return new Response(null, { status: 101, webSocket: client });
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
