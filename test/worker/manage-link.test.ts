// "Already registered" is not a dead end: someone who lost their confirmation asks for the link to
// manage their registration. The answer never says whether the address is registered; the link
// goes only to the registered address, at most once every 10 minutes; and the route is limited
// per client like the other public routes that send email.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { manualClock } from "../../worker/time/clock";
import { freshWindow } from "./admin-helpers";
import { eventually } from "./email-helpers";
import { api, expectProblem, ledger, newOrg, newSession, person, registered } from "./helpers";
import { captureMail, mailSoFar } from "./invitation-helpers";

const ask = (sessionId: string, email: string, headers: Record<string, string> = {}) =>
  api("POST", `/v1/public/sessions/${sessionId}/manage-link`, { body: { email }, headers });

describe("POST /v1/public/sessions/{id}/manage-link", () => {
  it("emails a registered address the link that manages its registration, and answers any other address the same", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    const mine = await registered(s.id, person(1));

    const known = await ask(s.id, "  PERSON1@example.org ");
    const unknown = await ask(s.id, "nobody.here@example.org");
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(known.body).toEqual(unknown.body);
    expect([...known.headers.entries()].filter(([h]) => h !== "date")).toEqual(
      [...unknown.headers.entries()].filter(([h]) => h !== "date"),
    );

    const mail = await eventually(
      async () => captured.filter((m) => m.template === "manage_link"),
      (m) => m.length > 0,
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to: person(1).email, data: { manageToken: mine.manageToken, status: "confirmed" } });
    // The link it carries is the one that cancels this registration.
    const cancel = await api("POST", `/v1/manage/${mail[0].data.manageToken}/cancel`);
    expect(cancel.body).toMatchObject({ id: mine.registration.id, status: "cancelled" });
    expect((await mailSoFar(s.id, captured)).filter((m) => m.to === "nobody.here@example.org")).toEqual([]);
  });

  it("sends at most one email every 10 minutes to the same registration, however often it is asked", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    await registered(s.id, person(2));
    const clock = manualClock(new Date());
    await runInDurableObject(ledger(s.id), (instance) => {
      instance.clock = clock;
    });
    for (let i = 0; i < 4; i++) expect((await ask(s.id, person(2).email)).status).toBe(200);
    clock.advance(9 * 60_000);
    expect((await ask(s.id, person(2).email)).status).toBe(200);
    const links = async () => (await mailSoFar(s.id, captured)).filter((m) => m.template === "manage_link");
    expect(await links()).toHaveLength(1);
    clock.advance(60_000);
    expect((await ask(s.id, person(2).email)).status).toBe(200);
    expect(await links()).toHaveLength(2);
  });

  it("sends nothing for a registration that was cancelled", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    const gone = await registered(s.id, person(3));
    await api("POST", `/v1/manage/${gone.manageToken}/cancel`);
    expect((await ask(s.id, person(3).email)).status).toBe(200);
    expect((await mailSoFar(s.id, captured)).filter((m) => m.template === "manage_link")).toEqual([]);
  });

  it("refuses what is not an address, and an unknown session, like the registration form does", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    expectProblem(await ask(s.id, "not an address"), "validation_failed");
    expectProblem(await ask("ses_00000000000000000000", "a@example.org"), "session_not_found");
  });

  it("takes 5 a minute from one client, then answers 429 with Retry-After", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const ip = `2001:db8::${crypto.randomUUID().slice(0, 4)}`;
    await freshWindow(60, 5_000);
    for (let i = 0; i < 5; i++) expect((await ask(s.id, `asker${i}@example.org`, { "cf-connecting-ip": ip })).status).toBe(200);
    const refused = await ask(s.id, "asker5@example.org", { "cf-connecting-ip": ip });
    expectProblem(refused, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");
  });
});
