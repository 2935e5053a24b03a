import type { ToscaIssue } from './types.js';
import type { YamlSource } from './yaml-source.js';

export type Segment = string | number;

/** An issue before its line is known. */
export interface PendingIssue {
  path: Segment[];
  message: string;
}

export function formatPath(path: ReadonlyArray<Segment>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

export function locateIssues(issues: PendingIssue[], source?: YamlSource): ToscaIssue[] {
  return issues.map((i) => {
    const issue: ToscaIssue = { path: formatPath(i.path), message: i.message };
    const line = source?.lineAt(i.path);
    if (line !== undefined) issue.line = line;
    return issue;
  });
}

export class IssueCollector {
  readonly errors: PendingIssue[] = [];
  readonly warnings: PendingIssue[] = [];

  error(path: Segment[], message: string): void {
    this.errors.push({ path, message });
  }

  warn(path: Segment[], message: string): void {
    this.warnings.push({ path, message });
  }
}
