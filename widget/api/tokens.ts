// The bearer token of the provider's calls, apart from the client: the public page never needs it.

import { TOKEN_REQUEST_HEADER } from "../../worker/auth/token-request";
import type { Problem, SignedInit } from "./client";
import { scriptOrigin } from "./origin";

type Settings = { token?: string | null; tokenUrl?: string | null; trustApi?: boolean };

/**
 * The provider's widget token: given as is (`token`), or fetched from the provider's own backend
 * (`token-url`, answering {token, expiresAt}) and fetched again a minute before it expires.
 *
 * A token fetched from token-url is the signed-in person's: it goes only to the API at the token
 * URL's own origin or at the origin this script came from, unless the page says the element's
 * `api` is its own (`trust-api`). Otherwise an `api` set from a link would carry it elsewhere.
 */
export class TokenSource {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly from: () => Settings) {}

  get = async (): Promise<string> => {
    const { token, tokenUrl } = this.from();
    if (token || !tokenUrl) return token ?? "";
    if (this.cached && this.cached.expiresAt - 60_000 > Date.now()) return this.cached.token;
    // The header tells the hosted admin's token route that the widget asks, not another site's page.
    this.pending ??= fetch(tokenUrl, { credentials: "same-origin", headers: { [TOKEN_REQUEST_HEADER]: "1" } })
      // An answer that is not a token: its status, told apart from a network failure (a TypeError).
      .then((r) => (r.ok ? r.json() : Promise.reject({ answer: r.status })))
      .then((body: { token: string; expiresAt: string }) => {
        this.cached = { token: body.token, expiresAt: Date.parse(body.expiresAt) };
        return body.token;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  };

  /**
   * fetch with the bearer token. A token refused with 401 (`token_expired` when the page's clock
   * runs behind the API's, or the key behind it revoked…) is fetched again, and the call retried
   * once with it. A call to an API the token may not go to is answered here, with the
   * `untrusted_api` problem, and nothing is fetched.
   */
  fetch = async (url: string, init: SignedInit): Promise<Response> => {
    const { token, tokenUrl } = this.from();
    if (!token && !tokenUrl) return refusal("token_missing", "no token nor token-url");
    if (!this.mayCarryTo(url)) return untrusted(url);
    const signed = async () => fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${await this.get()}` } });
    try {
      const response = await signed();
      return response.status === 401 && this.drop() ? await signed() : response;
    } catch (error) {
      // The page's own backend refused to give a token: a configuration matter, not an outage.
      const { answer } = error as { answer?: number };
      if (!answer) throw error;
      return refusal("token_url_failed", `token-url answered ${answer}`, { tokenUrl: new URL(tokenUrl!, document.baseURI).href, answer });
    }
  };

  /** Forgets the cached token; true when a fresh one can be fetched (token-url), so a retry makes sense. */
  drop(): boolean {
    this.cached = undefined;
    return !this.from().token && !!this.from().tokenUrl;
  }

  /** A token given as is goes where the page says; one from token-url only to its own origin or the script's. */
  private mayCarryTo(url: string): boolean {
    const { token, tokenUrl, trustApi } = this.from();
    if (token || !tokenUrl || trustApi) return true;
    const { origin } = new URL(url, document.baseURI);
    return origin === new URL(tokenUrl, document.baseURI).origin || origin === scriptOrigin;
  }
}

/** The problem the client settles to, as if the API had answered it. */
function refusal(code: Problem["code"], detail: string, extra: Record<string, unknown> = {}): Response {
  // status 0: the widget's own refusal, as with "network": the API never saw the call.
  const problem: Problem = { code, status: 0, detail, ...extra };
  return new Response(JSON.stringify(problem), { status: 400 });
}

const untrusted = (url: string) =>
  refusal("untrusted_api", `A token from token-url is not sent to ${new URL(url, document.baseURI).origin} without trust-api.`);
