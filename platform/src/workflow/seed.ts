import { workflowModels } from '@lingshu/seeds';
import type { WorkflowService } from './service';

/** Deploys each starter process whose key has no version yet (later versions are the implementers'). */
export async function ensureWorkflowDefinitions(service: WorkflowService, log: (line: string) => void = () => undefined): Promise<void> {
  for (const { key, xml } of workflowModels()) {
    if (await service.definitions.latest(key)) continue;
    // Instances starting together take turns; the second finds the version there.
    const row = await service.deploy({ key, xml }, 'system:seed', true);
    if (row.created_by === 'system:seed' && row.version === 1) log(`workflow: ${key} version 1 ready`);
  }
}
