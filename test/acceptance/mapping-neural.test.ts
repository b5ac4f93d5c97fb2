import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hashFile, normalize, writeTinyModel } from '@lingshu/mapping';
import { Platform, startPlatform } from '@lingshu/platform';
import { configFromEnv } from '@lingshu/platform/dist/config';
import { TEST_PASSWORD, TestDatabase, createTestDatabase, signIn, userApi, waitFor } from '../support';

type Api = Awaited<ReturnType<typeof userApi>>;

const VOCAB = 'NEURAL-ICD';
const H1 = 'neural-h1';
const TERMS = [['I63.9', '脑梗死'], ['I69.3', '脑梗死后遗症'], ['I26.9', '肺栓塞'], ['I74.3', '下肢动脉栓塞'], ['R50.9', '发热'], ['I10', '特发性(原发性)高血压'], ['J18.9', '肺炎']];

/** A tiny sentence model: one-hot character vectors, 塞 = 死, 高 = 发, 烧 = 热. */
function tinyModel(dir: string, options: Parameters<typeof writeTinyModel>[3] = {}) {
  const chars = [...new Set([...TERMS.flatMap(([, n]) => [...normalize(n)]), ...'梗塞高烧'])];
  const d = chars.length;
  const vectors: Record<string, number[]> = {};
  chars.forEach((c, i) => (vectors[c] = Array.from({ length: d }, (_x, j) => (i === j ? 1 : 0))));
  vectors['塞'] = vectors['死'];
  vectors['高'] = vectors['发'];
  vectors['烧'] = vectors['热'];
  return writeTinyModel(dir, chars, vectors, { dimensions: d, extraInputs: ['attention_mask', 'token_type_ids'], ...options });
}

