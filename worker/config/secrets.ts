// The secrets the worker cannot run without, and when one is unfit: missing, too short to resist
// guessing, or still the value of .dev.vars.example. A worker with such a secret would sign widget
// tokens and cookies anyone can forge, or let anyone create organisations, so it refuses to serve
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

export type SecretFault = { setting: RequiredSecret; reason: "missing" | "short" | "example" };

/** The first required secret that is unfit, or null when all of them will do. */
export function secretFault(env: Partial<Record<RequiredSecret, unknown>>): SecretFault | null {
  for (const setting of REQUIRED_SECRETS) {
    const value = typeof env[setting] === "string" ? env[setting].trim() : "";
    if (!value) return { setting, reason: "missing" };
    if (Object.values(EXAMPLE_SECRETS).includes(value)) return { setting, reason: "example" };
    if (value.length < MIN_SECRET_LENGTH) return { setting, reason: "short" };
  }
  return null;
}

/** What an operator reads in the 500 and in the log: which setting, what is wrong, how to fix it. */
export function secretFaultText({ setting, reason }: SecretFault): string {
  const wrong = {
    missing: "is not set",
    short: `is shorter than ${MIN_SECRET_LENGTH} characters`,
    example: "is still the example value of .dev.vars.example",
  }[reason];
  return `${setting} ${wrong}: the worker refuses to serve until it is a long random string (wrangler secret put ${setting}; locally, in .dev.vars).`;
}
