import { api } from '../shell/api';
import { MessageKey } from '../shell/messages';

export type Decision = 'approve' | 'reject' | 'return';
export const DECISIONS: Decision[] = ['approve', 'reject', 'return'];

/** A task as /api/workflow/tasks presents it. */
export interface Task {
  id: string;
  instanceId: string;
  activityId: string;
  name: string;
  assignee: string | null;
  candidateRoles: string[];
  orgCode: string | null;
  approval: string;
  status: 'open' | 'completed' | 'cancelled';
  decision: Decision | null;
  comment: string | null;
  completedBy: string | null;
  completedAt: string | null;
  delegatedFrom: string | null;
  dueAt: string | null;
  createdAt: string;
  /** In inbox lists only. */
  instanceTitle?: string;
  processKey?: string;
  requestedBy?: string;
}

export interface Instance {
  id: string;
  processKey: string;
  processVersion: number;
  businessKey: string | null;
  title: string;
  status: 'running' | 'completed' | 'cancelled';
  variables: Record<string, unknown>;
  startedBy: string;
  starterOrg: string | null;
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
  nextTimerAt: string | null;
  tasks: Task[];
}

export interface TimelineEvent {
  id: string;
  at: string;
  actor: string;
  type: string;
  task_id: string | null;
  activity_id: string | null;
  comment: string | null;
  detail: Record<string, unknown> | null;
  attachments: Array<{ id: string; name: string; mediaType: string; size: number }>;
}

export interface Notification {
  id: string;
  instanceId: string | null;
  taskId: string | null;
  template: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

/** A case about a metadata item (GET /api/workflow/subjects/{kind}/{id}/instances). */
export interface SubjectCase {
  id: string;
  processKey: string;
  title: string;
  status: Instance['status'];
  startedBy: string;
  startedAt: string;
  endedAt: string | null;
  nextTimerAt: string | null;
  outcome: string | null;
  steps: Array<{ activityId: string; name: string }>;
  openTasks: Task[];
  participant: boolean;
}

export interface Person {
  username: string;
  displayName: string;
  orgCode: string | null;
}

export function processLabel(t: (k: MessageKey) => string, key: string | undefined): string {
  const k = `inbox.process.${key}` as MessageKey;
  return key && k in KNOWN_PROCESSES ? t(k) : key ?? '—';
}
const KNOWN_PROCESSES: Record<string, true> = { 'inbox.process.standard-drafting': true, 'inbox.process.resource-approval': true, 'inbox.process.generic-review': true };

/** The label of a decision button: step-specific where the step has its own word. */
export function decisionLabel(t: (k: MessageKey) => string, decision: Decision, activityId: string): string {
  const special = `inbox.approve.${activityId}` as MessageKey;
  if (decision === 'approve' && APPROVE_WORDS.has(activityId)) return t(special);
  return t(`inbox.decision.${decision}` as MessageKey);
}
const APPROVE_WORDS = new Set(['research', 'draft', 'comment', 'revise', 'approval', 'periodicReview']);

const decisionsByProcess = new Map<string, Promise<Record<string, Decision[]>>>();

/** The decisions each user task of a process offers (all three when the definition cannot be read). */
export function taskDecisions(processKey: string): Promise<Record<string, Decision[]>> {
  let p = decisionsByProcess.get(processKey);
  if (!p) {
    p = api
      .get<{ latest: { userTasks: Record<string, { decisions: Decision[] }> } }>(`/api/workflow/processes/${encodeURIComponent(processKey)}`)
      .then(d => Object.fromEntries(Object.entries(d.latest.userTasks).map(([k, v]) => [k, v.decisions])))
      .catch(() => ({}));
    decisionsByProcess.set(processKey, p);
  }
  return p;
}

/** Base64 of a file's bytes, for the attachments of a decision. */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
