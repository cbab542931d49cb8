/*
 * store_migrations: plumb's schema, as numbered migrations embedded in the
 * binary.  Portable SQL with {{TOKEN}}s the engine expands; an engine-only
 * extra (such as append-only triggers) sits in its own field.  Never edit a
 * released migration: add a new one.
 *
 * {{PK}} is a generated integer key; {{INT_PK}} an integer key plumb assigns
 * itself (the audit sequence number), which SQLite stores as the rowid
 * rather than in a separate index.
 * {{TEXT}} is text compared byte by byte (SQLite's default; PostgreSQL gets
 * COLLATE "C"), so ORDER BY gives the same order on every engine; {{BYTES}}
 * the same for an expression (empty on SQLite).
 * {{WITHOUT_ROWID}} clusters a table on its primary key where the engine
 * can (SQLite): identities are looked up and inserted by (system, login),
 * and one B-tree instead of two makes large imports markedly faster.
 *
 * Conventions: times are BIGINT UTC milliseconds; history tables carry
 * valid_from (inclusive) and valid_to (exclusive, NULL = current).
 */
#include "store/store_engine.h"

static const char schema_v1[] =
        "CREATE TABLE meta (key {{TEXT}} PRIMARY KEY, value {{TEXT}} NOT NULL);\n"
        "CREATE TABLE people (\n"
        "  id {{PK}},\n"
        "  employee_id {{TEXT}} NOT NULL UNIQUE,\n"
        "  name {{TEXT}} NOT NULL,\n"
        "  email {{TEXT}} NOT NULL,\n"
        "  title {{TEXT}} NOT NULL DEFAULT '',\n"
        "  country {{TEXT}} NOT NULL,\n"
        "  track {{TEXT}} NOT NULL,\n"
        "  role_profile {{TEXT}} NOT NULL,\n"
        "  start_date BIGINT NOT NULL,\n"
        "  end_date BIGINT,\n"
        "  created_at BIGINT NOT NULL,\n"
        "  updated_at BIGINT NOT NULL);\n"
        "CREATE INDEX people_email ON people(email);\n"
        "CREATE TABLE teams (\n"
        "  id {{PK}},\n"
        "  name {{TEXT}} NOT NULL UNIQUE,\n"
        "  kind {{TEXT}} NOT NULL DEFAULT 'permanent',\n"
        "  parent_id BIGINT REFERENCES teams(id),\n"
        "  created_at BIGINT NOT NULL,\n"
        "  ended_at BIGINT);\n"
        "CREATE TABLE team_memberships (\n"
        "  id {{PK}},\n"
        "  person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  team_id BIGINT NOT NULL REFERENCES teams(id),\n"
        "  valid_from BIGINT NOT NULL,\n"
        "  valid_to BIGINT);\n"
        "CREATE INDEX team_memberships_person ON team_memberships(person_id, valid_from);\n"
        "CREATE INDEX team_memberships_team ON team_memberships(team_id);\n"
        "CREATE TABLE reporting_lines (\n"
        "  id {{PK}},\n"
        "  person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  manager_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  valid_from BIGINT NOT NULL,\n"
        "  valid_to BIGINT);\n"
        "CREATE INDEX reporting_lines_person ON reporting_lines(person_id, valid_from);\n"
        "CREATE INDEX reporting_lines_manager ON reporting_lines(manager_id);\n"
        "CREATE TABLE levels (\n"
        "  id {{PK}},\n"
        "  person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  level {{TEXT}} NOT NULL,\n"
        "  valid_from BIGINT NOT NULL,\n"
        "  valid_to BIGINT);\n"
        "CREATE INDEX levels_person ON levels(person_id, valid_from);\n"
        "CREATE TABLE services (\n"
        "  id {{PK}},\n"
        "  name {{TEXT}} NOT NULL UNIQUE,\n"
        "  description {{TEXT}} NOT NULL DEFAULT '',\n"
        "  created_at BIGINT NOT NULL);\n"
        "CREATE TABLE service_owners (\n"
        "  id {{PK}},\n"
        "  service_id BIGINT NOT NULL REFERENCES services(id),\n"
        "  team_id BIGINT NOT NULL REFERENCES teams(id),\n"
        "  valid_from BIGINT NOT NULL,\n"
        "  valid_to BIGINT);\n"
        "CREATE INDEX service_owners_service ON service_owners(service_id, valid_from);\n"
        "CREATE TABLE identities (\n"
        "  system {{TEXT}} NOT NULL,\n"
        "  login {{TEXT}} NOT NULL,\n"
        "  person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  created_at BIGINT NOT NULL,\n"
        "  PRIMARY KEY (system, login)){{WITHOUT_ROWID}};\n"
        "CREATE INDEX identities_person ON identities(person_id);\n"
        "CREATE TABLE users (\n"
        "  id {{PK}},\n"
        "  name {{TEXT}} NOT NULL UNIQUE,\n"
        "  person_id BIGINT REFERENCES people(id),\n"
        "  disabled INTEGER NOT NULL DEFAULT 0,\n"
        "  created_at BIGINT NOT NULL);\n"
        "CREATE TABLE user_roles (\n"
        "  id {{PK}},\n"
        "  user_id BIGINT NOT NULL REFERENCES users(id),\n"
        "  role {{TEXT}} NOT NULL,\n"
        "  team_id BIGINT REFERENCES teams(id));\n"
        "CREATE INDEX user_roles_user ON user_roles(user_id);\n"
        "CREATE TABLE audit_log (\n"
        "  seq {{INT_PK}},\n"
        "  at BIGINT NOT NULL,\n"
        "  actor {{TEXT}} NOT NULL,\n"
        "  os_user {{TEXT}},\n"
        "  action {{TEXT}} NOT NULL,\n"
        "  object_type {{TEXT}} NOT NULL,\n"
        "  object_id {{TEXT}} NOT NULL,\n"
        "  detail {{TEXT}} NOT NULL,\n"
        "  prev_hash {{TEXT}} NOT NULL,\n"
        "  hash {{TEXT}} NOT NULL);\n"
        "CREATE INDEX audit_log_object ON audit_log(object_type, object_id);\n"
        "CREATE TABLE audit_checkpoints (\n"
        "  seq {{INT_PK}},\n"
        "  hash {{TEXT}} NOT NULL,\n"
        "  at BIGINT NOT NULL,\n"
        "  key_id {{TEXT}} NOT NULL,\n"
        "  signature {{TEXT}} NOT NULL);\n"
        "INSERT INTO users(name, person_id, disabled, created_at) VALUES ('admin', NULL, 0, 0);\n"
        "INSERT INTO user_roles(user_id, role, team_id) SELECT id, 'admin', NULL FROM users WHERE "
        "name = 'admin';\n";

/* Append-only guards: they stop accidents, not an operator (the signed
 * checkpoints catch that). */
static const char schema_v1_sqlite[] =
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n"
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n";

static const char schema_v1_pg[] =
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;\n"
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();\n"
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();\n";

/* Data sources: credentials are the names of environment variables, never
 * their values; config is the kind's settings as a JSON object. */
static const char schema_v2[] = "CREATE TABLE sources (\n"
                                "  id {{PK}},\n"
                                "  name {{TEXT}} NOT NULL UNIQUE,\n"
                                "  kind {{TEXT}} NOT NULL,\n"
                                "  config {{TEXT}} NOT NULL,\n"
                                "  token_env {{TEXT}},\n"
                                "  webhook_secret_env {{TEXT}},\n"
                                "  created_at BIGINT NOT NULL,\n"
                                "  updated_at BIGINT NOT NULL);\n";

/* Which service a repository (or a path in it), a Jenkins job or a
 * PagerDuty service belongs to; '' as path_prefix is the whole repository. */
static const char schema_v3[] = "CREATE TABLE service_mappings (\n"
                                "  id {{PK}},\n"
                                "  system {{TEXT}} NOT NULL,\n"
                                "  key {{TEXT}} NOT NULL,\n"
                                "  path_prefix {{TEXT}} NOT NULL DEFAULT '',\n"
                                "  service_id BIGINT NOT NULL REFERENCES services(id),\n"
                                "  created_at BIGINT NOT NULL,\n"
                                "  updated_at BIGINT NOT NULL,\n"
                                "  UNIQUE (system, key, path_prefix));\n";

/* Ingestion.  A run stages what it reads (raw documents, parsed rows) in
 * short transactions and publishes it into events in one; staging rows
 * are working state no one reads, so only the publish is audited.
 * raw_payloads are content-addressed per source (the same page read twice
 * is kept once); the body is zstd-compressed, then base64 so both engines
 * keep it as text.  event_versions keeps each row an upstream edit
 * replaced.  lower(...) indexes serve the case-blind account matches. */
