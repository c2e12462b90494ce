// A stand-in for the Rollcall API inside the browser: window.fetch answers from a table of routes
// ("POST /v1/…" → status and body) and records every call; window.WebSocket is a FakeSocket, the
// live channel a test speaks for. The fixtures are typed by the worker's own shapes, so a renamed
// API field breaks the typecheck here too.

import type { CreatedInvitations, InviteLink, ProblemCode, PublicSession } from "../../widget/api/client";

export type Call = { method: string; url: string; path: string; headers: Record<string, string>; body: unknown; keepalive: boolean };
export type Reply = { status?: number; body?: unknown } | ((call: Call) => { status?: number; body?: unknown });

const realFetch = window.fetch;
const RealWebSocket = window.WebSocket;

/** The live channel's socket as the elements see it: a test pushes the session's state or drops it. */
export class FakeSocket {
  /** Every socket opened since mockApi(), oldest first. */
  static all: FakeSocket[] = [];
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }

  /** The server's message after a change. */
  push(session: unknown) {
    this.onmessage?.({ data: JSON.stringify({ type: "session", session }) });
  }

  /** The server (or the network) ends the connection. */
  drop() {
    this.closed = true;
    this.onclose?.();
  }

  close() {
    this.closed = true;
    setTimeout(() => this.onclose?.());
  }
}

/** The sockets still open. */
export const openSockets = () => FakeSocket.all.filter((s) => !s.closed);

export function mockApi(routes: Record<string, Reply | Reply[]>) {
  const calls: Call[] = [];
  const queues = new Map(Object.entries(routes).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]));
  FakeSocket.all = [];
  window.WebSocket = FakeSocket as unknown as typeof WebSocket;
  window.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), location.href);
    const method = (init.method ?? "GET").toUpperCase();
    const headers = Object.fromEntries(
      Object.entries((init.headers as Record<string, string>) ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const call: Call = {
      method,
      url: url.href,
      path: url.pathname + url.search,
      headers,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
      keepalive: init.keepalive === true,
    };
    calls.push(call);
    const key = `${method} ${url.pathname}`;
    let reply = queues.get(key);
    if (Array.isArray(reply)) reply = reply.length > 1 ? reply.shift() : reply[0];
    if (!reply) return new Response(JSON.stringify({ code: "not_found", status: 404, detail: `no mock for ${key}` }), { status: 404 });
    const { status = 200, body = {} } = typeof reply === "function" ? reply(call) : reply;
    if (body instanceof Blob) return new Response(body, { status });
    const type = status >= 400 ? "application/problem+json" : "application/json";
    return new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
  };
  return {
    calls,
    restore: () => {
      // What <rollcall-join> remembered of a registration stays with the test that made it.
      localStorage.clear();
      window.fetch = realFetch;
      window.WebSocket = RealWebSocket;
    },
  };
}

export const problem = (status: number, code: ProblemCode, extra: Record<string, unknown> = {}) => ({
  status,
  body: { type: `https://rollcall.dev/problems/${code}`, title: code, status, detail: `detail of ${code}`, code, ...extra },
});

export const SESSION_ID = "ses_0h4k8m2q9rvt3x7c1a5d";
export const API = "http://api.test";

export function publicSession(overrides: Partial<PublicSession> = {}): PublicSession {
  return {
    id: SESSION_ID,
    title: "Forest camp — week 1",
    description: "Five mornings in the woods.",
    startsAt: "2027-07-05T07:00:00Z",
    endsAt: "2027-07-05T10:00:00Z",
    timeZone: "Europe/Paris",
    durationMinutes: 180,
    registrationOpensAt: null,
    registrationClosesAt: "2027-07-05T07:00:00Z",
    registrationCodeRequired: false,
    waitlist: true,
    confirmByEmail: false,
    location: null,
    online: false,
    form: null,
    price: null,
    refundUntilDays: null,
    status: "scheduled",
    seats: { capacity: 20, available: 12, waitlisted: 0, confirmed: 8 },
    registrationState: "open",
    minParticipants: 0,
    moreNeeded: 0,
    ...overrides,
  };
}

/** An invitation as the API answers it: sent, with none of the organiser's words. */
export function invitation(overrides: Partial<CreatedInvitations["invitations"][number]> = {}): CreatedInvitations["invitations"][number] {
  return {
    id: "inv_0",
    sessionId: SESSION_ID,
    email: "p0@example.org",
    name: null,
    holdSeat: true,
    discountCode: null,
    status: "sent",
    delivery: "queued",
    sendAt: null,
    sentAt: "2027-05-01T10:00:00Z",
    sendCount: 1,
    expiresAt: "2027-05-15T10:00:00Z",
    subject: null,
    buttonText: null,
    message: null,
    locale: "en",
    requireEmailMatch: false,
    raisedCapacity: 0,
    registrationId: null,
    createdAt: "2027-05-01T10:00:00Z",
    updatedAt: "2027-05-01T10:00:00Z",
    reopenedAt: null,
    erasedAt: null,
    ...overrides,
  };
}

/** The shadow root's first match, failing loudly when it is missing. */
export function $(el: Element, selector: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`no ${selector} in <${el.localName}>`);
  return found;
}

/** The element's text, its runs of spaces and line breaks made one space (a no-break space stays). */
export const text = (el: Element) => el.shadowRoot!.textContent!.replace(/[ \t\r\n]+/g, " ").trim();

export function type(input: HTMLElement, value: string) {
  (input as HTMLInputElement).value = value;
  input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
}

/** What GET /v1/invites/{token} answers: an invitation to `publicSession`, waiting for its answer. */
export function inviteLink(invitation: Partial<InviteLink["invitation"]> = {}, session: Partial<PublicSession> = {}): { body: InviteLink } {
  return {
    body: {
      session: publicSession(session),
      invitation: {
        status: "sent",
        name: "Ada Lovelace",
        emailMasked: "a•••@example.org",
        holdSeat: true,
        discountCode: null,
        toPay: session.price ?? null,
        expiresAt: "2027-06-20T10:00:00Z",
        requireEmailMatch: false,
        message: null,
        locale: "en",
        reopenable: false,
        ...invitation,
      },
    },
  };
}
