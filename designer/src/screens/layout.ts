/**
 * The screen designer's model of a form — containers (cards or tabs) holding fields laid out in a
 * grid — and its translation to and from a Formily JSON schema. Field schemas start from those
 * compiled from the dataset's metadata (rules, value domains, messages) and the designer
 * overrides component, title, required, placeholder and grid span.
 */
type Schema = Record<string, any>;

export const GRID_COLUMNS = 4;

export interface DesignField {
  field: string;
  title: string;
  component: string;
  required: boolean;
  placeholder?: string;
  span: number;
  /** The field's schema as compiled from metadata (rules, enum, element reference). */
  base: Schema;
}

export interface DesignContainer {
  id: string;
  kind: 'card' | 'tab';
  title: string;
  fields: DesignField[];
}

export const COMPONENTS = ['Input', 'Input.TextArea', 'Select', 'Radio.Group', 'Checkbox.Group', 'NumberPicker', 'DatePicker', 'TimePicker', 'Switch'] as const;

let seq = 0;
export const newId = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(seq++).toString(36)}`;

/** The fields of a compiled form schema, flattened (void containers skipped), by name. */
export function fieldsOf(schema: Schema | undefined): Map<string, Schema> {
  const out = new Map<string, Schema>();
  const walk = (node: Schema | undefined) => {
    for (const [name, child] of Object.entries<Schema>(node?.properties ?? {}).sort((a, b) => (a[1]['x-index'] ?? 0) - (b[1]['x-index'] ?? 0))) {
      if (child.type === 'void') walk(child);
      else out.set(name, child);
    }
  };
  walk(schema);
  return out;
}

export function designField(name: string, base: Schema, span = 1): DesignField {
  const props = base['x-component-props'] ?? {};
  return {
    field: name,
    title: base.title ?? name,
    component: base['x-component'] ?? 'Input',
    required: base.required === true,
    placeholder: typeof props.placeholder === 'string' ? props.placeholder : undefined,
    span: Number(base['x-decorator-props']?.gridSpan ?? (base['x-component'] === 'Input.TextArea' ? GRID_COLUMNS : span)),
    base,
  };
}

/** Containers of an existing form: its cards and tab panes; loose fields go into a first card. */
export function parseLayout(schema: Schema | undefined, bases: Map<string, Schema>, looseTitle: string): DesignContainer[] {
  const containers: DesignContainer[] = [];
  const loose: DesignField[] = [];
  const collect = (node: Schema, into: DesignField[]) => {
    for (const [name, child] of Object.entries<Schema>(node.properties ?? {}).sort((a, b) => (a[1]['x-index'] ?? 0) - (b[1]['x-index'] ?? 0))) {
      if (child.type === 'void') collect(child, into);
      else into.push(designField(name, { ...(bases.get(name) ?? {}), ...child }));
    }
  };
  for (const [, node] of Object.entries<Schema>(schema?.properties ?? {}).sort((a, b) => (a[1]['x-index'] ?? 0) - (b[1]['x-index'] ?? 0))) {
    if (node.type === 'void' && node['x-component'] === 'FormTab') {
      for (const [, pane] of Object.entries<Schema>(node.properties ?? {})) {
        const fields: DesignField[] = [];
        collect(pane, fields);
        containers.push({ id: newId('tab'), kind: 'tab', title: pane['x-component-props']?.tab ?? '', fields });
      }
    } else if (node.type === 'void') {
      const fields: DesignField[] = [];
      collect(node, fields);
      containers.push({ id: newId('card'), kind: 'card', title: node['x-component-props']?.title ?? node.title ?? '', fields });
    } else {
      const [name] = Object.entries<Schema>(schema!.properties).find(([, v]) => v === node)!;
      loose.push(designField(name, { ...(bases.get(name) ?? {}), ...node }));
    }
  }
  if (loose.length) containers.unshift({ id: newId('card'), kind: 'card', title: looseTitle, fields: loose });
  return containers;
}

function fieldSchema(f: DesignField, index: number): Schema {
  const base = structuredClone(f.base);
  const props: Schema = { ...(base['x-component-props'] ?? {}) };
  if (f.placeholder) props.placeholder = f.placeholder;
  else delete props.placeholder;
  if (f.component !== base['x-component']) {
    // Props of another component do not carry over, except the ones every input understands.
    for (const k of Object.keys(props)) if (!['placeholder', 'allowClear', 'maxLength', 'style'].includes(k)) delete props[k];
  }
  const rules = (Array.isArray(base['x-validator']) ? base['x-validator'] : []).filter((r: Schema) => f.required || !r.required);
  const out: Schema = {
    ...base,
    title: f.title,
    'x-decorator': 'FormItem',
    'x-decorator-props': { ...(base['x-decorator-props'] ?? {}), gridSpan: f.span },
    'x-component': f.component,
    'x-component-props': props,
    'x-index': index,
  };
  if (f.required) out.required = true;
  else delete out.required;
  if (rules.length) out['x-validator'] = rules;
  else delete out['x-validator'];
  return out;
}

function gridOf(fields: DesignField[]): Schema {
  return {
    type: 'void',
    'x-component': 'FormGrid',
    'x-component-props': { maxColumns: GRID_COLUMNS, minColumns: 1, columnGap: 16 },
    properties: Object.fromEntries(fields.map((f, i) => [f.field, fieldSchema(f, i)])),
  };
}

/** What a stored form's root carries besides its fields (e.g. `x-pattern: readPretty` of the case queries). */
export function rootExtras(schema: Schema | undefined): Schema {
  const { type: _t, title: _ti, properties: _p, ...rest } = schema ?? {};
  return rest;
}

/** The Formily schema of a layout: cards in order; consecutive tabs share one FormTab. */
export function compileLayout(containers: DesignContainer[], title: string, extras: Schema = {}): Schema {
  const properties: Schema = {};
  let tabs: Schema | undefined;
  containers.forEach((c, i) => {
    if (c.kind === 'tab') {
      if (!tabs) {
        tabs = { type: 'void', 'x-component': 'FormTab', 'x-index': i, properties: {} };
        properties[`tabs_${i}`] = tabs;
      }
      tabs.properties[c.id] = { type: 'void', 'x-component': 'FormTab.TabPane', 'x-component-props': { tab: c.title }, 'x-index': i, properties: { grid: gridOf(c.fields) } };
    } else {
      tabs = undefined;
      properties[c.id] = { type: 'void', 'x-component': 'Card', 'x-component-props': { title: c.title, size: 'small', style: { marginBottom: 12 } }, 'x-index': i, properties: { grid: gridOf(c.fields) } };
    }
  });
  return { ...extras, type: 'object', title, properties };
}
