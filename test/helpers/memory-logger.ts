import type { Logger } from '../../src/app-deps.js';

/** Records log entries so tests can assert what was (and was not) logged. */
export function createMemoryLogger(): Logger & { entries: Array<{ level: string; obj: object; msg?: string }>; text(): string } {
  const entries: Array<{ level: string; obj: object; msg?: string }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void entries.push({ level, obj, msg });
  return {
    entries,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () =>
      entries
        .map((e) => `${e.level} ${e.msg ?? ''} ${JSON.stringify(e.obj, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v))}`)
        .join('\n'),
  };
}
