import type { z } from 'zod';
import { CamauditError } from '../core/errors.js';

// Validation errors name the file and the record path (`records[3].vendor`) so a KB editor can
// find the line without reading zod's issue objects.

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function formatIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid';
  const path = formatPath(issue.path);
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** Validate `data` against `schema`, or throw invalid_input naming `label` and the record path. */
export function parseWith<T extends z.ZodType>(schema: T, data: unknown, label: string): z.output<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new CamauditError('invalid_input', `${label}: ${formatIssue(issues[0])}${more}`, { file: label });
}
