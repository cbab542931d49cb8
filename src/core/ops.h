/*
 * ops: every operation plumb performs, declared once.
 *
 * How to add an operation: add one row to OPS_TABLE below with
 *   - its id suffix and dotted name (the audit action for writes),
 *   - the permission the actor needs (PERM_*; scoped permissions are then
 *     checked per object in the service),
 *   - its audit decision (OPA_WRITE: runs in a write transaction and appends
 *     audit entries; OPA_READ: read-only; OPA_READ_AUDITED: a read of one
 *     person's record or of everything, which leaves an entry naming it;
 *     OPA_STAGE: writes working state nobody reads (ingest staging), in a
 *     write transaction without an entry: the operation that publishes it
 *     is the audited write; but a run found abandoned there is recorded
 *     failed with an ingest.fail entry),
 *   - its HTTP route, or NULL when it has none,
 *   - one line of help.
 * Then give the CLI face a command row naming the op (src/cli/cli_<group>.c).
 * op_begin and op_commit (ctx.h) read this table, so an operation cannot
 * forget its permission check or its audit decision; tests/unit/test_ops.c
 * proves each row has both.
 */
#ifndef PLUMB_OPS_H
#define PLUMB_OPS_H

enum perm {
	PERM_UNSET = 0,
	PERM_ANY,          /* any active user; the service scopes what it returns */
	PERM_ADMIN,        /* platform admin: configuration, users, audit */
	PERM_PEOPLE_SCOPED /* a people role; per-person checks in the service */
};

enum op_audit {
	OPA_UNSET = 0,
	OPA_READ,
	OPA_READ_AUDITED,
	OPA_WRITE,
	OPA_STAGE,
};

