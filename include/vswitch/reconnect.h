/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_RECONNECT_H
#define VSWITCH_RECONNECT_H 1

/*
 * reconnect: when to connect, when to give up on a connection attempt, when
 * to probe an idle peer, when to declare it dead.  A pure state machine: it
 * performs no I/O and reads no clock — callers pass 'now' (milliseconds)
 * and act on what reconnect_run() says.  That makes it exactly testable.
 *
 * States:
 *
 *   VOID        disabled; nothing happens
 *   BACKOFF     waiting 'backoff' ms before the next attempt
 *   CONNECTING  an attempt is in progress (give up after max(backoff, 1 s))
 *   ACTIVE      connected; data seen within 'probe_interval'
 *   IDLE        connected; a probe was sent and no data has come back yet
 *               (disconnect after another 'probe_interval')
 *
 * Backoff: the first attempt after enabling is immediate; each failure
 * doubles the wait from 'min_backoff' up to 'max_backoff'.  A connection
 * that stayed up for at least the current backoff resets it, so a peer that
 * restarts is retried at once, while one that accepts and drops at once is
 * not hammered.
 *
 * Thread-safety: none; one owner.
 */

#include <stdbool.h>

enum reconnect_state {
    RECONNECT_VOID,
    RECONNECT_BACKOFF,
    RECONNECT_CONNECTING,
    RECONNECT_ACTIVE,
    RECONNECT_IDLE,
};

enum reconnect_action {
    RECONNECT_NOTHING,    /* Nothing to do now. */
    RECONNECT_CONNECT,    /* Start a connection attempt. */
    RECONNECT_DISCONNECT, /* Drop the connection or the attempt. */
    RECONNECT_PROBE,      /* Send a probe (e.g. a JSON-RPC echo). */
};

struct reconnect {
    enum reconnect_state state; /* Current state. */
    long long entered;          /* When 'state' was entered. */
    long long last_activity;    /* Last data received while connected. */
    long long connected_at;     /* When the connection came up. */
    int min_backoff;            /* First retry delay, ms. */
    int max_backoff;            /* Largest retry delay, ms. */
    int backoff;                /* Current retry delay, ms. */
    int probe_interval;         /* Idle time before a probe, ms; 0: never. */
    unsigned int n_attempts;    /* Connection attempts so far. */
    unsigned int n_connects;    /* Successful connections so far. */
    int last_error;             /* errno of the last failure, or 0. */
};

void reconnect_init(struct reconnect *, long long now);
void reconnect_set_backoff(struct reconnect *, int min_ms, int max_ms);
void reconnect_set_probe_interval(struct reconnect *, int ms);

void reconnect_enable(struct reconnect *, long long now);
void reconnect_disable(struct reconnect *, long long now);

/* Report what happened. */
void reconnect_connecting(struct reconnect *, long long now);
void reconnect_connected(struct reconnect *, long long now);
void reconnect_connect_failed(struct reconnect *, long long now, int error);
void reconnect_disconnected(struct reconnect *, long long now, int error);
void reconnect_activity(struct reconnect *, long long now);

/* What to do at 'now'.  PROBE moves ACTIVE to IDLE by itself. */
enum reconnect_action reconnect_run(struct reconnect *, long long now);
/* Milliseconds until reconnect_run() may have something to do (0: now),
 * or -1 for never. */
long long reconnect_timeout(const struct reconnect *, long long now);

bool reconnect_is_connected(const struct reconnect *);
const char *reconnect_state_name(enum reconnect_state);

#endif /* VSWITCH_RECONNECT_H */
