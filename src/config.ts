import { z } from 'zod';

/** Thrown when the environment cannot be turned into a valid configuration. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration: ${issues.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export type RunMode = 'all-in-one' | 'api' | 'worker' | 'migrate' | 'tool';

const commaList = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean));

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const positiveInt = (label: string, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be ${label}` })
    .transform(Number)
    .pipe(z.number().int().min(1, { error: `must be ${label}` }).max(max, { error: `must be ${label}` }));

const nonNegativeInt = (label: string) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be ${label}` })
    .transform(Number);

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'], { error: 'must be one of 1, 0, true, false, yes, no' })
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const perMinute = z
  .string()
  .regex(/^\d+$/, { error: 'must be a whole number of requests per minute (0 turns this limit off)' })
  .transform(Number)
  .pipe(z.number().int().max(10_000_000, { error: 'must be at most 10000000 requests per minute' }));

/** A pino redaction path: dotted names or `*`, with `["quoted-key"]`, `[*]` or `[0]` where a name will not do. */
const REDACT_PATH = /^(?:\*|[A-Za-z_$][\w$]*|\["[^"\]]+"\])(?:\.(?:\*|[A-Za-z_$][\w$]*)|\["[^"\]]+"\]|\[\*\]|\[\d+\])*$/;

const EnvSchema = z.object({
  PORT: positiveInt('an integer port between 1 and 65535', 65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: httpUrl.optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, { error: 'must be a redis:// or rediss:// URL' }).optional(),
  IM_URL: httpUrl.optional(),
  IM_USERNAME: z.string().min(1).default('orchestrator'),
  IM_PASSWORD: z.string().min(1).default('orchestrator'),
  IM_TIMEOUT_MS: positiveInt('a positive integer (milliseconds)').default(30_000),
  IM_POLL_BASE_MS: positiveInt('a positive integer (milliseconds)').default(2_000),
  IM_POLL_MAX_MS: positiveInt('a positive integer (milliseconds)').default(30_000),
  OIDC_ISSUERS: commaList.pipe(z.array(httpUrl).min(1, { error: 'must list at least one issuer URL' })).optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  ADMIN_GROUPS: commaList.default(['admins']),
  OIDC_ALLOWED_GROUPS: commaList.optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  DEV_ISSUER: booleanFlag.optional(),
  PROVIDERS_FILE: z.string().min(1).optional(),
  OPA_URL: httpUrl.optional(),
  VAULT_URL: httpUrl.optional(),
  LOG_RETENTION_DAYS: positiveInt('a positive integer (days)').default(30),
  LOG_DELETED_RETENTION_DAYS: positiveInt('a positive integer (days)').default(7),
  LOG_MAX_LINES_PER_DEPLOYMENT: positiveInt('a positive integer (lines)', 10_000_000).default(10_000),
  LOG_FLUSH_MS: positiveInt('a positive integer (milliseconds)', 60_000).default(250),
  IM_LOG_SNAPSHOT_MS: positiveInt('a positive integer (milliseconds)').default(60_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json'], { error: 'must be pretty or json' }).optional(),
  LOG_REDACT_PATHS: commaList
    .pipe(z.array(z.string().regex(REDACT_PATH, { error: 'must be a comma list of log field paths like body.apiKey, *.token or headers["x-api-key"]' })))
    .default([]),
  WORKER_METRICS_PORT: nonNegativeInt('a port between 1 and 65535, or 0 to turn the worker metrics off')
    .pipe(z.number().max(65535, { error: 'must be a port between 1 and 65535, or 0 to turn the worker metrics off' }))
    .default(9464),
  WORKER_CONCURRENCY: positiveInt('a positive integer', 1000).default(10),
  WORKER_LOCK_MS: positiveInt('a positive integer (milliseconds)').default(30_000),
  RECONCILE_INTERVAL_MS: positiveInt('a positive integer (milliseconds)').default(60_000),
  TIMEOUT_SWEEP_INTERVAL_MS: positiveInt('a positive integer (milliseconds)').default(60_000),
  LOG_CLEANUP_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM (UTC)')
    .default('03:00'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'must contain only letters, digits, "_" and "-"' })
    .default('orch'),
  SECRET_KEY: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  CORS_ORIGINS: commaList.optional(),
  BODY_LIMIT_BYTES: positiveInt('a positive integer (bytes)').default(1024 * 1024),
  EVENTS_HEARTBEAT_MS: positiveInt('a positive integer (milliseconds)', 3_600_000).default(15_000),
  TEMPLATE_MAX_BYTES: positiveInt('a positive integer (bytes)').default(512 * 1024),
  RATE_LIMIT_READS_PER_MIN: perMinute.default(6000),
  RATE_LIMIT_WRITES_PER_MIN: perMinute.default(600),
  RATE_LIMIT_ANON_PER_MIN: perMinute.default(600),
  RATE_LIMIT_ADMINS_EXEMPT: booleanFlag.default(false),
  RATE_LIMIT_TRUST_PROXY: booleanFlag.default(false),
  TOSCA_TYPES_DIR: z.string().min(1).optional(),
  TOSCA_REMOTE_IMPORTS: booleanFlag.default(false),
  BULL_BOARD_USER: z.string().min(1).optional(),
  BULL_BOARD_PASSWORD: z.string().min(12, { error: 'must be at least 12 characters' }).optional(),
  SHUTDOWN_GRACE_MS: nonNegativeInt('a non-negative integer (milliseconds)').default(10_000),
  SHUTDOWN_DRAIN_DELAY_MS: nonNegativeInt('a non-negative integer (milliseconds)').default(0),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt('a positive integer (milliseconds)').default(20_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt('a positive integer (milliseconds)').default(60_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt('a positive integer (milliseconds)').default(5_000),
});

export interface Config {
  mode: RunMode;
  port: number;
  host: string;
  publicUrl?: string;
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  /** IM endpoint and credentials; state is polled every pollBaseMs, doubling up to pollMaxMs. */
  im: { url?: string; username: string; password: string; timeoutMs: number; pollBaseMs: number; pollMaxMs: number };
  oidc: {
    issuers: string[];
    audience?: string;
    groupsClaim: string;
    adminGroups: string[];
    /** When non-empty, only members of these groups (or admins) may use the API. */
    allowedGroups: string[];
    devIssuer: boolean;
    /** The OAuth client the worker refreshes users' access tokens as (refresh_token grant). */
    clientId?: string;
    /** Sent with HTTP Basic to the token endpoint when set (confidential client). */
    clientSecret?: string;
  };
  providersFile?: string;
  opaUrl?: string;
  vaultUrl?: string;
  logRetentionDays: number;
  /** Deployment logs: retention after a delete, the per-deployment line cap, batching, IM log refresh. */
  logs: { deletedRetentionDays: number; maxLinesPerDeployment: number; flushMs: number; imSnapshotMs: number };
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Unset: pretty for the all-in-one process on a terminal, JSON lines otherwise. */
  logFormat?: 'pretty' | 'json';
  /** Log fields masked on top of the built-in ones (authorization, cookie, password, token, ...). */
  logRedactPaths: string[];
  /** Where a worker process serves GET /metrics; 0: not at all. */
  workerMetricsPort: number;
  workerConcurrency: number;
  /** A job's lock; a worker dead this long has its job picked up by another. */
  workerLockMs: number;
  /** How often the repeatable maintenance jobs run. */
  schedules: { reconcileMs: number; timeoutSweepMs: number; reassertMs: number; logCleanupAt: string };
  queuePrefix: string;
  secretKey?: string;
  bodyLimitBytes: number;
  /** How often an idle event stream gets a `: ping` comment. */
  eventsHeartbeatMs: number;
  /** The largest TOSCA template (UTF-8 bytes) POST /templates stores. */
  templateMaxBytes: number;
  /**
   * Requests per minute, shared by every API replica through Redis: per user for reads and writes, per client
   * IP without a valid token; 0 turns a limit off. trustProxy takes the IP from the last X-Forwarded-For hop.
   */
  rateLimit: { readsPerMin: number; writesPerMin: number; anonymousPerMin: number; adminsExempt: boolean; trustProxy: boolean };
  /** Browser origins allowed to call the API (a dashboard on another host); `*` for any. */
  corsOrigins: string[];
  tosca: { typesDir?: string; remoteImports: boolean };
  /** HTTP Basic credentials of the queue board at /admin/queues; without them it is off (all-in-one makes some up). */
  queueBoard: { user?: string; password?: string };
  /**
   * On SIGTERM/SIGINT: health answers 503 for drainDelayMs while the listener stays open (so a load balancer
   * takes the replica out), then in-flight requests and active jobs get graceMs to finish.
   */
  shutdown: { graceMs: number; drainDelayMs: number };
  /**
   * Against slow clients: the request headers must arrive within headersTimeoutMs and the whole request
   * (headers and body) within requestTimeoutMs; a response, an event stream included, is not bounded.
   * An idle keep-alive connection is closed after keepAliveTimeoutMs.
   */
  http: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number };
}

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? 'environment');
  const got = env[name];
  const masked = /KEY|PASSWORD|SECRET/.test(name) ? '*****' : got?.replace(/\/\/[^/@]*@/, '//*****@');
  const shown = got === undefined ? '' : ` (got "${masked}")`;
  return `${name} ${issue.message}${shown}`;
}

