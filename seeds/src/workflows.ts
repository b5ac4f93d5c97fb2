import fs from 'node:fs';
import path from 'node:path';

/** The starter process models (BPMN 2.0 files in seeds/workflows), by process key. */
export const WORKFLOW_KEYS = ['generic-review', 'standard-drafting', 'resource-approval'] as const;

export function workflowModels(): Array<{ key: string; xml: string }> {
  const dir = path.join(__dirname, '..', 'workflows');
  return WORKFLOW_KEYS.map(key => ({ key, xml: fs.readFileSync(path.join(dir, `${key}.bpmn`), 'utf8') }));
}
