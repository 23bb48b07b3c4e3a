/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_EVLOOP_H
#define VSWITCH_EVLOOP_H 1

/*
 * evloop: a single-threaded event loop on epoll.
 *
 * A loop dispatches four kinds of events to callbacks, all on the thread
 * that runs it:
 *
 *   - file descriptors becoming readable/writable (level-triggered);
 *   - timers, one-shot or periodic, kept in a binary heap (O(log n));
 *   - signals, delivered through a signalfd (the signals are blocked for the
 *     whole process by evloop_add_signal(), so it must be called before other
 *     threads start);
 *   - functions posted from other threads with evloop_post(), which wakes
 *     the loop through an eventfd.
 *
 * Callbacks may add or remove any handle, including their own: a removed
 * handle is never called again, and its memory is released after the
 * current dispatch round.
 *
 * Thread-safety: evloop_post() and evloop_stop() may be called from any
 * thread; everything else only from the thread that runs the loop.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>

struct evloop;
struct evloop_fd;
struct evloop_timer;

typedef void evloop_fd_cb(int fd, uint32_t events, void *aux);
typedef void evloop_timer_cb(void *aux);
typedef void evloop_signal_cb(int signo, void *aux);
typedef void evloop_post_cb(void *aux);

struct evloop *evloop_create(void);
void evloop_destroy(struct evloop *);

/* Watches 'fd' for 'events' (EPOLLIN, EPOLLOUT, ...).  The loop does not own
 * 'fd': the caller closes it after evloop_del_fd(). */
struct evloop_fd *evloop_add_fd(struct evloop *, int fd, uint32_t events,
                                evloop_fd_cb *, void *aux);
void evloop_mod_fd(struct evloop_fd *, uint32_t events);
void evloop_del_fd(struct evloop_fd *);

/* Calls 'cb' after 'delay_ms', then every 'period_ms' if that is positive.
 * One-shot timers are released after they fire: do not use the handle after
 * the callback ran. */
struct evloop_timer *evloop_add_timer(struct evloop *, long long delay_ms,
                                      long long period_ms, evloop_timer_cb *,
                                      void *aux);
void evloop_cancel_timer(struct evloop_timer *);

/* Delivers 'signo' to 'cb' on the loop's thread.  Returns 0 or errno. */
int evloop_add_signal(struct evloop *, int signo, evloop_signal_cb *,
                      void *aux);

/* Thread-safe: runs 'cb(aux)' on the loop's thread soon. */
void evloop_post(struct evloop *, evloop_post_cb *, void *aux);

/* Runs until evloop_stop().  Returns 0, or errno if epoll failed. */
int evloop_run(struct evloop *);
/* Waits at most 'max_wait_ms' (-1 = until an event) and dispatches what is
 * ready.  Returns 0 or errno. */
int evloop_run_once(struct evloop *, long long max_wait_ms);
/* Thread-safe: makes evloop_run() return after the current round. */
void evloop_stop(struct evloop *);
bool evloop_is_stopped(const struct evloop *);

#endif /* VSWITCH_EVLOOP_H */
