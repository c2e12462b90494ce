// What every hosted admin handler sees: the bindings, the visitor's language, and, behind the
// sign-in guard, the signed-in member with the CSRF token their forms carry.

import type { AdminIdentity } from "../auth/admin-sessions";
import type { Locale } from "../i18n/locales";
import type { Clock } from "../time/clock";
import type { Strings } from "./i18n";

export type Admin = AdminIdentity & { csrf: string };

export type AdminEnv = {
  Bindings: Env;
  Variables: { admin: Admin; clock: Clock; locale: Locale; t: Strings };
};
