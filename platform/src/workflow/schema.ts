import type { SchemaStep } from '../database/schema';

/**
 * The workflow tables. `wf_task` is the inbox and the source of truth for who must act; the
 * engine's saved state sits beside it on `wf_instance` and both change in one transaction.
 * `(execution_id, slot)` is unique: a waiting activity gets its tasks once, whatever happens.
 */
export const WORKFLOW_SCHEMA_STEPS: SchemaStep[] = [
  {
    id: 301,
    name: 'workflow engine',
    sql: [
      `CREATE TABLE wf_definition (
        id uuid PRIMARY KEY,
        key varchar(100) NOT NULL,
        version integer NOT NULL,
        name varchar(200) NOT NULL,
        xml text NOT NULL,
        config jsonb NOT NULL,
        settings jsonb NOT NULL,
        created_by varchar(100) NOT NULL,
        created_at timestamp NOT NULL
      )`,
      `CREATE UNIQUE INDEX wf_definition_key ON wf_definition (key, version)`,
      `CREATE TABLE wf_instance (
        id uuid PRIMARY KEY,
        definition_id uuid NOT NULL,
        definition_key varchar(100) NOT NULL,
        definition_version integer NOT NULL,
        business_key varchar(200),
        title varchar(300) NOT NULL,
        status varchar(20) NOT NULL,
        variables jsonb NOT NULL,
        state jsonb,
        revision integer NOT NULL,
        next_timer_at timestamp,
        started_by varchar(100) NOT NULL,
        starter_org varchar(60),
        started_at timestamp NOT NULL,
        updated_at timestamp NOT NULL,
        ended_at timestamp
      )`,
      `CREATE INDEX wf_instance_timer ON wf_instance (next_timer_at)`,
      `CREATE INDEX wf_instance_business ON wf_instance (definition_key, business_key)`,
      `CREATE TABLE wf_task (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL,
        activity_id varchar(100) NOT NULL,
        execution_id varchar(200) NOT NULL,
        slot integer NOT NULL,
        name varchar(200) NOT NULL,
        assignee varchar(100),
        candidate_roles text[] NOT NULL,
        org_code varchar(60),
        approval varchar(20) NOT NULL,
        status varchar(20) NOT NULL,
        decision varchar(20),
        comment text,
        completed_by varchar(100),
        completed_at timestamp,
        delegated_from varchar(100),
        due_at timestamp,
        reminded_at timestamp,
        created_at timestamp NOT NULL
      )`,
      `CREATE UNIQUE INDEX wf_task_slot ON wf_task (execution_id, slot)`,
      `CREATE INDEX wf_task_assignee ON wf_task (assignee, status)`,
      `CREATE INDEX wf_task_instance ON wf_task (instance_id)`,
      `CREATE INDEX wf_task_open_due ON wf_task (status, due_at)`,
      `CREATE TABLE wf_event (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL,
        at timestamp NOT NULL,
        actor varchar(100) NOT NULL,
        type varchar(40) NOT NULL,
        task_id uuid,
        activity_id varchar(100),
        comment text,
        detail jsonb
      )`,
      `CREATE INDEX wf_event_instance ON wf_event (instance_id, at)`,
      `CREATE TABLE wf_attachment (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL,
        event_id uuid NOT NULL,
        name varchar(200) NOT NULL,
        media_type varchar(100) NOT NULL,
        size integer NOT NULL,
        content bytea NOT NULL,
        created_by varchar(100) NOT NULL,
        created_at timestamp NOT NULL
      )`,
      `CREATE INDEX wf_attachment_instance ON wf_attachment (instance_id)`,
      `CREATE TABLE wf_notification (
        id uuid PRIMARY KEY,
        username varchar(100) NOT NULL,
        instance_id uuid,
        task_id uuid,
        template varchar(60) NOT NULL,
        title varchar(300) NOT NULL,
        body text NOT NULL,
        created_at timestamp NOT NULL,
        read_at timestamp
      )`,
      `CREATE INDEX wf_notification_user ON wf_notification (username, created_at)`,
      `CREATE TABLE wf_resource_grant (
        id uuid PRIMARY KEY,
        resource_id varchar(200) NOT NULL,
        username varchar(100) NOT NULL,
        fields jsonb NOT NULL,
        purpose text,
        instance_id uuid NOT NULL,
        granted_at timestamp NOT NULL,
        expires_at timestamp NOT NULL,
        revoked_at timestamp,
        revoked_by varchar(100)
      )`,
      `CREATE INDEX wf_resource_grant_user ON wf_resource_grant (username, resource_id)`,
      `CREATE TABLE wf_template (
        key varchar(60) PRIMARY KEY,
        title text NOT NULL,
        body text NOT NULL,
        updated_by varchar(100) NOT NULL,
        updated_at timestamp NOT NULL
      )`,
    ],
  },
  {
    id: 302,
    name: 'open-data resources',
    sql: [
      `CREATE TABLE wf_resource (
        code varchar(100) NOT NULL,
        version integer NOT NULL,
        name varchar(200) NOT NULL,
        description text,
        dataset_code varchar(40) NOT NULL,
        fields jsonb NOT NULL,
        row_filter jsonb,
        clearance integer NOT NULL,
        owner varchar(100) NOT NULL,
        updated_by varchar(100) NOT NULL,
        updated_at timestamp NOT NULL,
        PRIMARY KEY (code, version)
      )`,
    ],
  },
  {
    id: 311,
    name: 'open-data grants: revocation reason; applications by applicant',
    sql: [
      `ALTER TABLE wf_resource_grant ADD COLUMN revoke_reason text`,
      `CREATE INDEX wf_instance_started_by ON wf_instance (started_by, definition_key)`,
    ],
  },
];
