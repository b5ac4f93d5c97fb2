import { AUDIT_SCHEMA_STEPS } from '../audit/schema';
import { Database } from './types';

/**
 * The platform's own tables, created by the platform (never by the connector). Each step runs
 * once, in order; the SQL sticks to what PostgreSQL, openGauss and KingbaseES all accept.
 */
export interface SchemaStep {
  /** Unique across the platform; steps run in id order, each once. */
  id: number;
  name: string;
  sql: string[];
}

const CORE_STEPS: SchemaStep[] = [
  {
    id: 1,
    name: 'metadata store',
    sql: [
      `CREATE TABLE meta_item (
        id uuid NOT NULL,
        version integer NOT NULL,
        kind varchar(20) NOT NULL,
        namespace varchar(100) NOT NULL,
        identifier varchar(100) NOT NULL,
        name varchar(300) NOT NULL,
        workflow_status varchar(20) NOT NULL,
        body jsonb NOT NULL,
        resolved jsonb,
        created_by varchar(100) NOT NULL,
        created_at timestamp NOT NULL,
        updated_at timestamp NOT NULL,
        published_at timestamp,
        PRIMARY KEY (id, version)
      )`,
      `CREATE UNIQUE INDEX meta_item_identifier ON meta_item (kind, namespace, identifier, version)`,
      `CREATE INDEX meta_item_status ON meta_item (kind, workflow_status)`,
      `CREATE TABLE dataset_table (
        code varchar(40) PRIMARY KEY,
        dataset_id uuid NOT NULL,
        version integer NOT NULL,
        table_name varchar(63) NOT NULL,
        columns jsonb NOT NULL,
        status varchar(20) NOT NULL,
        updated_at timestamp NOT NULL
      )`,
      `CREATE TABLE dataset_migration (
        id uuid PRIMARY KEY,
        code varchar(40) NOT NULL,
        from_version integer,
        to_version integer NOT NULL,
        steps jsonb NOT NULL,
        applied_by varchar(100) NOT NULL,
        applied_at timestamp NOT NULL
      )`,
      `CREATE TABLE audit_log (
        seq bigserial PRIMARY KEY,
        at timestamp NOT NULL,
        actor varchar(100) NOT NULL,
        action varchar(40) NOT NULL,
        resource varchar(200) NOT NULL,
        record_id varchar(100),
        detail jsonb
      )`,
      `CREATE TABLE platform_setting (
        key varchar(100) PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamp NOT NULL
      )`,
    ],
  },
];

/**
 * Runs the core steps, the audit trail's (every write path needs them; passing them again is
 * harmless) and those that other platform parts (security, …) contribute.
 */
export async function migratePlatformSchema(db: Database, extraSteps: SchemaStep[] = []): Promise<void> {
  const steps = uniqueSteps([...CORE_STEPS, ...AUDIT_SCHEMA_STEPS, ...extraSteps]);
  await db.query(`CREATE TABLE IF NOT EXISTS platform_schema_step (
    id integer PRIMARY KEY, name varchar(100) NOT NULL, applied_at timestamp NOT NULL)`);
  const done = new Set(
    (await db.query<{ id: number }>('SELECT id FROM platform_schema_step')).map(r => r.id),
  );
  for (const step of steps.filter(s => !done.has(s.id))) {
    await db.transaction(async tx => {
      // Instances starting together on one server take turns; the loser finds the step done.
      await tx.query('SELECT pg_advisory_xact_lock(7340001)');
      const [again] = await tx.query('SELECT 1 FROM platform_schema_step WHERE id = $1', [step.id]);
      if (again) return;
      for (const sql of step.sql) await tx.query(sql);
      await tx.query('INSERT INTO platform_schema_step (id, name, applied_at) VALUES ($1, $2, now())', [
        step.id,
        step.name,
      ]);
    });
  }
}

function uniqueSteps(steps: SchemaStep[]): SchemaStep[] {
  const byId = new Map<number, SchemaStep>();
  for (const step of steps) {
    const seen = byId.get(step.id);
    if (seen && seen !== step) throw new Error(`schema steps "${seen.name}" and "${step.name}" share id ${step.id}`);
    byId.set(step.id, step);
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
