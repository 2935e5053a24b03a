export interface Telemetry {
  /** Whether this process records spans and exports them. */
  readonly exporting: boolean;
  /** Exports the spans still buffered and stops the SDK; nothing to do when tracing is off. */
  shutdown(): Promise<void>;
}

const OFF: Telemetry = { exporting: false, shutdown: async () => {} };

type Env = Record<string, string | undefined>;

const listOf = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Traces are on when an OTLP endpoint or an explicit OTEL_TRACES_EXPORTER asks for them, unless OTEL_SDK_DISABLED=true. */
export function tracingRequested(env: Env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = listOf(env.OTEL_TRACES_EXPORTER);
  if (exporters.length === 1 && exporters[0] === 'none') return false;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return Boolean(endpoint) || exporters.length > 0;
}

function namesItsService(env: Env): boolean {
  return Boolean(env.OTEL_SERVICE_NAME?.trim()) || listOf(env.OTEL_RESOURCE_ATTRIBUTES).some((kv) => kv.split('=')[0]!.trim() === 'service.name');
}

/**
 * Starts the OpenTelemetry Node SDK for traces when the standard OTEL_* variables ask for it; `env` decides
 * whether to start, the SDK then reads exporter, protocol, headers, sampler and batching settings from process.env.
 * Off, nothing is loaded and the API's spans stay no-ops.
 */
export async function startTelemetry(defaultServiceName: string, env: Env = process.env): Promise<Telemetry> {
  if (!tracingRequested(env)) return OFF;
  // Loaded on demand: the SDK pulls in every exporter, a start-up cost a process without tracing should not pay.
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName: namesItsService(env) ? undefined : defaultServiceName,
    // Traces only: metrics are served on GET /metrics and logs go to stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  let stopping: Promise<void> | undefined;
  return { exporting: true, shutdown: () => (stopping ??= sdk.shutdown()) };
}
