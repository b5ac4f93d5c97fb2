import type { SchemaStep } from '../database/schema';

/**
 * Master-data mapping (issue 6): standard vocabularies (terms per version), institutions' source
 * dictionaries with their loads and changes, entries with suggestions and mappings, the entry
 * history, one task per dictionary and the knowledge base of confirmed mappings.
 */
export const MAPPING_SCHEMA_STEPS: SchemaStep[] = [
  {
    id: 601,
    name: 'master-data mapping',
    sql: [
      `CREATE TABLE map_vocabulary (
        code varchar(100) PRIMARY KEY,
        name varchar(200) NOT NULL,
        domain varchar(20) NOT NULL,
        value_domain varchar(100),
        version integer NOT NULL,
        terms integer NOT NULL,
        auto_accept double precision,
        imported_at timestamp,
        imported_by varchar(100),
        created_at timestamp NOT NULL
      )`,
      `CREATE TABLE map_term (
        vocabulary varchar(100) NOT NULL,
        version integer NOT NULL,
        code varchar(100) NOT NULL,
        name varchar(500) NOT NULL,
        aliases jsonb,
        PRIMARY KEY (vocabulary, version, code)
      )`,
      `CREATE TABLE map_dictionary (
        id uuid PRIMARY KEY,
        institution varchar(40) NOT NULL,
        kind varchar(30) NOT NULL,
        name varchar(200) NOT NULL,
        vocabulary varchar(100) NOT NULL,
        second_check boolean NOT NULL,
        auto_accept double precision,
        version integer NOT NULL,
        loaded_at timestamp,
        created_by varchar(100) NOT NULL,
        created_at timestamp NOT NULL
      )`,
      `CREATE INDEX map_dictionary_institution ON map_dictionary (institution, kind)`,
      `CREATE TABLE map_load (
        dictionary_id uuid NOT NULL,
        version integer NOT NULL,
        loaded_at timestamp NOT NULL,
        loaded_by varchar(100) NOT NULL,
        added integer NOT NULL,
        changed integer NOT NULL,
        removed integer NOT NULL,
        unchanged integer NOT NULL,
        PRIMARY KEY (dictionary_id, version)
      )`,
      `CREATE TABLE map_change (
        dictionary_id uuid NOT NULL,
        version integer NOT NULL,
        code varchar(100) NOT NULL,
        change varchar(10) NOT NULL,
        before jsonb,
        after jsonb,
        PRIMARY KEY (dictionary_id, version, code)
      )`,
      `CREATE TABLE map_task (
        id uuid PRIMARY KEY,
        dictionary_id uuid NOT NULL UNIQUE,
        assignee varchar(100),
        assigned_by varchar(100),
        assigned_at timestamp,
        created_at timestamp NOT NULL
      )`,
      `CREATE TABLE map_entry (
        id uuid PRIMARY KEY,
        dictionary_id uuid NOT NULL,
        code varchar(100) NOT NULL,
        name varchar(500) NOT NULL,
        attributes jsonb,
        removed boolean NOT NULL,
        status varchar(20) NOT NULL,
        codes jsonb,
        auto boolean NOT NULL,
        mapped_by varchar(100),
        mapped_at timestamp,
        proposal jsonb,
        suggestions jsonb,
        confidence double precision,
        pending_codes jsonb,
        review_instance uuid,
        reason varchar(500),
        updated_at timestamp NOT NULL,
        UNIQUE (dictionary_id, code)
      )`,
      `CREATE INDEX map_entry_status ON map_entry (dictionary_id, status)`,
      `CREATE TABLE map_entry_event (
        seq bigserial PRIMARY KEY,
        entry_id uuid NOT NULL,
        at timestamp NOT NULL,
        by_user varchar(100) NOT NULL,
        action varchar(20) NOT NULL,
        codes jsonb,
        comment varchar(1000)
      )`,
      `CREATE INDEX map_entry_event_entry ON map_entry_event (entry_id, seq)`,
      `CREATE TABLE map_knowledge (
        id uuid PRIMARY KEY,
        institution varchar(40) NOT NULL,
        vocabulary varchar(100) NOT NULL,
        source_code varchar(100),
        source_text varchar(500) NOT NULL,
        normalized varchar(500) NOT NULL,
        codes jsonb NOT NULL,
        by_user varchar(100) NOT NULL,
        at timestamp NOT NULL
      )`,
    ],
  },
];
