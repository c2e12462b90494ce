// A zod issue as the field error an answer carries (fields.ts): the refinement's own code
// (`params.problem`, set by because()), else one for the kind of check that refused it. Pure.

import type { z } from "@hono/zod-openapi";
import { type FieldError, type FieldProblemCode, type FieldProblemParams, isFieldProblemCode } from "./fields";

type Problem = Omit<FieldError, "path">;

/** The code of one zod issue: a refinement's own (`params.problem`), else what kind of check refused it. */
export function problemOfIssue(issue: z.core.$ZodIssue): Problem {
  const { message } = issue;
  const named = (code: FieldProblemCode, params?: FieldProblemParams): Problem => ({ code, message, ...(params ? { params } : {}) });
  switch (issue.code) {
    case "custom": {
      const { problem, ...params } = (issue.params ?? {}) as { problem?: unknown; code?: unknown } & FieldProblemParams;
      // params.code is a whole problem's code (sessions/schemas.ts), not the field's.
      delete params.code;
      return isFieldProblemCode(problem) ? named(problem, Object.keys(params).length ? params : undefined) : named("invalid");
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return named("too_long", { max });
      if (issue.origin === "array" || issue.origin === "set") return named("too_many", { max });
      return named("too_large", { max });
    }
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string") return min <= 1 ? named("required") : named("too_short", { min });
      if (issue.origin === "array" || issue.origin === "set") return named("too_few", { min });
      return named("too_small", { min });
    }
    case "invalid_type":
      return issue.expected === "number" ? named("not_a_number") : named("wrong_type", { expected: issue.expected });
    case "invalid_value":
      return named("not_an_option", { options: issue.values.map(String).join(", ") });
    case "unrecognized_keys":
      return named("unknown_field", { keys: issue.keys.join(", ") });
    case "invalid_format":
      if (issue.format === "email") return named("email_invalid");
      if (issue.format === "url") return named("not_a_url");
      if (issue.format === "datetime" || issue.format === "date") return named("not_a_date");
      return named("invalid", { format: issue.format });
    default:
      return named("invalid");
  }
}

/** Every issue of a failed parse as the field errors an answer carries. */
export function fieldErrorsOfIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly string[] = []): FieldError[] {
  return issues.map((issue) => ({ path: [...prefix, ...issue.path.map(String)].join(".") || "(body)", ...problemOfIssue(issue) }));
}