static const char schema_v4[] =
        "CREATE TABLE ingest_runs (\n"
        "  id {{PK}},\n"
        "  source_id BIGINT NOT NULL REFERENCES sources(id),\n"
        "  mode {{TEXT}} NOT NULL,\n"
        "  actor {{TEXT}} NOT NULL,\n"
        "  status {{TEXT}} NOT NULL,\n"
        "  started_at BIGINT NOT NULL,\n"
        "  finished_at BIGINT,\n"
        "  documents BIGINT NOT NULL DEFAULT 0,\n"
        "  records BIGINT NOT NULL DEFAULT 0,\n"
        "  inserted BIGINT NOT NULL DEFAULT 0,\n"
        "  updated BIGINT NOT NULL DEFAULT 0,\n"
        "  unchanged BIGINT NOT NULL DEFAULT 0,\n"
        "  requests BIGINT NOT NULL DEFAULT 0,\n"
        "  not_modified BIGINT NOT NULL DEFAULT 0,\n"
        "  error {{TEXT}});\n"
        "CREATE INDEX ingest_runs_source ON ingest_runs(source_id, id);\n"
        "CREATE TABLE raw_payloads (\n"
        "  id {{PK}},\n"
        "  source_id BIGINT NOT NULL REFERENCES sources(id),\n"
        "  run_id BIGINT NOT NULL REFERENCES ingest_runs(id),\n"
        "  format {{TEXT}} NOT NULL,\n"
        "  origin {{TEXT}} NOT NULL,\n"
        "  event_name {{TEXT}},\n"
        "  fetched_at BIGINT NOT NULL,\n"
        "  sha256 {{TEXT}} NOT NULL,\n"
        "  size BIGINT NOT NULL,\n"
        "  encoding {{TEXT}} NOT NULL,\n"
        "  body {{TEXT}} NOT NULL,\n"
        "  UNIQUE (source_id, sha256));\n"
        "CREATE TABLE run_documents (\n"
        "  run_id BIGINT NOT NULL REFERENCES ingest_runs(id),\n"
        "  seq BIGINT NOT NULL,\n"
        "  raw_id BIGINT NOT NULL REFERENCES raw_payloads(id),\n"
        "  resource {{TEXT}} NOT NULL,\n"
        "  records BIGINT NOT NULL,\n"
        "  declared_total BIGINT,\n"
        "  PRIMARY KEY (run_id, seq));\n"
        "CREATE INDEX run_documents_raw ON run_documents(raw_id);\n"
        "CREATE TABLE sync_cursors (\n"
        "  source_id BIGINT NOT NULL REFERENCES sources(id),\n"
        "  resource {{TEXT}} NOT NULL,\n"
        "  cursor {{TEXT}},\n"
        "  etag {{TEXT}},\n"
        "  updated_at BIGINT NOT NULL,\n"
        "  PRIMARY KEY (source_id, resource));\n"
        "CREATE TABLE run_cursors (\n"
        "  run_id BIGINT NOT NULL REFERENCES ingest_runs(id),\n"
        "  resource {{TEXT}} NOT NULL,\n"
        "  cursor {{TEXT}},\n"
        "  etag {{TEXT}},\n"
        "  PRIMARY KEY (run_id, resource));\n"
        "CREATE TABLE ingest_staging (\n"
        "  run_id BIGINT NOT NULL REFERENCES ingest_runs(id),\n"
        "  seq BIGINT NOT NULL,\n"
        "  kind {{TEXT}} NOT NULL,\n"
        "  external_id {{TEXT}} NOT NULL,\n"
        "  owner_system {{TEXT}},\n"
        "  owner_key {{TEXT}},\n"
        "  account_system {{TEXT}},\n"
        "  account {{TEXT}},\n"
        "  account_email {{TEXT}},\n"
        "  account_name {{TEXT}},\n"
        "  is_bot INTEGER NOT NULL,\n"
        "  occurred_at BIGINT NOT NULL,\n"
        "  ended_at BIGINT,\n"
        "  updated_at BIGINT,\n"
        "  status {{TEXT}},\n"
        "  environment {{TEXT}},\n"
        "  sha {{TEXT}},\n"
        "  ref {{TEXT}},\n"
        "  number {{TEXT}},\n"
        "  title {{TEXT}},\n"
        "  url {{TEXT}},\n"
        "  parent_id {{TEXT}},\n"
        "  attrs {{TEXT}},\n"
        "  raw_id BIGINT NOT NULL,\n"
        "  PRIMARY KEY (run_id, seq));\n"
        "CREATE INDEX ingest_staging_key ON ingest_staging(run_id, kind, external_id);\n"
        "CREATE TABLE events (\n"
        "  id {{PK}},\n"
        "  source_id BIGINT NOT NULL REFERENCES sources(id),\n"
        "  kind {{TEXT}} NOT NULL,\n"
        "  external_id {{TEXT}} NOT NULL,\n"
        "  version INTEGER NOT NULL,\n"
        "  owner_system {{TEXT}},\n"
        "  owner_key {{TEXT}},\n"
        "  service_id BIGINT REFERENCES services(id),\n"
        "  team_id BIGINT REFERENCES teams(id),\n"
        "  account_system {{TEXT}},\n"
        "  account {{TEXT}},\n"
        "  account_email {{TEXT}},\n"
        "  account_name {{TEXT}},\n"
        "  person_id BIGINT REFERENCES people(id),\n"
        "  is_bot INTEGER NOT NULL,\n"
        "  occurred_at BIGINT NOT NULL,\n"
        "  ended_at BIGINT,\n"
        "  updated_at BIGINT,\n"
        "  status {{TEXT}},\n"
        "  environment {{TEXT}},\n"
        "  sha {{TEXT}},\n"
        "  ref {{TEXT}},\n"
        "  number {{TEXT}},\n"
        "  title {{TEXT}},\n"
        "  url {{TEXT}},\n"
        "  parent_id {{TEXT}},\n"
        "  attrs {{TEXT}},\n"
        "  raw_id BIGINT NOT NULL REFERENCES raw_payloads(id),\n"
        "  run_id BIGINT NOT NULL REFERENCES ingest_runs(id),\n"
        "  first_seen BIGINT NOT NULL,\n"
        "  last_changed BIGINT NOT NULL,\n"
        "  UNIQUE (source_id, kind, external_id));\n"
        "CREATE INDEX events_kind_time ON events(kind, occurred_at);\n"
        "CREATE INDEX events_account ON events(account_system, account);\n"
        "CREATE INDEX events_service ON events(service_id, occurred_at);\n"
        "CREATE INDEX events_raw ON events(raw_id);\n"
        "CREATE TABLE event_versions (\n"
        "  event_id BIGINT NOT NULL REFERENCES events(id),\n"
        "  version INTEGER NOT NULL,\n"
        "  service_id BIGINT,\n"
        "  team_id BIGINT,\n"
        "  person_id BIGINT,\n"
        "  owner_system {{TEXT}},\n"
        "  owner_key {{TEXT}},\n"
        "  account_system {{TEXT}},\n"
        "  account {{TEXT}},\n"
        "  account_email {{TEXT}},\n"
        "  account_name {{TEXT}},\n"
        "  is_bot INTEGER NOT NULL,\n"
        "  occurred_at BIGINT NOT NULL,\n"
        "  ended_at BIGINT,\n"
        "  updated_at BIGINT,\n"
        "  status {{TEXT}},\n"
        "  environment {{TEXT}},\n"
        "  sha {{TEXT}},\n"
        "  ref {{TEXT}},\n"
        "  number {{TEXT}},\n"
        "  title {{TEXT}},\n"
        "  url {{TEXT}},\n"
        "  parent_id {{TEXT}},\n"
        "  attrs {{TEXT}},\n"
        "  raw_id BIGINT NOT NULL REFERENCES raw_payloads(id),\n"
        "  run_id BIGINT NOT NULL REFERENCES ingest_runs(id),\n"
        "  superseded_at BIGINT NOT NULL,\n"
        "  PRIMARY KEY (event_id, version));\n"
        "CREATE TABLE person_merges (\n"
        "  from_person_id BIGINT PRIMARY KEY REFERENCES people(id),\n"
        "  into_person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  merged_at BIGINT NOT NULL,\n"
        "  reason {{TEXT}} NOT NULL);\n"
        "CREATE INDEX identities_lower ON identities(lower(login), system);\n"
        "CREATE INDEX people_email_lower ON people(lower(email));\n";

/* Metrics.  metric_defs holds every version of every definition (built-in
 * or from YAML); a version is immutable once stored, approvals and status
 * move.  metric_objectives maps a key (all its versions) to business
 * objectives.  metric_settings holds what definitions read per org, team
 * or service (production environment names, time zone, failure window,
 * Jira statuses); scope_id 0 is the org.  service_stages is effective-dated.
 * metric_values are stored results, each with its lineage: the events it
 * read, a deployment's changes kept as a commit range (from_sha, to_sha).
 * Lineage rows have no foreign keys: they are written in the transaction
 * that stores their value, from events read in it, and on PostgreSQL the
 * two checks per row took 13 of 17 s for a four-key run's 470,000 rows
 * (docs/PERFORMANCE.md).  Retention that deletes events deletes their
 * lineage with them.
 * deploy_changes keeps each production deployment's changes (their start
 * times) as the four keys last computed them, and metric_state how far
 * they were computed (since schema 11: the last ingestion run and the count
 * of other changes), so a later computation walks the commits of changed
 * services only.
 * slos hold OpenSLO specs by version; sli_samples their data points. */
static const char schema_v5[] =
        "CREATE TABLE metric_defs (\n"
        "  id {{PK}},\n"
        "  key {{TEXT}} NOT NULL,\n"
        "  version INTEGER NOT NULL,\n"
        "  name {{TEXT}} NOT NULL,\n"
        "  description {{TEXT}} NOT NULL,\n"
        "  unit {{TEXT}} NOT NULL,\n"
        "  direction {{TEXT}} NOT NULL,\n"
        "  indicator {{TEXT}} NOT NULL,\n"
        "  stages {{TEXT}} NOT NULL,\n"
        "  scopes {{TEXT}} NOT NULL,\n"
        "  audiences {{TEXT}} NOT NULL,\n"
        "  stakeholders {{TEXT}} NOT NULL,\n"
        "  owner {{TEXT}} NOT NULL,\n"
        "  review_interval_days INTEGER NOT NULL,\n"
        "  next_review BIGINT NOT NULL,\n"
        "  status {{TEXT}} NOT NULL,\n"
        "  incentive_linked INTEGER NOT NULL,\n"
        "  builtin INTEGER NOT NULL,\n"
        "  formula {{TEXT}} NOT NULL,\n"
        "  params {{TEXT}},\n"
        "  source_text {{TEXT}},\n"
        "  status_reason {{TEXT}},\n"
        "  created_by {{TEXT}} NOT NULL,\n"
        "  created_at BIGINT NOT NULL,\n"
        "  UNIQUE (key, version));\n"
        "CREATE TABLE metric_approvals (\n"
        "  def_id BIGINT NOT NULL REFERENCES metric_defs(id),\n"
        "  function {{TEXT}} NOT NULL,\n"
        "  decision {{TEXT}} NOT NULL,\n"
        "  reason {{TEXT}},\n"
        "  decided_by {{TEXT}} NOT NULL,\n"
        "  decided_at BIGINT NOT NULL,\n"
        "  PRIMARY KEY (def_id, function));\n"
        "CREATE TABLE objectives (\n"
        "  id {{PK}},\n"
        "  name {{TEXT}} NOT NULL UNIQUE,\n"
        "  description {{TEXT}} NOT NULL DEFAULT '');\n"
        "CREATE TABLE metric_objectives (\n"
        "  metric_key {{TEXT}} NOT NULL,\n"
        "  objective_id BIGINT NOT NULL REFERENCES objectives(id),\n"
        "  PRIMARY KEY (metric_key, objective_id));\n"
        "CREATE TABLE metric_settings (\n"
        "  scope {{TEXT}} NOT NULL,\n"
        "  scope_id BIGINT NOT NULL,\n"
        "  key {{TEXT}} NOT NULL,\n"
        "  value {{TEXT}} NOT NULL,\n"
        "  updated_at BIGINT NOT NULL,\n"
        "  PRIMARY KEY (scope, scope_id, key));\n"
        "CREATE TABLE service_stages (\n"
        "  id {{PK}},\n"
        "  service_id BIGINT NOT NULL REFERENCES services(id),\n"
        "  stage {{TEXT}} NOT NULL,\n"
        "  valid_from BIGINT NOT NULL,\n"
        "  UNIQUE (service_id, valid_from));\n"
        "CREATE TABLE metric_values (\n"
        "  id {{PK}},\n"
        "  def_id BIGINT NOT NULL REFERENCES metric_defs(id),\n"
        "  scope {{TEXT}} NOT NULL,\n"
        "  scope_id BIGINT NOT NULL,\n"
        "  period_start BIGINT NOT NULL,\n"
        "  period_end BIGINT NOT NULL,\n"
        "  grain {{TEXT}} NOT NULL,\n"
        "  statistic {{TEXT}} NOT NULL,\n"
        "  value DOUBLE PRECISION,\n"
        "  n BIGINT NOT NULL,\n"
        "  detail {{TEXT}} NOT NULL,\n"
        "  inputs_hash {{TEXT}} NOT NULL,\n"
        "  computed_at BIGINT NOT NULL,\n"
        "  superseded_at BIGINT);\n"
        "CREATE INDEX metric_values_lookup ON metric_values(def_id, scope, "
        "scope_id, grain, period_start);\n"
        "CREATE TABLE metric_lineage (\n"
        "  value_id BIGINT NOT NULL,\n"
        "  event_id BIGINT NOT NULL,\n"
        "  role {{TEXT}} NOT NULL,\n"
        "  from_sha {{TEXT}},\n"
        "  to_sha {{TEXT}},\n"
        "  commits BIGINT,\n"
        "  PRIMARY KEY (value_id, event_id, role));\n"
        "CREATE TABLE deploy_changes (\n"
        "  event_id BIGINT PRIMARY KEY REFERENCES events(id),\n"
        "  service_id BIGINT NOT NULL,\n"
        "  range_unknown INTEGER NOT NULL,\n"
        "  has_revert INTEGER NOT NULL,\n"
        "  commits BIGINT NOT NULL,\n"
        "  starts {{TEXT}} NOT NULL,\n"
        "  computed_at BIGINT NOT NULL);\n"
        "CREATE INDEX deploy_changes_service ON deploy_changes(service_id);\n"
        "CREATE TABLE metric_state (\n"
        "  key {{TEXT}} PRIMARY KEY,\n"
        "  value BIGINT NOT NULL);\n"
        "CREATE TABLE slos (\n"
        "  id {{PK}},\n"
        "  name {{TEXT}} NOT NULL,\n"
        "  version INTEGER NOT NULL,\n"
        "  service_id BIGINT REFERENCES services(id),\n"
        "  spec {{TEXT}} NOT NULL,\n"
        "  created_at BIGINT NOT NULL,\n"
        "  UNIQUE (name, version));\n"
        "CREATE TABLE sli_samples (\n"
        "  slo_name {{TEXT}} NOT NULL,\n"
        "  at BIGINT NOT NULL,\n"
        "  good DOUBLE PRECISION,\n"
        "  bad DOUBLE PRECISION,\n"
        "  total DOUBLE PRECISION,\n"
        "  value DOUBLE PRECISION,\n"
        "  PRIMARY KEY (slo_name, at));\n";

