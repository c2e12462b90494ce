// Puts the app's clock in the request context, so that no handler asks the system for "now" and a
// test can run the whole app at another time.

import { createMiddleware } from "hono/factory";
import type { Clock } from "../time/clock";

export const useClock = (clock: Clock) =>
  createMiddleware<{ Variables: { clock: Clock } }>(async (c, next) => {
    c.set("clock", clock);
    await next();
  });
