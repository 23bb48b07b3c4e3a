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
    const void *packet;         /* The frame as the pipeline left it. */
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

/* The flow tables, groups, ports or MAC table changed: installed megaflows
 * must be checked again (now: all of them).  Asynchronous: the revalidator
 * thread translates each megaflow again and keeps, fixes or deletes it;
 * installs from translations older than the call are dropped. */
void udpif_revalidate(struct udpif *);
/* Whether every revalidation requested so far is done (tests). */
bool udpif_revalidation_idle(struct udpif *);
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
