/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCHD_UPCALL_H
#define VSWITCHD_UPCALL_H 1

/*
 * upcall: a bridge's slow path towards its datapath.  Handler threads take
 * misses in batches, translate them (xlate.h), install megaflows (flow put
 * with UFID) and execute the packets; action upcalls carrying an
 * xlate_ctrl_cookie become PACKET_IN events handed to the owner's callback
 * (from a handler thread: the callback must be thread-safe, typically it
 * posts to the main loop).  Revalidation keeps installed megaflows right.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dpif;
struct xbridge;
struct xlate_ctrl_cookie;

struct upcall_packet_in {
    const void *packet; /* The frame as the pipeline left it. */
    size_t size;
    struct xlate_ctrl_cookie *cookie;
};

struct udpif_callbacks {
    /* Called from a handler thread. */
    void (*packet_in)(void *aux, const struct upcall_packet_in *);
};

struct udpif;

struct udpif *udpif_create(struct dpif *, const struct udpif_callbacks *,
                           void *aux);
void udpif_destroy(struct udpif *);

/* Publishes a new snapshot (RCU); the old one is freed after a grace
 * period by 'free_xbridge'.  Replacing a snapshot also requests a
 * revalidation (udpif_revalidate()). */
void udpif_set_xbridge(struct udpif *, struct xbridge *,
                       void (*free_xbridge)(struct xbridge *));

/* The flow tables, groups, ports or MAC table changed: every installed
 * megaflow must be checked again.  Asynchronous: the revalidator
 * thread translates each megaflow again and keeps, fixes or deletes it;
 * installs from translations older than the call are dropped. */
void udpif_revalidate(struct udpif *);
/* Only flow tables changed: the bits of the 256-bit (32-byte)
 * 'table_bitmap'.  Only megaflows whose last translation looked up one of
 * those tables are translated again. */
void udpif_revalidate_tables(struct udpif *, const uint8_t *table_bitmap);
/* Only the 'n' groups in 'group_ids' changed (added, modified, deleted):
 * only megaflows that went through (or asked for) one of them are
 * translated again. */
void udpif_revalidate_groups(struct udpif *, const uint32_t *group_ids,
                             size_t n);
/* Whether every revalidation requested so far is done (tests). */
bool udpif_revalidation_idle(struct udpif *);
/* Handler threads: 'n' (at most 64) replace the current ones (0 pauses
 * miss handling: tests).  udpif_create() starts one; the bridge passes
 * other_config:n-handler-threads or udpif_default_n_handlers(). */
void udpif_set_n_handlers(struct udpif *, size_t n);
/* With 'hold', the revalidator neither sweeps nor revalidates (requests
 * wait) and the handlers drop misses untranslated, until called again
 * without: while a restarted vswitchd rebuilds a bridge whose datapath
 * kept the previous run's megaflows, a pass or a megaflow made against
 * half a configuration would break established traffic. */
void udpif_hold(struct udpif *, bool hold);
/* One per CPU on a kernel datapath, one per CPU but one on the userspace
 * datapath (at least one). */
size_t udpif_default_n_handlers(const struct udpif *);
/* Misses one port may have translated per handler per 100 ms while the
 * handler is behind and other ports miss too; 0: no budget. */
void udpif_set_port_budget(struct udpif *, uint32_t budget);

struct udpif_stats {
    uint64_t n_flows;            /* Megaflows in the datapath. */
    uint64_t n_lost;             /* Upcalls the datapath's queue lost. */
    long long flow_limit;        /* Installs stop at this many. */
    uint64_t n_budget_skipped;   /* Misses dropped over a port budget. */
    uint64_t n_limit_skipped;    /* Installs skipped at the flow limit. */
    uint64_t n_inflight_dups;    /* Misses that reused a recent install. */
    uint64_t n_stale_skipped;    /* Installs skipped after a request. */
    uint64_t n_reval_translated; /* Megaflows translated by passes. */
    uint64_t n_reval_skipped;    /* Megaflows passes left alone. */
    uint64_t n_passes;           /* Revalidation passes. */
    long long sweep_ms;          /* Last sweep's duration. */
    size_t n_handlers;           /* Handler threads. */
};
void udpif_get_stats(struct udpif *, struct udpif_stats *);
/* The flow limit after a sweep of 'dump_ms' with 'n_flows' megaflows:
 * shrinks when sweeps take longer than a second, grows back by small steps
 * when they are fast and the limit binds. */
long long udpif_flow_limit_next(long long limit, long long dump_ms,
                                uint64_t n_flows);
/* Tests: pretend every sweep takes 'ms' longer. */
void udpif_set_dump_delay(struct udpif *, long long ms);

/* Appends what upcall/show prints for this datapath: its name, the
 * megaflow count, the revalidator's last pass and sweep durations and
 * pass count, and the threads. */
struct ds;
void udpif_show(struct udpif *, struct ds *);
/* How long a megaflow may go unhit before the sweep deletes it, ms
 * (Open_vSwitch other_config:max-idle; 10000 by default, <= 0 restores
 * it). */
void udpif_set_max_idle(struct udpif *, long long ms);
long long udpif_get_max_idle(struct udpif *);

/* Executes a PACKET_OUT: translates 'ofpacts' for 'packet' arriving on
 * OpenFlow port 'in_port' (OFPP_CONTROLLER/OFPP_NONE: none) and executes it
 * in the datapath.  0 or an errno. */
struct ofpacts;
int udpif_packet_out(struct udpif *, const void *packet, size_t size,
                     uint16_t in_port, const struct ofpacts *);

#endif /* VSWITCHD_UPCALL_H */