/* X(ID, name, permission, audit, route, help) */
#define OPS_TABLE(X)                                                                               \
	X(DB_INIT, "db.init", PERM_ADMIN, OPA_WRITE, NULL, "create a database")                    \
	X(DB_BACKUP, "db.backup", PERM_ADMIN, OPA_READ_AUDITED, NULL, "write a consistent copy")   \
	X(DB_COPY, "db.copy", PERM_ADMIN, OPA_WRITE, NULL, "copy a database to another engine")    \
	X(ORG_IMPORT, "org.import", PERM_ADMIN, OPA_WRITE, "POST /api/v1/org/import",              \
	  "import people, teams and identities")                                                   \
	X(ORG_SHOW, "org.show", PERM_ANY, OPA_READ, "GET /api/v1/org",                             \
	  "summarize the organization")                                                            \
	X(ORG_TREE, "org.tree", PERM_ANY, OPA_READ, "GET /api/v1/org/tree", "show the team tree")  \
	X(PERSON_SHOW, "person.show", PERM_PEOPLE_SCOPED, OPA_READ_AUDITED,                        \
	  "GET /api/v1/people/{id}", "show one person with history")                               \
	X(PERSON_LIST, "person.list", PERM_PEOPLE_SCOPED, OPA_READ, "GET /api/v1/people",          \
	  "list the people the actor may see")                                                     \
	X(IDENTITY_RESOLVE, "identity.resolve", PERM_PEOPLE_SCOPED, OPA_READ_AUDITED,              \
	  "GET /api/v1/identities/{system}/{login}", "find the person behind an account")          \
	X(IDENTITY_LINK, "identity.link", PERM_ADMIN, OPA_WRITE, "POST /api/v1/identities",        \
	  "link an account to a person by hand")                                                   \
	X(PERSON_MERGE, "person.merge", PERM_ADMIN, OPA_WRITE, "POST /api/v1/people/{id}/merge",   \
	  "merge two records of one person")                                                       \
	X(IDENTITY_UNLINK, "identity.unlink", PERM_ADMIN, OPA_WRITE,                               \
	  "DELETE /api/v1/identities/{system}/{login}", "remove an account's link to a person")    \
	X(SERVICE_SET, "service.set", PERM_ADMIN, OPA_WRITE, "POST /api/v1/services",              \
	  "create a service or change its owner")                                                  \
	X(SERVICE_LIST, "service.list", PERM_ANY, OPA_READ, "GET /api/v1/services",                \
	  "list services and owners")                                                              \
	X(USER_ADD, "user.add", PERM_ADMIN, OPA_WRITE, "POST /api/v1/users", "create a user")      \
	X(USER_LIST, "user.list", PERM_ADMIN, OPA_READ, "GET /api/v1/users", "list users")         \
	X(USER_REVOKE, "user.revoke", PERM_ADMIN, OPA_WRITE, "POST /api/v1/users/{user}/revoke",   \
	  "take roles from a user")                                                                \
	X(USER_PASSWD, "user.passwd", PERM_ADMIN, OPA_WRITE, NULL, "set a user's password")        \
	X(USER_OFFBOARD, "user.offboard", PERM_ADMIN, OPA_WRITE, NULL,                             \
	  "disable users who have left; revoke their sessions and tokens")                         \
	X(TOKEN_CREATE, "token.create", PERM_ADMIN, OPA_WRITE, NULL,                               \
	  "create an API token (shown once)")                                                      \
	X(TOKEN_LIST, "token.list", PERM_ADMIN, OPA_READ, "GET /api/v1/tokens", "list API tokens") \
	X(TOKEN_REVOKE, "token.revoke", PERM_ADMIN, OPA_WRITE, "POST /api/v1/tokens/{id}/revoke",  \
	  "revoke an API token")                                                                   \
	X(SESSION_SIGNIN, "session.signin", PERM_ANY, OPA_WRITE, NULL,                             \
	  "sign in to the web pages (server only)")                                                \
	X(SESSION_SIGNOUT, "session.signout", PERM_ANY, OPA_WRITE, NULL,                           \
	  "sign out of the web pages (server only)")                                               \
	X(SERVE, "server.run", PERM_ADMIN, OPA_READ, NULL, "serve the JSON API and web pages")     \
	X(AUDIT_LOG, "audit.log", PERM_ADMIN, OPA_READ, "GET /api/v1/audit", "read the audit log") \
	X(AUDIT_VERIFY, "audit.verify", PERM_ADMIN, OPA_READ, "GET /api/v1/audit/verify",          \
	  "verify the audit chain")                                                                \
	X(AUDIT_CHECKPOINT, "audit.checkpoint", PERM_ADMIN, OPA_READ,                              \
	  "GET /api/v1/audit/checkpoint", "print the latest signed head")                          \
	X(SOURCE_ADD, "source.add", PERM_ADMIN, OPA_WRITE, "POST /api/v1/sources",                 \
	  "configure a data source")                                                               \
	X(SOURCE_SET, "source.set", PERM_ADMIN, OPA_WRITE,                                         \
	  "POST /api/v1/sources/{source}/settings", "change a data source's settings")             \
	X(SOURCE_CHECK, "source.check", PERM_ADMIN, OPA_READ, NULL,                                \
	  "try data sources' settings against their APIs")                                         \
	X(SOURCE_PAUSE, "source.pause", PERM_ADMIN, OPA_WRITE,                                     \
	  "POST /api/v1/sources/{source}/pause",                                                   \
	  "stop a data source bringing data until it is resumed")                                  \
	X(SOURCE_RESUME, "source.resume", PERM_ADMIN, OPA_WRITE,                                   \
	  "POST /api/v1/sources/{source}/resume", "let a paused data source bring data again")     \
	X(SOURCE_REWIND, "source.rewind", PERM_ADMIN, OPA_WRITE,                                   \
	  "POST /api/v1/sources/{source}/rewind",                                                  \
	  "forget a data source's cursors: its next sync reads from --since again")                \
	X(SOURCE_REMOVE, "source.remove", PERM_ADMIN, OPA_WRITE,                                   \
	  "POST /api/v1/sources/{source}/remove", "remove a data source that has no history yet")  \
	X(SOURCE_LIST, "source.list", PERM_ADMIN, OPA_READ, "GET /api/v1/sources",                 \
	  "list configured data sources")                                                          \
	X(SOURCE_OWNER, "source.owner", PERM_ADMIN, OPA_WRITE,                                     \
	  "POST /api/v1/sources/{source}/owner", "set the team that owns a source's data")         \
	X(SOURCE_SHARE, "source.share", PERM_ANY, OPA_WRITE,                                       \
	  "POST /api/v1/sources/{source}/readers",                                                 \
	  "let an org unit read a source's individual-level events")                               \
	X(SOURCE_UNSHARE, "source.unshare", PERM_ANY, OPA_WRITE,                                   \
	  "DELETE /api/v1/sources/{source}/readers/{with}",                                        \
	  "stop an org unit reading a source's individual-level events")                           \
	X(SERVICE_MAP, "service.map", PERM_ADMIN, OPA_WRITE, "POST /api/v1/services/mappings",     \
	  "map a repository, job or incident service to a service")                                \
	X(SERVICE_MAPPINGS, "service.mappings", PERM_ANY, OPA_READ,                                \
	  "GET /api/v1/services/mappings", "list service mappings")                                \
	X(SERVICE_UNOWNED, "service.unowned", PERM_ANY, OPA_READ, "GET /api/v1/services/unowned",  \
	  "list the services no team owns, with their events")                                     \
	X(SERVICE_OWNER_OF, "service.owner-of", PERM_ANY, OPA_READ,                                \
	  "GET /api/v1/services/owner-of", "find the service a repository path belongs to")        \
	X(INGEST_STAGE, "ingest.stage", PERM_ADMIN, OPA_STAGE, NULL,                               \
	  "stage documents of an ingest run")                                                      \
	X(INGEST, "ingest.publish", PERM_ADMIN, OPA_WRITE, "POST /api/v1/ingest",                  \
	  "publish an ingest run's events")                                                        \
	X(INGEST_FAIL, "ingest.fail", PERM_ADMIN, OPA_WRITE, NULL,                                 \
	  "record an ingest run failed, removing what it staged")                                  \
	X(EVENTS_LIST, "events.list", PERM_ANY, OPA_READ, "GET /api/v1/events",                    \
	  "list normalized events")                                                                \
	X(IDENTITY_UNMATCHED, "identity.unmatched", PERM_ADMIN, OPA_READ,                          \
	  "GET /api/v1/identities/unmatched", "list source accounts matched to nobody")            \
	X(RECONCILE, "ingest.reconcile", PERM_ADMIN, OPA_READ, "GET /api/v1/reconcile",            \
	  "compare sources, raw payloads and events")                                              \
	X(SYNC_STATUS, "sync.status", PERM_ADMIN, OPA_READ, "GET /api/v1/sync/status",             \
	  "show each source's last sync")                                                          \
	X(METRIC_COMPUTE, "metric.compute", PERM_ANY, OPA_WRITE,                                   \
	  "POST /api/v1/metrics/{key}/values", "compute a metric (stored with lineage)")           \
	X(DORA_COMPUTE, "dora.compute", PERM_ANY, OPA_WRITE, "POST /api/v1/dora",                  \
	  "the four DORA keys with bands")                                                         \
	X(METRIC_EXPLAIN, "metric.explain", PERM_ANY, OPA_READ, "GET /api/v1/explain/{ref}",       \
	  "explain a stored metric value")                                                         \
	X(METRIC_SETTINGS, "metric.settings", PERM_ANY, OPA_READ, "GET /api/v1/metrics/settings",  \
	  "list metric settings")                                                                  \
	X(METRIC_SET, "metric.set", PERM_ADMIN, OPA_WRITE, "POST /api/v1/metrics/settings",        \
	  "change a metric setting")                                                               \
	X(SLO_IMPORT, "slo.import", PERM_ADMIN, OPA_WRITE, "POST /api/v1/slos",                    \
	  "import SLOs from OpenSLO YAML")                                                         \
	X(SLO_INGEST, "slo.ingest", PERM_ADMIN, OPA_WRITE, "POST /api/v1/slos/{slo}/samples",      \
	  "load SLI samples for an SLO")                                                           \
	X(SLO_STATUS, "slo.status", PERM_ANY, OPA_READ, "GET /api/v1/slos/status",                 \
	  "show attainment, error budget, burn rates and alerts")                                  \
	X(DEMO, "demo.create", PERM_ADMIN, OPA_WRITE, NULL, "create the demo organization")        \
	X(METRIC_CATALOG, "metric.catalog", PERM_ANY, OPA_READ, "GET /api/v1/metrics/catalog",     \
	  "list the metric catalogue")                                                             \
	X(METRIC_SHOW, "metric.show", PERM_ANY, OPA_READ, "GET /api/v1/metrics/catalog/{key}",     \
	  "show one metric definition")                                                            \
	X(METRIC_DEFINE, "metric.define", PERM_ADMIN, OPA_WRITE, "POST /api/v1/metrics/catalog",   \
	  "propose a metric definition or a new version")                                          \
	X(METRIC_PROPOSALS, "metric.proposals", PERM_ANY, OPA_READ,                                \
	  "GET /api/v1/metrics/proposals", "list proposed definitions and their approvals")        \
	X(METRIC_APPROVE, "metric.approve", PERM_ANY, OPA_WRITE,                                   \
	  "POST /api/v1/metrics/catalog/{key}/approve",                                            \
	  "approve a proposed definition (a leader, people partner or admin)")                     \
	X(METRIC_OBJECT, "metric.object", PERM_ANY, OPA_WRITE,                                     \
	  "POST /api/v1/metrics/catalog/{key}/object",                                             \
	  "object to a proposed definition (a leader, people partner or admin)")                   \
	X(METRIC_RETIRE, "metric.retire", PERM_ADMIN, OPA_WRITE,                                   \
	  "POST /api/v1/metrics/catalog/{key}/retire", "retire a metric definition")               \
	X(METRIC_MAP, "metric.map", PERM_ADMIN, OPA_WRITE,                                         \
	  "POST /api/v1/metrics/catalog/{key}/objectives", "map a metric to an objective")         \
	X(METRIC_UNMAP, "metric.unmap", PERM_ADMIN, OPA_WRITE,                                     \
	  "DELETE /api/v1/metrics/catalog/{key}/objectives/{objective}",                           \
	  "remove a metric's mapping to an objective")                                             \
	X(METRIC_REVIEWED, "metric.reviewed", PERM_ADMIN, OPA_WRITE,                               \
	  "POST /api/v1/metrics/catalog/{key}/reviewed",                                           \
	  "record the review of a metric definition; its next review moves on")                    \
	X(METRIC_REVIEW_DUE, "metric.review-due", PERM_ANY, OPA_READ,                              \
	  "GET /api/v1/metrics/review-due", "list definitions due for review")                     \
	X(METRIC_SUGGEST, "metric.suggest", PERM_ANY, OPA_READ, "GET /api/v1/metrics/suggest",     \
	  "suggest metrics fit for a service and an audience")                                     \
	X(OBJECTIVE_LIST, "objective.list", PERM_ANY, OPA_READ, "GET /api/v1/objectives",          \
	  "list business objectives and their metrics")                                            \
	X(OBJECTIVE_ADD, "objective.add", PERM_ADMIN, OPA_WRITE, "POST /api/v1/objectives",        \
	  "add a business objective")                                                              \
	X(SERVICE_STAGE, "service.stage", PERM_ADMIN, OPA_WRITE,                                   \
	  "POST /api/v1/services/{name}/stage", "set a service's lifecycle stage from a date on")  \
	X(DASHBOARD_REFRESH, "dashboard.refresh", PERM_ADMIN, OPA_WRITE,                           \
	  "POST /api/v1/dashboard/refresh", "compute the dashboard's four keys by team")           \
	X(DASHBOARD_SHOW, "dashboard.show", PERM_ANY, OPA_READ, "GET /api/v1/dashboard",           \
	  "read the leadership dashboard")                                                         \
	X(WEBHOOK_RECEIVE, "webhook.receive", PERM_ADMIN, OPA_WRITE, NULL,                         \
	  "store a signed webhook delivery")                                                       \
	X(WEBHOOK_QUEUE, "webhook.queue", PERM_ADMIN, OPA_READ, NULL,                              \
	  "list the deliveries a server's webhook queue holds")                                    \
	X(WEBHOOK_REQUEUE, "webhook.requeue", PERM_ADMIN, OPA_WRITE, NULL,                         \
	  "put failed queued webhook deliveries back to be stored")                                \
	X(POLICY_IMPORT, "policy.import", PERM_ADMIN, OPA_WRITE, "POST /api/v1/policy",            \
	  "import a governance policy file as a new version")                                      \
	X(POLICY_SHOW, "policy.show", PERM_ANY, OPA_READ, "GET /api/v1/policy",                    \
	  "show the governance policy in force")                                                   \
	X(POLICY_DIFF, "policy.diff", PERM_ANY, OPA_READ, "GET /api/v1/policy/diff/{a}/{b}",       \
	  "what changed between two policy versions")                                              \
	X(POLICY_EXPORT, "policy.export", PERM_ANY, OPA_READ, "GET /api/v1/policy/export",         \
	  "write a policy version back as YAML")                                                   \
	X(ME_SHOW, "me.show", PERM_ANY, OPA_READ, "GET /api/v1/me",                                \
	  "what plumb holds about the signed-in person")                                           \
	X(ME_EXPORT, "me.export", PERM_ANY, OPA_READ_AUDITED, "GET /api/v1/me/export",             \
	  "export everything plumb holds about the signed-in person")                              \
	X(MECHANISM_LIST, "mechanism.list", PERM_ANY, OPA_READ, "GET /api/v1/mechanisms",          \
	  "list tracking mechanisms and their effective state")                                    \
	X(MECHANISM_APPROVE, "mechanism.approve", PERM_PEOPLE_SCOPED, OPA_WRITE,                   \
	  "POST /api/v1/mechanisms/{key}/approvals",                                               \
	  "record a works-council or leadership approval of a mechanism")                          \
	X(MECHANISM_REVOKE, "mechanism.revoke-approval", PERM_PEOPLE_SCOPED, OPA_WRITE,            \
	  "POST /api/v1/mechanisms/{key}/approvals/revoke", "end a mechanism's approval")          \
	X(CONSENT_GRANT, "consent.grant", PERM_PEOPLE_SCOPED, OPA_WRITE,                           \
	  "POST /api/v1/consents/grant", "record a person's consent to a mechanism")               \
	X(CONSENT_WITHDRAW, "consent.withdraw", PERM_PEOPLE_SCOPED, OPA_WRITE,                     \
	  "POST /api/v1/consents/withdraw", "record the withdrawal of a person's consent")         \
	X(CONSENT_LIST, "consent.list", PERM_PEOPLE_SCOPED, OPA_READ_AUDITED,                      \
	  "GET /api/v1/consents", "list consent records")                                          \
	X(KEY_ROTATE, "key.rotate", PERM_ADMIN, OPA_WRITE, NULL,                                   \
	  "rotate the pseudonym key: analysts see new pseudonyms")                                 \
	X(DEMOGRAPHICS_IMPORT, "demographics.import", PERM_PEOPLE_SCOPED, OPA_WRITE, NULL,         \
	  "import demographic attributes, stored apart (policy's readers only)")                   \
	X(DEMOGRAPHICS_SHOW, "demographics.show", PERM_PEOPLE_SCOPED, OPA_READ_AUDITED, NULL,      \
	  "read demographic attributes (policy's readers only, audited)")                          \
	X(POLICY_RULES, "policy.rules", PERM_ANY, OPA_READ, "GET /api/v1/policy/rules",            \
	  "list the acceptable-use rules the core enforces")                                       \
	X(POLICY_CHECK, "policy.check", PERM_ADMIN, OPA_READ, "GET /api/v1/policy/check",          \
	  "lint the framework, metrics, mechanisms and settings against the policy")               \
	X(SIGNOFF_REQUEST, "signoff.request", PERM_ADMIN, OPA_WRITE, "POST /api/v1/signoffs",      \
	  "request leadership sign-off of an incentive-linked metric")                             \
	X(SIGNOFF_APPROVE, "signoff.approve", PERM_ANY, OPA_WRITE,                                 \
	  "POST /api/v1/signoffs/{id}/approve", "approve a sign-off (the policy's approvers)")     \
	X(SIGNOFF_REJECT, "signoff.reject", PERM_ANY, OPA_WRITE,                                   \
	  "POST /api/v1/signoffs/{id}/reject", "reject a sign-off (the policy's approvers)")       \
	X(SIGNOFF_LIST, "signoff.list", PERM_ANY, OPA_READ, "GET /api/v1/signoffs",                \
	  "list sign-offs and their votes")                                                        \
	X(RETENTION_PLAN, "retention.plan", PERM_ADMIN, OPA_READ, "GET /api/v1/retention/plan",    \
	  "say what retention would delete or anonymize, and why")                                 \
	X(RETENTION_APPLY, "retention.apply", PERM_ADMIN, OPA_WRITE, NULL,                         \
	  "delete or anonymize what retention says, in batches")                                   \
	X(HOLD_ADD, "hold.add", PERM_PEOPLE_SCOPED, OPA_WRITE, "POST /api/v1/holds",               \
	  "place a legal hold on a person or a data category")                                     \
	X(HOLD_LIST, "hold.list", PERM_PEOPLE_SCOPED, OPA_READ, "GET /api/v1/holds",               \
	  "list legal holds")                                                                      \
	X(HOLD_RELEASE, "hold.release", PERM_PEOPLE_SCOPED, OPA_WRITE,                             \
	  "POST /api/v1/holds/{id}/release", "release a legal hold")                               \
	X(FRAMEWORK_IMPORT, "framework.import", PERM_ANY, OPA_WRITE, "POST /api/v1/framework",     \
	  "import a career framework as a new version (admins, people partners)")                  \
	X(FRAMEWORK_SHOW, "framework.show", PERM_ANY, OPA_READ, "GET /api/v1/framework",           \
	  "show a career framework version")                                                       \
	X(FRAMEWORK_DIFF, "framework.diff", PERM_ANY, OPA_READ,                                    \
	  "GET /api/v1/framework/diff/{a}/{b}", "what changed between two framework versions")     \
	X(FRAMEWORK_EXPORT, "framework.export", PERM_ANY, OPA_READ,                                \
	  "GET /api/v1/framework/export", "write a framework version back as YAML")                \
	X(CYCLE_CREATE, "cycle.create", PERM_PEOPLE_SCOPED, OPA_WRITE, "POST /api/v1/cycles",      \
	  "create a review cycle with its phases and assignments")                                 \
	X(CYCLE_ADVANCE, "cycle.advance", PERM_PEOPLE_SCOPED, OPA_WRITE,                           \
	  "POST /api/v1/cycles/{cycle}/advance",                                                   \
	  "close a cycle's current phase and open the next")                                       \
	X(CYCLE_LIST, "cycle.list", PERM_ANY, OPA_READ, "GET /api/v1/cycles",                      \
	  "list review cycles")                                                                    \
	X(CYCLE_STATUS, "cycle.status", PERM_ANY, OPA_READ, "GET /api/v1/cycles/{cycle}",          \
	  "completion by phase and team, who is late")                                             \
	X(CYCLE_NOMINATE, "cycle.nominate", PERM_ANY, OPA_WRITE,                                   \
	  "POST /api/v1/cycles/{cycle}/nominations",                                               \
	  "nominate a peer or name a cross-functional reviewer")                                   \
	X(CYCLE_DECIDE, "cycle.decide", PERM_ANY, OPA_WRITE,                                       \
	  "POST /api/v1/cycles/{cycle}/decisions",                                                 \
	  "approve or decline a peer nomination (the manager)")                                    \
	X(CYCLE_ASSIGNMENTS, "cycle.assignments", PERM_ANY, OPA_READ,                              \
	  "GET /api/v1/cycles/{cycle}/assignments",                                                \
	  "list review assignments and each reviewer's load")                                      \
	X(CYCLE_CHECK_CALENDAR, "cycle.check-calendar", PERM_ANY, OPA_READ,                        \
	  "GET /api/v1/cycles/{cycle}/calendar-check",                                             \
	  "list the blackout windows a cycle's phases overlap")                                    \
	X(CALENDAR_ADD, "calendar.add", PERM_PEOPLE_SCOPED, OPA_WRITE, "POST /api/v1/calendar",    \
	  "add a blackout window to the calendar")                                                 \
	X(CALENDAR_LIST, "calendar.list", PERM_ANY, OPA_READ, "GET /api/v1/calendar",              \
	  "list blackout windows")                                                                 \
	X(CALENDAR_REMOVE, "calendar.remove", PERM_PEOPLE_SCOPED, OPA_WRITE,                       \
	  "DELETE /api/v1/calendar/{id}", "remove a blackout window")                              \
	X(NOTIFY, "notify.send", PERM_ADMIN, OPA_WRITE, NULL,                                      \
	  "send due and overdue reminders, escalate to managers")                                  \
	X(FEEDBACK_SUBMIT, "feedback.submit", PERM_ANY, OPA_WRITE,                                 \
	  "POST /api/v1/cycles/{cycle}/feedback/{for}",                                            \
	  "save a draft of, submit or amend feedback")                                             \
	X(FEEDBACK_SHOW, "feedback.show", PERM_ANY, OPA_READ_AUDITED,                              \
	  "GET /api/v1/cycles/{cycle}/feedback/{for}",                                             \
	  "read feedback, grouped within the anonymity rules")                                     \
	X(FEEDBACK_AUTHORS, "feedback.authors", PERM_PEOPLE_SCOPED, OPA_READ_AUDITED,              \
	  "GET /api/v1/cycles/{cycle}/feedback/{for}/authors",                                     \
	  "who wrote peer or cross-functional feedback (people partners, where allowed)")          \
	X(EVALUATION_SUBMIT, "evaluation.submit", PERM_ANY, OPA_WRITE,                             \
	  "POST /api/v1/cycles/{cycle}/evaluations/{person}",                                      \
	  "record rubric ratings with evidence as a new evaluation version")                       \
	X(EVALUATION_HISTORY, "evaluation.history", PERM_ANY, OPA_READ_AUDITED,                    \
	  "GET /api/v1/cycles/{cycle}/evaluations/{person}",                                       \
	  "every version of an evaluation, with who, when and why")                                \
	X(EVALUATION_LIST, "evaluation.list", PERM_ANY, OPA_READ_AUDITED,                          \
	  "GET /api/v1/people/{person}/evaluations",                                               \
	  "the review cycles a person is in, with the evaluations you may read")                   \
	X(SCORE_SHOW, "score.show", PERM_ANY, OPA_READ_AUDITED,                                    \
	  "GET /api/v1/cycles/{cycle}/scores/{person}",                                            \
	  "a person's axis scores with their arithmetic")                                          \
	X(PACKET, "packet.write", PERM_ANY, OPA_READ_AUDITED,                                      \
	  "GET /api/v1/cycles/{cycle}/packets/{person}", "write a promotion packet")               \
	X(CALIBRATE_SESSION_CREATE, "calibrate.session.create", PERM_PEOPLE_SCOPED, OPA_WRITE,     \
	  "POST /api/v1/calibration/sessions",                                                     \
	  "create a calibration session over a cycle's teams")                                     \
	X(CALIBRATE_SESSION_LIST, "calibrate.session.list", PERM_ANY, OPA_READ,                    \
	  "GET /api/v1/calibration/sessions", "list the calibration sessions the actor may read")  \
	X(CALIBRATE_SESSION_STATUS, "calibrate.session.status", PERM_ANY, OPA_READ_AUDITED,        \
	  "GET /api/v1/calibration/sessions/{session}",                                            \
	  "a session's people, proposed ratings, marks, changes and flags")                        \
	X(CALIBRATE_SESSION_OPEN, "calibrate.session.open", PERM_ANY, OPA_WRITE,                   \
	  "POST /api/v1/calibration/sessions/{session}/open", "open a calibration session")        \
	X(CALIBRATE_SESSION_CLOSE, "calibrate.session.close", PERM_ANY, OPA_WRITE,                 \
	  "POST /api/v1/calibration/sessions/{session}/close",                                     \
	  "close a session and write the calibrated ratings back")                                 \
	X(CALIBRATE_MARK, "calibrate.mark", PERM_ANY, OPA_WRITE,                                   \
	  "POST /api/v1/calibration/sessions/{session}/marks",                                     \
	  "mark a proposed rating agree, question or no opinion")                                  \
	X(CALIBRATE_CHANGE, "calibrate.change", PERM_ANY, OPA_WRITE,                               \
	  "POST /api/v1/calibration/sessions/{session}/changes",                                   \
	  "change a rating in an open session, with reason and evidence")                          \
	X(CALIBRATE_RATERS, "calibrate.raters", PERM_ANY, OPA_READ_AUDITED,                        \
	  "GET /api/v1/calibration/sessions/{session}/raters",                                     \
	  "rater leniency and severity, with suggested adjusted scores")                           \
	X(CALIBRATE_DISTRIBUTION, "calibrate.distribution", PERM_ANY, OPA_READ_AUDITED,            \
	  "GET /api/v1/calibration/sessions/{session}/distribution",                               \
	  "rating distributions by manager, team, profile or level against the rest")              \
	X(CALIBRATE_NINEBOX, "calibrate.ninebox", PERM_ANY, OPA_READ_AUDITED,                      \
	  "GET /api/v1/calibration/sessions/{session}/ninebox",                                    \
	  "the 9-box of performance against potential")                                            \
	X(CALIBRATE_CURVE, "calibrate.curve", PERM_ANY, OPA_WRITE,                                 \
	  "POST /api/v1/calibration/sessions/{session}/curve",                                     \
	  "propose a forced curve, behind its guardrails (recorded, nothing changed)")             \
	X(CALIBRATE_AGREEMENT, "calibrate.agreement", PERM_ANY, OPA_READ_AUDITED,                  \
	  "GET /api/v1/calibration/sessions/{session}/agreement",                                  \
	  "inter-rater agreement of the session's 360 ratings")                                    \
	X(CALIBRATE_RELIABILITY, "calibrate.reliability", PERM_ANY, OPA_READ, NULL,                \
	  "inter-rater reliability of ratings in a CSV file (no database)")                        \
	X(CALIBRATE_RATER_EFFECTS, "calibrate.rater_effects", PERM_ANY, OPA_READ, NULL,            \
	  "rater leniency and severity in a CSV file of ratings (no database)")

#define OP_ENUM_(id, name, perm, audit, route, help) OP_##id,
enum op_id { OPS_TABLE(OP_ENUM_) OP_COUNT_ };
#undef OP_ENUM_

struct op_def {
	enum op_id id;
	const char *name;
	enum perm perm;
	enum op_audit audit;
	const char *route;
	const char *help;
};

const struct op_def *op_get(enum op_id id);
/* The whole table, for the router, help and tests. */
const struct op_def *op_table(int *count);

#endif
