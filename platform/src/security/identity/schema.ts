import { SchemaStep } from '../../database/schema';

/** Users, roles, the institution tree and sessions. */
export const IDENTITY_SCHEMA_STEPS: SchemaStep[] = [
  {
    id: 40,
    name: 'identity',
    sql: [
      `CREATE TABLE org_unit (
        code varchar(40) PRIMARY KEY,
        name varchar(200) NOT NULL,
        kind varchar(20) NOT NULL,
        parent_code varchar(40),
        division_code varchar(12),
        created_at timestamp NOT NULL
      )`,
      `CREATE INDEX org_unit_parent ON org_unit (parent_code)`,
      `CREATE TABLE app_role (
        code varchar(60) PRIMARY KEY,
        name varchar(100) NOT NULL,
        description varchar(500),
        builtin boolean NOT NULL,
        admin_kind varchar(20),
        permissions jsonb NOT NULL,
        row_scope varchar(20) NOT NULL,
        clearance integer NOT NULL,
        updated_at timestamp NOT NULL
      )`,
      `CREATE TABLE app_user (
        id uuid PRIMARY KEY,
        username varchar(60) NOT NULL UNIQUE,
        display_name varchar(100) NOT NULL,
        org_code varchar(40),
        password_hash varchar(200) NOT NULL,
        password_history jsonb NOT NULL,
        password_changed_at timestamp NOT NULL,
        must_change boolean NOT NULL,
        failed_count integer NOT NULL,
        locked_until timestamp,
        status varchar(20) NOT NULL,
        created_at timestamp NOT NULL
      )`,
      `CREATE TABLE user_role (
        user_id uuid NOT NULL,
        role_code varchar(60) NOT NULL,
        PRIMARY KEY (user_id, role_code)
      )`,
      `CREATE TABLE app_session (
        token_hash varchar(64) PRIMARY KEY,
        user_id uuid NOT NULL,
        client_ip varchar(64),
        created_at timestamp NOT NULL,
        last_seen_at timestamp NOT NULL,
        expires_at timestamp NOT NULL
      )`,
      `CREATE INDEX app_session_user ON app_session (user_id)`,
    ],
  },
];
