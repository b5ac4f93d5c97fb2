#!/usr/bin/env node
// Adds a diagram (bpmndi) to BPMN files that have none, with the modeller's own layout
// (src/workflow/layout.ts), keeping the rest of each file (comments, attribute order) as it is.
//   node designer/scripts/add-bpmn-diagrams.mjs seeds/workflows/*.bpmn
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'platform', 'package.json'));
const ts = require('typescript');
const { default: BpmnModdle } = await import(pathToFileURL(require.resolve('bpmn-moddle')).href);
const source = fs.readFileSync(path.join(here, '..', 'src', 'workflow', 'layout.ts'), 'utf8');
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lingshu-layout-')), 'layout.mjs');
fs.writeFileSync(tmp, js);
const { layoutDefinitions } = await import(pathToFileURL(tmp).href);

const NS = 'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"';
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  if (text.includes('bpmndi:BPMNDiagram')) {
    console.log(`${file}: has a diagram, left as it is`);
    continue;
  }
  const moddle = new BpmnModdle();
  const { rootElement, warnings } = await moddle.fromXML(text);
  for (const w of warnings) console.warn(`${file}: ${w.message}`);
  layoutDefinitions(moddle, rootElement);
  const { xml } = await moddle.toXML(rootElement, { format: true });
  const diagram = /( *)<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/.exec(xml)[0];
  const out = text
    .replace('</definitions>', `${diagram}\n</definitions>`)
    .replace(/<definitions\b([^>]*?)\s(id=)/, (m, attrs, id) => `<definitions${attrs}\n  ${NS} ${id}`);
  fs.writeFileSync(file, out);
  console.log(`${file}: diagram added`);
}
fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