/* Schema 6: the server.  user_credentials holds an argon2id hash (libsodium's
 * encoded string, salt and parameters inside), never the password.  Session
 * ids and API tokens are random 32-byte values given to the client once;
 * only their SHA-256 (hex) is stored, so a copy of the database signs nobody
 * in.  webhook_deliveries remembers each delivery id a source sent, so a
 * redelivery is acknowledged and not stored twice. */
static const char schema_v6[] = "CREATE TABLE user_credentials (\n"
                                "  user_id BIGINT PRIMARY KEY REFERENCES users(id),\n"
                                "  password_hash {{TEXT}} NOT NULL,\n"
                                "  changed_at BIGINT NOT NULL);\n"
                                "CREATE TABLE sessions (\n"
                                "  id_hash {{TEXT}} PRIMARY KEY,\n"
                                "  user_id BIGINT NOT NULL REFERENCES users(id),\n"
                                "  csrf {{TEXT}} NOT NULL,\n"
                                "  created_at BIGINT NOT NULL,\n"
                                "  last_seen BIGINT NOT NULL,\n"
                                "  expires_at BIGINT NOT NULL,\n"
                                "  revoked_at BIGINT);\n"
                                "CREATE INDEX sessions_user ON sessions(user_id);\n"
                                "CREATE TABLE api_tokens (\n"
                                "  id {{PK}},\n"
                                "  token_hash {{TEXT}} NOT NULL UNIQUE,\n"
                                "  user_id BIGINT NOT NULL REFERENCES users(id),\n"
                                "  scope {{TEXT}} NOT NULL,\n"
                                "  created_at BIGINT NOT NULL,\n"
                                "  expires_at BIGINT NOT NULL,\n"
                                "  revoked_at BIGINT);\n"
                                "CREATE INDEX api_tokens_user ON api_tokens(user_id);\n"
                                "CREATE TABLE webhook_deliveries (\n"
                                "  source_id BIGINT NOT NULL REFERENCES sources(id),\n"
                                "  delivery_id {{TEXT}} NOT NULL,\n"
                                "  run_id BIGINT,\n"
                                "  received_at BIGINT NOT NULL,\n"
                                "  PRIMARY KEY (source_id, delivery_id));\n";

/* Schema 7: data governance.  policies keeps every imported version of the
 * policy file (the text as imported, so export gives it back); the newest is
 * in force.  mechanism_approvals are the works-council or leadership
 * approvals a policy demands before a tracking mechanism may run; consents
 * are each person's grants and withdrawals, newest row wins.  legal_holds
 * stop retention from deleting what they cover.  person_demographics sit
 * apart from people so that one grant, and one audited read, covers them.
 * source_readers are the org units a source's owning team lets read its
 * individual-level events.  signoffs and signoff_votes record leadership
 * sign-off on incentive-linked metrics.  withheld_records are the records
 * governance kept out of events (or removed), by a keyed hash of their
 * source key only, so reconcile can tell them from lost records.  An audit
 * entry can be redacted by
 * retention: redacted names the rule, the entry keeps its hash. */
static const char schema_v7[] =
        "CREATE TABLE policies (\n"
        "  id {{PK}},\n"
        "  version INTEGER NOT NULL UNIQUE,\n"
        "  name {{TEXT}} NOT NULL,\n"
        "  source_text {{TEXT}} NOT NULL,\n"
        "  sha256 {{TEXT}} NOT NULL,\n"
        "  imported_at BIGINT NOT NULL,\n"
        "  imported_by {{TEXT}} NOT NULL);\n"
        "CREATE TABLE mechanism_approvals (\n"
        "  id {{PK}},\n"
        "  mechanism {{TEXT}} NOT NULL,\n"
        "  country {{TEXT}} NOT NULL,\n"
        "  body {{TEXT}} NOT NULL,\n"
        "  reference {{TEXT}} NOT NULL,\n"
        "  approved_at BIGINT NOT NULL,\n"
        "  recorded_by {{TEXT}} NOT NULL,\n"
        "  revoked_at BIGINT);\n"
        "CREATE INDEX mechanism_approvals_key ON mechanism_approvals(mechanism, country);\n"
        "CREATE TABLE consents (\n"
        "  id {{PK}},\n"
        "  person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  mechanism {{TEXT}} NOT NULL,\n"
        "  state {{TEXT}} NOT NULL,\n"
        "  at BIGINT NOT NULL,\n"
        "  recorded_by {{TEXT}} NOT NULL,\n"
        "  note {{TEXT}} NOT NULL DEFAULT '');\n"
        "CREATE INDEX consents_person ON consents(person_id, mechanism, at);\n"
        "CREATE TABLE legal_holds (\n"
        "  id {{PK}},\n"
        "  person_id BIGINT REFERENCES people(id),\n"
        "  category {{TEXT}},\n"
        "  reason {{TEXT}} NOT NULL,\n"
        "  created_at BIGINT NOT NULL,\n"
        "  created_by {{TEXT}} NOT NULL,\n"
        "  released_at BIGINT,\n"
        "  released_by {{TEXT}},\n"
        "  release_reason {{TEXT}});\n"
        "CREATE TABLE person_demographics (\n"
        "  person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  attribute {{TEXT}} NOT NULL,\n"
        "  value {{TEXT}} NOT NULL,\n"
        "  updated_at BIGINT NOT NULL,\n"
        "  PRIMARY KEY (person_id, attribute));\n"
        "CREATE TABLE source_readers (\n"
        "  source_id BIGINT NOT NULL REFERENCES sources(id),\n"
        "  team_id BIGINT NOT NULL REFERENCES teams(id),\n"
        "  granted_at BIGINT NOT NULL,\n"
        "  granted_by {{TEXT}} NOT NULL,\n"
        "  PRIMARY KEY (source_id, team_id));\n"
        "CREATE TABLE signoffs (\n"
        "  id {{PK}},\n"
        "  metric_key {{TEXT}} NOT NULL,\n"
        "  metric_version INTEGER NOT NULL,\n"
        "  requested_at BIGINT NOT NULL,\n"
        "  requested_by {{TEXT}} NOT NULL,\n"
        "  status {{TEXT}} NOT NULL,\n"
        "  decided_at BIGINT,\n"
        "  expires_at BIGINT);\n"
        "CREATE INDEX signoffs_metric ON signoffs(metric_key, metric_version);\n"
        "CREATE TABLE signoff_votes (\n"
        "  signoff_id BIGINT NOT NULL REFERENCES signoffs(id),\n"
        "  approver {{TEXT}} NOT NULL,\n"
        "  decision {{TEXT}} NOT NULL,\n"
        "  reason {{TEXT}} NOT NULL,\n"
        "  at BIGINT NOT NULL,\n"
        "  PRIMARY KEY (signoff_id, approver));\n"
        "CREATE TABLE withheld_records (\n"
        "  source_id BIGINT NOT NULL REFERENCES sources(id),\n"
        "  record_hash {{TEXT}} NOT NULL,\n"
        "  reason {{TEXT}} NOT NULL,\n"
        "  run_id BIGINT,\n"
        "  at BIGINT NOT NULL,\n"
        "  PRIMARY KEY (source_id, record_hash));\n"
        "ALTER TABLE sources ADD COLUMN owner_team_id BIGINT REFERENCES teams(id);\n"
        "ALTER TABLE ingest_runs ADD COLUMN skipped BIGINT NOT NULL DEFAULT 0;\n"
        "ALTER TABLE ingest_runs ADD COLUMN pseudonymized BIGINT NOT NULL DEFAULT 0;\n"
        "ALTER TABLE audit_log ADD COLUMN redacted {{TEXT}};\n"
        /* When retention anonymized the event: later lines keep it (retention.c). */
        "ALTER TABLE events ADD COLUMN anonymized_at BIGINT;\n"
        /* Masking counts the people behind a team's aggregate (mask.c). */
        "CREATE INDEX events_team_time ON events(team_id, occurred_at);\n";

/* Retention may redact an audit entry's actor and detail, never its
 * sequence, time, action, object or hashes: the triggers now allow exactly
 * that one change, once. */
static const char schema_v7_sqlite[] =
        "DROP TRIGGER audit_log_no_update;\n"
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "WHEN OLD.redacted IS NOT NULL OR NEW.redacted IS NULL OR NEW.seq <> OLD.seq "
        "OR NEW.at <> OLD.at OR NEW.action <> OLD.action OR NEW.object_type <> OLD.object_type "
        "OR NEW.object_id <> OLD.object_id OR NEW.prev_hash <> OLD.prev_hash "
        "OR NEW.hash <> OLD.hash "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n";

static const char schema_v7_pg[] =
        "CREATE FUNCTION audit_log_redact_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF OLD.redacted IS NOT NULL OR NEW.redacted IS NULL OR NEW.seq <> OLD.seq "
        "OR NEW.at <> OLD.at OR NEW.action <> OLD.action OR NEW.object_type <> OLD.object_type "
        "OR NEW.object_id <> OLD.object_id OR NEW.prev_hash <> OLD.prev_hash "
        "OR NEW.hash <> OLD.hash THEN RAISE EXCEPTION 'audit_log is append-only'; END IF; "
        "RETURN NEW; END $$;\n"
        "DROP TRIGGER audit_log_no_change ON audit_log;\n"
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();\n"
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_redact_only();\n";