/** The mapping suggester's neural stage on the platform: LINGSHU_MAPPING_MODEL, status, suggestions, start-up errors. */
describe('acceptance: mapping neural stage (LINGSHU_MAPPING_MODEL, onnxruntime-node)', () => {
  let dir: string;
  let tdb: TestDatabase;
  let platform: Platform;
  let admin: Api;
  let adminToken: string;
  let mapper: Api;
  let outsider: Api;
  let model: { model: string; vocab: string };
  const saved = { ...process.env };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lingshu-neural-platform-'));
    model = tinyModel(path.join(dir, 'good'));
    process.env.LINGSHU_MAPPING_MODEL = model.model;
    process.env.LINGSHU_MAPPING_MODEL_MAX_TOKENS = '32';
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0, adminPassword: TEST_PASSWORD });
    delete process.env.LINGSHU_MAPPING_MODEL;
    delete process.env.LINGSHU_MAPPING_MODEL_MAX_TOKENS;
    await platform.db.query(`INSERT INTO org_unit (code, name, kind, created_at) VALUES ($1, '神经测试医院', 'institution', now())`, [H1]);
    const login = async (name: string, roles: string[]) => {
      await userApi(platform, name, roles);
      const session = await signIn(platform.url, name, TEST_PASSWORD);
      if (name === 'neural.admin') adminToken = session.token;
      return session.api;
    };
    admin = await login('neural.admin', ['mapping-admin']);
    mapper = await login('neural.m1', ['mapper']);
    outsider = await login('neural.out', ['analyst']);
  });
  after(async () => {
    for (const k of ['LINGSHU_MAPPING_MODEL', 'LINGSHU_MAPPING_MODEL_VOCAB', 'LINGSHU_MAPPING_MODEL_MAX_TOKENS']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await platform?.stop();
    await tdb?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('started with the setting, the status says the stage is active with the model file name and hash; suggestions show the sentence model', async () => {
    const waitJob = async (jobId: string) => {
      let last: any;
      await waitFor(async () => {
        last = (await admin.get(`/api/jobs/${jobId}`)).body;
        return ['done', 'failed', 'cancelled'].includes(last.status);
      }, 30_000, 50);
      return last;
    };
    assert.equal((await admin.post('/api/mapping/vocabularies', { code: VOCAB, name: '神经测试疾病分类', domain: 'diagnosis' })).status, 200);
    const csv = `code,name\n${TERMS.map(([c, n]) => `${c},"${n}"`).join('\n')}\n`;
    const res = await fetch(`${platform.url}/api/mapping/vocabularies/${VOCAB}/import`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${adminToken}` }, body: csv });
    assert.equal(res.status, 202);
    assert.equal((await waitJob(((await res.json()) as { jobId: string }).jobId)).status, 'done');

    let status: any;
    await waitFor(async () => {
      status = (await admin.get('/api/mapping/status')).body;
      return status.neural.vocabularies.some((v: { id: string; state: string }) => v.id === VOCAB && v.state === 'ready');
    }, 10_000, 50);
    assert.equal(status.neural.active, true);
    assert.equal(status.neural.model.file, 'model.onnx');
    assert.equal(status.neural.model.hash, await hashFile(model.model));
    assert.equal(status.neural.model.maxTokens, 32);
    assert.deepEqual(status.neural.model.inputs, ['input_ids', 'attention_mask', 'token_type_ids']);
    assert.ok(!JSON.stringify(status).includes(dir), 'no paths in the status');
    assert.equal((await mapper.get('/api/mapping/status')).status, 200);
    assert.equal((await outsider.get('/api/mapping/status')).status, 403);

    const dict = await mapper.post('/api/mapping/dictionaries', { institution: H1, kind: 'diagnosis', name: '神经测试字典', vocabulary: VOCAB });
    assert.equal(dict.status, 200, JSON.stringify(dict.body));
    assert.equal((await mapper.post(`/api/mapping/dictionaries/${dict.body.id}/loads`, { entries: [{ code: 'N1', name: '高烧' }, { code: 'N2', name: '梗塞' }] })).status, 200);
    const started = await mapper.post(`/api/mapping/tasks/${dict.body.taskId}/suggest`);
    assert.equal((await waitJob(started.body.jobId)).status, 'done');
    const { items } = (await mapper.get(`/api/mapping/tasks/${dict.body.taskId}/entries?limit=10`)).body;
    const fever = items.find((e: { code: string }) => e.code === 'N1');
    const s = fever.suggestions.find((x: { code: string }) => x.code === 'R50.9');
    assert.ok(s, `发热 recalled for 高烧: ${JSON.stringify(fever.suggestions)}`);
    assert.ok(s.why.some((w: { signal: string; label: string }) => w.signal === 'neural' && w.label === 'sentence model'), JSON.stringify(s.why));
    const infarct = items.find((e: { code: string }) => e.code === 'N2');
    assert.ok(infarct.suggestions.some((x: { code: string }) => x.code === 'I63.9'), JSON.stringify(infarct.suggestions));
  });

  it('a bad path or a model without the expected outputs stops the start with one message naming the setting', async () => {
    await assert.rejects(startPlatform({ dataDir: 'memory', port: 0, mappingModel: { model: path.join(dir, 'missing', 'model.onnx') } }),
      (e: Error) => /^LINGSHU_MAPPING_MODEL: no file .*missing.*model\.onnx$/.test(e.message));
    const bad = tinyModel(path.join(dir, 'bad'), { tokenOutput: 'logits' });
    await assert.rejects(startPlatform({ dataDir: 'memory', port: 0, mappingModel: { model: bad.model } }),
      (e: Error) => /^LINGSHU_MAPPING_MODEL: model\.onnx outputs neither sentence_embedding nor last_hidden_state/.test(e.message));
    await assert.rejects(startPlatform({ dataDir: 'memory', port: 0, mappingModel: { model: model.model, vocab: path.join(dir, 'nope.txt') } }),
      (e: Error) => /^LINGSHU_MAPPING_MODEL_VOCAB: no file .*nope\.txt$/.test(e.message));
    assert.throws(() => configFromEnv({ LINGSHU_MAPPING_MODEL: model.model, LINGSHU_MAPPING_MODEL_MAX_TOKENS: 'many' }), /LINGSHU_MAPPING_MODEL_MAX_TOKENS: must be a whole number/);
    assert.equal(configFromEnv({}).mappingModel, false);

    // The server's own start: one line naming the setting, no stack trace.
    const main = require.resolve('@lingshu/platform/dist/main.js');
    const run = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, LINGSHU_DATA_DIR: path.join(dir, 'data'), PORT: '0', LINGSHU_MAPPING_MODEL: path.join(dir, 'missing', 'model.onnx') },
      encoding: 'utf8', timeout: 20_000,
    });
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], /^\[lingshu\] failed to start: LINGSHU_MAPPING_MODEL: no file .*model\.onnx$/);
  });
});
