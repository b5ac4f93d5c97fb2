/**
 * The hand-written baseline: node:http + pg, no framework, no validation, no audit. It serves the
 * same table as the generated API with the same queries, so the ratio isolates Lingshu's cost.
 * Usage: node control-server.js <port> <databaseUrl> <table> <columns,comma,separated> <filterColumn>
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import pg from 'pg';

const [port, url, table, columnList, filterColumn] = process.argv.slice(2);
const columns = columnList.split(',');
const select = ['id', ...columns, 'created_at', 'updated_at'].map(c => `"${c}"`).join(', ');
const pool = new pg.Pool({ connectionString: url, max: 10 });
const byId = `SELECT ${select} FROM "${table}" WHERE id = $1`;
const list = `SELECT ${select} FROM "${table}" WHERE "${filterColumn}" = $1 ORDER BY id LIMIT $2`;
const insert = `INSERT INTO "${table}" (id, ${columns.map(c => `"${c}"`).join(', ')}, created_at, updated_at) VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')}, now(), now()) RETURNING ${select}`;

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
        return rows[0] ? send(res, 200, rows[0]) : send(res, 404, { error: 'not found' });
      }
      if (req.method === 'GET' && parts.length === 1) {
        const { rows } = await pool.query({ name: 'list', text: list, values: [u.searchParams.get(filterColumn), Number(u.searchParams.get('limit') ?? 20)] });
        return send(res, 200, rows);
      }
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const { rows } = await pool.query({ name: 'insert', text: insert, values: [randomUUID(), ...columns.map(c => body[c] ?? null)] });
        return send(res, 201, rows[0]);
      }
      send(res, 404, { error: 'no route' });
    } catch (err) {
      send(res, 500, { error: (err as Error).message });
    }
  })
  .listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
