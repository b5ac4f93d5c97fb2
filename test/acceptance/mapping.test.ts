import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { ICD10_SUBSET } from '@lingshu/seeds/dist/catalog/icd10';
import { Platform, startPlatform } from '@lingshu/platform';
import { TEST_PASSWORD, TestDatabase, createTestDatabase, signIn, userApi, waitFor } from '../support';

type Api = Awaited<ReturnType<typeof userApi>>;

const VOCAB = 'TEST-ICD';
const H1 = 'map-h1';
const H2 = 'map-h2';

/** Sends a body with its own content type (files, JSON Lines). */
async function send(platform: Platform, path: string, body: string, type: string, token: string) {
  const res = await fetch(platform.url + path, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${token}` }, body });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // text
  }
  return { status: res.status, body: parsed };
}

/** Master-data mapping through /api/mapping with real accounts, jobs and the workflow engine. */
describe('acceptance: master-data mapping (vocabularies, dictionaries, tasks, review, knowledge, translate)', () => {
  let tdb: TestDatabase;
  let platform: Platform;
  let admin: Api;
  let mapper: Api;
  let mapper2: Api;
  let reviewer: Api;
  let outsider: Api;
  const tokens: Record<string, string> = {};
  let d1: string;
  let task1: string;

  const waitJob = async (api: Api, jobId: string) => {
    let last: any;
    await waitFor(async () => {
      last = (await api.get(`/api/jobs/${jobId}`)).body;
      return ['done', 'failed', 'cancelled'].includes(last.status);
    }, 60_000, 100);
    return last;
  };
  const entriesOf = async (api: Api, task: string, query = '') => (await api.get(`/api/mapping/tasks/${task}/entries?limit=500${query}`)).body;
  const entryByName = async (task: string, name: string) => {
    const list = await entriesOf(mapper, task, `&q=${encodeURIComponent(name)}`);
    const e = list.items.find((x: { name: string }) => x.name === name);
    assert.ok(e, `entry ${name}`);
    return e;
  };

  before(async () => {
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0, adminPassword: TEST_PASSWORD });
    await platform.db.query(`INSERT INTO org_unit (code, name, kind, created_at) VALUES ($1, '测试医院一', 'institution', now()), ($2, '测试医院二', 'institution', now())`, [H1, H2]);
    const login = async (name: string, roles: string[]) => {
      await userApi(platform, name, roles);
      const session = await signIn(platform.url, name, TEST_PASSWORD);
      tokens[name] = session.token;
      return session.api;
    };
    admin = await login('map.admin', ['mapping-admin']);
    mapper = await login('map.m1', ['mapper']);
    mapper2 = await login('map.m2', ['mapper']);
    reviewer = await login('map.rev', ['reviewer']);
    outsider = await login('map.out', ['analyst']);
  });
  after(async () => {
    await platform?.stop();
    await tdb?.drop();
  });

  it('imports a vocabulary as a job with progress; a bad row is a 400 naming row and column and stores nothing', async () => {
    const created = await admin.post('/api/mapping/vocabularies', { code: VOCAB, name: '测试疾病分类', domain: 'diagnosis' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal((await admin.post('/api/mapping/vocabularies', { code: VOCAB, name: 'x', domain: 'diagnosis' })).status, 409);
    const badDomain = await admin.post('/api/mapping/vocabularies', { code: 'X1', name: 'x', domain: 'planets' });
    assert.equal(badDomain.status, 400);
    assert.equal(badDomain.body.error.details[0].field, 'domain');

    const path = `/api/mapping/vocabularies/${encodeURIComponent(VOCAB)}/import`;
    const bad = await send(platform, path, '编码,名称\nI10,高血压\nE11.9,\n', 'text/csv', tokens['map.admin']);
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.deepEqual({ row: bad.body.error.details[0].row, field: bad.body.error.details[0].field, rule: bad.body.error.details[0].rule }, { row: 3, field: 'name', rule: 'required' });
    const vocab = async () => (await admin.get('/api/mapping/vocabularies')).body.find((v: { code: string }) => v.code === VOCAB);
    assert.equal((await vocab()).terms, 0);
    assert.equal((await admin.get('/api/jobs?kind=mapping.vocabulary-import')).body.length, 0);

    // The seed subset plus 3,000 filler codes: several batches, so progress moves.
    const rows = [...ICD10_SUBSET.map(([c, n]) => `${c},"${n}"`), ...Array.from({ length: 3000 }, (_, i) => `Z${String(i).padStart(4, '0')},测试填充病种${i}号`)];
    const good = await send(platform, path, `编码,名称\n${rows.join('\n')}\n`, 'text/csv', tokens['map.admin']);
    assert.equal(good.status, 202, JSON.stringify(good.body));
    assert.equal(good.body.terms, rows.length);
    const job = await waitJob(admin, good.body.jobId);
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.equal(job.percent, 100);
    assert.equal(job.total, rows.length + Math.ceil(rows.length / 10));
    const v = await vocab();
    assert.equal(v.terms, rows.length);
    assert.equal(v.version, 1);
    const band = await admin.patch(`/api/mapping/vocabularies/${encodeURIComponent(VOCAB)}`, { autoAccept: 0.95 });
    assert.equal(band.body.autoAccept, 0.95);
    const badBand = await admin.patch(`/api/mapping/vocabularies/${encodeURIComponent(VOCAB)}`, { autoAccept: 2 });
    assert.equal(badBand.status, 400);
    assert.equal(badBand.body.error.details[0].field, 'autoAccept');
    const terms = (await mapper.get(`/api/mapping/vocabularies/${encodeURIComponent(VOCAB)}/terms?q=${encodeURIComponent('高血压')}`)).body;
    assert.ok(terms.some((t: { code: string }) => t.code === 'I10'), JSON.stringify(terms));
    // Pinyin initials, as users type them: gxy → 特发性(原发性)高血压.
    const byInitials = (await mapper.get(`/api/mapping/vocabularies/${encodeURIComponent(VOCAB)}/terms?q=gxy`)).body;
    assert.ok(byInitials.some((t: { code: string }) => t.code === 'I10'), JSON.stringify(byInitials));
  });

  it('authorization: outsiders read nothing, mappers import no vocabulary', async () => {
    assert.equal((await outsider.get('/api/mapping/vocabularies')).status, 403);
    assert.equal((await outsider.get('/api/mapping/tasks')).status, 403);
    assert.equal((await mapper.post('/api/mapping/vocabularies', { code: 'M1', name: 'm', domain: 'drug' })).status, 403);
    assert.equal((await client401(platform)).status, 401);
  });

  it('loads a dictionary: version 2 detects added, changed and removed entries', async () => {
    const bad = await mapper.post('/api/mapping/dictionaries', { institution: H1, kind: 'diagnoses', name: '诊断', vocabulary: VOCAB });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, 'kind');
    const created = await mapper.post('/api/mapping/dictionaries', { institution: H1, kind: 'diagnosis', name: '门诊诊断字典', vocabulary: VOCAB });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    d1 = created.body.id;
    task1 = created.body.taskId;
    const v1 = await mapper.post(`/api/mapping/dictionaries/${d1}/loads`, {
      entries: [
        { code: 'L01', name: '高血压伴2型糖尿病' },
        { code: 'L02', name: '脑梗塞' },
        { code: 'L03', name: '院内自定义诊断甲' },
        { code: 'L04', name: '肺炎', 科室: '呼吸科' },
        { code: 'L05', name: '贫血' },
        { code: 'L06', name: '肥胖症' },
        { code: 'L07', name: '火星综合征' },
      ],
    });
    assert.equal(v1.status, 200, JSON.stringify(v1.body));
    assert.deepEqual(v1.body, { version: 1, added: 7, changed: 0, removed: 0, unchanged: 0 });
    // A duplicate code in a file: 400 naming both rows, nothing loaded.
    const dup = await send(platform, `/api/mapping/dictionaries/${d1}/loads`, 'code,name\nL01,a\nL01,b\n', 'text/csv', tokens['map.m1']);
    assert.equal(dup.status, 400);
    assert.equal(dup.body.error.details[0].row, 3);
    assert.equal(dup.body.error.details[0].rule, 'unique');
    const csv = ['编码,名称,科室', 'L01,高血压伴2型糖尿病,', 'L02,脑梗塞,', 'L03,院内自定义诊断甲,', 'L04,肺炎,呼吸内科', 'L05,贫血,', 'L07,火星综合征,', 'L08,2型糖尿病,'].join('\n');
    const v2 = await send(platform, `/api/mapping/dictionaries/${d1}/loads`, csv, 'text/csv', tokens['map.m1']);
    assert.equal(v2.status, 200, JSON.stringify(v2.body));
    assert.deepEqual(v2.body, { version: 2, added: 1, changed: 1, removed: 1, unchanged: 5 });
    const loads = (await mapper.get(`/api/mapping/dictionaries/${d1}/loads`)).body;
    assert.deepEqual(loads.map((l: { version: number }) => l.version), [2, 1]);
    const changes = (await mapper.get(`/api/mapping/dictionaries/${d1}/loads/2/changes`)).body;
    assert.deepEqual(changes.map((c: { code: string; change: string }) => `${c.change}:${c.code}`).sort(), ['added:L08', 'changed:L04', 'removed:L06']);
    assert.equal(changes.find((c: { code: string }) => c.code === 'L04').after.attributes['科室'], '呼吸内科');
    const list = (await mapper.get(`/api/mapping/dictionaries?institution=${H1}`)).body;
    assert.equal(list[0].entries, 7);
    assert.equal(list[0].institutionName, '测试医院一');
  });

  it('loads a dictionary from an Excel file sent as multipart/form-data (other columns become attributes)', async () => {
    const d = (await mapper.post('/api/mapping/dictionaries', { institution: H2, kind: 'drug', name: '药品字典', vocabulary: VOCAB })).body;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('药品');
    ws.addRow(['院内编码', '名称', '规格']);
    ws.addRow(['Y001', '贫血', '10mg']);
    ws.addRow(['Y002', '肺炎', '']);
    const form = new FormData();
    form.append('note', 'ignored');
    form.append('file', new Blob([Buffer.from(await wb.xlsx.writeBuffer())]), '药品字典.xlsx');
    const res = await fetch(`${platform.url}/api/mapping/dictionaries/${d.id}/loads`, { method: 'POST', headers: { authorization: `Bearer ${tokens['map.m1']}` }, body: form });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.deepEqual(body, { version: 1, added: 2, changed: 0, removed: 0, unchanged: 0 });
    const { items } = await entriesOf(mapper, d.taskId);
    assert.deepEqual(items.map((e: { code: string; attributes: Record<string, string> }) => [e.code, e.attributes['规格'] ?? null]), [['Y001', '10mg'], ['Y002', null]]);
  });

  it('tasks: claim (申领) once, assign needs the admin permission', async () => {
    const claimed = await mapper.post(`/api/mapping/tasks/${task1}/claim`);
    assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
    assert.equal(claimed.body.assignee, 'map.m1');
    assert.equal((await mapper2.post(`/api/mapping/tasks/${task1}/claim`)).status, 409);
    assert.equal((await mapper2.post(`/api/mapping/tasks/${task1}/assign`, { user: 'map.m2' })).status, 403);
    const badUser = await admin.post(`/api/mapping/tasks/${task1}/assign`, { user: 'nobody.here' });
    assert.equal(badUser.status, 400);
    assert.equal(badUser.body.error.details[0].field, 'user');
    assert.equal((await admin.post(`/api/mapping/tasks/${task1}/assign`, { user: 'map.m2' })).body.assignee, 'map.m2');
    assert.equal((await admin.post(`/api/mapping/tasks/${task1}/assign`, { user: 'map.m1' })).body.assignee, 'map.m1');
    const mine = (await mapper.get('/api/mapping/tasks?mine=true')).body;
    assert.deepEqual(mine.map((t: { id: string }) => t.id), [task1]);
  });

  it('suggest job: every pending entry gets top-k suggestions with score and why', async () => {
    // The dictionary's own band: an exact name is in it, so it is mapped as auto.
    const patched = await mapper.patch(`/api/mapping/dictionaries/${d1}`, { autoAccept: 0.5 });
    assert.equal(patched.body.autoAccept, 0.5, JSON.stringify(patched.body));
    const started = await mapper.post(`/api/mapping/tasks/${task1}/suggest`);
    assert.equal(started.status, 202, JSON.stringify(started.body));
    assert.equal((await waitJob(mapper, started.body.jobId)).status, 'done');
    const { items } = await entriesOf(mapper, task1);
    assert.equal(items.length, 7);
    assert.ok(items.every((e: { status: string }) => e.status !== 'pending'));
    const stroke = items.find((e: { code: string }) => e.code === 'L02');
    assert.equal(stroke.suggestions[0].code, 'I63.9');
    assert.ok(stroke.suggestions[0].why.length > 0 && stroke.suggestions[0].why[0].label);
    assert.ok(stroke.suggestions[0].score !== undefined && stroke.suggestions[0].confidence > 0);
    const combined = items.find((e: { code: string }) => e.code === 'L01');
    assert.deepEqual([...combined.proposal].sort(), ['E11.9', 'I10']);
    const task = (await mapper.get(`/api/mapping/tasks/${task1}`)).body;
    assert.equal(task.pctSuggested, 100);
    const pneumonia = items.find((e: { code: string }) => e.code === 'L04');
    assert.equal(pneumonia.status, 'confirmed');
    assert.equal(pneumonia.mapping.auto, true);
    assert.equal(pneumonia.mapping.codes[0].code, 'J18.9');
    const t = (await mapper.get(`/api/mapping/translate?institution=${H1}&dictionary=${d1}&code=L04`)).body;
    assert.deepEqual({ codes: t.codes, status: t.status }, { codes: ['J18.9'], status: 'auto' });
    assert.ok(task.auto >= 1 && task.confirmed >= task.auto);
  });

  it('confirm one-to-many: translate returns both codes at once; the same text elsewhere is top-1', async () => {
    const e = await entryByName(task1, '高血压伴2型糖尿病');
    const ok = await mapper.post(`/api/mapping/entries/${e.id}/confirm`, { codes: ['I10', 'E11.9'] });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.status, 'confirmed');
    assert.equal(ok.body.mapping.auto, false);
    assert.deepEqual(ok.body.mapping.codes.map((c: { code: string }) => c.code), ['I10', 'E11.9']);
    const t = (await mapper.get(`/api/mapping/translate?institution=${H1}&dictionary=diagnosis&code=L01`)).body;
    assert.deepEqual({ codes: t.codes, status: t.status }, { codes: ['I10', 'E11.9'], status: 'confirmed' });
    // A local text the suggester cannot know: once confirmed in H1, it is top-1 in H2.
    const odd = await entryByName(task1, '院内自定义诊断甲');
    assert.equal((await mapper.post(`/api/mapping/entries/${odd.id}/confirm`, { codes: ['D64.9'] })).status, 200);
    const d2 = (await mapper.post('/api/mapping/dictionaries', { institution: H2, kind: 'diagnosis', name: '住院诊断', vocabulary: VOCAB })).body;
    await mapper.post(`/api/mapping/dictionaries/${d2.id}/loads`, { entries: [{ code: 'X9', name: '院内自定义诊断甲' }, { code: 'X8', name: '高血压伴2型糖尿病' }] });
    const job = (await mapper.post(`/api/mapping/tasks/${d2.taskId}/suggest`)).body.jobId;
    await waitJob(mapper, job);
    const x9 = (await entriesOf(mapper, d2.taskId)).items.find((x: { code: string }) => x.code === 'X9');
    assert.equal(x9.suggestions[0].code, 'D64.9');
    const byText = (await mapper.get(`/api/mapping/translate?institution=${H2}&dictionary=${d2.id}&text=${encodeURIComponent('高血压伴2型糖尿病')}`)).body;
    assert.deepEqual(byText.codes, ['I10', 'E11.9']);
    assert.equal(byText.status, 'confirmed');
    const many = await mapper.post('/api/mapping/translate', { institution: H1, dictionary: d1, items: [{ code: 'L01' }, { text: '院内自定义诊断甲' }, { code: 'NOPE' }] });
    assert.equal(many.status, 200, JSON.stringify(many.body));
    assert.deepEqual(many.body.map((r: { codes: string[] }) => r.codes), [['I10', 'E11.9'], ['D64.9'], []]);
    // Below the band: no answer, but the suggester's best candidates for a reviewer.
    const near = (await mapper.get(`/api/mapping/translate?institution=${H1}&dictionary=${d1}&text=${encodeURIComponent('慢性肺部炎症待排')}`)).body;
    assert.equal(near.status, 'unmapped', JSON.stringify(near));
    assert.deepEqual(near.codes, []);
    assert.ok(near.candidates.length >= 1 && near.candidates.length <= 3, JSON.stringify(near));
    assert.ok(near.candidates.every((c: { code: string; name: string; confidence: number }) => c.code && c.name && c.confidence < 0.95));
  });

  it('unmappable, redo, batch-accept and history', async () => {
    const mars = await entryByName(task1, '火星综合征');
    const noReason = await mapper.post(`/api/mapping/entries/${mars.id}/unmappable`, {});
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.details[0].field, 'reason');
    const un = await mapper.post(`/api/mapping/entries/${mars.id}/unmappable`, { reason: '标准中无对应编码' });
    assert.equal(un.body.status, 'unmappable');

    const l01 = await entryByName(task1, '高血压伴2型糖尿病');
    const redo = await mapper.post(`/api/mapping/entries/${l01.id}/redo`);
    assert.equal(redo.status, 200, JSON.stringify(redo.body));
    assert.equal(redo.body.status, 'suggested');
    assert.ok(redo.body.suggestions.length > 0);
    assert.equal((await mapper.get(`/api/mapping/translate?institution=${H1}&dictionary=diagnosis&code=L01`)).body.status, 'unmapped');

    const before = await entriesOf(mapper, task1, '&status=suggested');
    assert.ok(before.total > 0);
    const badThreshold = await mapper.post(`/api/mapping/tasks/${task1}/batch-accept`, { threshold: 'high' });
    assert.equal(badThreshold.status, 400);
    assert.equal(badThreshold.body.error.details[0].field, 'threshold');
    const batch = await mapper.post(`/api/mapping/tasks/${task1}/batch-accept`, { threshold: 0 });
    assert.equal(batch.body.accepted, before.total);
    assert.equal((await entriesOf(mapper, task1, '&status=suggested')).total, 0);

    const history = (await mapper.get(`/api/mapping/entries/${l01.id}/history`)).body;
    assert.deepEqual(history.map((h: { action: string }) => h.action).filter((a: string) => a !== 'auto' && a !== 'suggested').slice(0, 4), ['loaded', 'confirmed', 'redo', 'confirmed']);
    assert.deepEqual(history.at(-1).codes.sort(), ['E11.9', 'I10']);

    const progress = (await mapper.get('/api/mapping/progress')).body;
    const h1 = progress.institutions.find((i: { institution: string }) => i.institution === H1);
    assert.equal(h1.total, 7);
    assert.equal(h1.confirmed + h1.unmappable, 7);
    assert.ok(progress.byKind.find((k: { kind: string }) => k.kind === 'diagnosis'));
    assert.equal((await mapper.get(`/api/mapping/tasks/${task1}`)).body.status, 'done');
    // Redo a set: all or nothing, then both back to suggestions.
    const stroke = await entryByName(task1, '脑梗塞');
    const badSet = await mapper.post(`/api/mapping/tasks/${task1}/redo`, { entryIds: [mars.id, 'nope'] });
    assert.equal(badSet.status, 400);
    assert.equal(badSet.body.error.details[0].field, 'entryIds[1]');
    assert.equal((await mapper.get(`/api/mapping/entries/${mars.id}`)).body.status, 'unmappable');
    const redoSet = await mapper.post(`/api/mapping/tasks/${task1}/redo`, { entryIds: [mars.id, stroke.id] });
    assert.deepEqual(redoSet.body, { redone: 2 });
    assert.equal((await entriesOf(mapper, task1, '&status=suggested')).total, 2);
  });

  it('second check: approval makes the mapping final, rejection returns the entry', async () => {
    const d = (await mapper.post('/api/mapping/dictionaries', { institution: H1, kind: 'lab', name: '需复核诊断', vocabulary: VOCAB, secondCheck: true })).body;
    await mapper.post(`/api/mapping/dictionaries/${d.id}/loads`, { entries: [{ code: 'R1', name: '肺炎' }, { code: 'R2', name: '贫血' }] });
    await waitJob(mapper, (await mapper.post(`/api/mapping/tasks/${d.taskId}/suggest`)).body.jobId);
    const items = (await entriesOf(mapper, d.taskId)).items;
    const r1 = items.find((x: { code: string }) => x.code === 'R1');
    const r2 = items.find((x: { code: string }) => x.code === 'R2');
    const submitted = await mapper.post(`/api/mapping/entries/${r1.id}/confirm`, { codes: ['J18.9'] });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    assert.equal(submitted.body.status, 'review');
    assert.equal((await mapper.get(`/api/mapping/translate?institution=${H1}&dictionary=${d.id}&code=R1`)).body.status, 'unmapped');
    const decide = async (instanceId: string, decision: string) => {
      const tasks = (await reviewer.get('/api/workflow/tasks?view=claimable')).body as Array<{ id: string; instanceId: string }>;
      const t = tasks.find(x => x.instanceId === instanceId);
      assert.ok(t, 'a claimable review task');
      const done = await reviewer.post(`/api/workflow/tasks/${t.id}/complete`, { decision });
      assert.equal(done.status, 200, JSON.stringify(done.body));
    };
    await decide(submitted.body.reviewInstance, 'approve');
    const approved = (await mapper.get(`/api/mapping/entries/${r1.id}`)).body;
    assert.equal(approved.status, 'confirmed');
    assert.equal(approved.mapping.by, 'map.m1');
    assert.deepEqual((await mapper.get(`/api/mapping/translate?institution=${H1}&dictionary=${d.id}&code=R1`)).body.codes, ['J18.9']);

    const r2sub = (await mapper.post(`/api/mapping/entries/${r2.id}/confirm`, { codes: ['D64.9'] })).body;
    assert.equal(r2sub.status, 'review');
    // A dictionary with a second check under way cannot be deleted (the review would lose its entry).
    const refused = await admin.del(`/api/mapping/dictionaries/${d.id}`);
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.deepEqual({ field: refused.body.error.details[0].field, rule: refused.body.error.details[0].rule }, { field: 'id', rule: 'inReview' });
    await decide(r2sub.reviewInstance, 'reject');
    const rejected = (await mapper.get(`/api/mapping/entries/${r2.id}`)).body;
    assert.equal(rejected.status, 'suggested');
    const actions = (await mapper.get(`/api/mapping/entries/${r2.id}/history`)).body.map((h: { action: string }) => h.action);
    assert.deepEqual(actions.slice(-2), ['submitted', 'rejected']);
  });

  it('knowledge base: export → import round trip; a bad line is a 400 and imports nothing', async () => {
    const exported = await fetch(`${platform.url}/api/mapping/knowledge/export`, { headers: { authorization: `Bearer ${tokens['map.admin']}` } });
    assert.equal(exported.status, 200);
    const text = await exported.text();
    const lines = text.trim().split('\n').map(l => JSON.parse(l));
    assert.ok(lines.length >= 4);
    assert.ok(lines.some(l => l.sourceText === '院内自定义诊断甲' && l.codes[0] === 'D64.9' && l.institution === H1 && l.by === 'map.m1'));
    // Into another institution's name: the imported text is known at once.
    const moved = lines.map(l => JSON.stringify({ ...l, institution: H2, sourceText: `${l.sourceText}（导入）`, sourceCode: undefined })).join('\n');
    const bad = await send(platform, '/api/mapping/knowledge/import', `${moved}\n{"institution":"${H2}","dictionary":"${VOCAB}","sourceText":"x","codes":["NOPE"],"by":"a"}\n`, 'application/x-ndjson', tokens['map.admin']);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].row, lines.length + 1);
    assert.equal(bad.body.error.details[0].field, 'codes[0]');
    const imported = await send(platform, '/api/mapping/knowledge/import', moved, 'application/x-ndjson', tokens['map.admin']);
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.equal(imported.body.imported, lines.length);
    const again = await (await fetch(`${platform.url}/api/mapping/knowledge/export`, { headers: { authorization: `Bearer ${tokens['map.admin']}` } })).text();
    assert.equal(again.trim().split('\n').length, lines.length * 2);
    const t = (await mapper.get(`/api/mapping/translate?institution=${H2}&dictionary=diagnosis&text=${encodeURIComponent('院内自定义诊断甲（导入）')}`)).body;
    assert.deepEqual(t.codes, ['D64.9']);
    assert.equal((await mapper.post('/api/mapping/knowledge/import', {})).status, 403);
  });

  it('knowledge list: confirmed mappings searchable by text, code and institution, paged', async () => {
    const all = await admin.get('/api/mapping/knowledge?limit=500');
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.ok(all.body.total >= 8 && all.body.items.length === all.body.total);
    // As instants: an ISO string without milliseconds (…:04Z) sorts after …:04.752Z as text.
    const times = all.body.items.map((k: { at: string }) => Date.parse(k.at));
    assert.deepEqual(times, [...times].sort((x, y) => y - x), 'newest first');
    const byText = (await admin.get(`/api/mapping/knowledge?q=${encodeURIComponent('院内自定义诊断甲')}&institution=${H1}`)).body;
    assert.equal(byText.total, 1);
    const row = byText.items[0];
    assert.deepEqual({ institution: row.institution, institutionName: row.institutionName, by: row.by, vocabulary: row.vocabulary, sourceCode: row.sourceCode }, { institution: H1, institutionName: '测试医院一', by: 'map.m1', vocabulary: VOCAB, sourceCode: 'L03' });
    assert.equal(row.codes[0].code, 'D64.9');
    assert.ok(row.codes[0].name && row.codes[0].name !== 'D64.9', 'standard name');
    assert.ok(row.at && row.normalized);
    const byCode = (await admin.get('/api/mapping/knowledge?q=E11.9')).body;
    assert.ok(byCode.total >= 1 && byCode.items.every((k: { codes: Array<{ code: string }> }) => k.codes.some(c => c.code === 'E11.9')));
    const byInstitutionName = (await admin.get(`/api/mapping/knowledge?q=${encodeURIComponent('测试医院二')}`)).body;
    assert.ok(byInstitutionName.total >= 1 && byInstitutionName.items.every((k: { institution: string }) => k.institution === H2));
    const page2 = (await admin.get('/api/mapping/knowledge?limit=2&offset=2')).body;
    assert.equal(page2.total, all.body.total);
    assert.deepEqual(page2.items.map((k: { id: string }) => k.id), all.body.items.slice(2, 4).map((k: { id: string }) => k.id));
    const bad = await admin.get('/api/mapping/knowledge?limit=9999');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, 'limit');
    assert.equal((await mapper.get('/api/mapping/knowledge')).status, 200);
    assert.equal((await outsider.get('/api/mapping/knowledge')).status, 403);
  });

  it('translate by kind consults every dictionary of that kind of the institution, oldest first', async () => {
    const d2 = (await admin.get(`/api/mapping/dictionaries?institution=${H2}&kind=diagnosis`)).body[0];
    const d3 = (await mapper.post('/api/mapping/dictionaries', { institution: H2, kind: 'diagnosis', name: '急诊诊断（第二本）', vocabulary: VOCAB })).body;
    await mapper.post(`/api/mapping/dictionaries/${d3.id}/loads`, { entries: [{ code: 'K1', name: '急诊自定义诊断乙' }, { code: 'X9', name: '急诊自定义诊断丙' }] });
    const k1 = (await entriesOf(mapper, d3.taskId)).items.find((x: { code: string }) => x.code === 'K1');
    const x9 = (await entriesOf(mapper, d3.taskId)).items.find((x: { code: string }) => x.code === 'X9');
    assert.equal((await mapper.post(`/api/mapping/entries/${k1.id}/confirm`, { codes: ['J18.9'] })).status, 200);
    assert.equal((await mapper.post(`/api/mapping/entries/${x9.id}/confirm`, { codes: ['I10'] })).status, 200);
    // K1 exists only in the second dictionary: found there (the first-only lookup answered nothing).
    const t = (await mapper.get(`/api/mapping/translate?institution=${H2}&dictionary=diagnosis&code=K1`)).body;
    assert.deepEqual({ codes: t.codes, status: t.status, source: t.source, dictionary: t.dictionary }, { codes: ['J18.9'], status: 'confirmed', source: 'entry', dictionary: d3.id });
    assert.equal(t.terms[0].code, 'J18.9');
    assert.ok(t.terms[0].name.length > 0);
    // X9 is in both; while the older one's entry is not mapped (redo), the newer one answers …
    const old = (await entriesOf(mapper, d2.taskId)).items.find((x: { code: string }) => x.code === 'X9');
    assert.equal((await mapper.post(`/api/mapping/entries/${old.id}/redo`)).body.status, 'suggested');
    const before = (await mapper.get(`/api/mapping/translate?institution=${H2}&dictionary=diagnosis&code=X9`)).body;
    assert.deepEqual({ codes: before.codes, dictionary: before.dictionary }, { codes: ['I10'], dictionary: d3.id });
    // … once the older dictionary confirms it, the older one wins.
    assert.equal((await mapper.post(`/api/mapping/entries/${old.id}/confirm`, { codes: ['D64.9'] })).status, 200);
    const after = (await mapper.get(`/api/mapping/translate?institution=${H2}&dictionary=diagnosis&code=X9`)).body;
    assert.deepEqual({ codes: after.codes, dictionary: after.dictionary, source: after.source }, { codes: ['D64.9'], dictionary: d2.id, source: 'entry' });
    // By id, only that dictionary.
    const byId = (await mapper.post('/api/mapping/translate', { institution: H2, dictionary: d3.id, items: [{ code: 'X9' }, { code: 'K1' }] })).body;
    assert.deepEqual(byId.map((r: { codes: string[] }) => r.codes), [['I10'], ['J18.9']]);
  });

  it('settings: the auto-accept band is 0..1 (named field), second check switches', async () => {
    const d2 = (await admin.get(`/api/mapping/dictionaries?institution=${H2}&kind=diagnosis`)).body[0];
    const bad = await mapper.patch(`/api/mapping/dictionaries/${d2.id}`, { autoAccept: 1.5 });
    assert.equal(bad.status, 400);
    assert.deepEqual({ field: bad.body.error.details[0].field, rule: bad.body.error.details[0].rule }, { field: 'autoAccept', rule: 'range' });
    const ok = await mapper.patch(`/api/mapping/dictionaries/${d2.id}`, { autoAccept: 0.95, secondCheck: true });
    assert.deepEqual({ autoAccept: ok.body.autoAccept, secondCheck: ok.body.secondCheck }, { autoAccept: 0.95, secondCheck: true });
    await mapper.patch(`/api/mapping/dictionaries/${d2.id}`, { autoAccept: null, secondCheck: false });
    const badVocab = await admin.patch(`/api/mapping/vocabularies/${encodeURIComponent(VOCAB)}`, { autoAccept: -0.1 });
    assert.equal(badVocab.status, 400);
    assert.equal(badVocab.body.error.details[0].field, 'autoAccept');
    assert.equal((await admin.patch(`/api/mapping/vocabularies/${encodeURIComponent(VOCAB)}`, { autoAccept: 0.92 })).body.autoAccept, 0.92);
    await admin.patch(`/api/mapping/vocabularies/${encodeURIComponent(VOCAB)}`, { autoAccept: null });
  });

  it('deleting: a vocabulary in use is refused naming the counts; a dictionary goes whole, its knowledge stays', async () => {
    const inUse = await admin.del(`/api/mapping/vocabularies/${encodeURIComponent(VOCAB)}`);
    assert.equal(inUse.status, 409);
    assert.match(inUse.body.error.message, /\d+ confirmed mapping\(s\) and \d+ dictionary/);
    assert.ok(inUse.body.error.details[0].value.mappings > 0 && inUse.body.error.details[0].value.dictionaries >= 3);
    const d3 = (await admin.get(`/api/mapping/dictionaries?institution=${H2}&kind=diagnosis`)).body.find((d: { name: string }) => d.name === '急诊诊断（第二本）');
    assert.equal((await mapper.del(`/api/mapping/dictionaries/${d3.id}`)).status, 403);
    const gone = await admin.del(`/api/mapping/dictionaries/${d3.id}`);
    assert.equal(gone.status, 200, JSON.stringify(gone.body));
    assert.deepEqual(gone.body, { deleted: d3.id, entries: 2, loads: 1 });
    assert.equal((await admin.get(`/api/mapping/dictionaries/${d3.id}/loads`)).status, 404);
    assert.equal((await admin.get(`/api/mapping/tasks/${d3.taskId}`)).status, 404);
    assert.equal((await admin.del(`/api/mapping/dictionaries/${d3.id}`)).status, 404);
    const [{ n }] = await platform.db.query<{ n: number }>('SELECT count(*) AS n FROM map_entry WHERE dictionary_id = $1', [d3.id]);
    assert.equal(Number(n), 0);
    // The confirmed mapping stays in the knowledge base and still translates by text.
    const kept = (await admin.get(`/api/mapping/knowledge?q=${encodeURIComponent('急诊自定义诊断乙')}`)).body;
    assert.equal(kept.total, 1);
    const t = (await mapper.get(`/api/mapping/translate?institution=${H2}&dictionary=diagnosis&text=${encodeURIComponent('急诊自定义诊断乙')}`)).body;
    assert.deepEqual(t.codes, ['J18.9']);
    const [audit] = await platform.db.query<{ actor: string; detail: { entries: number } }>(`SELECT actor, detail FROM audit_log WHERE action = 'mapping.dictionary.delete' AND record_id = $1`, [d3.id]);
    assert.equal(audit.actor, 'map.admin');
    assert.equal(audit.detail.entries, 2);
    // A vocabulary with a dictionary: refused; once the dictionary is gone, deleted.
    assert.equal((await admin.post('/api/mapping/vocabularies', { code: 'TEST-EMPTY', name: '空词表', domain: 'drug' })).status, 200);
    const dx = (await mapper.post('/api/mapping/dictionaries', { institution: H1, kind: 'drug', name: '药品', vocabulary: 'TEST-EMPTY' })).body;
    const refused = await admin.del('/api/mapping/vocabularies/TEST-EMPTY');
    assert.equal(refused.status, 409);
    assert.deepEqual(refused.body.error.details[0].value, { mappings: 0, dictionaries: 1 });
    assert.equal((await admin.del(`/api/mapping/dictionaries/${dx.id}`)).status, 200);
    assert.equal((await mapper.del('/api/mapping/vocabularies/TEST-EMPTY')).status, 403);
    const deleted = await admin.del('/api/mapping/vocabularies/TEST-EMPTY');
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.ok(!(await admin.get('/api/mapping/vocabularies')).body.some((v: { code: string }) => v.code === 'TEST-EMPTY'));
    assert.equal((await admin.del('/api/mapping/vocabularies/TEST-EMPTY')).status, 404);
    const [vaudit] = await platform.db.query(`SELECT 1 FROM audit_log WHERE action = 'mapping.vocabulary.delete' AND record_id = 'TEST-EMPTY'`);
    assert.ok(vaudit);
  });

  it('institution scope: a mapper bound to an institution sees and works only its rows; centre-level mappers see all', async () => {
    const scoped = await userApi(platform, 'map.h1', ['mapper'], H1);
    const scopedAdmin = await userApi(platform, 'map.h1.admin', ['mapping-admin'], H1);
    const h2 = (await admin.get(`/api/mapping/dictionaries?institution=${H2}&kind=diagnosis`)).body[0];
    const h2Entry = (await entriesOf(admin, h2.taskId)).items[0];
    // Lists: only H1.
    const tasks = (await scoped.get('/api/mapping/tasks')).body;
    assert.ok(tasks.length >= 1 && tasks.every((t: { institution: string }) => t.institution === H1), JSON.stringify(tasks));
    const dicts = (await scoped.get('/api/mapping/dictionaries')).body;
    assert.ok(dicts.length >= 1 && dicts.every((d: { institution: string }) => d.institution === H1));
    const progress = (await scoped.get('/api/mapping/progress')).body;
    assert.deepEqual(progress.institutions.map((i: { institution: string }) => i.institution), [H1]);
    const knowledge = (await scoped.get('/api/mapping/knowledge?limit=500')).body;
    assert.ok(knowledge.total >= 1 && knowledge.items.every((k: { institution: string }) => k.institution === H1));
    const exported = await (await fetch(`${platform.url}/api/mapping/knowledge/export`, { headers: { authorization: `Bearer ${(await signIn(platform.url, 'map.h1', TEST_PASSWORD)).token}` } })).text();
    assert.ok(exported.trim().split('\n').every(l => JSON.parse(l).institution === H1));
    // Naming another institution: 403 naming the field.
    const otherFilter = await scoped.get(`/api/mapping/tasks?institution=${H2}`);
    assert.equal(otherFilter.status, 403);
    assert.equal(otherFilter.body.error.details[0].field, 'institution');
    assert.equal((await scoped.get(`/api/mapping/knowledge?institution=${H2}`)).status, 403);
    assert.equal((await scoped.get(`/api/mapping/translate?institution=${H2}&dictionary=diagnosis&code=X9`)).status, 403);
    assert.equal((await scoped.get(`/api/mapping/translate?institution=${H1}&dictionary=diagnosis&code=L01`)).status, 200);
    const create = await scoped.post('/api/mapping/dictionaries', { institution: H2, kind: 'drug', name: '药品', vocabulary: VOCAB });
    assert.equal(create.status, 403);
    assert.equal(create.body.error.details[0].field, 'institution');
    // Another institution's rows by id: 404, as if they did not exist.
    assert.equal((await scoped.get(`/api/mapping/tasks/${h2.taskId}`)).status, 404);
    assert.equal((await scoped.post(`/api/mapping/tasks/${h2.taskId}/claim`)).status, 404);
    assert.equal((await scoped.get(`/api/mapping/tasks/${h2.taskId}/entries`)).status, 404);
    assert.equal((await scoped.post(`/api/mapping/tasks/${h2.taskId}/suggest`)).status, 404);
    assert.equal((await scoped.get(`/api/mapping/dictionaries/${h2.id}/loads`)).status, 404);
    assert.equal((await scoped.patch(`/api/mapping/dictionaries/${h2.id}`, { name: 'x' })).status, 404);
    assert.equal((await scoped.post(`/api/mapping/dictionaries/${h2.id}/loads`, { entries: [{ code: 'A', name: 'a' }] })).status, 404);
    assert.equal((await scoped.get(`/api/mapping/entries/${h2Entry.id}`)).status, 404);
    assert.equal((await scoped.get(`/api/mapping/entries/${h2Entry.id}/history`)).status, 404);
    assert.equal((await scoped.post(`/api/mapping/entries/${h2Entry.id}/confirm`, { codes: ['I10'] })).status, 404);
    assert.equal((await scoped.post(`/api/mapping/entries/${h2Entry.id}/unmappable`, { reason: 'x' })).status, 404);
    assert.equal((await scopedAdmin.del(`/api/mapping/dictionaries/${h2.id}`)).status, 404);
    // Its own institution works.
    assert.equal((await scoped.get(`/api/mapping/tasks/${task1}/entries`)).status, 200);
    // Import: a line for another institution is refused naming the line; nothing imported.
    const line = (inst: string) => JSON.stringify({ institution: inst, dictionary: VOCAB, sourceText: `范围测试${inst}`, codes: ['I10'], by: 'map.h1.admin' });
    const token = (await signIn(platform.url, 'map.h1.admin', TEST_PASSWORD)).token;
    const refused = await send(platform, '/api/mapping/knowledge/import', `${line(H1)}\n${line(H2)}\n`, 'application/x-ndjson', token);
    assert.equal(refused.status, 403);
    assert.deepEqual({ row: refused.body.error.details[0].row, field: refused.body.error.details[0].field }, { row: 2, field: 'institution' });
    assert.equal((await admin.get(`/api/mapping/knowledge?q=${encodeURIComponent('范围测试')}`)).body.total, 0);
    // Centre-level: no institution, or a city/county unit.
    await platform.db.query(`INSERT INTO org_unit (code, name, kind, created_at) VALUES ('map-county', '测试区县', 'county', now())`);
    const county = await userApi(platform, 'map.county', ['mapper'], 'map-county');
    for (const api of [mapper, county]) {
      const seen = new Set((await api.get('/api/mapping/tasks')).body.map((t: { institution: string }) => t.institution));
      assert.ok(seen.has(H1) && seen.has(H2));
    }
  });

  it('bad input is a 4xx naming the field and the position', async () => {
    const e = await entryByName(task1, '肺炎');
    const badCode = await mapper.post(`/api/mapping/entries/${e.id}/confirm`, { codes: ['I10', 'NOPE'] });
    assert.equal(badCode.status, 400);
    assert.deepEqual({ field: badCode.body.error.details[0].field, index: badCode.body.error.details[0].index }, { field: 'codes[1]', index: 1 });
    const badStatus = await mapper.get(`/api/mapping/tasks/${task1}/entries?status=bogus`);
    assert.equal(badStatus.status, 400);
    assert.equal(badStatus.body.error.details[0].field, 'status');
    const badEntries = await mapper.post(`/api/mapping/dictionaries/${d1}/loads`, { entries: [{ code: 'A', name: 'a' }, { code: '', name: 'b' }] });
    assert.equal(badEntries.status, 400);
    assert.equal(badEntries.body.error.details[0].field, 'entries[1].code');
    const tooMany = await mapper.post('/api/mapping/translate', { institution: H1, dictionary: 'diagnosis', items: Array.from({ length: 1001 }, () => ({ code: 'x' })) });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error.details[0].field, 'items');
    const noInstitution = await mapper.get('/api/mapping/translate?dictionary=diagnosis&code=L01');
    assert.equal(noInstitution.status, 400);
    assert.equal(noInstitution.body.error.details[0].field, 'institution');
    assert.equal((await mapper.get(`/api/mapping/translate?institution=${H1}&dictionary=drug&code=1`)).status, 404);
    assert.equal((await mapper.get('/api/mapping/entries/not-a-uuid/history')).status, 404);
    const badXlsx = await send(platform, `/api/mapping/vocabularies/${encodeURIComponent(VOCAB)}/import?format=xlsx`, 'not a zip', 'application/octet-stream', tokens['map.admin']);
    assert.equal(badXlsx.status, 400);
    assert.equal(badXlsx.body.error.details[0].field, 'file');
  });
});

async function client401(platform: Platform) {
  return fetch(`${platform.url}/api/mapping/vocabularies`);
}
