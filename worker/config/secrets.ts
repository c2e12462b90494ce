// The secrets the worker cannot run without, and when one is unfit: missing, too short to resist
// guessing, or still the value of .dev.vars.example; and each previous signing secret, which
// verifies as the current one does. A worker with such a secret would accept widget tokens,
// cookies and links anyone can forge, or let anyone create organisations, so it refuses to serve
// instead (worker/index.ts). Pure: the entry point reads the environment and answers.

/** The secrets every deployment sets (`wrangler secret put …`; locally, .dev.vars). */
export const REQUIRED_SECRETS = ["ROLLCALL_SIGNING_SECRET", "ROLLCALL_ROOT_KEY"] as const;
export type RequiredSecret = (typeof REQUIRED_SECRETS)[number];

/** 32 characters of a random string carry far more than the 128 bits a secret needs. */
export const MIN_SECRET_LENGTH = 32;

/** The values .dev.vars.example holds (test/worker/config.test.ts keeps this list equal to the file). */
export const EXAMPLE_SECRETS: Readonly<Record<RequiredSecret, string>> = {
  ROLLCALL_SIGNING_SECRET: "dev-signing-secret-change-me",
  ROLLCALL_ROOT_KEY: "dev-root-key-change-me",
};

/** The secrets a rotation replaced, newest first (see ids/signing-keys.ts): they still verify what they signed. */
export const PREVIOUS_SECRETS = "ROLLCALL_SIGNING_SECRET_PREVIOUS";

/** The secrets a value of ROLLCALL_SIGNING_SECRET_PREVIOUS holds, separated by spaces or commas. */
export const previousSecrets = (value: unknown): string[] => (typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : []);

export type SecretFault = { setting: RequiredSecret | typeof PREVIOUS_SECRETS; reason: "missing" | "short" | "example" };

/** Why a secret is unfit to sign with, or null when it will do. */
function unfit(value: string): "missing" | "short" | "example" | null {
  if (!value) return "missing";
  if (Object.values(EXAMPLE_SECRETS).includes(value)) return "example";
  if (value.length < MIN_SECRET_LENGTH) return "short";
  return null;
}

/**
 * The first secret that is unfit, or null when all of them will do: each required one, and each
 * previous signing secret, which verifies tokens and links as the current one does (a short one
 * would let anyone forge them as surely as a short current one).
 */
export function secretFault(env: Partial<Record<RequiredSecret | typeof PREVIOUS_SECRETS, unknown>>): SecretFault | null {
  for (const setting of REQUIRED_SECRETS) {
    const reason = unfit(typeof env[setting] === "string" ? env[setting].trim() : "");
    if (reason) return { setting, reason };
  }
  for (const secret of previousSecrets(env[PREVIOUS_SECRETS])) {
    const reason = unfit(secret);
    if (reason) return { setting: PREVIOUS_SECRETS, reason };
  }
  return null;
}

/** What an operator reads in the 500 and in the log: which setting, what is wrong, how to fix it. */
export function secretFaultText({ setting, reason }: SecretFault): string {
  if (setting === PREVIOUS_SECRETS) {
    const wrong = reason === "example" ? "the example value of .dev.vars.example" : `shorter than ${MIN_SECRET_LENGTH} characters`;
    return `${setting} holds a secret ${wrong}: it would still verify tokens and links, so the worker refuses to serve until each secret there is a long random string or is removed (wrangler secret put ${setting}; locally, in .dev.vars).`;
  }
  const wrong = {
    missing: "is not set",
    short: `is shorter than ${MIN_SECRET_LENGTH} characters`,
    example: "is still the example value of .dev.vars.example",
  }[reason];
  return `${setting} ${wrong}: the worker refuses to serve until it is a long random string (wrangler secret put ${setting}; locally, in .dev.vars).`;
}