/* Schema 8: review cycles.  frameworks keeps every imported career
 * framework (the text as imported; the parse is redone on load).  A cycle
 * runs on one framework version over its teams' members, snapshotted in
 * cycle_members with the home manager, level and role profile they had
 * when it was created; its phases have due dates and move one at a time.
 * review_assignments say who reviews whom in which relation (self,
 * manager, peer, upward, cross_functional); peers start nominated and
 * need the manager's approval.  feedback_responses keep every draft and
 * submission of an assignment as versions (newest wins).  evaluations are
 * versioned too: each change (manager, calibration, dispute) is a new
 * version with who and why; its ratings and their evidence hang off the
 * version.  reminders record each reminder sent, so none is sent twice. */
static const char schema_v8[] =
        "CREATE TABLE frameworks (\n"
        "  id {{PK}},\n"
        "  version INTEGER NOT NULL UNIQUE,\n"
        "  name {{TEXT}} NOT NULL,\n"
        "  text {{TEXT}} NOT NULL,\n"
        "  sha256 {{TEXT}} NOT NULL,\n"
        "  imported_at BIGINT NOT NULL,\n"
        "  imported_by {{TEXT}} NOT NULL);\n"
        "CREATE TABLE cycles (\n"
        "  id {{PK}},\n"
        "  name {{TEXT}} NOT NULL UNIQUE,\n"
        "  kind {{TEXT}} NOT NULL,\n"
        "  framework_version INTEGER NOT NULL,\n"
        "  period_start BIGINT NOT NULL,\n"
        "  period_end BIGINT NOT NULL,\n"
        "  ratings INTEGER NOT NULL,\n"
        "  reviewer_cap INTEGER NOT NULL,\n"
        "  phase {{TEXT}} NOT NULL,\n"
        "  created_at BIGINT NOT NULL,\n"
        "  created_by {{TEXT}} NOT NULL);\n"
        "CREATE TABLE cycle_phases (\n"
        "  cycle_id BIGINT NOT NULL REFERENCES cycles(id),\n"
        "  seq INTEGER NOT NULL,\n"
        "  name {{TEXT}} NOT NULL,\n"
        "  due_at BIGINT NOT NULL,\n"
        "  opened_at BIGINT,\n"
        "  closed_at BIGINT,\n"
        "  PRIMARY KEY (cycle_id, seq));\n"
        "CREATE TABLE cycle_teams (\n"
        "  cycle_id BIGINT NOT NULL REFERENCES cycles(id),\n"
        "  team_id BIGINT NOT NULL REFERENCES teams(id),\n"
        "  PRIMARY KEY (cycle_id, team_id));\n"
        "CREATE TABLE cycle_members (\n"
        "  cycle_id BIGINT NOT NULL REFERENCES cycles(id),\n"
        "  person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  team_id BIGINT NOT NULL REFERENCES teams(id),\n"
        "  manager_id BIGINT REFERENCES people(id),\n"
        "  level {{TEXT}} NOT NULL,\n"
        "  track {{TEXT}} NOT NULL,\n"
        "  role_profile {{TEXT}} NOT NULL,\n"
        "  PRIMARY KEY (cycle_id, person_id));\n"
        "CREATE TABLE review_assignments (\n"
        "  id {{PK}},\n"
        "  cycle_id BIGINT NOT NULL REFERENCES cycles(id),\n"
        "  reviewee_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  reviewer_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  relation {{TEXT}} NOT NULL,\n"
        "  status {{TEXT}} NOT NULL,\n"
        "  nominated_by {{TEXT}} NOT NULL,\n"
        "  decided_by {{TEXT}},\n"
        "  created_at BIGINT NOT NULL,\n"
        "  UNIQUE (cycle_id, reviewee_id, reviewer_id, relation));\n"
        "CREATE INDEX review_assignments_reviewer ON review_assignments(cycle_id, reviewer_id);\n"
        "CREATE TABLE feedback_responses (\n"
        "  id {{PK}},\n"
        "  assignment_id BIGINT NOT NULL REFERENCES review_assignments(id),\n"
        "  version INTEGER NOT NULL,\n"
        "  status {{TEXT}} NOT NULL,\n"
        "  body {{TEXT}} NOT NULL,\n"
        "  created_at BIGINT NOT NULL,\n"
        "  created_by {{TEXT}} NOT NULL,\n"
        "  UNIQUE (assignment_id, version));\n"
        "CREATE TABLE evaluations (\n"
        "  id {{PK}},\n"
        "  cycle_id BIGINT NOT NULL REFERENCES cycles(id),\n"
        "  person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  version INTEGER NOT NULL,\n"
        "  framework_version INTEGER NOT NULL,\n"
        "  source {{TEXT}} NOT NULL,\n"
        "  reason {{TEXT}} NOT NULL,\n"
        "  manager_case {{TEXT}} NOT NULL,\n"
        "  created_at BIGINT NOT NULL,\n"
        "  created_by {{TEXT}} NOT NULL,\n"
        "  UNIQUE (cycle_id, person_id, version));\n"
        "CREATE TABLE evaluation_ratings (\n"
        "  evaluation_id BIGINT NOT NULL REFERENCES evaluations(id),\n"
        "  dimension {{TEXT}} NOT NULL,\n"
        "  rating DOUBLE PRECISION NOT NULL,\n"
        "  no_evidence_reason {{TEXT}},\n"
        "  recency_flag INTEGER NOT NULL,\n"
        "  PRIMARY KEY (evaluation_id, dimension));\n"
        "CREATE TABLE evaluation_evidence (\n"
        "  id {{PK}},\n"
        "  evaluation_id BIGINT NOT NULL REFERENCES evaluations(id),\n"
        "  dimension {{TEXT}} NOT NULL,\n"
        "  kind {{TEXT}} NOT NULL,\n"
        "  ref {{TEXT}} NOT NULL,\n"
        "  title {{TEXT}} NOT NULL,\n"
        "  occurred_at BIGINT,\n"
        "  negative INTEGER NOT NULL,\n"
        "  metric_value_id BIGINT,\n"
        "  metric_value DOUBLE PRECISION);\n"
        "CREATE INDEX evaluation_evidence_eval ON evaluation_evidence(evaluation_id);\n"
        "CREATE TABLE reminders (\n"
        "  id {{PK}},\n"
        "  cycle_id BIGINT NOT NULL REFERENCES cycles(id),\n"
        "  assignment_id BIGINT NOT NULL REFERENCES review_assignments(id),\n"
        "  recipient_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  kind {{TEXT}} NOT NULL,\n"
        "  channel {{TEXT}} NOT NULL,\n"
        "  sent_at BIGINT NOT NULL,\n"
        "  UNIQUE (assignment_id, kind, channel));\n";

/* Schema 9: calibration.  calendar_windows are blackout windows (launches,
 * reorganizations, holidays) cycles and sessions are checked against; a
 * NULL team_id is company-wide.  A calibration session looks at one
 * cycle's members in its population teams (calibration_members, fixed at
 * creation so a later reorganization does not change who is in the room);
 * participants mark each
 * person's proposed ratings (agree, question, no opinion; the newest mark
 * wins) and change ratings with a reason and evidence during the session.
 * calibration_changes keeps every change (the original is the evaluation
 * the session started from); closing writes the changed ratings back as
 * evaluation versions with source 'calibration'.  calibration_overrides
 * records every departure from guidance with its reason. */
static const char schema_v9[] =
        "CREATE TABLE calendar_windows (\n"
        "  id {{PK}},\n"
        "  name {{TEXT}} NOT NULL,\n"
        "  kind {{TEXT}} NOT NULL,\n"
        "  starts_at BIGINT NOT NULL,\n"
        "  ends_at BIGINT NOT NULL,\n"
        "  team_id BIGINT REFERENCES teams(id),\n"
        "  note {{TEXT}} NOT NULL,\n"
        "  created_at BIGINT NOT NULL,\n"
        "  created_by {{TEXT}} NOT NULL);\n"
        "CREATE TABLE calibration_sessions (\n"
        "  id {{PK}},\n"
        "  name {{TEXT}} NOT NULL UNIQUE,\n"
        "  cycle_id BIGINT NOT NULL REFERENCES cycles(id),\n"
        "  status {{TEXT}} NOT NULL,\n"
        "  facilitator_id BIGINT NOT NULL REFERENCES users(id),\n"
        "  guidance {{TEXT}} NOT NULL,\n"
        "  curve_minimum INTEGER NOT NULL,\n"
        "  scheduled_at BIGINT,\n"
        "  created_at BIGINT NOT NULL,\n"
        "  created_by {{TEXT}} NOT NULL,\n"
        "  opened_at BIGINT,\n"
        "  closed_at BIGINT,\n"
        "  closed_by {{TEXT}});\n"
        "CREATE TABLE calibration_population (\n"
        "  session_id BIGINT NOT NULL REFERENCES calibration_sessions(id),\n"
        "  team_id BIGINT NOT NULL REFERENCES teams(id),\n"
        "  PRIMARY KEY (session_id, team_id));\n"
        "CREATE TABLE calibration_members (\n"
        "  session_id BIGINT NOT NULL REFERENCES calibration_sessions(id),\n"
        "  person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  PRIMARY KEY (session_id, person_id));\n"
        "CREATE TABLE calibration_participants (\n"
        "  session_id BIGINT NOT NULL REFERENCES calibration_sessions(id),\n"
        "  user_id BIGINT NOT NULL REFERENCES users(id),\n"
        "  PRIMARY KEY (session_id, user_id));\n"
        "CREATE TABLE calibration_marks (\n"
        "  session_id BIGINT NOT NULL REFERENCES calibration_sessions(id),\n"
        "  person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  user_id BIGINT NOT NULL REFERENCES users(id),\n"
        "  mark {{TEXT}} NOT NULL,\n"
        "  comment {{TEXT}} NOT NULL,\n"
        "  marked_at BIGINT NOT NULL,\n"
        "  PRIMARY KEY (session_id, person_id, user_id));\n"
        "CREATE TABLE calibration_changes (\n"
        "  id {{PK}},\n"
        "  session_id BIGINT NOT NULL REFERENCES calibration_sessions(id),\n"
        "  person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  dimension {{TEXT}} NOT NULL,\n"
        "  from_rating DOUBLE PRECISION NOT NULL,\n"
        "  to_rating DOUBLE PRECISION NOT NULL,\n"
        "  reason {{TEXT}} NOT NULL,\n"
        "  evidence {{TEXT}} NOT NULL,\n"
        "  changed_at BIGINT NOT NULL,\n"
        "  changed_by {{TEXT}} NOT NULL);\n"
        "CREATE INDEX calibration_changes_session ON calibration_changes(session_id, person_id);\n"
        "CREATE TABLE calibration_overrides (\n"
        "  id {{PK}},\n"
        "  session_id BIGINT NOT NULL REFERENCES calibration_sessions(id),\n"
        "  kind {{TEXT}} NOT NULL,\n"
        "  detail {{TEXT}} NOT NULL,\n"
        "  reason {{TEXT}} NOT NULL,\n"
        "  created_at BIGINT NOT NULL,\n"
        "  created_by {{TEXT}} NOT NULL);\n";

/* Schema 10: merge-to-deploy, and deployments read without the events table.
 * deploy_changes.merges keeps when each change landed, as milliseconds
 * after its start (a comma list parallel to starts; mostly "0", for
 * commits pushed straight to the branch), so lead time can also be
 * reported from merge to deploy; the kept rows are cleared, since they lack
 * it, and the next computation walks every service again.  On SQLite a
 * partial covering index holds the columns the four keys read of each
 * deployment: reading 100,000 deployments spread across a 750 MB events
 * table took 0.25 s, from the index 0.05 s (docs/PERFORMANCE.md).  Not on
 * PostgreSQL, whose index rows cannot hold an arbitrarily long title. */
