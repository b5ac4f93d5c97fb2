/**
 * The hand-written baseline: node:http + pg, no framework, no validation, no audit. It serves the
 * same table as the generated API with the same queries, so the ratio isolates Lingshu's cost.
 * Columns encrypted at rest are encrypted and decrypted here too, with the same field cipher and
 * keys (LINGSHU_MASTER_KEY): the response must be the same plaintext, and at-rest encryption is
 * part of the job, not of the platform's overhead.
 * Usage: node control-server.js <port> <databaseUrl> <table> <columns,comma,separated> <filterColumn> [<column=place;…>]
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { FieldProtector, KeyRing, openDatabase } from '@lingshu/platform';

const [port, url, table, columnList, filterColumn, encryptedList = ''] = process.argv.slice(2);
const columns = columnList.split(',');
const encrypted = encryptedList.split(';').filter(Boolean).map(spec => {
  const [column, place] = spec.split('=');
  return { column, place, blindIndex: `_bi_${column}` };
});
const select = ['id', ...columns, 'created_at', 'updated_at'].map(c => `"${c}"`).join(', ');
const pool = new pg.Pool({ connectionString: url, max: 10 });
const byId = `SELECT ${select} FROM "${table}" WHERE id = $1`;
const list = `SELECT ${select} FROM "${table}" WHERE "${filterColumn}" = $1 ORDER BY id LIMIT $2`;
const written = [...columns, ...encrypted.map(e => e.blindIndex)];
const insert = `INSERT INTO "${table}" (id, ${written.map(c => `"${c}"`).join(', ')}, created_at, updated_at) VALUES ($1, ${written.map((_, i) => `$${i + 2}`).join(', ')}, now(), now()) RETURNING ${select}`;
let protector: FieldProtector | undefined;

function reveal(row: Record<string, unknown>) {
  for (const e of encrypted) if (typeof row[e.column] === 'string') row[e.column] = protector!.decrypt(row[e.column] as string, e.place);
  return row;
}

function insertValues(body: Record<string, unknown>): unknown[] {
  const values = columns.map(c => {
    const e = encrypted.find(x => x.column === c);
    const v = body[c] ?? null;
    return e && v !== null ? protector!.encrypt(String(v), e.place) : v;
  });
  return [...values, ...encrypted.map(e => (body[e.column] == null ? null : protector!.index(String(body[e.column]))))];
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

http
  .createServer(async (req, res) => {
    try {
      const u = new URL(req.url ?? '/', 'http://x');
      const parts = u.pathname.split('/').filter(Boolean);
      if (req.method === 'GET' && parts.length === 2) {
        const { rows } = await pool.query({ name: 'by-id', text: byId, values: [parts[1]] });
        return rows[0] ? send(res, 200, reveal(rows[0])) : send(res, 404, { error: 'not found' });
      }
      if (req.method === 'GET' && parts.length === 1) {
        const { rows } = await pool.query({ name: 'list', text: list, values: [u.searchParams.get(filterColumn), Number(u.searchParams.get('limit') ?? 20)] });
        return send(res, 200, rows.map(reveal));
      }
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const { rows } = await pool.query({ name: 'insert', text: insert, values: [randomUUID(), ...insertValues(body)] });
        return send(res, 201, reveal(rows[0]));
      }
      send(res, 404, { error: 'no route' });
    } catch (err) {
      send(res, 500, { error: (err as Error).message });
    }
  })
  .listen(Number(port), '127.0.0.1', async () => {
    if (encrypted.length > 0) {
      const keys = await openDatabase({ url, poolSize: 1 });
      protector = await FieldProtector.open(await KeyRing.open(keys, Buffer.from(process.env.LINGSHU_MASTER_KEY!, 'hex')));
    }
    process.send?.('ready');
  });
