import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareEventIds } from '../../src/services/events/deployment-events.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('deployment events', () => {
  it('hears every guarded status/task change: only changeDeployment calls updateDeploymentIf', () => {
    const callers = [...sourceFiles('src'), ...sourceFiles('workers')]
      .filter((f) => !f.startsWith(join('src', 'db')))
      .filter((f) => /\bupdateDeploymentIf\s*\(/.test(readFileSync(f, 'utf8')));
    expect(callers).toEqual([join('src', 'services', 'deployments', 'change-deployment.ts')]);
  });

  it('orders stream ids numerically, not as text', () => {
    expect(compareEventIds('9-0', '10-0')).toBe(-1);
    expect(compareEventIds('10-2', '10-10')).toBe(-1);
    expect(compareEventIds('10-10', '10-10')).toBe(0);
    expect(compareEventIds('1700000000001-0', '1700000000000-5')).toBe(1);
  });
});