static const char schema_v10[] = "ALTER TABLE deploy_changes ADD COLUMN merges {{TEXT}};\n"
                                 "DELETE FROM deploy_changes;\n"
                                 "DELETE FROM metric_state;\n";
static const char schema_v10_sqlite[] =
        "CREATE INDEX events_deployments ON events(kind, service_id, id, team_id, external_id, "
        "sha, ref, title, environment, status, ended_at) WHERE kind = 'deployment';\n";

/* Schema 11: kept changes outlive writes that cannot change them.
 * events_epoch counts the changes to commits, pull requests and deployments
 * that publishing does not account for (each row a run publishes, new or
 * updated, carries its run id, and the four keys walk again the services of
 * the rows published since): an update that keeps a row's run and changes
 * a column the four keys read, a move to another service, a deletion.  The
 * four keys keep the count they walked at (metric_state) and walk every
 * service again when it moved.  A deleted earlier version counts too: a
 * deployment finishes at its first success, which an earlier version may
 * hold.  Before, any write but a listed few did that: a setting changed, an
 * identity linked, a review submitted.  Updates of people, accounts and
 * teams (attribution) leave it alone.  A new column the walk reads goes in
 * EPOCH_INPUTS too.
 * events_run: the rows of one run, which publishing counts and attributes
 * and the four keys look up; without it each was a scan of every event (a
 * webhook's publish on a two-million-event database, docs/PERFORMANCE.md).
 * ingest_runs_staging: the runs still staging, which the four keys note at
 * each computation, without reading a row per webhook delivery ever made. */
#define EPOCH_KINDS "('commit', 'pull_request', 'deployment')"
#define EPOCH_INPUTS(ne)                                                                           \
	"(OLD.kind IN " EPOCH_KINDS " OR NEW.kind IN " EPOCH_KINDS ") AND (NEW.service_id " ne     \
	" OLD.service_id OR NEW.kind " ne " OLD.kind OR (NEW.run_id = OLD.run_id AND ("            \
	"NEW.external_id " ne " OLD.external_id OR NEW.occurred_at " ne " OLD.occurred_at OR "     \
	"NEW.ended_at " ne " OLD.ended_at OR NEW.status " ne " OLD.status OR NEW.environment " ne  \
	" OLD.environment OR NEW.sha " ne " OLD.sha OR NEW.ref " ne " OLD.ref OR NEW.title " ne    \
	" OLD.title OR NEW.parent_id " ne " OLD.parent_id OR NEW.attrs " ne " OLD.attrs)))"
static const char schema_v11[] = "CREATE TABLE events_epoch (id {{INT_PK}}, n BIGINT NOT NULL);\n"
                                 "INSERT INTO events_epoch (id, n) VALUES (1, 0);\n"
                                 "CREATE INDEX events_run ON events(run_id);\n"
                                 "CREATE INDEX ingest_runs_staging ON ingest_runs(id) "
                                 "WHERE status = 'staging';\n"
                                 "DELETE FROM metric_state;\n";
#define EPOCH_CHANGED_SQLITE EPOCH_INPUTS("IS NOT")
#define EPOCH_CHANGED_PG     EPOCH_INPUTS("IS DISTINCT FROM")
static const char schema_v11_sqlite[] =
        "CREATE TRIGGER events_epoch_update AFTER UPDATE ON events WHEN " EPOCH_CHANGED_SQLITE
        " BEGIN UPDATE events_epoch SET n = n + 1; END;\n"
        "CREATE TRIGGER events_epoch_delete AFTER DELETE ON events WHEN OLD.kind IN " EPOCH_KINDS
        " BEGIN UPDATE events_epoch SET n = n + 1; END;\n"
        "CREATE TRIGGER event_versions_epoch_delete AFTER DELETE ON event_versions "
        "BEGIN UPDATE events_epoch SET n = n + 1; END;\n";
/* A deletion counts once a statement: a retention purge of a million rows
 * would otherwise update the one row a million times. */
static const char schema_v11_pg[] =
        "CREATE FUNCTION events_epoch_bump() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN UPDATE events_epoch SET n = n + 1; RETURN NULL; END $$;\n"
        "CREATE TRIGGER events_epoch_update AFTER UPDATE ON events FOR EACH ROW "
        "WHEN (" EPOCH_CHANGED_PG ") EXECUTE FUNCTION events_epoch_bump();\n"
        "CREATE TRIGGER events_epoch_delete AFTER DELETE OR TRUNCATE ON events "
        "FOR EACH STATEMENT EXECUTE FUNCTION events_epoch_bump();\n"
        "CREATE TRIGGER event_versions_epoch_delete AFTER DELETE OR TRUNCATE ON event_versions "
        "FOR EACH STATEMENT EXECUTE FUNCTION events_epoch_bump();\n";

/* Schema 12: a work item's lineage keeps the cycle it was counted with
 * (started_at, done_at); the built-in issue_cycle_time says its unit, hours
 * (its values always were), and wip what it counts; a value says how it was normalized, so a
 * per-engineer or per-service figure supersedes only values normalized the same way, and the
 * dashboard reads plain ones (before, anyone's `--normalize` query over a
 * team's window replaced the team's plain value until the next refresh).
 * Values stored before it are told apart by the statistic aggregate wrote. */
static const char schema_v12[] =
        "ALTER TABLE metric_values ADD COLUMN normalize {{TEXT}} NOT NULL DEFAULT 'none';\n"
        "UPDATE metric_values SET normalize = 'per-engineer' "
        "WHERE statistic LIKE '% per engineer (FTE)';\n"
        "UPDATE metric_values SET normalize = 'per-service' WHERE statistic LIKE '% per "
        "service';\n"
        "ALTER TABLE metric_lineage ADD COLUMN started_at BIGINT;\n"
        "ALTER TABLE metric_lineage ADD COLUMN done_at BIGINT;\n"
        "UPDATE metric_defs SET unit = 'hours' WHERE key = 'issue_cycle_time' AND builtin = 1 "
        "AND unit = 'days';\n"
        "UPDATE metric_defs SET description = 'Pull requests open at the end of each period.' "
        "WHERE key = 'wip' AND builtin = 1 "
        "AND description = 'Work items in progress at the same time.';\n";

/* Schema 13: the commit graph kept in packs (core/cgraph.h), a few text
 * values a service, which the four keys read in a fraction of the time the
 * commit rows take.  The marker row (service -1) says they are complete;
 * a database with no commits starts with it, one with commits gets its
 * packs at its next full computation.  Any change to what a walk reads of
 * a commit, other than by publishing (which rebuilds the packs of the
 * services it touched), deletes them all, marker included: an in-place
 * edit, a move to another service, a deletion (a retention or consent purge
 * leaves no copy behind). */
#define PACK_INPUTS(ne)                                                                            \
	"(OLD.kind = 'commit' OR NEW.kind = 'commit') AND (NEW.service_id " ne                     \
	" OLD.service_id OR NEW.kind " ne " OLD.kind OR (NEW.run_id = OLD.run_id AND ("            \
	"NEW.external_id " ne " OLD.external_id OR NEW.occurred_at " ne " OLD.occurred_at OR "     \
	"NEW.title " ne " OLD.title OR NEW.parent_id " ne " OLD.parent_id OR NEW.attrs " ne        \
	" OLD.attrs)))"
static const char schema_v13[] =
        "CREATE TABLE commit_packs (service_id BIGINT NOT NULL, part INTEGER NOT NULL, "
        "commits INTEGER NOT NULL, parents INTEGER NOT NULL, last_id BIGINT NOT NULL, "
        "data {{TEXT}} NOT NULL, PRIMARY KEY (service_id, part));\n"
        "INSERT INTO commit_packs (service_id, part, commits, parents, last_id, data) "
        "SELECT -1, 0, 0, 0, 0, '' WHERE NOT EXISTS (SELECT 1 FROM events WHERE kind = "
        "'commit');\n";
static const char schema_v13_sqlite[] =
        "CREATE TRIGGER commit_packs_update AFTER UPDATE ON events WHEN " PACK_INPUTS(
                "IS NOT") " BEGIN DELETE FROM commit_packs; END;\n"
                          "CREATE TRIGGER commit_packs_delete AFTER DELETE ON events WHEN OLD.kind "
                          "= 'commit' "
                          "BEGIN DELETE FROM commit_packs; END;\n";
/* The text as it is: PostgreSQL would otherwise compress each value, and
 * uncompress it at every read. */
static const char schema_v13_pg[] =
        "ALTER TABLE commit_packs ALTER COLUMN data SET STORAGE EXTERNAL;\n"
        "CREATE FUNCTION commit_packs_drop() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN DELETE FROM commit_packs; RETURN NULL; END $$;\n"
        "CREATE TRIGGER commit_packs_update AFTER UPDATE ON events FOR EACH ROW "
        "WHEN (" PACK_INPUTS(
                "IS DISTINCT FROM") ") EXECUTE FUNCTION commit_packs_drop();\n"
                                    "CREATE TRIGGER commit_packs_delete AFTER DELETE OR TRUNCATE "
                                    "ON events "
                                    "FOR EACH STATEMENT EXECUTE FUNCTION commit_packs_drop();\n";

/* Schema 14: a source can be paused (plumb source pause): no sync, file or
 * webhook brings it data until it is resumed; what it brought stays.  Who
 * paused it and why, for the next admin. */
static const char schema_v14[] = "ALTER TABLE sources ADD COLUMN paused_at BIGINT;\n"
                                 "ALTER TABLE sources ADD COLUMN paused_by {{TEXT}};\n"
                                 "ALTER TABLE sources ADD COLUMN paused_reason {{TEXT}};\n";

/* Schema 15: plumb's own triggers fire in every replication role.  Its
 * PostgreSQL connections may turn the foreign key triggers off while an
 * ingest run stages and publishes rows whose references come from the same
 * run (store_check_references: session_replication_role = replica, as
 * SQLite turns its checks off); the audit log's guards and the kept-metric
 * counters must fire all the same. */
static const char schema_v15_pg[] =
        "ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update;\n"
        "ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_delete;\n"
        "ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate;\n"
        "ALTER TABLE events ENABLE ALWAYS TRIGGER events_epoch_update;\n"
        "ALTER TABLE events ENABLE ALWAYS TRIGGER events_epoch_delete;\n"
        "ALTER TABLE event_versions ENABLE ALWAYS TRIGGER event_versions_epoch_delete;\n"
        "ALTER TABLE events ENABLE ALWAYS TRIGGER commit_packs_update;\n"
        "ALTER TABLE events ENABLE ALWAYS TRIGGER commit_packs_delete;\n";

/* Schema 16: look-ups that grew with what is kept.  A refresh finds a
 * scope's current values by their inputs' hash: metric_values_lookup
 * served (def_id, scope, scope_id) and the rest was filtered row by row,
 * superseded values and every earlier window's included, so each refresh
 * grew with the refreshes kept (partial: only current values are looked up
 * so).  A person's users: the review checks ask for them once per member
 * of a cycle, and each ask read every user (cycle create over 50,000
 * people: 145 s). */
