// Failures as values (what services return) and as RFC 9457 problem+json (what clients receive).

import { type ErrorCode, errorStatus, errorTitles } from "./codes";

import type { FieldError } from "./fields";

export type { FieldError };
/** What a failure's `errors` lists: refused fields (validation_failed), or addresses that are not ones (invalid_emails). */
export type ErrorEntry = FieldError | { entry: string; position: number; problem: string };

/** A domain failure: a stable code, a sentence for people, and optional structured extras. */
export type Failure = {
  code: ErrorCode;
  detail?: string;
  errors?: readonly ErrorEntry[];
  extra?: Record<string, unknown>;
};

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Failure };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = (
  code: ErrorCode,
  detail?: string,
  extra?: Record<string, unknown>,
  errors?: readonly ErrorEntry[],
): { ok: false; error: Failure } => ({ ok: false, error: { code, detail, extra, errors } });

/** The fields a failure refuses (validation_failed's `errors`). */
export const refusedFields = (failure: Failure): FieldError[] => (failure.errors ?? []).filter((e): e is FieldError => "path" in e);

/** Thrown by route handlers; `onError` turns it into the response. */
export class ProblemError extends Error {
  constructor(
    readonly failure: Failure,
    readonly headers: Record<string, string> = {},
  ) {
    super(failure.detail ?? errorTitles[failure.code]);
  }
}

export function problem(code: ErrorCode, detail?: string, extra?: Record<string, unknown>): never {
  throw new ProblemError({ code, detail, extra });
}

/** Unwraps an outcome in a route: the value, or the failure thrown as a problem. */
export function unwrap<O extends { ok: true; value: unknown } | { ok: false; error: Failure }>(
  outcome: O,
): Extract<O, { ok: true }>["value"] {
  if (!outcome.ok) throw new ProblemError((outcome as { error: Failure }).error);
  return (outcome as { value: unknown }).value as Extract<O, { ok: true }>["value"];
}

export function problemBody(failure: Failure) {
  const status = errorStatus[failure.code];
  return {
    type: `https://rollcall.dev/problems/${failure.code.replaceAll("_", "-")}`,
    title: errorTitles[failure.code],
    status,
    detail: failure.detail ?? errorTitles[failure.code],
    code: failure.code,
    ...(failure.errors ? { errors: failure.errors } : {}),
    ...failure.extra,
  };
}

export function problemResponse(failure: Failure, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problemBody(failure)), {
    status: errorStatus[failure.code],
    headers: { "content-type": "application/problem+json; charset=utf-8", ...headers },
  });
}
