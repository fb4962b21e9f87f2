import { problem, type ProblemDetails } from '@mercato/runtime';

/** One refusal of a status: what the client reads, and the facts it acts on. */
export interface ProblemCase {
  detail: string;
  details?: Record<string, unknown>;
  errors?: ProblemDetails['errors'];
}

/**
 * Named OpenAPI examples of one status, one per code: for an `@ApiXxxResponse({ examples })`
 * where a status answers several codes (Swagger UI offers them in a list).
 */
export function problemExamples(
  status: number,
  cases: Record<string, ProblemCase>,
): Record<string, { summary: string; value: ProblemDetails }> {
  return Object.fromEntries(
    Object.entries(cases).map(([code, { detail, ...facts }]) => [
      code,
      { summary: code, value: problem(status, detail, { code, ...facts }) },
    ]),
  );
}
