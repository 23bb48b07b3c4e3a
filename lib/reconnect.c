/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/reconnect.h"

#include <string.h>

#define CONNECT_TIMEOUT_MIN 1000

static void
enter(struct reconnect *r, enum reconnect_state state, long long now)
{
    r->state = state;
    r->entered = now;
}

void
reconnect_init(struct reconnect *r, long long now)
{
    memset(r, 0, sizeof *r);
    r->min_backoff = 1000;
    r->max_backoff = 8000;
    r->probe_interval = 5000;
    enter(r, RECONNECT_VOID, now);
}

void
reconnect_set_backoff(struct reconnect *r, int min_ms, int max_ms)
{
    r->min_backoff = min_ms > 0 ? min_ms : 1;
    r->max_backoff = max_ms > r->min_backoff ? max_ms : r->min_backoff;
    if (r->backoff > r->max_backoff) {
        r->backoff = r->max_backoff;
    }
}

void
reconnect_set_probe_interval(struct reconnect *r, int ms)
{
    r->probe_interval = ms > 0 ? ms : 0;
}

void
reconnect_enable(struct reconnect *r, long long now)
{
    if (r->state == RECONNECT_VOID) {
        r->backoff = 0; /* The first attempt is immediate. */
        enter(r, RECONNECT_BACKOFF, now);
    }
}

void
reconnect_disable(struct reconnect *r, long long now)
{
    enter(r, RECONNECT_VOID, now);
}

void
reconnect_connecting(struct reconnect *r, long long now)
{
    r->n_attempts++;
    enter(r, RECONNECT_CONNECTING, now);
}

void
reconnect_connected(struct reconnect *r, long long now)
{
    r->n_connects++;
    r->connected_at = now;
    r->last_activity = now;
    r->last_error = 0;
    enter(r, RECONNECT_ACTIVE, now);
}

static void
back_off(struct reconnect *r, long long now, int error)
{
    r->last_error = error;
    if (r->backoff <= 0) {
        r->backoff = r->min_backoff;
    } else {
        r->backoff =
            r->backoff >= r->max_backoff / 2 ? r->max_backoff : r->backoff * 2;
    }
    enter(r, RECONNECT_BACKOFF, now);
}

void
reconnect_connect_failed(struct reconnect *r, long long now, int error)
{
    if (r->state != RECONNECT_VOID) {
        back_off(r, now, error);
    }
}

void
reconnect_disconnected(struct reconnect *r, long long now, int error)
{
    if (r->state == RECONNECT_VOID) {
        return;
    }
    if ((r->state == RECONNECT_ACTIVE || r->state == RECONNECT_IDLE)
        && now - r->connected_at >= r->backoff) {
        /* It was up long enough: retry at once. */
        r->backoff = 0;
        r->last_error = error;
        enter(r, RECONNECT_BACKOFF, now);
        return;
    }
    back_off(r, now, error);
}

void
reconnect_activity(struct reconnect *r, long long now)
{
    if (r->state == RECONNECT_ACTIVE || r->state == RECONNECT_IDLE) {
        r->last_activity = now;
        if (r->state == RECONNECT_IDLE) {
            enter(r, RECONNECT_ACTIVE, now);
        }
    }
}

/* When the current state's timer fires, or -1. */
static long long
deadline(const struct reconnect *r)
{
    switch (r->state) {
    case RECONNECT_BACKOFF:
        return r->entered + r->backoff;
    case RECONNECT_CONNECTING:
        return r->entered
               + (r->backoff > CONNECT_TIMEOUT_MIN ? r->backoff
                                                   : CONNECT_TIMEOUT_MIN);
    case RECONNECT_ACTIVE:
        return r->probe_interval ? r->last_activity + r->probe_interval : -1;
    case RECONNECT_IDLE:
        return r->entered + r->probe_interval;
    case RECONNECT_VOID:
    default:
        return -1;
    }
}

enum reconnect_action
reconnect_run(struct reconnect *r, long long now)
{
    long long when = deadline(r);

    if (when < 0 || now < when) {
        return RECONNECT_NOTHING;
    }
    switch (r->state) {
    case RECONNECT_BACKOFF:
        return RECONNECT_CONNECT;
    case RECONNECT_CONNECTING:
    case RECONNECT_IDLE:
        return RECONNECT_DISCONNECT;
    case RECONNECT_ACTIVE:
        enter(r, RECONNECT_IDLE, now);
        return RECONNECT_PROBE;
    case RECONNECT_VOID:
    default:
        return RECONNECT_NOTHING;
    }
}

long long
reconnect_timeout(const struct reconnect *r, long long now)
{
    long long when = deadline(r);

    return when < 0 ? -1 : when <= now ? 0 : when - now;
}

bool
reconnect_is_connected(const struct reconnect *r)
{
    return r->state == RECONNECT_ACTIVE || r->state == RECONNECT_IDLE;
}

const char *
reconnect_state_name(enum reconnect_state state)
{
    static const char *const names[] = {"VOID", "BACKOFF", "CONNECTING",
                                        "ACTIVE", "IDLE"};

    return (unsigned) state < 5 ? names[state] : "?";
}
