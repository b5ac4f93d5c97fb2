import assert from 'node:assert/strict';
import { generateRecords } from '@lingshu/seeds';
import { Platform, seedPlatform, setUserPassword, startPlatform } from '@lingshu/platform';
import { client, createTestDatabase, encryptCredential, signIn, TestDatabase } from '../support';

const PASSWORD = 'Lingshu#2026test';
const HOSPITAL = '125117004592983307'; // 达州市中心医院 (通川区) in the synthetic institution list

type Api = ReturnType<typeof client>;

/** Each class of endpoint, called so that "allowed" and "denied" give different statuses without side effects. */
const CLASSES: Record<string, (api: Api) => Promise<number>> = {
  metaRead: async api => (await api.get('/api/meta/datasets?limit=1')).status,
  metaWrite: async api => (await api.post('/api/meta/value-domains', { namespace: 'x' })).status,
  dataRead: async api => (await api.get('/api/data/person_basic?limit=1')).status,
  dataWrite: async api => (await api.post('/api/data/person_basic', { id_number: 'x' })).status,
  auditRead: async api => (await api.get('/api/audit?limit=1')).status,
  rolesRead: async api => (await api.get('/api/security/roles')).status,
  policyWrite: async api => (await api.put('/api/security/policy', { nope: 1 })).status,
  userCreate: async api => (await api.post('/api/security/users', { username: '' })).status,
};
/** What "allowed" looks like for each class (the calls are deliberately invalid where they would write). */
const ALLOWED: Record<string, number> = { metaRead: 200, metaWrite: 422, dataRead: 200, dataWrite: 422, auditRead: 200, rolesRead: 200, policyWrite: 422, userCreate: 400 };

const MATRIX: Record<string, string[]> = {
  sysadmin: ['metaRead', 'metaWrite', 'userCreate'],
  secadmin: ['metaRead', 'rolesRead', 'policyWrite'],
  auditor: ['auditRead'],
  'std.owner': ['metaRead', 'metaWrite'],
  'city.admin': ['metaRead', 'dataRead', 'dataWrite'],
  analyst: ['metaRead', 'dataRead'],
  'county.tc': ['metaRead', 'dataRead'],
  'hospital.zx': ['metaRead', 'dataRead', 'dataWrite'],
};