static const char schema_v16[] =
        "CREATE INDEX metric_values_current ON metric_values(def_id, scope, scope_id, "
        "inputs_hash) WHERE superseded_at IS NULL;\n"
        "CREATE INDEX users_person ON users(person_id);\n";

/* Schema 17: the audit entries on an identity, evaluation, calibration
 * session or assignment by the people their detail names, so plumb me
 * finds a person's without searching every such entry's detail: their
 * objects may be gone (retention deletes evaluations) or another's
 * (identities move), so the detail is the only record of whom they were
 * about.  Filled from the entries kept so far (plumb writes every detail as
 * a JSON object, so PostgreSQL's cast holds); audit_append adds the rows of
 * new entries, and a redaction drops an entry's rows with its detail. */
static const char schema_v17[] = "CREATE TABLE audit_people (\n"
                                 "  employee_id TEXT NOT NULL,\n"
                                 "  seq BIGINT NOT NULL,\n"
                                 "  PRIMARY KEY (employee_id, seq)\n"
                                 ");\n"
                                 /* a redaction drops an entry's rows by seq */
                                 "CREATE INDEX audit_people_seq ON audit_people(seq);\n";
/* The objects and detail keys of audit.c's people_objects and people_keys:
 * a key's string, or the strings among its array's or object's values, as
 * me.c's names() reads them. */
#define AUDIT_PEOPLE_OBJECTS_SQL "('identity', 'evaluation', 'calibration_session', 'assignment')"
#define AUDIT_PEOPLE_KEYS_SQL                                                                      \
	"('person', 'facilitator', 'participants', 'recipient', 'reviewer', 'reviewee')"
/* clang-format off */
static const char schema_v17_sqlite[] =
        "INSERT OR IGNORE INTO audit_people(employee_id, seq)"
        " SELECT k.value, a.seq FROM audit_log a,"
        "  json_each(CASE WHEN json_valid(a.detail) THEN a.detail ELSE '{}' END) k"
        " WHERE a.redacted IS NULL AND a.object_type IN " AUDIT_PEOPLE_OBJECTS_SQL
        " AND k.key IN " AUDIT_PEOPLE_KEYS_SQL " AND k.type = 'text'"
        " UNION SELECT v.value, a.seq FROM audit_log a,"
        "  json_each(CASE WHEN json_valid(a.detail) THEN a.detail ELSE '{}' END) k,"
        "  json_each(CASE WHEN k.type IN ('array', 'object') THEN k.value ELSE '[]' END) v"
        " WHERE a.redacted IS NULL AND a.object_type IN " AUDIT_PEOPLE_OBJECTS_SQL
        " AND k.key IN " AUDIT_PEOPLE_KEYS_SQL " AND v.type = 'text';\n";
static const char schema_v17_pg[] =
        "INSERT INTO audit_people(employee_id, seq)"
        " SELECT k.value #>> '{}', a.seq FROM audit_log a, jsonb_each(a.detail::jsonb) k"
        " WHERE a.redacted IS NULL AND a.object_type IN " AUDIT_PEOPLE_OBJECTS_SQL
        " AND k.key IN " AUDIT_PEOPLE_KEYS_SQL " AND jsonb_typeof(k.value) = 'string'"
        " UNION SELECT v #>> '{}', a.seq FROM audit_log a, jsonb_each(a.detail::jsonb) k,"
        "  jsonb_array_elements(CASE WHEN jsonb_typeof(k.value) = 'array' THEN k.value"
        "   ELSE '[]'::jsonb END) v"
        " WHERE a.redacted IS NULL AND a.object_type IN " AUDIT_PEOPLE_OBJECTS_SQL
        " AND k.key IN " AUDIT_PEOPLE_KEYS_SQL " AND jsonb_typeof(v) = 'string'"
        " UNION SELECT v.value #>> '{}', a.seq FROM audit_log a, jsonb_each(a.detail::jsonb) k,"
        "  jsonb_each(CASE WHEN jsonb_typeof(k.value) = 'object' THEN k.value"
        "   ELSE '{}'::jsonb END) v"
        " WHERE a.redacted IS NULL AND a.object_type IN " AUDIT_PEOPLE_OBJECTS_SQL
        " AND k.key IN " AUDIT_PEOPLE_KEYS_SQL " AND jsonb_typeof(v.value) = 'string';\n";
/* clang-format on */

/* Schema 18: whether evidence was said to count against the person
 * (`negative: true`, a calibration change lowering the rating), apart from
 * counting against them for sitting behind a rating below meets, which a
 * rating raised since no longer does.  Evidence stored before is taken as
 * said: the upgrade hides no mark. */
static const char schema_v18[] =
        "ALTER TABLE evaluation_evidence ADD COLUMN negative_said INTEGER NOT NULL DEFAULT 0;\n"
        "UPDATE evaluation_evidence SET negative_said = negative;\n";

/* Schema 19: a metric value's lineage found by its event.  Retention and a
 * consent withdrawal delete an event's lineage rows, and retention keeps the
 * events a held value's lineage names: without it each was a scan of the
 * whole lineage, per batch or per event. */
static const char schema_v19[] = "CREATE INDEX metric_lineage_event ON metric_lineage(event_id);\n";
/* The earlier versions that name a person: person merge, a consent
 * withdrawal and me export look them up by person, and scanned every
 * version (1,000,000 versions: a merge 0.32 s, now 0.03 s). */
static const char schema_v20[] = "CREATE INDEX event_versions_person ON event_versions(person_id) "
                                 "WHERE person_id IS NOT NULL;\n";

/* Schema 21: a team's parent over time, so --team T over a past period
 * counts the sub-teams T had then (docs/metrics.md, "Scope"), not those of
 * the tree now.  A root has no row while it is one.  valid_from NULL is
 * since always: a team's first parent holds for every period before it
 * changed (org import dates only changes), so events ingested from before
 * the org was imported keep counting under it.  Filled from today's
 * parent_id, since always: an upgraded database counts as before until an
 * import moves a team.  teams.parent_id stays the current parent. */
static const char schema_v21[] =
        "CREATE TABLE team_parents (\n"
        "  id {{PK}},\n"
        "  team_id BIGINT NOT NULL REFERENCES teams(id),\n"
        "  parent_id BIGINT NOT NULL REFERENCES teams(id),\n"
        "  valid_from BIGINT,\n"
        "  valid_to BIGINT);\n"
        "CREATE INDEX team_parents_team ON team_parents(team_id, valid_from);\n"
        "INSERT INTO team_parents(team_id, parent_id, valid_from, valid_to)"
        " SELECT id, parent_id, NULL, NULL FROM teams WHERE parent_id IS NOT NULL ORDER BY id;\n";

/* Schema 22: a person's review cycles found by the person (evaluation list,
 * me), not by reading every cycle's members (0.01 to 0.02 s at 243,000
 * members, flat now); and on SQLite the ids of reminders and calendar
 * windows never given twice: a failed send's row and a removed window are
 * deleted, and without AUTOINCREMENT the next one took the id of the newest
 * deleted, so audit entries named two reminders or windows by one id.  The
 * counters start past the ids the audit log names, those of rows deleted
 * before the upgrade too.  PostgreSQL's generated keys never reuse one.  The
 * renames are made as schema 24's are (legacy_alter_table), for an
 * operator's view on either table. */
static const char schema_v22[] = "CREATE INDEX cycle_members_person ON cycle_members(person_id);\n";
static const char schema_v22_sqlite[] =
        "PRAGMA legacy_alter_table = ON;\n"
        "CREATE TABLE reminders_v22 (\n"
        "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "  cycle_id BIGINT NOT NULL REFERENCES cycles(id),\n"
        "  assignment_id BIGINT NOT NULL REFERENCES review_assignments(id),\n"
        "  recipient_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  kind TEXT NOT NULL,\n"
        "  channel TEXT NOT NULL,\n"
        "  sent_at BIGINT NOT NULL,\n"
        "  UNIQUE (assignment_id, kind, channel));\n"
        "INSERT INTO reminders_v22 SELECT id, cycle_id, assignment_id, recipient_id, kind, channel,"
        " sent_at FROM reminders ORDER BY id;\n"
        "DROP TABLE reminders;\n"
        "ALTER TABLE reminders_v22 RENAME TO reminders;\n"
        "CREATE TABLE calendar_windows_v22 (\n"
        "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "  name TEXT NOT NULL,\n"
        "  kind TEXT NOT NULL,\n"
        "  starts_at BIGINT NOT NULL,\n"
        "  ends_at BIGINT NOT NULL,\n"
        "  team_id BIGINT REFERENCES teams(id),\n"
        "  note TEXT NOT NULL,\n"
        "  created_at BIGINT NOT NULL,\n"
        "  created_by TEXT NOT NULL);\n"
        "INSERT INTO calendar_windows_v22 SELECT id, name, kind, starts_at, ends_at, team_id, note,"
        " created_at, created_by FROM calendar_windows ORDER BY id;\n"
        "DROP TABLE calendar_windows;\n"
        "ALTER TABLE calendar_windows_v22 RENAME TO calendar_windows;\n"
        "INSERT INTO sqlite_sequence(name, seq) SELECT t.name, 0 FROM (SELECT 'reminders' AS name"
        " UNION ALL SELECT 'calendar_windows') t WHERE t.name NOT IN (SELECT name FROM"
        " sqlite_sequence);\n"
        "UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT MAX(CAST(json_extract(detail,"
        " '$.reminder') AS INTEGER)) FROM audit_log WHERE action IN ('notify.send',"
        " 'notify.failed') AND json_valid(detail)), 0)) WHERE name = 'reminders';\n"
        "UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT MAX(CAST(object_id AS INTEGER))"
        " FROM audit_log WHERE object_type = 'calendar_window'), 0)) WHERE name ="
        " 'calendar_windows';\n"
        "PRAGMA legacy_alter_table = OFF;\n";
/* The same counters on PostgreSQL, whose sequences a copy from SQLite set
 * past the rows alone before schema 22 (store.c, next_id_of). */
#define PG_SEQUENCE_PAST(table, named)                                                             \
	"SELECT setval(pg_get_serial_sequence('" table "', 'id'), v) FROM (SELECT GREATEST("       \
	"(SELECT COALESCE(MAX(id), 0) FROM " table "), (SELECT COALESCE(MAX(n), 0) FROM (" named   \
	") a), (SELECT COALESCE(q.last_value, 0) FROM pg_sequences q WHERE format('%I.%I', "       \
	"q.schemaname, q.sequencename) = pg_get_serial_sequence('" table "', 'id'))) AS v) x "     \
	"WHERE v > 0;\n"
static const char schema_v22_pg[] =
        PG_SEQUENCE_PAST("reminders",
                         "SELECT substring(detail from '\"reminder\":([0-9]{1,18})')::bigint AS n "
                         "FROM audit_log WHERE action IN ('notify.send', 'notify.failed')")
                PG_SEQUENCE_PAST("calendar_windows",
                                 "SELECT object_id::bigint AS n FROM audit_log WHERE object_type = "
                                 "'calendar_window' AND object_id ~ '^[0-9]{1,18}$'");

