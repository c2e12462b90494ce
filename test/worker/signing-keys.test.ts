// Rotating the signing secret: the new secret becomes ROLLCALL_SIGNING_SECRET and the old one moves
// to ROLLCALL_SIGNING_SECRET_PREVIOUS. Links already emailed and tokens already handed out keep
// working, and "Resend" sends the very link that was sent before.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { api, expectProblem, newOrg, newSession, person, register } from "./helpers";
import { captureMail, invited, ledgerStub } from "./invitation-helpers";

const ROTATED = {
  ROLLCALL_SIGNING_SECRET: "rotated-signing-secret-0123456789abcdefghij",
  ROLLCALL_SIGNING_SECRET_PREVIOUS: env.ROLLCALL_SIGNING_SECRET,
};
const RETIRED = { ROLLCALL_SIGNING_SECRET: "rotated-signing-secret-0123456789abcdefghij", ROLLCALL_SIGNING_SECRET_PREVIOUS: "" };

/** The session's ledger runs with the rotated secrets from now on (as after a deploy). */
async function rotateLedger(sessionId: string, bindings: Partial<Env> = ROTATED) {
  await runInDurableObject(ledgerStub(sessionId), (instance: SessionLedger) => {
    const self = instance as unknown as { env: Env };
    self.env = { ...self.env, ...bindings };
  });
}

const linkOf = (mail: any[], to: string) => mail.findLast((m) => m.template === "invitation" && m.to === to)?.data.link as string;

describe("rotating ROLLCALL_SIGNING_SECRET", () => {
  it("resends an invitation with the link first sent, which still opens", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const mail = await captureMail(s.id);
    const inv = (await invited(key, s.id, { recipients: "ada@example.org" })).invitations[0];
    await ledgerStub(s.id).drain();
    const first = linkOf(mail, "ada@example.org");
    expect(first).toBeTruthy();

    await rotateLedger(s.id);
    expect((await api("POST", `/v1/invitations/${inv.id}/resend`, { key, bindings: ROTATED })).status).toBe(200);
    await ledgerStub(s.id).drain();
    const again = linkOf(mail, "ada@example.org");
    expect(mail.filter((m) => m.template === "invitation")).toHaveLength(2);
    expect(again).toBe(first);
    const token = decodeURIComponent(first.slice(first.lastIndexOf("/") + 1));
    expect((await api("GET", `/v1/invites/${token}`, { bindings: ROTATED })).status).toBe(200);
  });

  it("keeps the cancel link of a registration made before the rotation working", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const first = await register(s.id, person(1));
    expect(first.status).toBe(201);
    await rotateLedger(s.id);
    const page = await api("GET", `/m/${encodeURIComponent(first.body.manageToken)}`, { bindings: ROTATED });
    expect(page.status).toBe(200);
    expect(page.body).toContain(person(1).name);
  });

  it("signs new links with the new secret, and they keep working after the next rotation", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await rotateLedger(s.id);
    const mail = await captureMail(s.id);
    const inv = (await invited(key, s.id, { recipients: "bo@example.org" })).invitations[0];
    await ledgerStub(s.id).drain();
    const first = linkOf(mail, "bo@example.org");
    await rotateLedger(s.id, {
      ROLLCALL_SIGNING_SECRET: "third-signing-secret-0123456789abcdefghij",
      ROLLCALL_SIGNING_SECRET_PREVIOUS: `${ROTATED.ROLLCALL_SIGNING_SECRET} ${env.ROLLCALL_SIGNING_SECRET}`,
    });
    await api("POST", `/v1/invitations/${inv.id}/resend`, { key });
    await ledgerStub(s.id).drain();
    expect(linkOf(mail, "bo@example.org")).toBe(first);
  });

  it("keeps a widget token minted before the rotation valid until it expires, and refuses it once the old secret is retired", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const token = (await api("POST", "/v1/widget-tokens", { key, body: { sessionId: s.id } })).body.token;
    expect((await api("GET", `/v1/sessions/${s.id}`, { key: token, bindings: ROTATED })).status).toBe(200);
    expectProblem(await api("GET", `/v1/sessions/${s.id}`, { key: token, bindings: RETIRED }), "token_invalid");
  });
});