describe('acceptance: security core (identity, 三员分立, row scope, masking)', function () {
  let tdb: TestDatabase;
  let platform: Platform;
  const apis: Record<string, Api> = {};

  before(async () => {
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0, adminPassword: PASSWORD, loginRateLimit: 1000 });
    await seedPlatform(platform, { demoData: 'small', adminPassword: PASSWORD });
    for (const user of Object.keys(MATRIX)) apis[user] = (await signIn(platform.url, user, PASSWORD)).api;
  });
  after(async () => {
    await platform?.stop();
    await tdb?.drop();
  });

  it('anonymous calls get 401 on every class of endpoint', async () => {
    const anon = client(platform.url);
    for (const [name, call] of Object.entries(CLASSES)) assert.equal(await call(anon), 401, name);
  });

  for (const [user, allowed] of Object.entries(MATRIX)) {
    it(`${user}: allowed exactly ${allowed.join(', ')}`, async () => {
      for (const [name, call] of Object.entries(CLASSES)) {
        const status = await call(apis[user]);
        if (allowed.includes(name)) assert.equal(status, ALLOWED[name], `${user} ${name} should be allowed`);
        else assert.equal(status, 403, `${user} ${name} should be denied (got ${status})`);
      }
    });
  }

  it('row scope: an institution user sees only its institution, a county user only its county', async () => {
    const total = (await apis['city.admin'].get('/api/data/outpatient_visit/count')).body.count;
    const own = (await apis['hospital.zx'].get('/api/data/outpatient_visit/count')).body.count;
    const county = (await apis['county.tc'].get('/api/data/outpatient_visit/count')).body.count;
    assert.ok(own > 0 && own < county && county < total, `own ${own} < county ${county} < total ${total}`);
    const rows = (await apis['hospital.zx'].get('/api/data/outpatient_visit?limit=200')).body;
    assert.ok(rows.every((r: { org_code: string }) => r.org_code === HOSPITAL));
    const countyRows = (await apis['county.tc'].get('/api/data/outpatient_visit?limit=200')).body;
    const orgs = await platform.db.query<{ code: string }>(`SELECT code FROM org_unit WHERE division_code = '511702'`);
    const inCounty = new Set(orgs.map(o => o.code));
    assert.ok(countyRows.every((r: { org_code: string }) => inCounty.has(r.org_code)));
    const foreign = (await apis['city.admin'].get(`/api/data/outpatient_visit?limit=1&filter=${encodeURIComponent(JSON.stringify({ where: { org_code: { neq: HOSPITAL } } }))}`)).body[0];
    assert.equal((await apis['hospital.zx'].get(`/api/data/outpatient_visit/${foreign.id}`)).status, 404, 'a row outside the scope does not exist for this user');
  });

  it('an institution user may write only rows of its own institution', async () => {
    const [record] = [...generateRecords('person_basic', 1, { startIndex: 90_000 })];
    const other = await apis['hospital.zx'].post('/api/data/person_basic', { ...record, org_code: '12511702456457754M' });
    assert.equal(other.status, 403);
    const own = await apis['hospital.zx'].post('/api/data/person_basic', { ...record, org_code: HOSPITAL });
    assert.equal(own.status, 201, JSON.stringify(own.body));
  });

  it('masking follows element sensitivity and role clearance', async () => {
    const [full] = (await apis['city.admin'].get(`/api/data/person_basic?limit=1&org_code=${HOSPITAL}`)).body;
    const [masked] = (await apis.analyst.get(`/api/data/person_basic?limit=1&org_code=${HOSPITAL}`)).body;
    const [hospital] = (await apis['hospital.zx'].get(`/api/data/person_basic?limit=1`)).body;
    assert.equal(masked.id, full.id);
    assert.match(full.id_number, /^\d{17}[\dX]$/);
    assert.equal(masked.id_number, `${full.id_number.slice(0, 6)}********${full.id_number.slice(-4)}`);
    assert.equal(masked.phone, `${full.phone.slice(0, 3)}****${full.phone.slice(-4)}`);
    assert.equal([...masked.patient_name][0], [...full.patient_name][0]);
    assert.ok(masked.patient_name.includes('*'));
    assert.equal(masked.sex_code, full.sex_code, 'sensitivity 1 is within the analyst clearance');
    assert.match(hospital.id_number, /^\d{17}[\dX]$/, 'clearance 3 sees the ID number');
    const probe = await apis.analyst.get(`/api/data/person_basic?id_number=${full.id_number}`);
    assert.equal(probe.status, 403, 'a masked field cannot be used to probe values');
    assert.equal(probe.body.error.details[0].rule, 'masked-field');
    assert.equal((await apis.analyst.get('/api/data/person_basic/count?order=phone')).status, 200, 'count ignores order');
    assert.equal((await apis.analyst.get('/api/data/person_basic?order=phone%20DESC')).status, 403);
  });

  it('reads of personal data are audited with record ids and the fields filtered on, never the values', async () => {
    const [row] = (await apis['hospital.zx'].get('/api/data/person_basic?limit=1')).body;
    assert.equal((await apis['hospital.zx'].get(`/api/data/person_basic/${row.id}`)).status, 200);
    assert.equal((await apis['hospital.zx'].get(`/api/data/person_basic?id_number=${row.id_number}`)).body.length, 1);
    await platform.audit.queue.flush();
    const trail = await platform.db.query<{ action: string; record_id: string | null; client_ip: string; detail: { ids?: string[]; filteredOn?: string[] } | null; outcome: string }>(
      `SELECT action, record_id, client_ip, detail, outcome FROM audit_log WHERE actor = 'hospital.zx' AND resource = 'data:person_basic' ORDER BY seq`,
    );
    const byId = trail.find(t => t.action === 'data.read' && t.record_id === row.id);
    assert.ok(byId, 'the read by id is in the trail');
    assert.ok(byId.client_ip, 'with the client address');
    const search = trail.filter(t => t.action === 'data.query').pop()!;
    assert.deepEqual(search.detail?.ids, [row.id]);
    assert.deepEqual(search.detail?.filteredOn, ['id_number']);
    assert.equal(JSON.stringify(trail).includes(row.id_number), false, 'no ID number in the audit trail');
    const before = Number((await platform.db.query<{ n: number }>(`SELECT count(*) AS n FROM audit_log WHERE actor = 'county.tc'`))[0].n);
    const rows = (await apis['county.tc'].get('/api/data/person_basic?limit=30&fields=id')).body as Array<{ id: string }>;
    for (const r of rows) assert.equal((await apis['county.tc'].get(`/api/data/person_basic/${r.id}`)).status, 200);
    await platform.audit.queue.flush();
    const burst = await platform.db.query<{ action: string; detail: { reads: number; ids: string[] } }>(`SELECT action, detail FROM audit_log WHERE actor = 'county.tc' ORDER BY seq OFFSET $1`, [before]);
    const reads = burst.filter(b => b.action === 'data.read');
    assert.ok(reads.length >= 1 && reads.length <= 3, `a burst of reads is coalesced (${reads.length} rows)`);
    assert.deepEqual(reads.flatMap(r => r.detail.ids).sort(), rows.map(r => r.id).sort(), 'every record id read is recorded');
  });

  it('denied requests are audited with who, what and from where', async () => {
    assert.equal((await apis.analyst.post('/api/data/person_basic', { id_number: 'x' })).status, 403);
    assert.equal((await apis.auditor.get('/api/meta/datasets')).status, 403);
    await platform.audit.queue.flush();
    const denied = await platform.db.query<{ actor: string; resource: string; outcome: string; detail: { action: string; path: string } }>(
      `SELECT actor, resource, outcome, detail FROM audit_log WHERE action = 'access.denied' ORDER BY seq`,
    );
    const analyst = denied.find(d => d.actor === 'analyst' && d.resource === 'data:person_basic');
    assert.ok(analyst, JSON.stringify(denied.slice(-3)));
    assert.equal(analyst.outcome, 'denied');
    assert.equal(analyst.detail.action, 'create');
    assert.equal(analyst.detail.path, '/api/data/person_basic');
    assert.ok(denied.some(d => d.actor === 'auditor' && d.resource.startsWith('meta:')));
    const verify = await apis.auditor.get('/api/audit/verify');
    assert.equal(verify.status, 200);
    assert.equal(verify.body.ok, true, JSON.stringify(verify.body).slice(0, 400));
  });

  it('access-control data changed in the database makes the account unusable, not powerful (GM/T 0054)', async () => {
    await createAccount('tamper.me');
    const id = (await platform.security.users.byUsername('tamper.me'))!.id;
    assert.equal((await apis.secadmin.put(`/api/security/users/${id}/roles`, { roles: ['institution-user'] })).status, 200);
    const key = (await client(platform.url).get('/api/auth/public-key')).body.publicKey;
    const login = () => client(platform.url).post('/api/auth/login', { username: 'tamper.me', encryptedPassword: encryptCredential(key, PASSWORD) });
    assert.equal((await login()).status, 200, 'changes made through the platform are sealed');
    const refused = async (what: string) => {
      const res = await login();
      assert.equal(res.status, 403, what);
      assert.equal(res.body.error.name, 'IntegrityError', what);
    };
    await platform.db.query(`INSERT INTO user_role (user_id, role_code) VALUES ($1, 'data-admin')`, [id]);
    await refused('a role granted in the database');
    await platform.db.query(`DELETE FROM user_role WHERE user_id = $1 AND role_code = 'data-admin'`, [id]);
    assert.equal((await login()).status, 200);
    await platform.db.query(`UPDATE app_user SET org_code = '125117004592983300' WHERE id = $1`, [id]);
    await refused('an institution changed in the database');
    await platform.db.query(`UPDATE app_user SET org_code = $2 WHERE id = $1`, [id, HOSPITAL]);
    const [role] = await platform.db.query<{ permissions: unknown }>(`SELECT permissions FROM app_role WHERE code = 'institution-user'`);
    await platform.db.query(`UPDATE app_role SET permissions = '[{"resource":"*","actions":["*"]}]' WHERE code = 'institution-user'`);
    await refused('a role widened in the database');
    await platform.db.query(`UPDATE app_role SET permissions = $1 WHERE code = 'institution-user'`, [JSON.stringify(role.permissions)]);
    assert.equal((await login()).status, 200);
    const alerts = await platform.db.query<{ detail: { subject: string } }>(`SELECT detail FROM audit_log WHERE action = 'security.integrity-violation' AND actor = 'tamper.me'`);
    // No ORDER BY: PostgreSQL returns the rows in any order.
    assert.deepEqual(alerts.map(a => a.detail.subject).sort(), ['role:institution-user', 'user:tamper.me', 'user:tamper.me']);
  });

  it('sign-in failures lock the account after 5 attempts, with a clear message', async () => {
    await createAccount('lock.me');
    const key = (await client(platform.url).get('/api/auth/public-key')).body.publicKey;
    const attempt = (password: string) => client(platform.url).post('/api/auth/login', { username: 'lock.me', encryptedPassword: encryptCredential(key, password) });
    for (let i = 0; i < 4; i++) assert.equal((await attempt('Wrong#pass1')).status, 401);
    const fifth = await attempt('Wrong#pass1');
    assert.equal(fifth.status, 423);
    assert.match(fifth.body.error.message, /locked/);
    assert.equal((await attempt(PASSWORD)).status, 423, 'even the right password waits for the lock to expire');
    const [row] = await platform.db.query<{ n: number }>(`SELECT count(*) AS n FROM audit_log WHERE action IN ('auth.login', 'auth.lockout') AND actor = 'lock.me' AND outcome = 'failed'`);
    assert.equal(Number(row.n), 5);
  });

  it('an idle session expires', async () => {
    await createAccount('idle.user');
    const { api } = await signIn(platform.url, 'idle.user', PASSWORD);
    assert.equal((await api.get('/api/auth/me')).status, 200);
    await platform.db.query(`UPDATE app_session SET last_seen_at = '2000-01-01T00:00:00' WHERE user_id = (SELECT id FROM app_user WHERE username = 'idle.user')`);
    platform.security.sessions.forgetPrincipals();
    const late = await api.get('/api/auth/me');
    assert.equal(late.status, 401);
    assert.match(late.body.error.message, /expired/);
  });

  it('a new account must change its one-time password first; the policy and history are enforced', async () => {
    const created = await apis.sysadmin.post('/api/security/users', { username: 'new.user', displayName: '新用户', orgCode: HOSPITAL });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const first = await signIn(platform.url, 'new.user', created.body.oneTimePassword);
    assert.equal(first.user.mustChangePassword, true);
    assert.equal((await first.api.get('/api/meta/datasets')).status, 403);
    const key = (await first.api.get('/api/auth/public-key')).body.publicKey;
    const change = (current: string, next: string) =>
      first.api.post('/api/auth/change-password', { encryptedCurrentPassword: encryptCredential(key, current), encryptedNewPassword: encryptCredential(key, next) });
    const weak = await change(created.body.oneTimePassword, 'short');
    assert.equal(weak.status, 422);
    assert.ok(weak.body.error.details.every((d: { rule: string }) => d.rule === 'password-policy'));
    const reuse = await change(created.body.oneTimePassword, created.body.oneTimePassword);
    assert.equal(reuse.status, 422);
    assert.match(JSON.stringify(reuse.body), /differ from the last/);
    assert.equal((await change(created.body.oneTimePassword, 'Fresh#Pass2026')).status, 200);
    const again = await signIn(platform.url, 'new.user', 'Fresh#Pass2026');
    assert.equal(again.user.mustChangePassword, false);
  });

  it('separation of duties: administrator roles are held alone and custom roles cannot reach them', async () => {
    const users = (await apis.secadmin.get('/api/security/users')).body;
    const target = users.find((u: { username: string }) => u.username === 'analyst');
    const mixed = await apis.secadmin.put(`/api/security/users/${target.id}/roles`, { roles: ['auditor', 'analyst'] });
    assert.equal(mixed.status, 422);
    assert.equal(mixed.body.error.details[0].rule, 'separation-of-duties');
    const sneaky = await apis.secadmin.put('/api/security/roles/audit-reader', { name: '审计读者', rowScope: 'all', clearance: 0, permissions: [{ resource: 'audit', actions: ['read'] }] });
    assert.equal(sneaky.status, 422);
    const sysadminAssign = await apis.sysadmin.put(`/api/security/users/${target.id}/roles`, { roles: ['data-admin'] });
    assert.equal(sysadminAssign.status, 403, 'the system administrator does not grant permissions');
  });

  it('hostile sign-in input gets a 4xx and writes nothing', async () => {
    const anon = client(platform.url);
    const before = await platform.db.query<{ n: number }>('SELECT count(*) AS n FROM app_session');
    const cases = [
      { username: "admin' OR '1'='1", encryptedPassword: 'ab' },
      { username: 'sysadmin\u0000', encryptedPassword: 'ab' },
      { username: '用'.repeat(500), encryptedPassword: 'ab' },
      { username: 'sysadmin', encryptedPassword: 'zz'.repeat(150) },
      { username: 'sysadmin', encryptedPassword: 'ab'.repeat(150) },
    ];
    for (const body of cases) {
      const res = await anon.post('/api/auth/login', body);
      assert.ok(res.status >= 400 && res.status < 500, `${JSON.stringify(body).slice(0, 60)} → ${res.status}`);
      assert.equal(JSON.stringify(res.body).includes('    at '), false);
    }
    const huge = await anon.raw('POST', '/api/auth/login', JSON.stringify({ username: 'x', encryptedPassword: 'a'.repeat(30 * 1024 * 1024) }));
    assert.equal(huge.status, 413);
    const after = await platform.db.query<{ n: number }>('SELECT count(*) AS n FROM app_session');
    assert.equal(Number(after[0].n), Number(before[0].n));
  });

  async function createAccount(username: string) {
    const created = await apis.sysadmin.post('/api/security/users', { username, displayName: username, orgCode: HOSPITAL });
    await setUserPassword(platform, created.body.id, PASSWORD);
  }
});
