import type { SchemaStep } from '../database/schema';

/** platform_setting key: the last seq before the trail was authenticated (older rows have no MAC). */
export const CHAIN_START_SETTING = 'audit-chain-start';

/**
 * The tamper-evident trail's columns and tables. migratePlatformSchema always applies these, since
 * every write path fills the new columns.
 *
 * Privileges in production (optional; run by the DBA, not by the platform):
 *   REVOKE ALL ON audit_log, audit_checkpoint FROM lingshu_app;
 *   GRANT SELECT, INSERT ON audit_log TO lingshu_app;
 *   GRANT UPDATE (hash) ON audit_log TO lingshu_app;
 *   GRANT SELECT, INSERT ON audit_checkpoint TO lingshu_app;
 *   GRANT USAGE ON SEQUENCE audit_log_seq_seq TO lingshu_app;
 * Even then the owner or a superuser can change rows: the MACs, the chain and the signed
 * checkpoints are what make that visible.
 */
export const AUDIT_SCHEMA_STEPS: SchemaStep[] = [
  {
    id: 20,
    name: 'audit trail: authenticated rows',
    sql: [
      'ALTER TABLE audit_log ADD COLUMN mac varchar(64)',
      'ALTER TABLE audit_log ADD COLUMN hash varchar(64)',
      'ALTER TABLE audit_log ADD COLUMN client_ip varchar(64)',
      'ALTER TABLE audit_log ADD COLUMN outcome varchar(20)',
    ],
  },
  {
    id: 21,
    name: 'audit trail: signed checkpoints',
    sql: [
      `CREATE TABLE audit_checkpoint (
        seq bigint PRIMARY KEY,
        hash varchar(64) NOT NULL,
        signature text NOT NULL,
        public_key text NOT NULL,
        signed_at timestamp NOT NULL
      )`,
    ],
  },
  {
    id: 22,
    name: 'audit trail: chain start',
    sql: [
      `INSERT INTO platform_setting (key, value, updated_at)
       SELECT '${CHAIN_START_SETTING}', CAST(CAST(COALESCE(max(seq), 0) AS varchar) AS jsonb), now() FROM audit_log`,
    ],
  },
  {
    id: 23,
    name: 'audit trail: time index off the write path',
    sql: [
      // Auditors search by time. An index the insert must update cost ~10% of a single audited
      // write; this one only takes rows as the sealer seals them. The few unsealed rows (after
      // the newest checkpoint) are found by primary key. (The first version of step 20 created
      // a full index on `at`.)
      'DROP INDEX IF EXISTS audit_log_at',
      'CREATE INDEX audit_log_sealed_at ON audit_log (at) WHERE hash IS NOT NULL',
    ],
  },
];
