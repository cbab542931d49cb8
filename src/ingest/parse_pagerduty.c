/*
 * parse_pagerduty: PagerDuty incidents, from a GET /incidents page or a V3
 * webhook body, into incident events owned by their PagerDuty service.
 * PagerDuty's statuses (triggered, acknowledged, resolved) are plumb's own.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/sb.h"
#include "ingest/parse.h"
#include "ingest/pjson.h"

static bool pd_incidents_detect(const cJSON *doc, const struct parse_input *in)
{
	(void)in;
	return cJSON_IsArray(pj_get(doc, "incidents"));
}

static bool pd_webhook_detect(const cJSON *doc, const struct parse_input *in)
{
	(void)in;
	const cJSON *event = pj_get(doc, "event");
	return cJSON_IsObject(event) && cJSON_IsString(pj_get(event, "event_type"));
}

static int pd_status(struct pj *pj, const cJSON *obj, const char *path, const char **status)
{
	if (pj_str_req(pj, obj, path, "status", status) < 0)
		return pj->err->code;
	if (strcmp(*status, "triggered") != 0 && strcmp(*status, "acknowledged") != 0 &&
	    strcmp(*status, "resolved") != 0)
		return pj_fail(
		        pj, path, "status",
		        "unknown status '%.40s': expected triggered, acknowledged or resolved",
		        *status);
	return 0;
}

/* The service that owns the incident: service.id. */
static int pd_service(struct pj *pj, const cJSON *obj, const char *path, const char **id)
{
	const cJSON *service;
	if (pj_obj(pj, obj, path, "service", &service) < 0)
		return pj->err->code;
	if (!service)
		return pj_fail(pj, path, "service", "missing: expected the incident's service");
	return pj_key_req(pj, service, pj_path(pj, path, "service"), "id", id);
}

/* attrs: urgency, priority (its summary), escalation policy (its id), and
 * for webhooks the event type. */
static int pd_attrs(struct pj *pj, const cJSON *incident, const char *path, const char *event_type,
                    const char **out)
{
	const char *urgency, *priority = NULL, *policy = NULL;
	const cJSON *prio, *esc;
	if (pj_str(pj, incident, path, "urgency", &urgency) < 0 ||
	    pj_obj(pj, incident, path, "priority", &prio) < 0 ||
	    pj_str(pj, prio, pj_path(pj, path, "priority"), "summary", &priority) < 0 ||
	    pj_obj(pj, incident, path, "escalation_policy", &esc) < 0 ||
	    pj_str(pj, esc, pj_path(pj, path, "escalation_policy"), "id", &policy) < 0)
		return pj->err->code;
	/* The API's two (its reference: "high" or "low"); another, such as
	 * "High" or "critical", is no export of it, and a report by urgency
	 * would count it apart (found in session 52: stored as given). */
	if (urgency && strcmp(urgency, "high") != 0 && strcmp(urgency, "low") != 0)
		return pj_fail(pj, path, "urgency", "'%.80s': expected high or low", urgency);
	struct sb sb;
	struct jw w;
	sb_init(&sb, 0);
	jw_init(&w, &sb, false);
	jw_object_begin(&w);
	jw_kstr(&w, "urgency", urgency);
	jw_kstr(&w, "priority", priority);
	jw_kstr(&w, "escalation_policy", policy);
	if (event_type)
		jw_kstr(&w, "event_type", event_type);
	jw_object_end(&w);
	return pj_sb_take(pj, path, &sb, out);
}

/* The first entry of arr's key, as an object, with its path. */
static int first_of(struct pj *pj, const cJSON *obj, const char *path, const char *key,
                    const cJSON **first, const char **fpath)
{
	const cJSON *arr;
	*first = NULL;
	*fpath = NULL;
	if (pj_arr(pj, obj, path, key, &arr) < 0)
		return pj->err->code;
	if (!arr || !arr->child)
		return 0;
	*fpath = pj_index(pj, pj_path(pj, path, key), 0);
	if (!cJSON_IsObject(arr->child))
		return pj_fail(pj, *fpath, NULL, "expected an object");
	*first = arr->child;
	return 0;
}

