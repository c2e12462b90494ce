// The Hono application shell: one error path, request validation hooked into it, body limits.

import { OpenAPIHono, type z } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { type ErrorCode, errorStatus } from "../errors/codes";
import { fieldErrorsOfIssues } from "../errors/issues";
import { ProblemError, problemResponse } from "../errors/problem";
import type { AppEnv } from "./context";

/** A router whose validation failures come out as `validation_failed` problems. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ProblemError({
          code: issueCode(result.error.issues),
          detail: "Some fields are missing or invalid.",
          errors: fieldErrorsOfIssues(result.error.issues),
        });
      }
    },
  });
}

/** A refinement may name its own stable code (params.code); the first one named wins, else validation_failed. */
function issueCode(issues: readonly z.core.$ZodIssue[]): ErrorCode {
  for (const i of issues) {
    const code = i.code === "custom" ? i.params?.code : undefined;
    if (typeof code === "string" && code in errorStatus) return code as ErrorCode;
  }
  return "validation_failed";
}

const httpCodes: Record<number, ErrorCode> = {
  400: "malformed_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

export function toProblemResponse(error: unknown): Response {
  if (error instanceof ProblemError) return problemResponse(error.failure, error.headers);
  if (error instanceof HTTPException) {
    const code = httpCodes[error.status] ?? "malformed_request";
    const detail =
      code === "malformed_request"
        ? "The request body is not valid JSON."
        : code === "unsupported_media_type"
          ? "Send the body as application/json."
          : undefined;
    return problemResponse({ code, detail });
  }
  console.error("unhandled error", error);
  return problemResponse({ code: "internal_error" });
}
