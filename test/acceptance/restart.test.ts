import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedPlatform, startPlatform } from '@lingshu/platform';
import { userApi } from '../support';

/** What `npm start` does twice in a row on the embedded database: the second start loads nothing. */
describe('acceptance: restart on the embedded database keeps everything and seeds once', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lingshu-restart-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('a restart serves the same APIs and data, and loads neither catalog nor demo data again', async () => {
    const first = await startPlatform({ dataDir, port: 0 });
    assert.ok(fs.existsSync(path.join(dataDir, 'initial-admin-passwords.txt')), 'one-time passwords written');
    assert.equal(fs.statSync(path.join(dataDir, 'initial-admin-passwords.txt')).mode & 0o777, 0o600);
    await seedPlatform(first, { demoData: 'small' });
    const before = await (await userApi(first, 'reader', ['data-admin'])).get('/api/data/person_basic/count');
    const versions = await first.db.query<{ n: number }>('SELECT count(*) AS n FROM meta_item');
    // The mapping demo confirmed a few entries: its knowledge base is reloaded at the next start.
    const known = first.mapping.mapper.knowledge.entries().map(c => ({ ...c }));
    assert.ok(known.length > 0, 'the mapping demo confirmed entries');
    // The department vocabulary comes from the seeds (no bench build needed) with its dictionaries.
    const dept = first.mapping.listVocabularies().find(v => v.code === 'NHC-DEPT-1994');
    assert.ok(dept && dept.terms > 50, 'the department vocabulary is loaded');
    const deptDicts = await first.db.query<{ n: number }>(`SELECT count(*) AS n FROM map_dictionary WHERE kind = 'department-outpatient'`);
    assert.equal(Number(deptDicts[0].n), 2);
    await first.stop();
    assert.ok(before.body.count > 0);

    const second = await startPlatform({ dataDir, port: 0 });
    try {
      const lines: string[] = [];
      await seedPlatform(second, { demoData: 'small', log: l => lines.push(l) });
      assert.deepEqual(lines, [], 'nothing loaded on the second start');
      const api = await userApi(second, 'reader', ['data-admin']);
      assert.equal((await api.get('/api/data/person_basic/count')).body.count, before.body.count);
      const again = await second.db.query<{ n: number }>('SELECT count(*) AS n FROM meta_item');
      assert.equal(Number(again[0].n), Number(versions[0].n));
      assert.equal((await api.get('/api/health')).body.datasets, 6);
      assert.equal(second.mapping.mapper.knowledge.size, known.length);
      const [dict] = await second.db.query<{ id: string }>('SELECT id FROM map_dictionary WHERE institution = $1 AND kind = $2', [known[0].institution, 'diagnosis']);
      const t = await second.mapping.translate(known[0].institution, dict.id, { code: known[0].sourceCode });
      assert.deepEqual({ codes: t.codes, status: t.status }, { codes: known[0].codes, status: 'confirmed' });
      const admins = await second.db.query<{ n: number }>(`SELECT count(*) AS n FROM app_user WHERE username IN ('sysadmin', 'secadmin', 'auditor')`);
      assert.equal(Number(admins[0].n), 3, 'the administrators are created once');
    } finally {
      await second.stop();
    }
  });
});