static int pd_incident(struct pj *pj, const cJSON *inc, const char *path, parse_emit_fn emit,
                       void *data, struct parse_page *page)
{
	struct event ev = {.kind = EVENT_INCIDENT, .owner_system = "pagerduty"};
	int64_t changed;
	bool has_changed;
	const cJSON *assignment, *assignee;
	const char *apath;
	if (!cJSON_IsObject(inc))
		return pj_fail(pj, path, NULL, "expected an incident object");
	if (pj_key_req(pj, inc, path, "id", &ev.external_id) < 0 ||
	    pj_id(pj, inc, path, "incident_number", &ev.number) < 0 ||
	    pj_str(pj, inc, path, "title", &ev.title) < 0 ||
	    pj_str(pj, inc, path, "html_url", &ev.url) < 0 ||
	    pd_service(pj, inc, path, &ev.owner_key) < 0 ||
	    pd_status(pj, inc, path, &ev.status) < 0 ||
	    pj_time_req(pj, inc, path, "created_at", &ev.occurred_at) < 0 ||
	    pj_time(pj, inc, path, "resolved_at", &ev.ended_at, &ev.has_ended) < 0 ||
	    pj_time(pj, inc, path, "updated_at", &ev.updated_at, &ev.has_updated) < 0 ||
	    pj_time(pj, inc, path, "last_status_change_at", &changed, &has_changed) < 0 ||
	    first_of(pj, inc, path, "assignments", &assignment, &apath) < 0)
		return pj->err->code;
	const char *end_key = "resolved_at";
	if (!ev.has_ended && has_changed && strcmp(ev.status, "resolved") == 0) {
		ev.ended_at = changed;
		ev.has_ended = true;
		end_key = "last_status_change_at";
	}
	/* As a deploy event's finish before its start: an incident resolved
	 * before it was created would count a negative time to restore. */
	if (ev.has_ended && ev.ended_at < ev.occurred_at)
		return pj_fail(pj, path, end_key,
		               "'%.40s' is before created_at ('%.40s') of incident %.40s",
		               pj_get(inc, end_key)->valuestring,
		               pj_get(inc, "created_at")->valuestring, ev.external_id);
	if (!ev.has_updated && has_changed) {
		ev.updated_at = changed;
		ev.has_updated = true;
	}
	if (assignment && (pj_obj(pj, assignment, apath, "assignee", &assignee) < 0 ||
	                   pj_account(pj, assignee, pj_path(pj, apath, "assignee"), "id",
	                              "pagerduty", &ev.account) < 0))
		return pj->err->code;
	ev.account_system = ev.account ? "pagerduty" : NULL;
	if (pd_attrs(pj, inc, path, NULL, &ev.attrs) < 0)
		return pj->err->code;
	return parse_emit_checked(pj, path, &ev, emit, data, page);
}

static int pd_incidents_parse(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                              parse_emit_fn emit, void *data, struct parse_page *page)
{
	(void)in;
	const cJSON *incidents;
	bool more, has_more;
	if (!cJSON_IsObject(doc))
		return pj_fail(pj, "", NULL, "expected a PagerDuty incidents page (an object)");
	if (pj_arr(pj, doc, "", "incidents", &incidents) < 0 ||
	    pj_int(pj, doc, "", "total", &page->declared_total, &page->has_total) < 0 ||
	    pj_bool(pj, doc, "", "more", &more, &has_more) < 0)
		return pj->err->code;
	if (!incidents)
		return pj_fail(pj, "", "incidents", "missing: expected an array of incidents");
	/* reconcile compares it with what was read (found in review: -5 taken) */
	if (page->has_total && page->declared_total < 0)
		return pj_fail(pj, "", "total", "%" PRId64 ": expected a count, 0 or more",
		               page->declared_total);
	size_t i = 0;
	for (const cJSON *inc = incidents->child; inc; inc = inc->next, i++)
		if (pd_incident(pj, inc, pj_index(pj, "incidents", i), emit, data, page) < 0)
			return pj->err->code;
	page->is_last = !more;
	page->has_is_last = has_more;
	return 0;
}

