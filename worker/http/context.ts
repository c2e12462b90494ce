// What every route handler sees: the bindings, and who is calling once auth has run.
import type { Caller } from "../auth/caller";

export type AppEnv = {
  Bindings: Env;
  Variables: { caller: Caller };
};
