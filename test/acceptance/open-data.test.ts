import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { Platform, startPlatform } from '@lingshu/platform';
import { TEST_PASSWORD, TestDatabase, createTestDatabase, signIn, userApi } from '../support';
import { idNumber, testCatalog } from '@lingshu/platform/dist/__tests__/fixtures';

type Api = Awaited<ReturnType<typeof userApi>>;

/** Open-data resources end to end over HTTP: the resource as metadata, application states, xlsx download, expiry and revocation. */
describe('acceptance: open-data resources (row filter checked on save, xlsx download masked and audited, expiry, revocation with reason)', () => {
  let tdb: TestDatabase;
  let platform: Platform;
  let officer: Api;
  let applicant: Api;
  let applicantToken: string;
  let headA: Api;
  let director: Api;

  before(async () => {
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0, adminPassword: TEST_PASSWORD });
    await platform.importer.importItems(testCatalog(), 'test');
    const rt = platform.registry.get('test_person')!;
    const names = ['张三', '李四', '王五', '赵六'];
    for (let i = 0; i < 4; i++) await platform.data.create(rt, { id_number: idNumber(700 + i), person_name: names[i], sex_code: i % 2 ? '1' : '2' }, 'test');
    officer = await userApi(platform, 'od.officer', ['data-security-officer']);
    applicant = await userApi(platform, 'od.applicant', ['institution-user'], 'od-hosp');
    applicantToken = (await signIn(platform.url, 'od.applicant', TEST_PASSWORD)).token;
    headA = await userApi(platform, 'od.head', ['department-head'], 'od-hosp');
    director = await userApi(platform, 'od.director', ['centre-director']);
  });
  after(async () => {
    await platform?.stop();
    await tdb?.drop();
  });

  const claimAndApprove = async (api: Api, instanceId: string, decision = 'approve') => {
    const tasks = (await api.get('/api/workflow/tasks?view=claimable')).body as Array<{ id: string; instanceId: string }>;
    const task = tasks.find(t => t.instanceId === instanceId);
    assert.ok(task, `a claimable task in ${instanceId}`);
    const res = await api.post(`/api/workflow/tasks/${task.id}/complete`, { decision });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const definition = { name: '测试人员名单', description: '脱敏后的人员名单（女）', datasetCode: 'test_person', fields: ['id_number', 'person_name', 'sex_code'], rowFilter: { sex_code: '2' }, clearance: 0, owner: '信息科' };

  it('the editor lists live datasets with columns; a bad row filter is a 400 naming rowFilter.<field> and the rule', async () => {
    const ds = await officer.get('/api/workflow/resource-datasets');
    assert.equal(ds.status, 200);
    const person = ds.body.find((d: { code: string }) => d.code === 'test_person');
    assert.ok(person.columns.some((c: { name: string; sensitivity: number }) => c.name === 'id_number' && c.sensitivity >= 2), JSON.stringify(person.columns));
    assert.equal((await applicant.get('/api/workflow/resource-datasets')).status, 403);

    const unknown = await officer.put('/api/workflow/resources/od-persons', { ...definition, rowFilter: { no_such_column: '1' } });
    assert.equal(unknown.status, 400, JSON.stringify(unknown.body));
    assert.match(unknown.body.error.details[0].field, /^rowFilter\.no_such_column/);
    const badOp = await officer.put('/api/workflow/resources/od-persons', { ...definition, rowFilter: { sex_code: { like: 5 } } });
    assert.equal(badOp.status, 400, JSON.stringify(badOp.body));
    assert.match(badOp.body.error.details[0].field, /^rowFilter\.sex_code/);
    const masked = await officer.put('/api/workflow/resources/od-persons', { ...definition, rowFilter: { id_number: idNumber(700) } });
    assert.equal(masked.status, 400, 'a filter on a column masked at the profile would leak it');
    assert.equal(masked.body.error.details[0].rule, 'masked-field');
    assert.equal(masked.body.error.details[0].field, 'rowFilter.id_number');
    assert.doesNotMatch(JSON.stringify(masked.body), /at .*\.js/, 'no stack trace');

    const v1 = await officer.put('/api/workflow/resources/od-persons', definition);
    assert.equal(v1.status, 200, JSON.stringify(v1.body));
    const v2 = await officer.put('/api/workflow/resources/od-persons', { ...definition, description: '第二版说明' });
    assert.equal(v2.body.version, 2, 'each save is the next version');
    assert.equal((await applicant.get('/api/workflow/resources/od-persons')).body.description, '第二版说明');
    const versions = (await applicant.get('/api/workflow/resources/od-persons/versions')).body;
    assert.deepEqual(versions.map((r: { version: number; description: string }) => [r.version, r.description]), [[2, '第二版说明'], [1, definition.description]]);
    assert.equal((await applicant.get('/api/workflow/resources/no-such/versions')).status, 404);
  });

  it('applications show their state: in approval with the pending step, then granted until the expiry; rejected ones as rejected', async () => {
    const applied = await applicant.post('/api/workflow/resources/od-persons/apply', { purpose: '妇女健康研究', fields: ['id_number', 'person_name'], periodDays: 10 });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    const id = applied.body.instance.id;
    let apps = (await applicant.get('/api/workflow/applications')).body;
    assert.equal(apps[0].instanceId, id);
    assert.equal(apps[0].state, 'in-approval');
    assert.equal(apps[0].resourceName, '测试人员名单');
    assert.equal(apps[0].pendingTasks.length, 1);
    for (const api of [headA, officer, director]) await claimAndApprove(api, id);
    apps = (await applicant.get('/api/workflow/applications')).body;
    assert.equal(apps[0].state, 'granted');
    assert.equal(Math.round((Date.parse(apps[0].grant.expiresAt) - Date.parse(apps[0].grant.grantedAt)) / 86_400_000), 10);

    const second = await applicant.post('/api/workflow/resources/od-persons/apply', { purpose: '无关用途' });
    await claimAndApprove(headA, second.body.instance.id, 'reject');
    apps = (await applicant.get('/api/workflow/applications')).body;
    assert.equal(apps.find((a: { instanceId: string }) => a.instanceId === second.body.instance.id).state, 'rejected');
    assert.deepEqual((await officer.get('/api/workflow/applications')).body, [], 'only one’s own applications');
  });

  it('the Excel download is a real .xlsx readable by exceljs: granted fields, row filter, masked ID numbers; audited', async () => {
    const res = await fetch(`${platform.url}/api/workflow/resources/od-persons/download?format=xlsx`, { headers: { authorization: `Bearer ${applicantToken}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(res.headers.get('content-disposition') ?? '', /od-persons-\d{4}-\d{2}-\d{2}\.xlsx/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const rows: string[][] = [];
    sheet.eachRow(r => rows.push((r.values as unknown[]).slice(1).map(v => String(v ?? ''))));
    assert.deepEqual(rows[0], ['id_number', 'person_name'], 'the granted fields only');
    assert.equal(rows.length, 3, 'the two rows of the row filter (sex_code = 2)');
    for (const [id] of rows.slice(1)) assert.match(id, /^\d{6}\*+\d{4}$/, 'ID numbers masked');
    assert.deepEqual(rows.slice(1).map(r => r[1]).sort(), ['张三', '王五'].sort(), 'the rows of the filter');
    const [audit] = await platform.db.query<{ detail: { format: string; rows: number; fields: string[] }; record_id: string }>(
      `SELECT detail, record_id FROM audit_log WHERE action = 'workflow.resource.download' AND actor = 'od.applicant' ORDER BY at DESC LIMIT 1`,
    );
    assert.equal(audit.detail.format, 'xlsx');
    assert.equal(audit.detail.rows, 2);
    assert.deepEqual(audit.detail.fields, ['id_number', 'person_name']);
    const bad = await applicant.get('/api/workflow/resources/od-persons/download?format=pdf');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, 'format');
  });

  it('an expired grant is refused (403) and shown as expired; a revoked one too, with the reason kept and audited', async () => {
    await platform.db.query(`UPDATE wf_resource_grant SET expires_at = CAST('2020-01-01 00:00:00' AS timestamp) WHERE username = 'od.applicant'`);
    assert.equal((await applicant.get('/api/workflow/resources/od-persons/download?format=csv')).status, 403, 'expired');
    const apps = (await applicant.get('/api/workflow/applications')).body;
    assert.ok(apps.some((a: { state: string }) => a.state === 'expired'));
    const mine = (await applicant.get('/api/workflow/grants')).body;
    assert.equal(mine[0].state, 'expired');

    // A fresh grant, then revoked by the security officer with a reason.
    const applied = await applicant.post('/api/workflow/resources/od-persons/apply', { purpose: '复核', periodDays: 5 });
    for (const api of [headA, officer, director]) await claimAndApprove(api, applied.body.instance.id);
    assert.equal((await applicant.get('/api/workflow/resources/od-persons/download?format=csv')).status, 200);
    const grant = (await officer.get('/api/workflow/grants?all=true')).body.find((g: { state: string; username: string }) => g.state === 'active' && g.username === 'od.applicant');
    assert.ok(grant);
    assert.equal((await applicant.get('/api/workflow/grants?all=true')).status, 403, 'only the grants admin sees all grants');
    const tooLong = await officer.post(`/api/workflow/grants/${grant.id}/revoke`, { reason: 'x'.repeat(501) });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.error.details[0].field, 'reason');
    const revoked = await officer.post(`/api/workflow/grants/${grant.id}/revoke`, { reason: '项目已结束' });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.equal(revoked.body.revokeReason, '项目已结束');
    assert.equal(revoked.body.state, 'revoked');
    const refused = await applicant.get('/api/workflow/resources/od-persons/download?format=xlsx');
    assert.equal(refused.status, 403);
    const states = (await applicant.get('/api/workflow/applications')).body.map((a: { state: string }) => a.state);
    assert.ok(states.includes('revoked'), JSON.stringify(states));
    const [audit] = await platform.db.query<{ detail: { reason: string } }>(`SELECT detail FROM audit_log WHERE action = 'workflow.grant.revoke' AND record_id = $1`, [grant.id]);
    assert.equal(audit.detail.reason, '项目已结束');
  });
});
