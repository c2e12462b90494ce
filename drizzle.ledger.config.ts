// drizzle-kit config for the session ledger's Durable Object SQLite storage. The generated
// worker/ledger/migrations/ are bundled into the worker and applied when a ledger starts.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./worker/ledger/schema.ts",
  out: "./worker/ledger/migrations",
});
