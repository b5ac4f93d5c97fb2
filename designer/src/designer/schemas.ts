import type { ISchema } from '@formily/react';
import type { Field } from '@formily/core';
import { Translate } from '../shell/i18n';
import { Kind } from './kinds';

export interface Option {
  value: string;
  label: string;
}

const DATA_TYPES = ['S1', 'S2', 'S3', 'L', 'N', 'D', 'DT', 'T', 'BY'];

/** Namespace, identifier, name, definition… shared by every kind; laid out on a 3-column grid. */
function header(t: Translate, extra: Record<string, ISchema> = {}): Record<string, ISchema> {
  const text = (name: string, title: string, required = false, span = 1, placeholder?: string): ISchema => ({
    type: 'string',
    title,
    required,
    'x-decorator': 'FormItem',
    'x-decorator-props': { gridSpan: span },
    'x-component': 'Input',
    'x-component-props': { id: `field-${name}`, ...(placeholder ? { placeholder } : {}) },
  });
  const area = (name: string, title: string, rows: number): ISchema => ({
    ...text(name, title, false, 3),
    'x-component': 'Input.TextArea',
    'x-component-props': { id: `field-${name}`, autoSize: { minRows: rows, maxRows: 5 } },
  });
  // Every field gets a stable DOM id (field-<name>) for labels, tests and assistive tools.
  const withIds = Object.fromEntries(
    Object.entries(extra).map(([name, s]) => [name, { ...s, 'x-component-props': { id: `field-${name}`, ...(s['x-component-props'] as object) } }]),
  );
  return {
    namespace: text('namespace', t('meta.namespace'), true, 1, 'dazhou'),
    identifier: text('identifier', t('meta.identifier'), true),
    name: text('name', t('meta.name'), true),
    ...withIds,
    definition: area('definition', t('meta.definition'), 2),
    steward: text('steward', t('meta.steward')),
    submitter: text('submitter', t('meta.submitter')),
    origin: text('origin', t('meta.origin')),
    comments: area('comments', t('meta.comments'), 1),
  };
}

const grid = (properties: Record<string, ISchema>): ISchema => ({
  type: 'void',
  'x-component': 'FormGrid',
  'x-component-props': { maxColumns: 3, minColumns: 1, columnGap: 16 },
  properties,
});

const column = (title: string, width: number | undefined, field: ISchema, name: string): Record<string, ISchema> => ({
  [`col_${name}`]: { type: 'void', 'x-component': 'ArrayTable.Column', 'x-component-props': { title, width }, properties: { [name]: { 'x-decorator': 'FormItem', ...field } } },
});

const visibleWhen = (dependency: string, value: string) => (field: Field) => {
  field.visible = field.query(dependency).value() === value;
};

export function valueDomainSchema(t: Translate): ISchema {
  return {
    type: 'object',
    properties: {
      head: grid(
        header(t, {
          oid: { type: 'string', title: t('vd.oid'), 'x-decorator': 'FormItem', 'x-component': 'Input', 'x-component-props': { placeholder: '2.16.156.10011.2.3…' } },
          type: {
            type: 'string',
            title: t('vd.type'),
            required: true,
            default: 'enumerated',
            enum: [
              { value: 'enumerated', label: t('vd.type.enumerated') },
              { value: 'described', label: t('vd.type.described') },
            ],
            'x-decorator': 'FormItem',
            'x-decorator-props': { gridSpan: 2 },
            'x-component': 'Radio.Group',
            'x-component-props': { optionType: 'button' },
          },
        }),
      ),
      values: {
        type: 'array',
        title: t('vd.values'),
        'x-decorator': 'FormItem',
        'x-component': 'ArrayTable',
        'x-component-props': { pagination: { pageSize: 20 }, scroll: { x: '100%' } },
        'x-reactions': visibleWhen('type', 'enumerated'),
        items: {
          type: 'object',
          properties: {
            ...column(t('ds.sort'), 60, { type: 'void', 'x-component': 'ArrayTable.SortHandle' }, 'sort'),
            ...column(t('vd.code'), 140, { type: 'string', required: true, 'x-component': 'Input' }, 'code'),
            ...column(t('vd.meaning'), 220, { type: 'string', required: true, 'x-component': 'Input' }, 'meaning'),
            ...column(t('vd.order'), 100, { type: 'number', 'x-component': 'NumberPicker', 'x-component-props': { min: 0, precision: 0 } }, 'order'),
            ...column(t('vd.validFrom'), 160, { type: 'string', 'x-component': 'DatePicker', 'x-component-props': { format: 'YYYY-MM-DD' } }, 'validFrom'),
            ...column(t('vd.validTo'), 160, { type: 'string', 'x-component': 'DatePicker', 'x-component-props': { format: 'YYYY-MM-DD' } }, 'validTo'),
            ...column(t('common.actions'), 70, { type: 'void', 'x-component': 'ArrayTable.Remove' }, 'remove'),
          },
        },
        properties: {
          add: { type: 'void', title: t('vd.addValue'), 'x-component': 'ArrayTable.Addition', 'x-component-props': { 'data-testid': 'add-value' } },
        },
      },
      described: {
        type: 'void',
        'x-component': 'FormGrid',
        'x-component-props': { maxColumns: 3, columnGap: 16 },
        'x-reactions': visibleWhen('type', 'described'),
        properties: {
          dataType: { type: 'string', title: t('de.dataType'), required: true, enum: DATA_TYPES, 'x-decorator': 'FormItem', 'x-component': 'Select' },
          format: { type: 'string', title: t('de.format'), 'x-decorator': 'FormItem', 'x-component': 'Input', 'x-component-props': { placeholder: 'N..6,2' } },
          unit: { type: 'string', title: t('de.unit'), 'x-decorator': 'FormItem', 'x-component': 'Input' },
          minimum: { type: 'number', title: t('vd.minimum'), 'x-decorator': 'FormItem', 'x-component': 'NumberPicker' },
          maximum: { type: 'number', title: t('vd.maximum'), 'x-decorator': 'FormItem', 'x-component': 'NumberPicker' },
          pattern: { type: 'string', title: t('vd.pattern'), 'x-decorator': 'FormItem', 'x-component': 'Input' },
        },
      },
    },
  };
}

