/** One HTTP load run, passed to the load-generator process as JSON. */
export interface LoadSpec {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Replace `[<id>]` in the body by a unique id on every request. */
  idReplacement?: boolean;
  /** Paths visited in turn by every connection (instead of the URL's own path). */
  paths?: string[];
  connections: number;
  warmupSec: number;
  durationSec: number;
}

export interface LoadResult {
  rps: number;
  requests: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

export interface LoadRequest {
  id: number;
  spec: LoadSpec;
}

export type LoadReply = { id: number; result: LoadResult } | { id: number; error: string };