/* Schema 23: an event cited as evidence by the id as plumb writes it.  Before
 * it ' 7', '+7' and '07' were stored as written (read with strtoll: leading
 * white space, one '+', leading zeros); now only '7' is read as event 7, so
 * such a citation went unresolved: an incident behind a rating below meets
 * passed the blameless rule as a plain event, and a consent withdrawal did
 * not find it.  Each is rewritten as the id; what strtoll never read stays.
 * First, such a citation of an event gone since, of a person who withdrew a
 * consent, loses the title and time the withdrawal left it (its scrub found
 * citations written '7' only; consent.c, CONSENT_WITHDRAWN_TITLE): an event
 * gone for retention instead loses them too, which tells nothing.  A
 * calibration change keeps its evidence as a JSON list of "KIND:REF". */
static const char schema_v23[] =
        "UPDATE evaluation_evidence SET title = '(removed when its person withdrew consent)',"
        " occurred_at = NULL FROM (SELECT id, ltrim(CASE WHEN substr(t, 1, 1) = '+' THEN"
        " substr(t, 2) ELSE t END, '0') AS id_text FROM (SELECT id, ltrim(ref, ' \t\n\v\f\r') AS"
        " t FROM evaluation_evidence WHERE kind = 'event') s) x WHERE x.id ="
        " evaluation_evidence.id AND x.id_text <> evaluation_evidence.ref AND NOT EXISTS (SELECT 1"
        " FROM events e WHERE e.id = CASE WHEN x.id_text <> '' AND ltrim(x.id_text, '0123456789')"
        " = '' AND length(x.id_text) <= 18 THEN CAST(x.id_text AS BIGINT) END) AND EXISTS (SELECT"
        " 1 FROM evaluations v JOIN consents c ON c.person_id = v.person_id WHERE v.id ="
        " evaluation_evidence.evaluation_id AND c.state = 'withdrawn');\n"
        "UPDATE evaluation_evidence SET ref = x.id_text FROM (SELECT id, ltrim(CASE WHEN"
        " substr(t, 1, 1) = '+' THEN substr(t, 2) ELSE t END, '0') AS id_text FROM (SELECT id,"
        " ltrim(ref, ' \t\n\v\f\r') AS t FROM evaluation_evidence WHERE kind = 'event') s) x"
        " WHERE x.id = evaluation_evidence.id AND x.id_text <> evaluation_evidence.ref AND"
        " x.id_text <> '' AND ltrim(x.id_text, '0123456789') = '' AND length(x.id_text) <= 19;\n";
/* Only a JSON list of strings is rewritten, as plumb writes the evidence of
 * a change; "event:" is matched in its case (SQLite's LIKE would not). */
static const char schema_v23_sqlite[] =
        "UPDATE calibration_changes SET evidence = (SELECT json_group_array(CASE WHEN"
        " id_text <> '' AND ltrim(id_text, '0123456789') = '' AND length(id_text) <= 19 THEN"
        " 'event:' || id_text ELSE value END) FROM (SELECT key, value, CASE WHEN substr(value,"
        " 1, 6) = 'event:' THEN ltrim(CASE WHEN substr(t, 1, 1) = '+' THEN substr(t, 2) ELSE t"
        " END, '0') ELSE '' END AS id_text FROM (SELECT key, value, ltrim(substr(value, 7),"
        " ' \t\n\v\f\r') AS t FROM json_each(calibration_changes.evidence)) ORDER BY key))"
        " WHERE CASE WHEN json_valid(evidence) AND json_type(evidence) = 'array' THEN NOT EXISTS"
        " (SELECT 1 FROM json_each(evidence) WHERE type <> 'text') AND EXISTS (SELECT 1 FROM"
        " json_each(evidence) WHERE substr(value, 1, 6) = 'event:' AND NOT (substr(value, 7, 1)"
        " BETWEEN '1' AND '9' AND ltrim(substr(value, 7), '0123456789') = '')) ELSE 0 END;\n";
/* A JSON list of strings, told by its text on PostgreSQL, as no cast may
 * fail in a migration: JSON's strings with their escapes, between brackets. */
#define PG_JSON_STRING_LIST                                                                        \
	"'^\\[\\s*(\"([^\"\\\\[:cntrl:]]|\\\\[\"\\\\/"                                             \
	"bfnrt]|\\\\u[0-9A-Fa-f]{4})*\"\\s*(,\\s*\"([^"                                            \
	"\"\\\\[:cntrl:]]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9A-Fa-f]{4})*\"\\s*)*)?\\]$'"
static const char schema_v23_pg[] =
        "UPDATE calibration_changes SET evidence = (SELECT json_agg(CASE WHEN id_text <> '' AND"
        " ltrim(id_text, '0123456789') = '' AND length(id_text) <= 19 THEN 'event:' || id_text"
        " ELSE value END ORDER BY n)::text FROM (SELECT n, value, CASE WHEN substr(value, 1, 6) ="
        " 'event:' THEN ltrim(CASE WHEN substr(t, 1, 1) = '+' THEN substr(t, 2) ELSE t END, '0')"
        " ELSE '' END AS id_text FROM (SELECT n, value, ltrim(substr(value, 7), ' \t\n\v\f\r')"
        " AS t FROM json_array_elements_text(calibration_changes.evidence::json) WITH ORDINALITY"
        " AS e(value, n)) s) x) WHERE CASE WHEN evidence ~"
        " " PG_JSON_STRING_LIST " THEN EXISTS (SELECT 1 FROM"
        " json_array_elements_text(evidence::json) AS e(value) WHERE substr(value, 1, 6) ="
        " 'event:' AND NOT (substr(value, 7, 1) BETWEEN '1' AND '9' AND ltrim(substr(value, 7),"
        " '0123456789') = '')) ELSE false END;\n";

/* Schema 24: on SQLite, event and evaluation ids are never given again.
 * Without AUTOINCREMENT SQLite gives the largest id plus one, so when the
 * newest event went with a consent withdrawal, the next ingested event took
 * its id, and an evaluation citing the withdrawn event as evidence
 * (event:N) then named the new one: its kind for the blameless rule, its
 * title and time for a calibration's write-back.  Evaluations likewise
 * after retention, with audit entries naming them by id.  The counters
 * start past every id the database still names: evidence citing events, a
 * calibration change's evidence, the audit log's evaluations.  The rename
 * is made as before SQLite 3.26 (legacy_alter_table): since, it checks
 * every view and trigger, and one of the operator's own on events, between
 * the drop and the rename, failed the upgrade (found in review).  On
 * PostgreSQL, whose sequences never give an id twice, a database copied
 * from SQLite before this schema has its sequences set past the rows alone:
 * they are moved past the same ids. */
static const char schema_v24_sqlite[] =
        "PRAGMA legacy_alter_table = ON;\n"
        "CREATE TABLE events_v24 (\n"
        "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "  source_id BIGINT NOT NULL REFERENCES sources(id),\n"
        "  kind TEXT NOT NULL,\n"
        "  external_id TEXT NOT NULL,\n"
        "  version INTEGER NOT NULL,\n"
        "  owner_system TEXT,\n"
        "  owner_key TEXT,\n"
        "  service_id BIGINT REFERENCES services(id),\n"
        "  team_id BIGINT REFERENCES teams(id),\n"
        "  account_system TEXT,\n"
        "  account TEXT,\n"
        "  account_email TEXT,\n"
        "  account_name TEXT,\n"
        "  person_id BIGINT REFERENCES people(id),\n"
        "  is_bot INTEGER NOT NULL,\n"
        "  occurred_at BIGINT NOT NULL,\n"
        "  ended_at BIGINT,\n"
        "  updated_at BIGINT,\n"
        "  status TEXT,\n"
        "  environment TEXT,\n"
        "  sha TEXT,\n"
        "  ref TEXT,\n"
        "  number TEXT,\n"
        "  title TEXT,\n"
        "  url TEXT,\n"
        "  parent_id TEXT,\n"
        "  attrs TEXT,\n"
        "  raw_id BIGINT NOT NULL REFERENCES raw_payloads(id),\n"
        "  run_id BIGINT NOT NULL REFERENCES ingest_runs(id),\n"
        "  first_seen BIGINT NOT NULL,\n"
        "  last_changed BIGINT NOT NULL,\n"
        "  anonymized_at BIGINT,\n"
        "  UNIQUE (source_id, kind, external_id));\n"
        "INSERT INTO events_v24 SELECT id, source_id, kind, external_id, version, owner_system,"
        " owner_key, service_id, team_id, account_system, account, account_email, account_name,"
        " person_id, is_bot, occurred_at, ended_at, updated_at, status, environment, sha, ref,"
        " number, title, url, parent_id, attrs, raw_id, run_id, first_seen, last_changed,"
        " anonymized_at FROM events ORDER BY id;\n"
        "DROP TABLE events;\n"
        "ALTER TABLE events_v24 RENAME TO events;\n"
        "CREATE INDEX events_kind_time ON events(kind, occurred_at);\n"
        "CREATE INDEX events_account ON events(account_system, account);\n"
        "CREATE INDEX events_service ON events(service_id, occurred_at);\n"
        "CREATE INDEX events_raw ON events(raw_id);\n"
        "CREATE INDEX events_team_time ON events(team_id, occurred_at);\n"
        "CREATE INDEX events_deployments ON events(kind, service_id, id, team_id, external_id, sha,"
        " ref, title, environment, status, ended_at) WHERE kind = 'deployment';\n"
        "CREATE INDEX events_run ON events(run_id);\n"
        "CREATE TRIGGER events_epoch_update AFTER UPDATE ON events WHEN (OLD.kind IN ('commit',"
        " 'pull_request', 'deployment') OR NEW.kind IN ('commit', 'pull_request', 'deployment'))"
        " AND (NEW.service_id IS NOT OLD.service_id OR NEW.kind IS NOT OLD.kind OR (NEW.run_id ="
        " OLD.run_id AND (NEW.external_id IS NOT OLD.external_id OR NEW.occurred_at IS NOT"
        " OLD.occurred_at OR NEW.ended_at IS NOT OLD.ended_at OR NEW.status IS NOT OLD.status OR"
        " NEW.environment IS NOT OLD.environment OR NEW.sha IS NOT OLD.sha OR NEW.ref IS NOT"
        " OLD.ref OR NEW.title IS NOT OLD.title OR NEW.parent_id IS NOT OLD.parent_id OR"
        " NEW.attrs IS NOT OLD.attrs))) BEGIN UPDATE events_epoch SET n = n + 1; END;\n"
        "CREATE TRIGGER events_epoch_delete AFTER DELETE ON events WHEN OLD.kind IN ('commit',"
        " 'pull_request', 'deployment') BEGIN UPDATE events_epoch SET n = n + 1; END;\n"
        "CREATE TRIGGER commit_packs_update AFTER UPDATE ON events WHEN (OLD.kind = 'commit' OR"
        " NEW.kind = 'commit') AND (NEW.service_id IS NOT OLD.service_id OR NEW.kind IS NOT"
        " OLD.kind OR (NEW.run_id = OLD.run_id AND (NEW.external_id IS NOT OLD.external_id OR"
        " NEW.occurred_at IS NOT OLD.occurred_at OR NEW.title IS NOT OLD.title OR NEW.parent_id"
        " IS NOT OLD.parent_id OR NEW.attrs IS NOT OLD.attrs))) BEGIN DELETE FROM commit_packs;"
        " END;\n"
        "CREATE TRIGGER commit_packs_delete AFTER DELETE ON events WHEN OLD.kind = 'commit' BEGIN"
        " DELETE FROM commit_packs; END;\n"
        "CREATE TABLE evaluations_v24 (\n"
        "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "  cycle_id BIGINT NOT NULL REFERENCES cycles(id),\n"
        "  person_id BIGINT NOT NULL REFERENCES people(id),\n"
        "  version INTEGER NOT NULL,\n"
        "  framework_version INTEGER NOT NULL,\n"
        "  source TEXT NOT NULL,\n"
        "  reason TEXT NOT NULL,\n"
        "  manager_case TEXT NOT NULL,\n"
        "  created_at BIGINT NOT NULL,\n"
        "  created_by TEXT NOT NULL,\n"
        "  UNIQUE (cycle_id, person_id, version));\n"
        "INSERT INTO evaluations_v24 SELECT id, cycle_id, person_id, version, framework_version,"
        " source, reason, manager_case, created_at, created_by FROM evaluations ORDER BY id;\n"
        "DROP TABLE evaluations;\n"
        "ALTER TABLE evaluations_v24 RENAME TO evaluations;\n"
        "INSERT INTO sqlite_sequence(name, seq) SELECT t.name, 0 FROM (SELECT 'events' AS name"
        " UNION ALL SELECT 'evaluations') t WHERE t.name NOT IN (SELECT name FROM"
        " sqlite_sequence);\n"
        "UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT MAX(CAST(ref AS INTEGER)) FROM"
        " evaluation_evidence WHERE kind = 'event' AND ref GLOB '[1-9]*' AND ref NOT GLOB"
        " '*[^0-9]*' AND length(ref) <= 18), 0), COALESCE((SELECT MAX(CAST(substr(j.value, 7) AS"
        " INTEGER)) FROM calibration_changes c, json_each(c.evidence) j WHERE "
        "json_valid(c.evidence)"
        " AND j.value GLOB 'event:[1-9]*' AND substr(j.value, 7) NOT GLOB '*[^0-9]*' AND"
        " length(j.value) <= 24), 0)) WHERE name = 'events';\n"
        "UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT MAX(CAST(object_id AS INTEGER))"
        " FROM audit_log WHERE object_type = 'evaluation' AND object_id GLOB '[1-9]*' AND"
        " object_id NOT GLOB '*[^0-9]*' AND length(object_id) <= 18), 0)) WHERE name ="
        " 'evaluations';\n"
        "PRAGMA legacy_alter_table = OFF;\n";