export function dataElementSchema(t: Translate, valueDomains: Option[]): ISchema {
  return {
    type: 'object',
    properties: {
      head: grid(
        header(t, {
          dataType: { type: 'string', title: t('de.dataType'), required: true, enum: DATA_TYPES, 'x-decorator': 'FormItem', 'x-component': 'Select' },
          format: { type: 'string', title: t('de.format'), required: true, 'x-decorator': 'FormItem', 'x-component': 'Input', 'x-component-props': { placeholder: 'AN..50 / N1 / D8 / DT15' } },
          valueDomainId: {
            type: 'string',
            title: t('de.valueDomain'),
            enum: valueDomains,
            'x-decorator': 'FormItem',
            'x-component': 'Select',
            'x-component-props': { allowClear: true, showSearch: true, optionFilterProp: 'label' },
          },
          unit: { type: 'string', title: t('de.unit'), 'x-decorator': 'FormItem', 'x-component': 'Input' },
          sensitivity: {
            type: 'number',
            title: t('de.sensitivity'),
            default: 0,
            enum: [0, 1, 2, 3, 4].map(n => ({ value: n, label: t(`de.sensitivity.${n}` as 'de.sensitivity.0') })),
            'x-decorator': 'FormItem',
            'x-component': 'Select',
          },
          checks: {
            type: 'array',
            title: t('de.checks'),
            enum: [
              { value: 'gb11643', label: 'GB 11643 身份证号' },
              { value: 'gb32100', label: 'GB 32100 统一社会信用代码' },
            ],
            'x-decorator': 'FormItem',
            'x-component': 'Checkbox.Group',
          },
          synonyms: { type: 'array', title: t('de.synonyms'), 'x-decorator': 'FormItem', 'x-decorator-props': { gridSpan: 3 }, 'x-component': 'Select', 'x-component-props': { mode: 'tags', open: false } },
        }),
      ),
    },
  };
}

export function datasetSchema(t: Translate, elements: Option[]): ISchema {
  return {
    type: 'object',
    properties: {
      head: grid(
        header(t, {
          code: { type: 'string', title: t('ds.code'), required: true, 'x-decorator': 'FormItem', 'x-component': 'Input', 'x-component-props': { placeholder: 'follow_up' } },
        }),
      ),
      inclusions: {
        type: 'array',
        title: t('ds.inclusions'),
        'x-decorator': 'FormItem',
        'x-component': 'ArrayTable',
        'x-component-props': { pagination: { pageSize: 50 }, scroll: { x: 1300 } },
        items: {
          type: 'object',
          properties: {
            ...column(t('ds.sort'), 60, { type: 'void', 'x-component': 'ArrayTable.SortHandle' }, 'sort'),
            ...column('#', 50, { type: 'void', 'x-component': 'ArrayTable.Index' }, 'index'),
            ...column(t('ds.element'), 260, { type: 'string', required: true, enum: elements, 'x-component': 'Select', 'x-component-props': { showSearch: true, optionFilterProp: 'label' } }, 'elementId'),
            ...column(t('ds.column'), 160, { type: 'string', required: true, 'x-component': 'Input' }, 'column'),
            ...column(t('ds.localName'), 150, { type: 'string', 'x-component': 'Input' }, 'localName'),
            ...column(t('ds.internalId'), 150, { type: 'string', 'x-component': 'Input' }, 'internalId'),
            ...column(
              t('ds.obligation'),
              120,
              { type: 'string', required: true, default: 'O', enum: (['M', 'C', 'O'] as const).map(o => ({ value: o, label: t(`ds.obligation.${o}`) })), 'x-component': 'Select' },
              'obligation',
            ),
            ...column(t('ds.condition'), 150, { type: 'string', 'x-component': 'Input' }, 'condition'),
            ...column(t('ds.group'), 130, { type: 'string', 'x-component': 'Input' }, 'group'),
            ...column(t('ds.primaryKey'), 90, { type: 'boolean', 'x-component': 'Checkbox' }, 'primaryKey'),
            ...column(t('common.actions'), 70, { type: 'void', 'x-component': 'ArrayTable.Remove' }, 'remove'),
          },
        },
        properties: {
          add: { type: 'void', title: t('ds.addInclusion'), 'x-component': 'ArrayTable.Addition', 'x-component-props': { 'data-testid': 'add-inclusion' } },
        },
      },
    },
  };
}

export function schemaFor(kind: Kind, t: Translate, options: Option[]): ISchema {
  return kind === 'value-domain' ? valueDomainSchema(t) : kind === 'data-element' ? dataElementSchema(t, options) : datasetSchema(t, options);
}
