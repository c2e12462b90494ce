// The roster's CSV export: the one call whose body is not JSON, kept here so that the client every
// element shares (and the public page downloads) does without it.

import { type Client, network, type Result, settle } from "../api/client";

export async function rosterCsv(http: Client, session: string): Promise<Result<Blob>> {
  try {
    const response = await http.send("GET", "/v1/sessions/:id/roster.csv", { param: { id: session } });
    return response.ok ? { ok: true, value: await response.blob() } : settle(response);
  } catch (error) {
    return network(error);
  }
}
