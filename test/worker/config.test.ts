// Misconfiguration fails closed: a worker whose secrets are missing, short or the example's
// refuses to serve, and the development routes (/dev/mail, which lists sign-in links, and the demo
// site) answer only on a developer's machine, never from what a plain `wrangler deploy` ships.
import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../worker/app";
import { EXAMPLE_SECRETS, REQUIRED_SECRETS } from "../../worker/config/secrets";
import worker from "../../worker/index";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { BASE, DEV_BASE, expectProblem, ledger, newOrg, newSession } from "./helpers";

afterEach(() => vi.restoreAllMocks());

type Deployed = { vars: Record<string, string>; define: Record<string, string>; runWorkerFirst: string[]; queues: string[] };
const deployed = JSON.parse(env.DEPLOYED_CONFIG) as { topLevel: Deployed; production: Deployed };

/** A request to the worker's entry with some settings changed (undefined: not set at all). */
async function call(path: string, settings: Record<string, string | undefined> = {}, base = BASE) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${base}${path}`) as Request<unknown, IncomingRequestCfProperties>,
    { ...env, ...settings } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* a page */
  }
  return { status: res.status, body, headers: res.headers };
}

describe("the worker's secrets", () => {
  it.each(REQUIRED_SECRETS)("refuses to serve anything while %s is missing, short or the example's, and says which", async (setting) => {
    const unfit: [string | undefined, RegExp][] = [
      [undefined, /is not set/],
      ["", /is not set/],
      ["   ", /is not set/],
      ["x".repeat(31), /shorter than 32 characters/],
      [EXAMPLE_SECRETS[setting], /example value/],
    ];
    for (const [value, says] of unfit) {
      for (const path of ["/healthz", "/v1/openapi.json", "/admin/sign-in", `/s/ses_00000000000000000000`]) {
        const res = await call(path, { [setting]: value });
        expectProblem(res, "server_misconfigured");
        expect(res.body.setting).toBe(setting);
        expect(res.body.detail).toMatch(says);
        expect(res.body.detail).toContain(setting);
      }
    }
    // Another setting's example value is refused too: the examples are public.
    const other = REQUIRED_SECRETS.find((s) => s !== setting)!;
    expectProblem(await call("/healthz", { [setting]: EXAMPLE_SECRETS[other] }), "server_misconfigured");
  });

  it("refuses to serve while a previous signing secret is short or the example's: it would still verify tokens", async () => {
    const fit = "p".repeat(32);
    for (const [previous, says] of [
      ["old-secret-1", /holds a secret shorter than 32 characters/],
      [`${fit} ${"q".repeat(31)}`, /holds a secret shorter than 32 characters/],
      [`${fit},${EXAMPLE_SECRETS.ROLLCALL_SIGNING_SECRET}`, /holds a secret the example value/],
    ] as const) {
      const res = await call("/healthz", { ROLLCALL_SIGNING_SECRET_PREVIOUS: previous });
      expectProblem(res, "server_misconfigured");
      expect(res.body.setting).toBe("ROLLCALL_SIGNING_SECRET_PREVIOUS");
      expect(res.body.detail).toMatch(says);
    }
    // Long ones, separated by spaces or commas, and none at all (blank) will do.
    for (const previous of [fit, ` ${fit}, ${"r".repeat(40)} `, "", "  "]) {
      expect((await call("/healthz", { ROLLCALL_SIGNING_SECRET_PREVIOUS: previous })).status).toBe(200);
    }
  });

  it("serves once every secret is long and not an example", async () => {
    expect((await call("/healthz", { ROLLCALL_SIGNING_SECRET: "s".repeat(32), ROLLCALL_ROOT_KEY: "r".repeat(32) })).status).toBe(200);
  });

  it("refuses exactly the example values that .dev.vars.example holds", () => {
    const example = Object.fromEntries(
      env.DEV_VARS_EXAMPLE.split("\n")
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    for (const setting of REQUIRED_SECRETS) expect(EXAMPLE_SECRETS[setting]).toBe(example[setting]);
  });
});

describe("the README's deploy steps", () => {
  it("create every queue production sends to, consumes or dead-letters into (a deploy fails on one missing)", () => {
    const created = [...env.README.matchAll(/^npx wrangler queues create (\S+)/gm)].map((m) => m[1]);
    expect(deployed.production.queues.length).toBeGreaterThan(0);
    expect(created.toSorted()).toEqual(deployed.production.queues.toSorted());
  });
});

describe("the development routes", () => {
  const DEV_PATHS = ["/dev/mail", "/dev/mail.json"];

  it("answer on a developer's machine with ROLLCALL_ENV=development", async () => {
    for (const base of [DEV_BASE, "http://localhost:8787", "http://[::1]:8787"])
      for (const path of DEV_PATHS) expect((await call(path, { ROLLCALL_ENV: "development" }, base)).status).toBe(200);
  });

  it("answer 404 to any other host, even with ROLLCALL_ENV=development", async () => {
    for (const base of [BASE, "http://127.0.0.1.nip.io:8787", "http://10.0.0.2:8787"])
      for (const path of DEV_PATHS) expectProblem(await call(path, { ROLLCALL_ENV: "development" }, base), "not_found");
  });

  it("answer 404 on loopback too unless ROLLCALL_ENV is exactly development", async () => {
    for (const value of [undefined, "", "production", "staging", "Development"])
      for (const path of DEV_PATHS) expectProblem(await call(path, { ROLLCALL_ENV: value }, DEV_BASE), "not_found");
  });

  it("are left out of what a plain `wrangler deploy` builds, and its settings close them", async () => {
    for (const config of [deployed.topLevel, deployed.production]) {
      expect(config.define.ROLLCALL_DEV_ROUTES).toBe("false");
      expect(config.vars.ROLLCALL_ENV).toBe("production");
      // Even on loopback, with only wrangler.toml's vars (no .dev.vars), nothing is listed.
      for (const path of DEV_PATHS) expectProblem(await call(path, config.vars, DEV_BASE), "not_found");
    }
    // Built with that define, the app has no such routes, whatever the settings and the host.
    const global = globalThis as { ROLLCALL_DEV_ROUTES?: boolean };
    global.ROLLCALL_DEV_ROUTES = JSON.parse(deployed.topLevel.define.ROLLCALL_DEV_ROUTES!);
    try {
      const built = createApp();
      for (const path of [...DEV_PATHS, "/demo/"]) {
        const res = await built.request(`${DEV_BASE}${path}`, {}, { ...env, ROLLCALL_ENV: "development" });
        expect(res.status).toBe(404);
      }
    } finally {
      global.ROLLCALL_DEV_ROUTES = true;
    }
  });

  it("serve the demo site from the assets only in development, on loopback", async () => {
    for (const config of [deployed.topLevel, deployed.production])
      expect(config.runWorkerFirst).toEqual(expect.arrayContaining(["/demo", "/demo/*"]));
    const assets = vi.spyOn(env.ASSETS, "fetch").mockImplementation(async () => new Response("<!doctype html><title>demo</title>"));
    const served = await call("/demo/office.html", { ROLLCALL_ENV: "development" }, DEV_BASE);
    expect(served.status).toBe(200);
    expect(served.body).toContain("<title>demo</title>");
    expect(assets).toHaveBeenCalledTimes(1);
    for (const [settings, base] of [
      [{ ROLLCALL_ENV: "development" }, BASE],
      [deployed.topLevel.vars, DEV_BASE],
      [deployed.topLevel.vars, BASE],
    ] as const) {
      for (const path of ["/demo", "/demo/", "/demo/office.html", "/demo/demo.js"])
        expectProblem(await call(path, settings, base), "not_found");
    }
    expect(assets).toHaveBeenCalledTimes(1);
  });

  it("take the benchmark's write to a ledger only in development on loopback, and the ledger checks it too", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const write = async (settings: Record<string, string | undefined>, base: string) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(
        new Request(`${base}/dev/bench/sessions/${s.id}/write`, { method: "POST" }) as Request<unknown, IncomingRequestCfProperties>,
        { ...env, ...settings } as Env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res.status;
    };
    const rows = () =>
      runInDurableObject(ledger(s.id), (_instance: SessionLedger, state) => {
        const table = state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'bench_writes'").toArray();
        return table.length ? (state.storage.sql.exec("SELECT count(*) AS n FROM bench_writes").one().n as number) : 0;
      });
    expect(await write({ ROLLCALL_ENV: "development" }, BASE)).toBe(404);
    expect(await write(deployed.topLevel.vars, DEV_BASE)).toBe(404);
    expect(await rows()).toBe(0);
    expect(await write({ ROLLCALL_ENV: "development" }, DEV_BASE)).toBe(200);
    expect(await write({ ROLLCALL_ENV: "development" }, DEV_BASE)).toBe(200);
    expect(await rows()).toBe(2);
    // Reached some other way, a ledger outside development writes nothing.
    const refused = await runInDurableObject(ledger(s.id), (instance: SessionLedger) => {
      const settings = instance as unknown as { env: Env };
      const saved = settings.env.ROLLCALL_ENV;
      settings.env.ROLLCALL_ENV = "production";
      try {
        return instance.benchWrite();
      } finally {
        settings.env.ROLLCALL_ENV = saved;
      }
    });
    expect(refused.ok).toBe(false);
    expect(await rows()).toBe(2);
    // The floor is one statement: its table is made once, not in every measured write.
    const statements = await runInDurableObject(ledger(s.id), (instance: SessionLedger, state) => {
      const exec = vi.spyOn(state.storage.sql, "exec");
      try {
        instance.benchWrite();
        return exec.mock.calls.map(([query]) => query);
      } finally {
        exec.mockRestore();
      }
    });
    expect(statements).toEqual(["INSERT INTO bench_writes (at) VALUES (?)"]);
  });
});
