import type { ToscaIssue } from '../../tosca/index.js';
import type { FieldError } from '../errors.js';

/** A TOSCA issue as the API shows it: errors of a refused template and warnings of a stored one share this shape. */
export function issueToField(issue: ToscaIssue): FieldError {
  const where = issue.line === undefined ? '' : ` (line ${issue.line})`;
  return { loc: ['body', 'content', ...(issue.path ? [issue.path] : [])], msg: `${issue.message}${where}` };
}
