// The app tells the time by the clock it is built with, so a test can run the whole API at
// another moment without waiting for it.

import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { manualClock } from "../../worker/time/clock";
import { BASE, newOrg } from "./helpers";

async function call(app: ReturnType<typeof createApp>, method: string, path: string, key: string, body?: unknown) {
  const ctx = createExecutionContext();
  const res = await app.request(
    `${BASE}${path}`,
    {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("the app's clock", () => {
  it("dates a widget token from the clock the app was given", async () => {
    const { key } = await newOrg();
    const app = createApp({ clock: manualClock("2031-03-01T10:00:00Z") });
    const minted = await call(app, "POST", "/v1/widget-tokens", key, { ttlSeconds: 3600 });
    expect(minted.status).toBe(201);
    expect(minted.body.expiresAt).toBe("2031-03-01T11:00:00.000Z");
  });

  it("refuses a widget token once that clock has moved past its expiry", async () => {
    const { key } = await newOrg();
    const clock = manualClock(new Date());
    const app = createApp({ clock });
    const minted = await call(app, "POST", "/v1/widget-tokens", key, { ttlSeconds: 60 });
    const token = String(minted.body.token);
    expect((await call(app, "GET", "/v1/sessions", token)).status).toBe(200);
    clock.advance(61_000);
    const refused = await call(app, "GET", "/v1/sessions", token);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/expired/);
  });
});