static int pd_webhook_parse(struct pj *pj, const cJSON *doc, const struct parse_input *in,
                            parse_emit_fn emit, void *data, struct parse_page *page)
{
	(void)in;
	struct event ev = {.kind = EVENT_INCIDENT, .owner_system = "pagerduty"};
	const cJSON *event, *incident, *assignee;
	const char *type, *data_type, *apath;
	int64_t at;
	bool has_created;
	if (pj_obj(pj, doc, "", "event", &event) < 0)
		return pj->err->code;
	if (!event)
		return pj_fail(pj, "", "event", "missing: expected a PagerDuty V3 webhook event");
	if (pj_str_req(pj, event, "event", "event_type", &type) < 0)
		return pj->err->code;
	if (strncmp(type, "incident.", 9) != 0)
		return pj_fail(pj, "event", "event_type",
		               "'%.60s' is not an incident event: plumb reads incident.* events",
		               type);
	if (pj_time_req(pj, event, "event", "occurred_at", &at) < 0 ||
	    pj_obj(pj, event, "event", "data", &incident) < 0)
		return pj->err->code;
	if (!incident)
		return pj_fail(pj, "event", "data", "missing: expected the incident");
	const char *path = "event.data";
	if (pj_str(pj, incident, path, "type", &data_type) < 0)
		return pj->err->code;
	/* incident.annotated and the like carry a note, not the incident: not
	 * read, and said so, as an event of another kind is (a webhook delivery
	 * of it is ignored before it is parsed: pd_webhook_look). */
	if (data_type && strcmp(data_type, "incident") != 0)
		return pj_fail(pj, path, "type",
		               "'%.60s': event '%.60s' carries no incident: plumb reads the "
		               "events whose data is the incident",
		               data_type, type);
	if (pj_key_req(pj, incident, path, "id", &ev.external_id) < 0 ||
	    pj_id(pj, incident, path, "number", &ev.number) < 0 ||
	    pj_str(pj, incident, path, "title", &ev.title) < 0 ||
	    pj_str(pj, incident, path, "html_url", &ev.url) < 0 ||
	    pd_service(pj, incident, path, &ev.owner_key) < 0 ||
	    pd_status(pj, incident, path, &ev.status) < 0 ||
	    pj_time(pj, incident, path, "created_at", &ev.occurred_at, &has_created) < 0 ||
	    first_of(pj, incident, path, "assignees", &assignee, &apath) < 0 ||
	    pj_account(pj, assignee, apath, "id", "pagerduty", &ev.account) < 0)
		return pj->err->code;
	if (!has_created)
		ev.occurred_at = at;
	ev.updated_at = at;
	ev.has_updated = true;
	/* Only the resolution's own event dates it: a later one about the
	 * resolved incident (incident.priority_updated, ...) says resolved too. */
	if (strcmp(ev.status, "resolved") == 0 && strcmp(type, "incident.resolved") == 0) {
		ev.ended_at = at;
		ev.has_ended = true;
		if (ev.ended_at < ev.occurred_at)
			return pj_fail(
			        pj, "event", "occurred_at",
			        "'%.40s' (incident.resolved) is before %s.created_at ('%.40s') "
			        "of incident %.40s",
			        pj_get(event, "occurred_at")->valuestring, path,
			        pj_get(incident, "created_at")->valuestring, ev.external_id);
	}
	ev.account_system = ev.account ? "pagerduty" : NULL;
	if (pd_attrs(pj, incident, path, type, &ev.attrs) < 0)
		return pj->err->code;
	return parse_emit_checked(pj, path, &ev, emit, data, page);
}

static void pd_webhook_look(const cJSON *doc, const struct parse_input *in,
                            struct parse_delivery *out)
{
	const cJSON *type = pj_at(doc, "event.event_type");
	const cJSON *data_type = pj_at(doc, "event.data.type");
	if (cJSON_IsString(type) && strncmp(type->valuestring, "incident.", 9) != 0)
		out->unread =
		        arena_printf(in->arena, "PagerDuty event '%.60s' is not an incident event",
		                     type->valuestring);
	/* A note or a responder request carries no incident to store: its run
	 * would publish nothing (found in acceptance: a run, a payload and an
	 * audit entry for each). */
	else if (cJSON_IsString(type) && cJSON_IsString(data_type) &&
	         strcmp(data_type->valuestring, "incident") != 0)
		out->unread = arena_printf(
		        in->arena,
		        "PagerDuty event '%.60s' carries data of type %.60s, not the incident",
		        type->valuestring, data_type->valuestring);
	/* The service scopes the delivery as --service scopes sync; a note
	 * (incident.annotated) names only its incident, so none. */
	const cJSON *service = pj_at(doc, "event.data.service.id");
	if (cJSON_IsString(service))
		out->service = arena_strdup(in->arena, service->valuestring);
}

const struct parse_format parse_pagerduty_formats[] = {
        {.name = "pagerduty-incidents",
         .source_kind = "pagerduty",
         .help = "a PagerDuty GET /incidents page: each incident by its service",
         .json = true,
         .detect = pd_incidents_detect,
         .parse = pd_incidents_parse},
        {.name = "pagerduty-webhook",
         .source_kind = "pagerduty",
         .help = "a PagerDuty V3 webhook body (incident.* events): the incident as it now is",
         .json = true,
         .detect = pd_webhook_detect,
         .parse = pd_webhook_parse,
         .look = pd_webhook_look},
        {0},
};
