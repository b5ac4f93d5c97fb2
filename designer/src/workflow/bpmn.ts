/**
 * What the modeller knows of the engine's BPMN dialect: the `lingshu:` attributes the platform
 * reads (platform/src/workflow/definitions.ts), as a moddle extension so bpmn-js keeps and writes
 * them, and the starter templates of a new process.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

export const LINGSHU_NS = 'http://lingshu.dev/schema/bpmn';

/** The user-task attributes, exactly as the engine reads them. */
export const USER_TASK_ATTRS = ['assignee', 'assignees', 'candidateRoles', 'scope', 'approval', 'decisions', 'dueIn', 'template', 'screen'] as const;
export type UserTaskAttr = (typeof USER_TASK_ATTRS)[number];

export const lingshuModdle = {
  name: 'Lingshu',
  uri: LINGSHU_NS,
  prefix: 'lingshu',
  xml: { tagAlias: 'lowerCase' },
  types: [
    {
      name: 'UserTaskAttributes',
      extends: ['bpmn:UserTask'],
      properties: USER_TASK_ATTRS.map(name => ({ name, isAttr: true, type: 'String' })),
    },
  ],
};

export const DECISIONS = ['approve', 'reject', 'return'] as const;

/** ISO 8601 durations as the engine accepts them (definitions.ts durationMs). */
export function isDuration(text: string): boolean {
  const s = text.trim();
  return /^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/.test(s) && s !== 'P' && !s.endsWith('T');
}

export const SERVICE_PREFIX = '${environment.services.';

export function serviceAction(implementation: unknown): string | undefined {
  const m = typeof implementation === 'string' ? /^\$\{\s*environment\.services\.([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(implementation.trim()) : null;
  return m?.[1];
}

export type TemplateKind = 'approval' | 'countersign' | 'blank';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** A new process model (no diagram: the modeller lays it out on import). */
export function templateXml(kind: TemplateKind, key: string, name: string): string {
  const head = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:lingshu="${LINGSHU_NS}" id="${esc(key)}-definitions" targetNamespace="http://lingshu.dev/workflows">
  <process id="${esc(key)}" name="${esc(name)}" isExecutable="true">
    <startEvent id="start" name="提交" />`;
  const tail = `
  </process>
</definitions>
`;
  if (kind === 'blank') {
    return `${head}
    <sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <userTask id="task" name="办理" lingshu:assignee="\${initiator}" />
    <sequenceFlow id="f2" sourceRef="task" targetRef="end" />
    <endEvent id="end" name="结束" />${tail}`;
  }
  const task =
    kind === 'approval'
      ? `<userTask id="approve" name="审批" lingshu:candidateRoles="reviewer" lingshu:dueIn="P3D" />`
      : `<userTask id="approve" name="会签" lingshu:assignees="\${reviewers}" lingshu:approval="all" lingshu:dueIn="P3D" />`;
  return `${head}
    <sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    ${task}
    <sequenceFlow id="f2" sourceRef="approve" targetRef="decision" />
    <exclusiveGateway id="decision" name="审批结果" default="toRejected" />
    <sequenceFlow id="toApproved" sourceRef="decision" targetRef="approved">
      <conditionExpression xsi:type="tFormalExpression">\${outcome == "approved"}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="toRejected" sourceRef="decision" targetRef="rejected" />
    <endEvent id="approved" name="通过" />
    <endEvent id="rejected" name="未通过" />${tail}`;
}

/** The element a lint problem is about, as the server names it. */
export interface LintProblem {
  elementId?: string;
  path?: string;
  field?: string;
  rule: string;
  message: string;
  position?: number;
}

export interface LintResult {
  ok: boolean;
  name: string | null;
  userTasks: string[];
  problems: LintProblem[];
}

/** Imports XML into a bpmn-js instance, laying it out first when it has no diagram. */
export async function importWithLayout(modeler: any, xml: string): Promise<void> {
  const moddle = modeler.get('moddle');
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  if (!(rootElement.diagrams ?? []).length) {
    const { layoutDefinitions } = await import('./layout');
    layoutDefinitions(moddle, rootElement);
    const { xml: laid } = await moddle.toXML(rootElement, { format: true });
    await modeler.importXML(laid);
  } else {
    await modeler.importXML(xml);
  }
  modeler.get('canvas').zoom('fit-viewport', 'auto');
}
