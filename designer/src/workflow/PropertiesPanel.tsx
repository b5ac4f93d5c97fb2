import { useEffect, useReducer, useState } from 'react';
import { Alert, Button, Checkbox, Divider, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { ClockCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../shell/i18n';
import type { MessageKey } from '../shell/messages';
import { DECISIONS, LintProblem, SERVICE_PREFIX, UserTaskAttr, isDuration, serviceAction } from './bpmn';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface PanelProps {
  modeler: any;
  /** The selected diagram element; none: the process itself. */
  element: any | undefined;
  actions: string[];
  screens: Array<{ id: string; identifier: string; name: string }>;
  roles: Array<{ code: string; name: string }>;
  problems: LintProblem[];
  readOnly: boolean;
  /** Checks the whole model on the server (the deploy lint); the panel shows the selected element's part. */
  onCheck(): Promise<void>;
  onSelect(id: string): void;
}

const timerOf = (bo: any) => (bo?.eventDefinitions ?? []).find((d: any) => d.$type === 'bpmn:TimerEventDefinition');

/** The properties of the selected element, written into the BPMN with the attributes the engine reads. */
export function PropertiesPanel(props: PanelProps) {
  const { modeler, readOnly } = props;
  const { t } = useI18n();
  const [, refresh] = useReducer((x: number) => x + 1, 0);
  useEffect(() => {
    const bus = modeler.get('eventBus');
    bus.on('elements.changed', refresh);
    return () => bus.off('elements.changed', refresh);
  }, [modeler]);
  const element = props.element ?? modeler.get('canvas').getRootElement();
  const bo = element?.businessObject;
  if (!bo) return null;
  const modeling = modeler.get('modeling');
  const moddle = modeler.get('moddle');
  const update = (attrs: Record<string, unknown>) => modeling.updateProperties(element, attrs);
  const mine = props.problems.filter(p => p.elementId === bo.id);
  return (
    <Form layout="vertical" size="small" disabled={readOnly} data-testid="properties-panel">
      <Typography.Text type="secondary">{t('mdl.type')}：{element.type.replace('bpmn:', '')}</Typography.Text>
      {mine.length > 0 && (
        <Alert
          type="error"
          style={{ margin: '8px 0' }}
          data-testid="element-problems"
          message={mine.map((p, i) => <div key={i}>{p.rule}: {p.message}{p.position !== undefined ? ` @${p.position}` : ''}</div>)}
        />
      )}
      <IdField key={`id-${bo.id}`} bo={bo} onCommit={id => update({ id })} />
      <Form.Item label={t('mdl.elementName')}>
        <Input value={bo.name ?? ''} onChange={e => update({ name: e.target.value || undefined })} data-testid="prop-name" />
      </Form.Item>
      {element.type === 'bpmn:UserTask' && <UserTaskFields {...props} element={element} />}
      {element.type === 'bpmn:SequenceFlow' && <FlowFields {...props} element={element} />}
      {element.type === 'bpmn:ServiceTask' && (
        <Form.Item label={t('mdl.action')} extra={t('mdl.actionHint')}>
          <Select
            data-testid="prop-action"
            value={serviceAction(bo.implementation)}
            onChange={(a: string) => update({ implementation: `${SERVICE_PREFIX}${a}}` })}
            options={props.actions.map(a => ({ value: a, label: `${actionLabel(t, a)} (${a})` }))}
          />
        </Form.Item>
      )}
      {timerOf(bo) && (
        <TimerFields
          key={bo.id}
          bo={bo}
          readOnly={readOnly}
          onDuration={body => modeling.updateModdleProperties(element, timerOf(bo), { timeDuration: body ? moddle.create('bpmn:FormalExpression', { body }) : undefined, timeCycle: undefined, timeDate: undefined })}
          onKind={interrupting => update({ cancelActivity: interrupting })}
        />
      )}
    </Form>
  );
}

function actionLabel(t: (k: MessageKey) => string, a: string): string {
  const key = `mdl.act.${a}` as MessageKey;
  const text = t(key);
  return text === key ? a : text;
}

/** The id changes on blur (bpmn-js refuses ids in use or not XML names). */
function IdField({ bo, onCommit }: { bo: any; onCommit(id: string): void }) {
  const { t } = useI18n();
  const [value, setValue] = useState<string>(bo.id);
  const [error, setError] = useState<string>();
  const commit = () => {
    if (value === bo.id) return;
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(value)) {
      setError('NCName');
      return;
    }
    try {
      onCommit(value);
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Form.Item label={t('mdl.id')} validateStatus={error ? 'error' : undefined} help={error}>
      <Input value={value} onChange={e => setValue(e.target.value)} onBlur={commit} onPressEnter={commit} data-testid="prop-id" />
    </Form.Item>
  );
}

function UserTaskFields({ modeler, element, screens, roles }: PanelProps & { element: any }) {
  const { t } = useI18n();
  const bo = element.businessObject;
  const modeling = modeler.get('modeling');
  const get = (name: UserTaskAttr): string => bo.get(`lingshu:${name}`) ?? '';
  const set = (name: UserTaskAttr, value: string | undefined) => modeling.updateProperties(element, { [`lingshu:${name}`]: value === '' ? undefined : value });
  const approval = get('approval');
  const approvalMode = approval.startsWith('percent:') ? 'percent' : approval || 'single';
  const decisions = get('decisions') ? get('decisions').split(',').map(s => s.trim()) : [...DECISIONS];
  const dueIn = get('dueIn');
  const attached: any[] = (element.attachers ?? []).filter((a: any) => timerOf(a.businessObject));
  const addTimer = (escalation: boolean) => {
    const factory = modeler.get('elementFactory');
    const shape = factory.createShape({ type: 'bpmn:BoundaryEvent', eventDefinitionType: 'bpmn:TimerEventDefinition' });
    const at = { x: element.x + element.width - 20 - attached.length * 40, y: element.y + element.height };
    const created = modeling.createShape(shape, at, element, { attach: true });
    modeling.updateProperties(created, { name: t(escalation ? 'mdl.escalation' : 'mdl.reminder').replace(/（.*|\s*\(.*/, ''), cancelActivity: escalation });
    modeling.updateModdleProperties(created, timerOf(created.businessObject), { timeDuration: modeler.get('moddle').create('bpmn:FormalExpression', { body: escalation ? 'P5D' : 'P2D' }) });
    if (!escalation) {
      // A reminder notifies whoever holds the task, then ends its own path.
      const notify = modeling.appendShape(created, factory.createShape({ type: 'bpmn:ServiceTask' }), { x: at.x + 60, y: at.y + 110 });
      modeling.updateProperties(notify, { name: t('mdl.act.notifyOpenTasks'), implementation: `${SERVICE_PREFIX}notifyOpenTasks}` });
      modeling.appendShape(notify, factory.createShape({ type: 'bpmn:EndEvent' }), { x: at.x + 210, y: at.y + 110 });
    }
    modeler.get('selection').select(created);
  };
  return (
    <>
      <Divider orientation="left" plain>{t('mdl.assignment')}</Divider>
      <Form.Item label={t('mdl.assignee')} extra={t('mdl.assigneeHint')}>
        <Input value={get('assignee')} onChange={e => set('assignee', e.target.value)} data-testid="prop-assignee" placeholder="${initiator}" />
      </Form.Item>
      <Form.Item label={t('mdl.candidateRoles')} extra={t('mdl.candidateHint')}>
        <Select
          mode="tags"
          data-testid="prop-candidate-roles"
          value={get('candidateRoles') ? get('candidateRoles').split(',').map(s => s.trim()).filter(Boolean) : []}
          onChange={(v: string[]) => set('candidateRoles', v.join(','))}
          options={roles.map(r => ({ value: r.code, label: `${r.name} (${r.code})` }))}
        />
      </Form.Item>
      <Form.Item>
        <Checkbox checked={get('scope') === 'requester-institution'} onChange={e => set('scope', e.target.checked ? 'requester-institution' : undefined)} data-testid="prop-scope">
          {t('mdl.scope')}
        </Checkbox>
      </Form.Item>
      <Form.Item label={t('mdl.assignees')} extra={t('mdl.assigneesHint')}>
        <Input value={get('assignees')} onChange={e => set('assignees', e.target.value)} data-testid="prop-assignees" placeholder="${reviewers}" />
      </Form.Item>
      <Form.Item label={t('mdl.approval')}>
        <Radio.Group
          data-testid="prop-approval"
          value={approvalMode}
          onChange={e => set('approval', e.target.value === 'single' ? undefined : e.target.value === 'percent' ? 'percent:60' : e.target.value)}
          options={[
            { value: 'single', label: '—' },
            { value: 'all', label: t('mdl.approvalAll') },
            { value: 'any', label: t('mdl.approvalAny') },
            { value: 'percent', label: t('mdl.approvalPercent') },
          ]}
        />
        {approvalMode === 'percent' && (
          <InputNumber min={1} max={100} addonAfter="%" value={Number(approval.slice(8)) || 60} onChange={v => set('approval', `percent:${v ?? 60}`)} style={{ marginTop: 8 }} />
        )}
      </Form.Item>
      <Form.Item label={t('mdl.decisions')}>
        <Checkbox.Group
          value={decisions}
          onChange={v => set('decisions', v.length === DECISIONS.length ? undefined : (v as string[]).join(','))}
          options={DECISIONS.map(d => ({ value: d, label: t(`mdl.dec${d[0].toUpperCase()}${d.slice(1)}` as MessageKey) }))}
        />
      </Form.Item>
      <Form.Item label={t('mdl.form')} extra={t('mdl.formHint')}>
        <Select
          allowClear
          showSearch
          data-testid="prop-form"
          placeholder={t('mdl.noForm')}
          value={get('screen') || undefined}
          onChange={(v?: string) => set('screen', v)}
          options={[...screens.map(s => ({ value: s.id, label: `${s.name} (${s.identifier})` })), ...(get('screen') && !screens.some(s => s.id === get('screen')) ? [{ value: get('screen'), label: get('screen') }] : [])]}
        />
      </Form.Item>
      <Divider orientation="left" plain>{t('mdl.timers')}</Divider>
      <Form.Item label={t('mdl.dueIn')} extra={t('mdl.durationHint')} validateStatus={dueIn && !isDuration(dueIn) ? 'error' : undefined} help={dueIn && !isDuration(dueIn) ? t('mdl.durationBad') : undefined}>
        <Input value={dueIn} onChange={e => set('dueIn', e.target.value)} placeholder="P3D" data-testid="prop-due-in" />
      </Form.Item>
      {attached.map(a => (
        <div key={a.id}>
          <Button type="link" size="small" icon={<ClockCircleOutlined />} onClick={() => modeler.get('selection').select(a)}>
            {a.businessObject.name || a.id} · {timerOf(a.businessObject)?.timeDuration?.body ?? '?'} · {t(a.businessObject.cancelActivity === false ? 'mdl.reminder' : 'mdl.escalation')}
          </Button>
        </div>
      ))}
      <Space wrap>
        <Button size="small" icon={<PlusOutlined />} onClick={() => addTimer(false)} data-testid="add-reminder">{t('mdl.addReminder')}</Button>
        <Button size="small" icon={<PlusOutlined />} onClick={() => addTimer(true)}>{t('mdl.addEscalation')}</Button>
      </Space>
    </>
  );
}

function FlowFields({ modeler, element, problems, onCheck }: PanelProps & { element: any }) {
  const { t } = useI18n();
  const bo = element.businessObject;
  const modeling = modeler.get('modeling');
  const source = element.source;
  const fromGateway = /Gateway$/.test(source?.type ?? '');
  const body: string = bo.conditionExpression?.body ?? '';
  const [checked, setChecked] = useState<'ok' | 'checking' | undefined>();
  const mine = problems.filter(p => p.elementId === bo.id);
  useEffect(() => setChecked(undefined), [body]);
  const check = async () => {
    setChecked('checking');
    await onCheck();
    setChecked('ok');
  };
  return (
    <>
      <Divider orientation="left" plain>{t('mdl.condition')}</Divider>
      <Form.Item label={t('mdl.condition')} extra={t('mdl.conditionHint')} validateStatus={checked === 'ok' ? (mine.length ? 'error' : 'success') : undefined}>
        <Input.TextArea
          autoSize={{ minRows: 2, maxRows: 6 }}
          value={body}
          data-testid="prop-condition"
          placeholder='${outcome == "approved"}'
          onChange={e => {
            const text = e.target.value;
            modeling.updateProperties(element, { conditionExpression: text.trim() ? modeler.get('moddle').create('bpmn:FormalExpression', { body: text }) : undefined });
          }}
        />
      </Form.Item>
      <Space>
        <Button size="small" onClick={check} loading={checked === 'checking'} data-testid="check-condition">{t('mdl.checkCondition')}</Button>
        {checked === 'ok' && !mine.length && <Typography.Text type="success" data-testid="condition-ok">{t('mdl.conditionOk')}</Typography.Text>}
      </Space>
      {fromGateway && (
        <Form.Item style={{ marginTop: 12 }}>
          <Checkbox
            checked={source.businessObject.default === bo}
            onChange={e => modeling.updateProperties(source, { default: e.target.checked ? bo : undefined })}
          >
            {t('mdl.defaultFlow')}
          </Checkbox>
        </Form.Item>
      )}
    </>
  );
}

function TimerFields({ bo, readOnly, onDuration, onKind }: { bo: any; readOnly: boolean; onDuration(body: string): void; onKind(interrupting: boolean): void }) {
  const { t } = useI18n();
  const def = timerOf(bo);
  const current: string = def?.timeDuration?.body ?? def?.timeCycle?.body ?? def?.timeDate?.body ?? '';
  const bad = current && !isDuration(current) && !/^\$\{.*\}$/.test(current.trim());
  return (
    <>
      <Divider orientation="left" plain>{t('mdl.timer')}</Divider>
      <Form.Item label={t('mdl.timerDuration')} extra={t('mdl.durationHint')} validateStatus={bad ? 'error' : undefined} help={bad ? t('mdl.durationBad') : undefined}>
        <Input value={current} onChange={e => onDuration(e.target.value)} placeholder="P2D" disabled={readOnly} data-testid="prop-timer" />
      </Form.Item>
      {bo.$type === 'bpmn:BoundaryEvent' && (
        <Form.Item label={t('mdl.timerKind')}>
          <Radio.Group
            value={bo.cancelActivity === false ? 'reminder' : 'escalation'}
            onChange={e => onKind(e.target.value === 'escalation')}
            options={[
              { value: 'reminder', label: t('mdl.reminder') },
              { value: 'escalation', label: t('mdl.escalation') },
            ]}
          />
        </Form.Item>
      )}
    </>
  );
}
