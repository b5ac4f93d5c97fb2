import { WorkflowStatus } from '../kinds';

export type LifecycleAction = 'submit' | 'withdraw' | 'publish' | 'retire';

const TRANSITIONS: Record<LifecycleAction, { from: WorkflowStatus[]; to: WorkflowStatus }> = {
  submit: { from: ['draft'], to: 'review' },
  withdraw: { from: ['review'], to: 'draft' },
  publish: { from: ['draft', 'review'], to: 'published' },
  retire: { from: ['published'], to: 'retired' },
};

export class LifecycleError extends Error {
  constructor(
    readonly status: WorkflowStatus,
    readonly action: string,
  ) {
    super(`action "${action}" is not allowed when the status is "${status}"`);
  }
}

/** Actions a user may take on a version in this status, in display order. */
export function allowedActions(status: WorkflowStatus): LifecycleAction[] {
  return (Object.keys(TRANSITIONS) as LifecycleAction[]).filter(a =>
    TRANSITIONS[a].from.includes(status),
  );
}

export function nextStatus(status: WorkflowStatus, action: string): WorkflowStatus {
  const rule = TRANSITIONS[action as LifecycleAction];
  if (!rule || !rule.from.includes(status)) throw new LifecycleError(status, action);
  return rule.to;
}

/** Published, superseded and retired versions are frozen: edits make a new version. */
export function isFrozen(status: WorkflowStatus): boolean {
  return status !== 'draft' && status !== 'review';
}
