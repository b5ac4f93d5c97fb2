import { DEPARTMENTS } from '@lingshu/seeds/dist/catalog/departments';
import { ICD10, ICD10_SUBSET } from '@lingshu/seeds/dist/catalog/icd10';
import { dazhouInstitutions } from '@lingshu/seeds';
import type { Database } from '../database/types';
import type { JobRunner } from '../jobs/runner';
import type { Who } from '../workflow/service';
import type { MappingService } from './service';

const SETTING = 'mapping-demo';
const SEED: Who = { username: 'system:seed', roles: [], orgCode: null };
export const DEPARTMENT_VOCABULARY = 'NHC-DEPT-1994';

/** Local spellings of a standard name, as hospitals write them (deterministic by index). */
function variant(name: string, i: number): string {
  const plain = name.replace(/[(（][^)）]*[)）]/g, '').replace(/\[[^\]]*\]/g, '').trim() || name;
  switch (i % 6) {
    case 0: return name;
    case 1: return plain;
    case 2: return `${plain}待查`;
    case 3: return `${plain}（复诊）`;
    case 4: return `疑似${plain}`;
    default: return plain.replace(/不伴有并发症$/, '').replace(/恶性肿瘤$/, '癌');
  }
}

function departmentVariant(name: string, i: number): string {
  const plain = name.replace(/专业$/, '');
  switch (i % 4) {
    case 0: return name;
    case 1: return plain;
    case 2: return `${plain}门诊`;
    default: return plain.endsWith('科') ? plain : `${plain}科`;
  }
}

/** The clinical departments (《医疗机构诊疗科目名录》) from the seeds. */
const departments = (): ReadonlyArray<readonly [string, string]> => DEPARTMENTS;

const csv = (rows: ReadonlyArray<readonly [string, string]>) => `code,name\n${rows.map(([c, n]) => `${c},"${n.replace(/"/g, '""')}"`).join('\n')}\n`;

/**
 * A small mapping demo, once: the ICD-10 subset and the clinical departments as vocabularies, two
 * hospitals with a diagnosis and a department dictionary of about 50 entries each, suggestions
 * computed for the first hospital and a few confirmations, so the review screens have work.
 */
export async function seedMappingDemo(db: Database, jobs: JobRunner, mapping: MappingService, log: (line: string) => void): Promise<void> {
  const [done] = await db.query('SELECT 1 FROM platform_setting WHERE key = $1', [SETTING]);
  if (done) return;
  const vocabs = new Set(mapping.listVocabularies().map(v => v.code));
  if (!vocabs.has(ICD10)) {
    await mapping.startImport(ICD10, { content: Buffer.from(csv(ICD10_SUBSET)), contentType: 'text/csv' }, { name: '疾病分类与代码（ICD-10 子集）', domain: 'diagnosis' }, SEED);
  }
  const depts = departments();
  if (depts.length && !vocabs.has(DEPARTMENT_VOCABULARY)) {
    await mapping.startImport(DEPARTMENT_VOCABULARY, { content: Buffer.from(csv(depts)), contentType: 'text/csv' }, { name: '医疗机构诊疗科目名录', domain: 'department' }, SEED);
  }
  await jobs.drain();
  const hospitals = dazhouInstitutions().hospitals.slice(0, 2);
  const taskIds: string[] = [];
  for (const [h, hospital] of hospitals.entries()) {
    const diag = await mapping.createDictionary({ institution: hospital.code, kind: 'diagnosis', name: '门诊诊断字典', vocabulary: ICD10, secondCheck: h === 1 }, SEED);
    const entries = ICD10_SUBSET.slice(h * 20, h * 20 + 48).map(([, name], i) => ({ code: `ZD${String(h + 1)}${String(i + 1).padStart(4, '0')}`, name: variant(name, i + h), attributes: {} }));
    entries.push({ code: `ZD${h + 1}9001`, name: '高血压伴2型糖尿病', attributes: {} }, { code: `ZD${h + 1}9002`, name: '冠心病、高血压', attributes: {} });
    await mapping.loadDictionary(diag.id, entries, SEED);
    taskIds.push(diag.taskId);
    if (depts.length) {
      const dept = await mapping.createDictionary({ institution: hospital.code, kind: 'department-outpatient', name: '门诊科室字典', vocabulary: DEPARTMENT_VOCABULARY }, SEED);
      const rows = depts.slice(h * 5, h * 5 + 50).map(([, name], i) => ({ code: `KS${h + 1}${String(i + 1).padStart(3, '0')}`, name: departmentVariant(name, i + h), attributes: {} }));
      await mapping.loadDictionary(dept.id, rows, SEED);
      taskIds.push(dept.taskId);
    }
  }
  // Suggestions for the first hospital; its first dictionary gets a few human confirmations.
  for (const taskId of taskIds.slice(0, depts.length ? 2 : 1)) await mapping.startSuggest(taskId, SEED);
  await jobs.drain();
  const { items } = await mapping.entries(taskIds[0], { status: 'suggested', limit: 5 });
  for (const e of items.slice(0, 3)) if (e.proposal.length) await mapping.confirm(e.id, e.proposal, SEED);
  await db.query(`INSERT INTO platform_setting (key, value, updated_at) VALUES ($1, $2, now())`, [SETTING, JSON.stringify({ loadedAt: new Date().toISOString() })]);
  log(`mapping demo: ${hospitals.length} hospitals, ${taskIds.length} dictionaries`);
}
