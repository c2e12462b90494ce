// Delivery reports reach each session's ledger once per batch: recordDeliveries applies many in
// one transaction with the same precedence as one by one, and the consumer and the webhook's
// reporter group their reports by session.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ledgerReporter, reportsBySession } from "../../worker/email/status";
import { invitationMail, runQueue, standinTenant } from "./email-helpers";
import { ledgerStub, listInvitations } from "./invitation-helpers";

type LedgerCall = { method: string; sessionId: string; updates: number };

/** The worker's env with every ledger call of the delivery methods noted on the way. */
function countingLedgers(base: Env): { env: Env; calls: LedgerCall[] } {
  const calls: LedgerCall[] = [];
  const names = new Map<string, string>();
  const namespace = new Proxy(base.LEDGER, {
    get(target, prop) {
      if (prop === "idFromName") {
        return (name: string) => {
          const id = target.idFromName(name);
          names.set(id.toString(), name);
          return id;
        };
      }
      if (prop === "get") {
        return (id: DurableObjectId, options?: DurableObjectNamespaceGetDurableObjectOptions) => {
          const stub = target.get(id, options);
          return new Proxy(stub, {
            get(s, method) {
              if (method !== "recordDelivery" && method !== "recordDeliveries") {
                const value = Reflect.get(s, method);
                return typeof value === "function" ? value.bind(s) : value;
              }
              return (...args: unknown[]) => {
                calls.push({
                  method,
                  sessionId: names.get(id.toString()) ?? "?",
                  updates: method === "recordDeliveries" ? (args[0] as unknown[]).length : 1,
                });
                // Called on the stub itself: an RPC method taken off it and applied elsewhere would send `this` along.
                return (s as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...args);
              };
            },
          });
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { env: { ...base, LEDGER: namespace } as Env, calls };
}

const at = "2026-05-01T10:00:00.000Z";

describe("delivery reports of a mail batch", () => {
  it("records 100 invitations of one session delivered with exactly one ledger call", async () => {
    const standin = standinTenant();
    const { bundles, sessionId, delivery } = await invitationMail(100);
    const counted = countingLedgers(standin.env);

    const run = await runQueue(
      "rollcall-mail",
      bundles.map((message) => ({ message })),
      counted.env,
    );
    expect(run.acked).toHaveLength(1);

    expect(counted.calls).toEqual([{ method: "recordDeliveries", sessionId, updates: 100 }]);
    const statuses = await delivery();
    expect(statuses.size).toBe(100);
    expect(new Set(statuses.values())).toEqual(new Set(["sent"]));
  });

  it("calls each session's ledger once, however the reports of a batch are mixed", async () => {
    const a = await invitationMail(3, ["a0.reports@example.org", "a1.reports@example.org", "a2.reports@example.org"]);
    const b = await invitationMail(2, ["b0.reports@example.org", "b1.reports@example.org"]);
    const counted = countingLedgers(env);
    const report = (m: { sessionId?: string; invitationId?: string }, status: "delivered" | "bounced" | "sent") => ({
      sessionId: m.sessionId!,
      invitationId: m.invitationId!,
      status,
      at,
    });

    const { unreachable } = await ledgerReporter(counted.env)([
      report(a.mail[0]!, "delivered"),
      report(b.mail[0]!, "bounced"),
      report(a.mail[1]!, "bounced"),
      report(b.mail[1]!, "delivered"),
      report(a.mail[2]!, "sent"),
      report(a.mail[1]!, "delivered"), // later but weaker: the bounce stays
    ]);
    expect(unreachable).toBe(0);
    expect(counted.calls.map((c) => [c.method, c.sessionId, c.updates]).sort()).toEqual(
      [
        ["recordDeliveries", a.sessionId, 4],
        ["recordDeliveries", b.sessionId, 2],
      ].sort(),
    );
    expect(Object.fromEntries(await a.delivery())).toEqual({
      "a0.reports@example.org": "delivered",
      "a1.reports@example.org": "bounced",
      "a2.reports@example.org": "sent",
    });
    expect(Object.fromEntries(await b.delivery())).toEqual({ "b0.reports@example.org": "bounced", "b1.reports@example.org": "delivered" });
  });

  it("counts every report of a ledger it cannot reach as unreachable", async () => {
    const a = await invitationMail(2, ["c0.reports@example.org", "c1.reports@example.org"]);
    const broken = {
      ...env,
      LEDGER: {
        idFromName: (n: string) => env.LEDGER.idFromName(n),
        get: () => ({ recordDeliveries: () => Promise.reject(new Error("gone")) }),
      },
    } as unknown as Env;
    const reports = a.mail.map((m) => ({ sessionId: m.sessionId!, invitationId: m.invitationId!, status: "delivered" as const, at }));
    expect(await ledgerReporter(broken)(reports)).toEqual({ unreachable: 2 });
  });

  it("groups reports by session in the order they came", () => {
    const grouped = reportsBySession([
      { sessionId: "s1", invitationId: "i1", status: "sent", at },
      { sessionId: "s2", invitationId: "i2", status: "sent", at },
      { sessionId: "s1", invitationId: "i3", status: "failed", at },
    ]);
    expect([...grouped]).toEqual([
      [
        "s1",
        [
          { invitationId: "i1", status: "sent", at },
          { invitationId: "i3", status: "failed", at },
        ],
      ],
      ["s2", [{ invitationId: "i2", status: "sent", at }]],
    ]);
  });
});

describe("SessionLedger.recordDeliveries", () => {
  it("applies many reports in one call with the precedence of nextDeliveryStatus, and skips unknown invitations", async () => {
    const { key, sessionId, mail } = await invitationMail(3, [
      "d0.reports@example.org",
      "d1.reports@example.org",
      "d2.reports@example.org",
    ]);
    const [x, y, z] = mail.map((m) => m.invitationId!);
    const ledger = ledgerStub(sessionId);

    const outcome = await ledger.recordDeliveries([
      { invitationId: x!, status: "sent", at: "2026-05-01T10:00:01.000Z" },
      { invitationId: x!, status: "delivered", at: "2026-05-01T10:00:02.000Z" },
      { invitationId: y!, status: "bounced", at: "2026-05-01T10:00:03.000Z" },
      { invitationId: y!, status: "delivered", at: "2026-05-01T10:00:04.000Z" },
      { invitationId: z!, status: "delayed", at: "2026-05-01T10:00:05.000Z" },
      { invitationId: "inv_not_here", status: "delivered", at },
    ]);
    expect(outcome).toEqual({ ok: true, value: { updated: 3, unknown: ["inv_not_here"] } });
    const byId = new Map((await listInvitations(key, sessionId)).map((i) => [i.id as string, i.delivery]));
    expect([byId.get(x!), byId.get(y!), byId.get(z!)]).toEqual(["delivered", "bounced", "delayed"]);

    // Nothing stronger: nothing changes.
    expect(await ledger.recordDeliveries([{ invitationId: x!, status: "sent", at }])).toEqual({
      ok: true,
      value: { updated: 0, unknown: [] },
    });
    expect(await ledger.recordDeliveries([])).toEqual({ ok: true, value: { updated: 0, unknown: [] } });
  });

  it("is what recordDelivery does for one report, which still refuses an unknown invitation", async () => {
    const { key, sessionId, mail } = await invitationMail(1, ["e0.reports@example.org"]);
    const ledger = ledgerStub(sessionId);
    expect(await ledger.recordDelivery(mail[0]!.invitationId!, "complained", at)).toEqual({ ok: true, value: null });
    expect((await listInvitations(key, sessionId))[0].delivery).toBe("complained");
    expect(await ledger.recordDelivery("inv_not_here", "delivered", at)).toMatchObject({ ok: false, error: { code: "not_found" } });
  });
});
