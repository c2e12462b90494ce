// What a failed D1 write says about itself.

/** Whether a failed write broke a unique index (drizzle wraps D1's error in its own, as `cause`). */
export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Error && (error.message.includes("UNIQUE constraint failed") || isUniqueViolation(error.cause));
