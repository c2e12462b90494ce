import { describe, expect, it } from "vitest";
import { api, newOrg, newSession, register, person } from "./helpers";

describe("smoke", () => {
  it("creates a session and registers", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    expect(s.seats).toMatchObject({ capacity: 10, available: 10 });
    const r = await register(s.id, person(1));
    expect(r.status).toBe(201);
    const read = await api("GET", `/v1/sessions/${s.id}`, { key });
    expect(read.body.seats.confirmed).toBe(1);
    const list = await api("GET", `/v1/sessions`, { key });
    expect(list.body.sessions).toHaveLength(1);
    const doc = await api("GET", "/v1/openapi.json");
    expect(doc.status).toBe(200);
  });
});
