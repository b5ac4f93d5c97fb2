import { ServerResponse } from 'node:http';
import { DatasetRegistry } from '../runtime/registry';

const escape = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

/** A plain start page until the designer app lands: what is live and where to try it. */
export function landingPage(res: ServerResponse, registry: DatasetRegistry): void {
  const rows = registry
    .list()
    .map(rt => `<tr><td><a href="/api/data/${rt.code}?limit=20">${escape(rt.code)}</a></td><td>${escape(rt.name)}</td><td>v${rt.version}</td><td>${rt.columnNames.length}</td></tr>`)
    .join('');
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>灵枢 Lingshu</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#1f1f1f}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}th{background:#fafafa}</style></head>
<body><h1>灵枢 Lingshu</h1><p>区域卫生健康数据中心元数据驱动平台 · metadata-driven platform for regional health data centres</p>
<p><a href="/explorer/">API 浏览器 / API explorer</a> · <a href="/openapi.json">OpenAPI</a> · <a href="/api/health">健康检查 / health</a> · <a href="/api/meta/datasets">数据集元数据 / dataset metadata</a></p>
<h2>已发布数据集 / Published datasets</h2><table><tr><th>代码 code</th><th>名称 name</th><th>版本 version</th><th>字段 fields</th></tr>${rows}</table></body></html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(html);
}
