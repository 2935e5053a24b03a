import { join } from 'node:path';

/**
 * Node flags that make a process write CPU profiles on exit, one folder per label: the tsx
 * loader thread writes its own profile next to the main thread's.
 */
export function profileFlags(profileDir: string | undefined, label: string): string[] {
  return profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, label)] : [];
}
