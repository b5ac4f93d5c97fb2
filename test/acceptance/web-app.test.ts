import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Platform, seedPlatform, startPlatform } from '@lingshu/platform';
import { client, createTestDatabase, signIn, TestDatabase } from '../support';

const PASSWORD = 'Lingshu#2026test';
const HOSPITAL = '125117004592983307'; // 达州市中心医院, the demo institution user's

/** A tiny stand-in for a Vite build: index.html and one hashed asset. */
function fakeBuild(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lingshu-web-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="root"></div></body></html>');
  fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), `console.log(${JSON.stringify('x'.repeat(5000))});`);
  return dir;
}

describe('acceptance: web app serving, profile and dashboard figures', function () {
  let tdb: TestDatabase;
  let platform: Platform;
  let bare: Platform;
  const dir = fakeBuild();

  before(async () => {
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0, adminPassword: PASSWORD, loginRateLimit: 1000, designerDir: dir });
    await seedPlatform(platform, { demoData: 'small', adminPassword: PASSWORD });
    bare = await startPlatform({ ...tdb.config, port: 0, adminPassword: PASSWORD, designerDir: path.join(dir, 'missing') });
  });
  after(async () => {
    await bare?.stop();
    await platform?.stop();
    await tdb?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the app at / with a CSP, and unknown page paths get the app (SPA fallback)', async () => {
    for (const p of ['/', '/meta/datasets', '/meta/datasets/123/edit']) {
      const res = await fetch(platform.url + p);
      assert.equal(res.status, 200, p);
      assert.match(res.headers.get('content-type')!, /text\/html/);
      assert.match(await res.text(), /<div id="root">/);
      const csp = res.headers.get('content-security-policy')!;
      assert.match(csp, /script-src 'self'(;|$)/, 'no inline or eval scripts');
      assert.match(csp, /style-src 'self' 'unsafe-inline'/, "antd's CSS-in-JS needs inline styles");
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('cache-control'), 'no-cache');
    }
  });

  it('hashed assets are immutable and gzipped; missing assets and traversal are 404', async () => {
    const res = await fetch(`${platform.url}/assets/app-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.match(res.headers.get('content-type')!, /javascript/);
    assert.match(await res.text(), /^console\.log/);
    assert.equal((await fetch(`${platform.url}/assets/gone-000.js`)).status, 404);
    assert.equal((await fetch(`${platform.url}/favicon-none.png`)).status, 404);
    assert.equal((await fetch(`${platform.url}/assets/..%2f..%2f..%2fetc%2fpasswd`)).status, 404);
  });

  it('API, explorer and OpenAPI paths are not the app', async () => {
    const api = await fetch(`${platform.url}/api/meta/datasets`);
    assert.equal(api.status, 401);
    assert.match(api.headers.get('content-type')!, /json/);
    assert.equal((await fetch(`${platform.url}/api/nothing-here`)).status, 404);
    const spec = await fetch(`${platform.url}/openapi.json`);
    assert.equal(spec.status, 200);
    assert.ok((await spec.json()).paths['/api/dashboard'], 'the dashboard endpoint is in the OpenAPI document');
  });

  it('without a build the plain start page stays at /', async () => {
    const res = await fetch(`${bare.url}/`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /已发布数据集/);
    assert.equal((await fetch(`${bare.url}/meta/datasets`)).status, 404);
  });

  it('GET /api/auth/me names the institution, the roles and their permissions', async () => {
    const { api, user } = await signIn(platform.url, 'hospital.zx', PASSWORD);
    assert.equal(user.orgName, '达州市中心医院', 'sign-in answers the same profile');
    const me = (await api.get('/api/auth/me')).body;
    assert.equal(me.orgCode, HOSPITAL);
    assert.equal(me.orgName, '达州市中心医院');
    assert.deepEqual(me.roleNames, ['机构用户']);
    assert.ok(me.permissions.some((p: { resource: string }) => p.resource === 'data*'));
    const owner = (await (await signIn(platform.url, 'std.owner', PASSWORD)).api.get('/api/auth/me')).body;
    assert.equal(owner.orgName, null);
    assert.deepEqual(owner.permissions[0], { resource: 'meta:*', actions: ['*'] });
    assert.ok(!owner.permissions.some((p: { resource: string }) => p.resource.startsWith('data')), 'a standard owner holds no data permission');
  });

  it('dashboard figures follow the roles: metadata for metadata readers, records inside the row scope', async () => {
    assert.equal((await client(platform.url).get('/api/dashboard')).status, 401);
    const owner = (await (await signIn(platform.url, 'std.owner', PASSWORD)).api.get('/api/dashboard')).body;
    assert.equal(owner.records, null, 'a standard owner reads no business data');
    const published = owner.metadata.byKindStatus.find((r: { kind: string; status: string }) => r.kind === 'dataset' && r.status === 'published');
    assert.ok(published.count >= 6, JSON.stringify(owner.metadata));

    const city = (await (await signIn(platform.url, 'city.admin', PASSWORD)).api.get('/api/dashboard')).body;
    const hospital = (await (await signIn(platform.url, 'hospital.zx', PASSWORD)).api.get('/api/dashboard')).body;
    assert.ok(city.records.total > hospital.records.total && hospital.records.total > 0, `${city.records.total} > ${hospital.records.total} > 0`);
    assert.ok(city.records.byInstitution.length > 1);
    assert.deepEqual(hospital.records.byInstitution.map((r: { orgCode: string }) => r.orgCode), [HOSPITAL], 'only its own institution');
    assert.equal(hospital.records.byInstitution[0].orgName, '达州市中心医院');
    const sum = (rows: Array<{ count: number }>) => rows.reduce((s, r) => s + r.count, 0);
    assert.equal(sum(hospital.records.byDay), hospital.records.total, 'the demo rows all arrived within the last days');
    assert.equal(sum(city.records.byDataset), city.records.total);
    const direct = (await (await signIn(platform.url, 'hospital.zx', PASSWORD)).api.get('/api/data/outpatient_visit/count')).body.count;
    assert.equal(hospital.records.byDataset.find((d: { code: string }) => d.code === 'outpatient_visit').count, direct);
  });
});
