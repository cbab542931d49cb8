# A counting metric's `where: environment` matches in any case of its ASCII letters and only
# those, the same on both engines (PostgreSQL's lower() of the parameter folded Ö to ö by the
# server's locale, where lower() of the column, as SQLite's, folds ASCII only).
init_db
file envs.yaml <<'YAML'
key: prod_deploys
name: Production deploys
description: Deployments to PRÖD.
unit: count
direction: higher
indicator: leading
stakeholders: [development]
owner: team-a
formula:
  count: deployment
  where:
    environment: PRÖD
YAML
ok metrics define envs.yaml
ok metrics approve prod_deploys --version 1 --function development
file d.csv <<'CSV'
status,service,environment,started,finished,sha,actor,url
success,billing,prÖd,2024-05-03T14:00:00Z,2024-05-03T14:06:30Z,,ann,
success,billing,PRÖD,2024-05-04T14:00:00Z,2024-05-04T14:06:30Z,,ann,
success,billing,pröd,2024-05-05T14:00:00Z,2024-05-05T14:06:30Z,,ann,
CSV
ok source add deploy --name d
ok ingest --source d d.csv
ok metrics show prod_deploys --service billing --from 2024-05-01 --to 2024-06-01 --json
expect_json .value.value 2
