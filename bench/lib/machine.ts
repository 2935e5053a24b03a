import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { REPO_ROOT } from './child.js';

export interface MachineInfo {
  cores: number;
  cpu: string;
  memory_gb: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model.trim() ?? 'unknown',
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** The checked-out commit and whether the tree has local changes (read-only git calls). */
export function gitState(): { sha: string | null; dirty: boolean | null } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const sha = git('rev-parse', 'HEAD');
    let dirty: boolean | null = null;
    try {
      dirty = git('status', '--porcelain', '--untracked-files=no').length > 0;
    } catch {
      dirty = null;
    }
    return { sha, dirty };
  } catch {
    return { sha: null, dirty: null };
  }
}