static const char schema_v24_pg[] = PG_SEQUENCE_PAST(
        "events", "SELECT ref::bigint AS n FROM evaluation_evidence WHERE kind = 'event' AND ref ~"
                  " '^[1-9][0-9]{0,17}$' UNION ALL SELECT substr(e.value, 7)::bigint FROM"
                  " calibration_changes c, json_array_elements_text(CASE WHEN c.evidence "
                  "~ " PG_JSON_STRING_LIST " THEN c.evidence ELSE '[]' END::json)"
                  " AS e(value) WHERE e.value ~ '^event:[1-9][0-9]{0,17}$'")
        PG_SEQUENCE_PAST("evaluations",
                         "SELECT object_id::bigint AS n FROM audit_log WHERE object_type ="
                         " 'evaluation' AND object_id ~ '^[1-9][0-9]{0,17}$'");
#undef PG_SEQUENCE_PAST
#undef PG_JSON_STRING_LIST

/* Schema 25: a sample's origin, and merges found by the record merged into.
 * sli_samples.origin is 'sync' for a sample a Prometheus sync stored, 'file'
 * for one 'slo ingest' stored (a CSV or an exported query answer), NULL for
 * one stored before this schema: a sync that clears or forgets samples (a
 * query changed, a NaN time) leaves a file's alone wherever it is, and an
 * older sample as before, by the old query's cursor.  A merge withdrawing a
 * record from its cycles reads the records merged into the other one. */
static const char schema_v25[] =
        "ALTER TABLE sli_samples ADD COLUMN origin {{TEXT}};\n"
        "CREATE INDEX person_merges_into ON person_merges(into_person_id);\n";

const struct store_migration store_migrations[] = {
        {1, "organization, users and audit log", schema_v1, schema_v1_sqlite, schema_v1_pg, false},
        {2, "data sources", schema_v2, NULL, NULL, false},
        {3, "service mappings", schema_v3, NULL, NULL, false},
        {4, "ingestion: runs, raw payloads, events", schema_v4, NULL, NULL, false},
        {5, "metrics: catalogue, settings, values with lineage, SLOs", schema_v5, NULL, NULL,
         false},
        {6, "server: credentials, sessions, API tokens, webhook deliveries", schema_v6, NULL, NULL,
         false},
        {7, "governance: policy, consent, holds, demographics, ownership, sign-off", schema_v7,
         schema_v7_sqlite, schema_v7_pg, false},
        {8, "review cycles: frameworks, cycles, assignments, feedback, evaluations", schema_v8,
         NULL, NULL, false},
        {9, "calibration: sessions, marks, changes, overrides; calendar windows", schema_v9, NULL,
         NULL, false},
        {10, "metrics: merge-to-deploy kept with each change; deployments index", schema_v10,
         schema_v10_sqlite, NULL, false},
        {11, "metrics: kept changes walked again only when what they came from changed", schema_v11,
         schema_v11_sqlite, schema_v11_pg, false},
        {12, "metrics: each value's normalization; a work item's cycle in its lineage", schema_v12,
         NULL, NULL, false},
        {13, "metrics: the commit graph kept in packs", schema_v13, schema_v13_sqlite,
         schema_v13_pg, false},
        {14, "sources: paused", schema_v14, NULL, NULL, false},
        {15, "postgresql: plumb's triggers fire in every replication role", NULL, NULL,
         schema_v15_pg, false},
        {16, "metrics: current values found by their inputs; users by person", schema_v16, NULL,
         NULL, false},
        {17, "audit: entries on review objects by the people they name", schema_v17,
         schema_v17_sqlite, schema_v17_pg, false},
        {18, "evaluations: evidence said to count against the person", schema_v18, NULL, NULL,
         false},
        {19, "metrics: lineage found by its event", schema_v19, NULL, NULL, false},
        {20, "events: earlier versions found by their person", schema_v20, NULL, NULL, false},
        {21, "teams: each team's parent over time", schema_v21, NULL, NULL, false},
        {22, "reviews: cycles found by their member; reminder and calendar ids never reused",
         schema_v22, schema_v22_sqlite, schema_v22_pg, false},
        {23, "evaluations: an event cited as evidence by its id as plumb writes it", schema_v23,
         schema_v23_sqlite, schema_v23_pg, false},
        {24, "events and evaluations: ids never given again", NULL, schema_v24_sqlite,
         schema_v24_pg, true},
        {25, "SLO samples: where each came from; merges found by the record merged into",
         schema_v25, NULL, NULL, false},
};
const int store_migration_count = (int)(sizeof store_migrations / sizeof store_migrations[0]);

/* Every table, parents before children, for copies between engines.  A new
 * table goes here too: test_store checks this list against a fresh schema. */
const struct store_table store_tables[] = {
        {"meta", "key", false, NULL},
        {"people", "id", true, NULL},
        {"teams", "id", true, "parent_id"},
        {"team_parents", "id", true, NULL},
        {"team_memberships", "id", true, NULL},
        {"reporting_lines", "id", true, NULL},
        {"levels", "id", true, NULL},
        {"services", "id", true, NULL},
        {"service_owners", "id", true, NULL},
        {"identities", "system, login", false, NULL},
        {"users", "id", true, NULL},
        {"user_roles", "id", true, NULL},
        {"sources", "id", true, NULL},
        {"service_mappings", "id", true, NULL},
        {"ingest_runs", "id", true, NULL},
        {"raw_payloads", "id", true, NULL},
        {"run_documents", "run_id, seq", false, NULL},
        {"sync_cursors", "source_id, resource", false, NULL},
        {"run_cursors", "run_id, resource", false, NULL},
        {"ingest_staging", "run_id, seq", false, NULL},
        {"events", "id", true, NULL},
        {"event_versions", "event_id, version", false, NULL},
        {"person_merges", "from_person_id", false, NULL},
        {"metric_defs", "id", true, NULL},
        {"metric_approvals", "def_id, function", false, NULL},
        {"objectives", "id", true, NULL},
        {"metric_objectives", "metric_key, objective_id", false, NULL},
        {"metric_settings", "scope, scope_id, key", false, NULL},
        {"service_stages", "id", true, NULL},
        {"metric_values", "id", true, NULL},
        {"metric_lineage", "value_id, event_id, role", false, NULL},
        {"deploy_changes", "event_id", false, NULL},
        {"metric_state", "key", false, NULL},
        {"events_epoch", "id", false, NULL},
        {"commit_packs", "service_id, part", false, NULL},
        {"slos", "id", true, NULL},
        {"sli_samples", "slo_name, at", false, NULL},
        {"user_credentials", "user_id", false, NULL},
        {"sessions", "id_hash", false, NULL},
        {"api_tokens", "id", true, NULL},
        {"webhook_deliveries", "source_id, delivery_id", false, NULL},
        {"policies", "id", true, NULL},
        {"mechanism_approvals", "id", true, NULL},
        {"consents", "id", true, NULL},
        {"legal_holds", "id", true, NULL},
        {"person_demographics", "person_id, attribute", false, NULL},
        {"source_readers", "source_id, team_id", false, NULL},
        {"signoffs", "id", true, NULL},
        {"signoff_votes", "signoff_id, approver", false, NULL},
        {"withheld_records", "source_id, record_hash", false, NULL},
        {"frameworks", "id", true, NULL},
        {"cycles", "id", true, NULL},
        {"cycle_phases", "cycle_id, seq", false, NULL},
        {"cycle_teams", "cycle_id, team_id", false, NULL},
        {"cycle_members", "cycle_id, person_id", false, NULL},
        {"review_assignments", "id", true, NULL},
        {"feedback_responses", "id", true, NULL},
        {"evaluations", "id", true, NULL},
        {"evaluation_ratings", "evaluation_id, dimension", false, NULL},
        {"evaluation_evidence", "id", true, NULL},
        {"reminders", "id", true, NULL},
        {"calendar_windows", "id", true, NULL},
        {"calibration_sessions", "id", true, NULL},
        {"calibration_population", "session_id, team_id", false, NULL},
        {"calibration_members", "session_id, person_id", false, NULL},
        {"calibration_participants", "session_id, user_id", false, NULL},
        {"calibration_marks", "session_id, person_id, user_id", false, NULL},
        {"calibration_changes", "id", true, NULL},
        {"calibration_overrides", "id", true, NULL},
        {"audit_log", "seq", false, NULL},
        {"audit_people", "employee_id, seq", false, NULL},
        {"audit_checkpoints", "seq", false, NULL},
};
const int store_table_count = (int)(sizeof store_tables / sizeof store_tables[0]);

const char *const store_functions[] = {"audit_log_append_only", "audit_log_redact_only",
                                       "events_epoch_bump", "commit_packs_drop", NULL};
