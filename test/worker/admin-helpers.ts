// Shared steps of the hosted admin tests: a browser's requests (forms, cookies, no redirects
// followed), the mail the worker queues, and signing in the way a member does.
import { env, SELF } from "cloudflare:test";
import { vi } from "vitest";
import type { MailMessage } from "../../worker/email/message";
import { api, BASE, ROOT_KEY } from "./helpers";

export const COOKIE = "__Host-rollcall_admin";

let counter = 0;
/** A fresh address: sign-in links are limited per address, so each test signs in its own. */
export const uniqueEmail = (who = "owner") => `${who}-${Date.now().toString(36)}-${counter++}@camp.example`;

export async function adminOrg(
  name = "Forest Camp",
  ownerEmail = uniqueEmail(),
): Promise<{ orgId: string; key: string; ownerEmail: string }> {
  const res = await api("POST", "/v1/orgs", { key: ROOT_KEY, body: { name, ownerEmail } });
  if (res.status !== 201) throw new Error(`org creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { orgId: res.body.org.id, key: res.body.apiKey, ownerEmail };
}

/** Every message the worker hands to either mail queue from now on (the queues themselves are bypassed). */
export function queuedMail(): MailMessage[] {
  const sent: MailMessage[] = [];
  const capture = async (message: MailMessage) => {
    sent.push(message);
  };
  vi.spyOn(env.MAIL_QUEUE, "send").mockImplementation(capture as never);
  vi.spyOn(env.URGENT_MAIL_QUEUE, "send").mockImplementation(capture as never);
  return sent;
}

/** The link of the last sign-in mail (sign-in or member invitation) queued for an address. */
export function linkFor(mail: MailMessage[], to: string): string {
  const message = mail.findLast((m) => m.template === "sign_in" && m.to === to);
  if (message?.template !== "sign_in") throw new Error(`no sign-in mail to ${to}`);
  return message.data.link;
}

export type PageResponse = { status: number; text: string; headers: Headers; location: string | null };

/** A browser request to a hosted page: an optional cookie, an optional form, redirects not followed. */
export async function browse(
  method: "GET" | "POST",
  path: string,
  options: { cookie?: string | null; form?: Record<string, string>; headers?: Record<string, string>; base?: string } = {},
): Promise<PageResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  const res = await SELF.fetch(`${options.base ?? BASE}${path}`, { method, headers, body, redirect: "manual" });
  return { status: res.status, text: await res.text(), headers: res.headers, location: res.headers.get("location") };
}

/** Asks for a sign-in link and waits for the mail that carries it (sent after the answer). */
export async function signInLink(
  email: string,
  mail: MailMessage[],
  options: { base?: string; headers?: Record<string, string> } = {},
): Promise<string> {
  const before = mail.length;
  const res = await browse("POST", "/admin/sign-in", { form: { email }, ...options });
  if (res.status !== 200) throw new Error(`sign-in request failed: ${res.status}`);
  return vi.waitFor(() => linkFor(mail.slice(before), email.toLowerCase()), { timeout: 5_000, interval: 20 });
}

/** The cookie a response sets, as a browser would send it back ("name=value"). */
export function cookieFrom(res: PageResponse): string | null {
  const header = res.headers.get("set-cookie");
  return header ? header.split(";")[0]! : null;
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;

export type SignedIn = { cookie: string; csrf: string; email: string };

/** Follows the emailed link, presses its button, and returns the session a browser now holds. */
export async function followLink(link: string, base = BASE): Promise<{ cookie: string; csrf: string }> {
  const path = link.slice(new URL(link).origin.length);
  const res = await browse("POST", path, { base });
  const cookie = cookieFrom(res);
  if (res.status !== 303 || !cookie) throw new Error(`signing in failed: ${res.status} ${res.text.slice(0, 300)}`);
  const sessions = await browse("GET", "/admin/sessions", { cookie, base });
  const csrf = csrfOf(sessions.text);
  if (!csrf) throw new Error("no CSRF token on the sessions page");
  return { cookie, csrf };
}

export async function signIn(email: string, mail: MailMessage[] = queuedMail()): Promise<SignedIn> {
  return { ...(await followLink(await signInLink(email, mail))), email };
}

/** An org with its owner signed in to the hosted admin. */
export async function signedInOwner(name = "Forest Camp") {
  const org = await adminOrg(name);
  const mail = queuedMail();
  const owner = await signIn(org.ownerEmail, mail);
  return { ...org, owner, mail };
}

/** An owner who has invited a colleague, and the colleague (an admin) signed in through the invitation. */
export async function ownerAndColleague() {
  const org = await signedInOwner();
  const email = uniqueEmail("colleague");
  const invited = await submit(org.owner, "/admin/members", { email });
  if (invited.status !== 303) throw new Error(`invitation failed: ${invited.status}`);
  const colleague = { ...(await followLink(linkFor(org.mail, email))), email };
  const row = await env.DB.prepare("SELECT id FROM members WHERE org_id = ? AND email = ?").bind(org.orgId, email).first<{ id: string }>();
  return { ...org, colleague, colleagueId: row!.id };
}

/** Creates an API key in the hosted admin as this member, and returns the key shown once. */
export async function keyMadeBy(who: { cookie: string; csrf: string }, label: string): Promise<string> {
  const made = await submit(who, "/admin/keys", { label });
  // POST, then redirect to the page that shows the key once (the handover cookie carries it there).
  const handover = made.headers.get("set-cookie")?.split(";")[0];
  if (made.status !== 303 || !made.location || !handover) throw new Error(`key creation failed: ${made.status}`);
  const shown = await browse("GET", made.location, { cookie: `${who.cookie}; ${handover}` });
  const key = /id="new-key"[^>]* value="(rk_[^"]+)"/.exec(shown.text)?.[1];
  if (!key) throw new Error(`the new key was not shown: ${shown.status}`);
  return key;
}

/** A form post of a signed-in member, with their CSRF token unless told otherwise. */
export function submit(
  who: { cookie: string; csrf: string },
  path: string,
  form: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  return browse("POST", path, { cookie: who.cookie, form: { _csrf: who.csrf, ...form }, headers });
}

/** Waits, when a rate limiter's fixed window is about to roll over, for the next one to start. */
export async function freshWindow(periodSeconds: 10 | 60, neededMs: number): Promise<void> {
  const period = periodSeconds * 1000;
  const left = period - (Date.now() % period);
  if (left < neededMs) await scheduler.wait(left + 100);
}
