/**
 * A left-to-right layout for BPMN models without a diagram (bpmndi): columns by the longest
 * forward path from the start, rows so that a straight path stays on one row, boundary events on
 * their task's lower edge, loops drawn back below the diagram. Works on moddle objects (bpmn-js's
 * moddle in the browser, bpmn-moddle in Node), so the starter models' diagrams and an import
 * without a diagram come from the same code. No imports: it also compiles stand-alone.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Moddle = { create(type: string, attrs?: Record<string, unknown>): any };

const COLUMN = 160;
const ROW = 130;
const ORIGIN = { x: 180, y: 120 };

function size(type: string): { w: number; h: number } {
  if (/Event$/.test(type)) return { w: 36, h: 36 };
  if (/Gateway$/.test(type)) return { w: 50, h: 50 };
  if (type === 'bpmn:SubProcess') return { w: 120, h: 90 };
  return { w: 100, h: 80 };
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Adds a diagram to `definitions` for its first process (replacing none that exists). */
export function layoutDefinitions(moddle: Moddle, definitions: any): boolean {
  if ((definitions.diagrams ?? []).length) return false;
  const process = (definitions.rootElements ?? []).find((e: any) => e.$type === 'bpmn:Process');
  if (!process) return false;
  const elements: any[] = process.flowElements ?? [];
  const flows = elements.filter(e => e.$type === 'bpmn:SequenceFlow');
  const boundaries = elements.filter(e => e.$type === 'bpmn:BoundaryEvent');
  const nodes = elements.filter(e => e.$type !== 'bpmn:SequenceFlow' && e.$type !== 'bpmn:BoundaryEvent' && e.$type !== 'bpmn:DataObjectReference' && e.$type !== 'bpmn:DataObject');
  // A boundary event's outgoing flows leave from its host, for ordering.
  const host = new Map<any, any>(boundaries.map(b => [b, b.attachedToRef]));
  const from = (f: any) => host.get(f.sourceRef) ?? f.sourceRef;
  const out = new Map<any, any[]>();
  for (const f of flows) {
    const s = from(f);
    if (!out.has(s)) out.set(s, []);
    out.get(s)!.push(f);
  }
  // Depth-first from the starts: a flow into an element on the current path is a loop (back edge).
  const back = new Set<any>();
  const state = new Map<any, 'open' | 'done'>();
  const order: any[] = [];
  const visit = (n: any) => {
    state.set(n, 'open');
    const outs = [...(out.get(n) ?? [])].sort((a, b) => Number(!!host.get(a.sourceRef)) - Number(!!host.get(b.sourceRef)));
    for (const f of outs) {
      const t = f.targetRef;
      if (!t) continue;
      if (state.get(t) === 'open') back.add(f);
      else if (!state.has(t)) visit(t);
    }
    state.set(n, 'done');
    order.push(n);
  };
  const starts = nodes.filter(n => n.$type === 'bpmn:StartEvent');
  for (const s of starts.length ? starts : nodes.slice(0, 1)) if (!state.has(s)) visit(s);
  for (const n of nodes) if (!state.has(n)) visit(n);
  order.reverse(); // a topological order of the forward flows
  const column = new Map<any, number>();
  for (const n of order) {
    if (!column.has(n)) column.set(n, 0);
    for (const f of out.get(n) ?? []) {
      if (back.has(f) || !f.targetRef) continue;
      column.set(f.targetRef, Math.max(column.get(f.targetRef) ?? 0, column.get(n)! + 1));
    }
  }
  // Rows: the first flow out of an element keeps its row; others take the next free row below.
  const row = new Map<any, number>();
  const taken = new Set<string>();
  const place = (n: any, wanted: number) => {
    let r = wanted;
    while (taken.has(`${column.get(n)}:${r}`)) r++;
    row.set(n, r);
    taken.add(`${column.get(n)}:${r}`);
  };
  for (const n of order) {
    if (!row.has(n)) place(n, 0);
    const outs = (out.get(n) ?? []).filter(f => !back.has(f) && f.targetRef && !row.has(f.targetRef));
    // Flows from boundary events go below the main line.
    outs.sort((a, b) => Number(!!host.get(a.sourceRef)) - Number(!!host.get(b.sourceRef)));
    outs.forEach((f, i) => place(f.targetRef, row.get(n)! + (host.get(f.sourceRef) ? 1 : i)));
  }
  const boxes = new Map<any, Box>();
  for (const n of nodes) {
    const { w, h } = size(n.$type);
    const cx = ORIGIN.x + (column.get(n) ?? 0) * COLUMN;
    const cy = ORIGIN.y + (row.get(n) ?? 0) * ROW;
    boxes.set(n, { x: cx - w / 2, y: cy - h / 2, w, h });
  }
  const onHost = new Map<any, number>();
  for (const b of boundaries) {
    const hb = boxes.get(b.attachedToRef);
    if (!hb) continue;
    const i = onHost.get(b.attachedToRef) ?? 0;
    onHost.set(b.attachedToRef, i + 1);
    boxes.set(b, { x: hb.x + hb.w - 28 - i * 40, y: hb.y + hb.h - 18, w: 36, h: 36 });
  }
  const bottom = Math.max(...[...boxes.values()].map(b => b.y + b.h), ORIGIN.y);
  const mid = (b: Box) => ({ x: b.x + b.w / 2, y: b.y + b.h / 2 });
  let loops = 0;
  const point = (x: number, y: number) => moddle.create('dc:Point', { x: Math.round(x), y: Math.round(y) });
  // Columns are COLUMN apart and shapes at most 120 wide: the middle between two columns is free.
  const colX = (c: number) => ORIGIN.x + c * COLUMN;
  const gapAfter = (c: number) => colX(c) + COLUMN / 2;
  const gapBefore = (c: number) => colX(c) - COLUMN / 2;
  /** Whether a horizontal line on `r` between columns a and b (exclusive) meets a shape. */
  const blocked = (r: number, a: number, b: number) =>
    nodes.some(n => row.get(n) === r && (column.get(n) ?? 0) > Math.min(a, b) && (column.get(n) ?? 0) < Math.max(a, b));
  const waypoints = (f: any) => {
    const s = boxes.get(f.sourceRef);
    const t = boxes.get(f.targetRef);
    if (!s || !t) return [];
    const sm = mid(s);
    const tm = mid(t);
    if (host.has(f.sourceRef)) {
      // Down from the boundary event, then across into the target.
      if (tm.x > sm.x + 1) return [point(sm.x, s.y + s.h), point(sm.x, tm.y), point(t.x, tm.y)];
      return [point(sm.x, s.y + s.h), point(sm.x, t.y)];
    }
    const sc = column.get(f.sourceRef) ?? 0;
    const tc = column.get(f.targetRef) ?? 0;
    const sr = row.get(f.sourceRef) ?? 0;
    const tr = row.get(f.targetRef) ?? 0;
    if (!back.has(f) && tc > sc) {
      if (sr === tr && !blocked(sr, sc, tc)) return [point(s.x + s.w, sm.y), point(t.x, tm.y)];
      // Across on the source's row, then down or up in the gap before the target …
      if (!blocked(sr, sc, tc)) return [point(s.x + s.w, sm.y), point(gapBefore(tc), sm.y), point(gapBefore(tc), tm.y), point(t.x, tm.y)];
      // … or down or up in the gap after the source, then across on the target's row.
      if (!blocked(tr, sc, tc)) return [point(s.x + s.w, sm.y), point(gapAfter(sc), sm.y), point(gapAfter(sc), tm.y), point(t.x, tm.y)];
    }
    // Loops and crowded rows go round below the diagram, through the gaps.
    loops++;
    const y = bottom + 24 + loops * 14;
    const out = gapAfter(sc) - loops * 6;
    const into = gapBefore(tc) + loops * 6;
    return [point(s.x + s.w, sm.y), point(out, sm.y), point(out, y), point(into, y), point(into, tm.y), point(t.x, tm.y)];
  };
  const planeElement: any[] = [];
  for (const [el, b] of boxes) {
    const attrs: Record<string, unknown> = { id: `${el.id}_di`, bpmnElement: el, bounds: moddle.create('dc:Bounds', { x: Math.round(b.x), y: Math.round(b.y), width: b.w, height: b.h }) };
    if (/Gateway$/.test(el.$type)) attrs.isMarkerVisible = true;
    if (el.$type === 'bpmn:SubProcess') attrs.isExpanded = false;
    planeElement.push(moddle.create('bpmndi:BPMNShape', attrs));
  }
  for (const f of flows) {
    const wp = waypoints(f);
    if (wp.length) planeElement.push(moddle.create('bpmndi:BPMNEdge', { id: `${f.id}_di`, bpmnElement: f, waypoint: wp }));
  }
  const plane = moddle.create('bpmndi:BPMNPlane', { id: `${process.id}_plane`, bpmnElement: process, planeElement });
  const diagram = moddle.create('bpmndi:BPMNDiagram', { id: `${process.id}_diagram`, plane });
  definitions.diagrams = [diagram];
  diagram.$parent = definitions;
  return true;
}
