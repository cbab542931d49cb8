/*
 * govern: ingestion honours the policy's tracking mechanisms.  Run inside
 * the publish transaction on the run's staged rows, before anything is
 * written to events: each record's mechanism (by event kind) must be
 * enabled, not prohibited and approved for the person's country; where
 * consent is required the person must hold a current grant, else the
 * record is skipped or stored pseudonymized, as the policy says.  Records
 * of accounts matched to nobody are held pseudonymized (consent.h resolves
 * them when the account is linked).  Without a policy that declares
 * mechanisms, nothing changes.
 */
#ifndef PLUMB_GOVERN_H
#define PLUMB_GOVERN_H

#include <stdint.h>

#include "base/err.h"
#include "ingest/run.h"

/* The temporary table publish_accounts (system_k, login_k, email_k,
 * person_id) holds each distinct account of the run, keyed by
 * ACCOUNT_KEYS of its staged rows, with the person it names; publishing
 * fills it before governance and attributes new events through it.
 * ACCOUNT_KEY tells NULL from '' so the key is exact. */
#define ACCOUNT_KEY(col) "COALESCE('v' || " col ", '-')"
#define ACCOUNT_KEYS                                                                               \
	ACCOUNT_KEY("events.account_system")                                                       \
	", " ACCOUNT_KEY("events.account") ", " ACCOUNT_KEY("events.account_email")

/* Skip or pseudonymize the staged rows of run run_id (of source_id) the
 * policy says to, counting them in *counts (skipped, pseudonymized,
 * governed).  Reads publish_accounts, filled by the caller.  Inside the
 * caller's write transaction. */
int ingest_govern_tx(struct ctx *ctx, int64_t run_id, int64_t source_id,
                     struct ingest_counts *counts, struct error *err);

#endif
