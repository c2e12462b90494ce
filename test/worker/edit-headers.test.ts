// editHeaders (worker/http/headers.ts): a middleware's headers go on the handler's own answer,
// copied only when that answer's headers cannot change.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { editHeaders } from "../../worker/http/headers";

function appCopying() {
  const copied: boolean[] = [];
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    const before = c.res;
    editHeaders(c, (headers) => {
      headers.set("x-one", "1");
      headers.append("vary", "Origin");
    });
    copied.push(c.res !== before);
  });
  app.get("/made", (c) => c.json({ ok: true }, 200, { vary: "Accept" }));
  // A redirect made by Response.redirect has headers that cannot change (Fetch: "immutable").
  app.get("/immutable", () => Response.redirect("https://example.org/elsewhere", 302));
  return { app, copied };
}

describe("editHeaders", () => {
  it("sets the headers on the handler's answer itself, without copying it", async () => {
    const { app, copied } = appCopying();
    const res = await app.request("/made");
    expect(res.headers.get("x-one")).toBe("1");
    expect(res.headers.get("vary")).toBe("Accept, Origin");
    expect(await res.json()).toEqual({ ok: true });
    expect(copied).toEqual([false]);
  });

  it("copies an answer whose headers cannot change, once, and sets them on the copy", async () => {
    const { app, copied } = appCopying();
    const res = await app.request("/immutable");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://example.org/elsewhere");
    expect(res.headers.get("x-one")).toBe("1");
    expect(res.headers.get("vary")).toBe("Origin");
    expect(copied).toEqual([true]);
  });
});
