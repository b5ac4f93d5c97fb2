#!/usr/bin/env node
// Runs every package's compiled tests in one mocha run and ends with the line CI reads:
// "N passed, N failed". LINGSHU_TEST_DATABASE_URL (postgres://…) runs the database tests on
// PostgreSQL; without it they run on embedded PGlite.
const path = require('node:path');
const fs = require('node:fs');
const Mocha = require('mocha');

const root = path.resolve(__dirname, '..');
const suites = [
  'metamodel/dist/__tests__',
  'seeds/dist/__tests__',
  'platform/dist/__tests__',
  'modules/mapping/dist/__tests__',
  'test/dist/acceptance',
  'test/dist/e2e',
];
const only = process.argv.slice(2);

function collect(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) collect(full, out);
    else if (entry.name.endsWith('.test.js')) out.push(full);
  }
  return out;
}

const mocha = new Mocha({ timeout: 120000, reporter: 'spec', color: false });
const files = suites.flatMap(s => collect(path.join(root, s), [])).filter(f => only.length === 0 || only.some(o => f.includes(o)));
files.sort().forEach(f => mocha.addFile(f));
const db = process.env.LINGSHU_TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
console.log(`Running ${files.length} test files against ${db}`);

const runner = mocha.run(failures => {
  const { passes = 0, pending = 0 } = runner.stats ?? {};
  console.log(`\n${db}: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
  process.exitCode = failures > 0 || passes === 0 ? 1 : 0;
});
