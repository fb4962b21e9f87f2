/**
 * A steady, open-loop stream of GET requests (a fixed rate, whatever the answers take), each
 * recorded with when it was sent, how long it took and what came back. A request with no answer
 * within `hangAfterMs` is aborted and recorded as a hang (status 0).
 */
export interface StreamResult {
  path: string;
  sentAt: number;
  ms: number;
  /** HTTP status; 0 when the connection failed or the answer never came (see `error`). */
  status: number;
  contentType: string;
  /** `status` field of a problem+json body (checked against the HTTP status). */
  problemStatus?: number;
  error?: string;
}

export interface RequestStream {
  results: StreamResult[];
  /** In-flight requests. */
  pending(): number;
  /** Stops sending and resolves when every request sent has completed. */
  stop(): Promise<StreamResult[]>;
}

export function startRequestStream(options: {
  baseUrl: string;
  /** The path of the n-th request (the caller may change what it returns as the test goes). */
  pathOf: (n: number) => string;
  perSecond: number;
  hangAfterMs: number;
  /** Hard cap on requests sent, whatever the caller does (bounds the loop in count). */
  maxRequests: number;
}): RequestStream {
  const results: StreamResult[] = [];
  const inFlight = new Set<Promise<void>>();
  let sent = 0;

  const send = (path: string): Promise<void> => {
    const sentAt = Date.now();
    return fetch(`${options.baseUrl}${path}`, { signal: AbortSignal.timeout(options.hangAfterMs) })
      .then(async (response) => {
        const contentType = response.headers.get('content-type') ?? '';
        const text = await response.text();
        let problemStatus: number | undefined;
        if (contentType.startsWith('application/problem+json')) {
          problemStatus = (JSON.parse(text) as { status?: number }).status;
        }
        results.push({
          path,
          sentAt,
          ms: Date.now() - sentAt,
          status: response.status,
          contentType,
          problemStatus,
        });
      })
      .catch((error: unknown) => {
        const name = (error as Error).name;
        results.push({
          path,
          sentAt,
          ms: Date.now() - sentAt,
          status: 0,
          contentType: '',
          error:
            name === 'TimeoutError' ? `no answer within ${options.hangAfterMs} ms` : String(error),
        });
      });
  };

  const timer = setInterval(() => {
    if (sent >= options.maxRequests) return;
    const request = send(options.pathOf(sent));
    sent += 1;
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }, 1_000 / options.perSecond);

  return {
    results,
    pending: () => inFlight.size,
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      return results;
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
