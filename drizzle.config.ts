// drizzle-kit config for the D1 database: `npm run db:generate` writes SQL into migrations/,
// which wrangler applies (`wrangler d1 migrations apply DB --local`).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/schema.ts",
  out: "./migrations",
});
