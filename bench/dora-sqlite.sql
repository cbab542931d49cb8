-- The four keys as plain SQL on SQLite, over the benchmark history
-- (bench/gen-dora.py): the definitions of docs/metrics.md that the history
-- exercises (change ranges by walking parents, incidents linked by the
-- failure window, recovery from incident start to resolution).
-- :from and :to are substituted by bench/dora.
CREATE TEMP TABLE deps AS
SELECT id, service_id, sha, ended_at AS fin,
       LAG(sha) OVER (PARTITION BY service_id ORDER BY ended_at, id) AS prev_sha
FROM events
WHERE kind = 'deployment' AND status = 'success' AND lower(environment) IN ('production', 'prod');
CREATE INDEX temp.deps_service ON deps(service_id, fin, id);
CREATE TEMP TABLE parents AS
SELECT e.external_id AS sha, j.value AS parent
FROM events e, json_each(e.attrs, '$.parents') j WHERE e.kind = 'commit';
CREATE INDEX temp.parents_sha ON parents(sha);
CREATE TEMP TABLE lead AS
WITH RECURSIVE walk(fin, sha, stop) AS (
  SELECT fin, sha, prev_sha FROM deps WHERE prev_sha IS NOT NULL AND fin >= :from AND fin < :to
  UNION ALL
  SELECT w.fin, p.parent, w.stop FROM walk w JOIN parents p ON p.sha = w.sha WHERE p.parent <> w.stop)
SELECT (w.fin - c.occurred_at) / 3600000.0 AS v
FROM walk w JOIN events c ON c.source_id = 1 AND c.kind = 'commit' AND c.external_id = w.sha;
CREATE TEMP TABLE links AS
SELECT i.occurred_at AS start, i.ended_at AS resolved,
       (SELECT d.id FROM deps d WHERE d.service_id = i.service_id AND d.fin <= i.occurred_at
        ORDER BY d.fin DESC, d.id DESC LIMIT 1) AS dep
FROM events i WHERE i.kind = 'incident';
CREATE TEMP TABLE failed AS
SELECT l.dep, MIN(l.start) AS start, MAX(l.resolved) AS resolved
FROM links l JOIN deps d ON d.id = l.dep
WHERE l.start - d.fin <= 24 * 3600000 AND d.fin >= :from AND d.fin < :to GROUP BY l.dep;
WITH s AS (SELECT v, ROW_NUMBER() OVER (ORDER BY v) - 1 AS i, COUNT(*) OVER () AS n FROM lead),
     r AS (SELECT (resolved - start) / 3600000.0 AS v FROM failed),
     rs AS (SELECT v, ROW_NUMBER() OVER (ORDER BY v) - 1 AS i, COUNT(*) OVER () AS n FROM r)
SELECT (SELECT COUNT(*) FROM deps WHERE fin >= :from AND fin < :to),
       (SELECT AVG(v) FROM s WHERE i IN ((n - 1) / 2, n / 2)),
       (SELECT COUNT(*) FROM failed) * 1.0 / (SELECT COUNT(*) FROM deps WHERE fin >= :from AND fin < :to),
       (SELECT AVG(v) FROM rs WHERE i IN ((n - 1) / 2, n / 2));
