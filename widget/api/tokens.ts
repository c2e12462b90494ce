// The bearer token of the provider's calls, apart from the client: the public page never needs it.

import type { SignedInit } from "./client";

/**
 * The provider's widget token: given as is (`token`), or fetched from the provider's own backend
 * (`token-url`, answering {token, expiresAt}) and fetched again a minute before it expires.
 */
export class TokenSource {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly from: () => { token?: string | null; tokenUrl?: string | null }) {}

  get = async (): Promise<string> => {
    const { token, tokenUrl } = this.from();
    if (token || !tokenUrl) return token ?? "";
    if (this.cached && this.cached.expiresAt - 60_000 > Date.now()) return this.cached.token;
    this.pending ??= fetch(tokenUrl, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`token-url answered ${r.status}`))))
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
   * once with it.
   */
  fetch = async (url: string, init: SignedInit): Promise<Response> => {
    const signed = async () => fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${await this.get()}` } });
    const response = await signed();
    return response.status === 401 && this.drop() ? signed() : response;
  };

  /** Forgets the cached token; true when a fresh one can be fetched (token-url), so a retry makes sense. */
  drop(): boolean {
    this.cached = undefined;
    return !this.from().token && !!this.from().tokenUrl;
  }
}