/** Parses the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>, mode: RunMode): Config {
  const cleaned = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => describeIssue(i, env)));
  const e = parsed.data;
  const issues: string[] = [];
  const devIssuer = e.DEV_ISSUER ?? (mode === 'all-in-one' && !e.OIDC_ISSUERS);
  if ((mode === 'api' || mode === 'worker') && !e.SECRET_KEY) {
    issues.push('SECRET_KEY is required outside all-in-one mode (at least 32 random characters)');
  }
  if ((mode === 'api' || mode === 'worker') && !e.DATABASE_URL) {
    issues.push('DATABASE_URL is required outside all-in-one mode: replicas must share one PostgreSQL (postgres://…)');
  }
  if (mode === 'api' && !e.OIDC_ISSUERS && !devIssuer) {
    issues.push('OIDC_ISSUERS is required (comma list of trusted issuer URLs), or set DEV_ISSUER=1 for local use');
  }
  if (e.OIDC_CLIENT_SECRET && !e.OIDC_CLIENT_ID) {
    issues.push('OIDC_CLIENT_SECRET is set without OIDC_CLIENT_ID: set the client id the secret belongs to');
  }
  if (!e.BULL_BOARD_USER !== !e.BULL_BOARD_PASSWORD) {
    issues.push('BULL_BOARD_USER and BULL_BOARD_PASSWORD go together: set both to open the queue board, or neither');
  }
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    issues.push(`HTTP_HEADERS_TIMEOUT_MS (${e.HTTP_HEADERS_TIMEOUT_MS}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${e.HTTP_REQUEST_TIMEOUT_MS}): the headers are part of the request`);
  }
  if (issues.length) throw new ConfigError(issues);
  return {
    mode,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    im: { url: e.IM_URL, username: e.IM_USERNAME, password: e.IM_PASSWORD, timeoutMs: e.IM_TIMEOUT_MS, pollBaseMs: e.IM_POLL_BASE_MS, pollMaxMs: e.IM_POLL_MAX_MS },
    oidc: {
      issuers: e.OIDC_ISSUERS ?? [],
      audience: e.OIDC_AUDIENCE,
      groupsClaim: e.OIDC_GROUPS_CLAIM,
      adminGroups: e.ADMIN_GROUPS,
      allowedGroups: e.OIDC_ALLOWED_GROUPS ?? [],
      devIssuer,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
    },
    providersFile: e.PROVIDERS_FILE,
    opaUrl: e.OPA_URL,
    vaultUrl: e.VAULT_URL,
    logRetentionDays: e.LOG_RETENTION_DAYS,
    logs: {
      deletedRetentionDays: e.LOG_DELETED_RETENTION_DAYS,
      maxLinesPerDeployment: e.LOG_MAX_LINES_PER_DEPLOYMENT,
      flushMs: e.LOG_FLUSH_MS,
      imSnapshotMs: e.IM_LOG_SNAPSHOT_MS,
    },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    logRedactPaths: e.LOG_REDACT_PATHS,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerLockMs: e.WORKER_LOCK_MS,
    schedules: { reconcileMs: e.RECONCILE_INTERVAL_MS, timeoutSweepMs: e.TIMEOUT_SWEEP_INTERVAL_MS, reassertMs: Math.min(e.RECONCILE_INTERVAL_MS, 30_000), logCleanupAt: e.LOG_CLEANUP_AT },
    queuePrefix: e.QUEUE_PREFIX,
    secretKey: e.SECRET_KEY,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    eventsHeartbeatMs: e.EVENTS_HEARTBEAT_MS,
    templateMaxBytes: e.TEMPLATE_MAX_BYTES,
    rateLimit: {
      readsPerMin: e.RATE_LIMIT_READS_PER_MIN,
      writesPerMin: e.RATE_LIMIT_WRITES_PER_MIN,
      anonymousPerMin: e.RATE_LIMIT_ANON_PER_MIN,
      adminsExempt: e.RATE_LIMIT_ADMINS_EXEMPT,
      trustProxy: e.RATE_LIMIT_TRUST_PROXY,
    },
    corsOrigins: e.CORS_ORIGINS ?? [],
    tosca: { typesDir: e.TOSCA_TYPES_DIR, remoteImports: e.TOSCA_REMOTE_IMPORTS },
    queueBoard: { user: e.BULL_BOARD_USER, password: e.BULL_BOARD_PASSWORD },
    shutdown: { graceMs: e.SHUTDOWN_GRACE_MS, drainDelayMs: e.SHUTDOWN_DRAIN_DELAY_MS },
    http: { headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS, keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS },
  };
}
