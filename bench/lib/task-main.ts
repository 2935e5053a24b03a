export const RESULT_PREFIX = 'BENCH_RESULT ';
export const READY_PREFIX = 'BENCH_READY ';
export const ARGS_ENV = 'BENCH_TASK_ARGS';

/** Entry point of a measuring child: reads its JSON arguments, prints one result line, exits. */
export async function taskMain<A, R>(run: (args: A) => Promise<R>): Promise<void> {
  try {
    const args = JSON.parse(process.env[ARGS_ENV] ?? '{}') as A;
    const result = await run(args);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
    process.exit(0);
  } catch (err) {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  }
}

/** Announces a server's address to the harness. */
export function announceReady(info: Record<string, unknown>): void {
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(info)}\n`);
}
