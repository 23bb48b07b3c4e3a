/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCHD_MAC_LEARNING_H
#define VSWITCHD_MAC_LEARNING_H 1

/*
 * mac-learning: a bridge's forwarding database for the NORMAL action.
 *
 * Entries map (VLAN, Ethernet address) to the OpenFlow port the address
 * was last seen on.  An entry ages out 'idle_time' seconds after it was
 * last learned (default 300 s); at 'max_entries' the least recently
 * learned entry is evicted (LRU list, most recent at the front).
 *
 * Move protection: an entry learned from a gratuitous ARP is locked for
 * MAC_GRAT_ARP_LOCK_MS against moves to another port, so that a host
 * announcing its address is not immediately undone by a stale frame (or a
 * loop) reflecting it from elsewhere; refused moves are counted.  Moves
 * themselves are counted and logged with a rate limit.
 *
 * Move floods: an address that moves more than MAC_MOVE_BURST times within
 * MAC_MOVE_WINDOW_MS (a loop, or a host spoofing another's address) stays
 * where it is for MAC_MOVE_HOLD_MS; the moves refused meanwhile are
 * counted (mac_learning_move_flood) and logged with a rate limit.  So a
 * flapping address costs at most a burst of re-checked megaflows per
 * window, not one per frame.
 *
 * Changes, for the megaflows that depend on them: every address whose
 * entry is added, moves or goes (expiry, eviction, flush) is logged, up to
 * MAC_CHANGE_LOG of them between two drains (mac_learning_drain_changes()),
 * so that the slow path re-checks exactly the megaflows whose destination
 * is one of them (NORMAL makes dl_dst exact in every megaflow it
 * decides).  mac_learning_seq() increases on moves and removals.
 *
 * Concurrency: one mutex, held for a hash lookup or update only; any
 * thread may call any function.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/flow.h"

#define MAC_DEFAULT_IDLE_TIME 300 /* Seconds. */
#define MAC_DEFAULT_MAX 8192      /* Entries. */
#define MAC_GRAT_ARP_LOCK_MS 5000 /* Move lock after a gratuitous ARP. */
#define MAC_CHANGE_LOG 64         /* Changes logged between drains. */
#define MAC_MOVE_BURST 10         /* Moves allowed per window... */
#define MAC_MOVE_WINDOW_MS 1000   /* ...of this length; beyond, the entry */
#define MAC_MOVE_HOLD_MS 5000     /* stays put this long. */

struct mac_learning;

struct mac_entry_info {
    uint16_t vlan;       /* VLAN (0: none). */
    struct eth_addr mac; /* Address. */
    uint16_t port;       /* OpenFlow port. */
    long long age_ms;    /* Since last learned. */
};

enum mac_learn_result {
    MAC_LEARN_NONE,   /* Nothing changed (refreshed or refused). */
    MAC_LEARN_NEW,    /* A new entry. */
    MAC_LEARN_MOVED,  /* The address moved to another port. */
    MAC_LEARN_LOCKED, /* A move was refused (gratuitous-ARP lock or a
                       * move flood). */
};

struct mac_learning *mac_learning_create(unsigned int idle_time_s,
                                         size_t max_entries);
void mac_learning_destroy(struct mac_learning *);
void mac_learning_set_idle_time(struct mac_learning *, unsigned int seconds);
void mac_learning_set_max_entries(struct mac_learning *, size_t);

/* Whether frames from 'mac' may be learned (not multicast or zero). */
bool mac_learning_may_learn(const struct eth_addr *mac);

/* Learns that 'mac' on 'vlan' was seen on 'port' at 'now' (ms);
 * 'grat_arp' says the frame was a gratuitous ARP. */
enum mac_learn_result mac_learning_learn(struct mac_learning *, uint16_t vlan,
                                         const struct eth_addr *mac,
                                         uint16_t port, bool grat_arp,
                                         long long now);
/* The port 'mac' on 'vlan' was learned on, or -1 if unknown or expired at
 * 'now'. */
int mac_learning_lookup(struct mac_learning *, uint16_t vlan,
                        const struct eth_addr *mac, long long now);

/* Removes entries idle at 'now'; returns how many. */
size_t mac_learning_expire(struct mac_learning *, long long now);
/* Removes every entry / every entry on 'port'. */
void mac_learning_flush(struct mac_learning *);
void mac_learning_flush_port(struct mac_learning *, uint16_t port);

uint64_t mac_learning_seq(const struct mac_learning *);
/* Moves the addresses whose entries were added, moved or removed since
 * the last call into 'out' (up to MAC_CHANGE_LOG; 'port' is the new port,
 * or the old one for a removal) and returns how many; '*overflow' tells
 * that more changed than the log holds (then the caller must assume any
 * address did). */
size_t mac_learning_drain_changes(struct mac_learning *,
                                  struct mac_entry_info out[MAC_CHANGE_LOG],
                                  bool *overflow);
size_t mac_learning_count(const struct mac_learning *);

/* A snapshot of every entry, most recently learned first: a malloc'd
 * array of '*n' entries (for fdb/show). */
struct mac_entry_info *mac_learning_dump(struct mac_learning *, long long now,
                                         size_t *n);
/* Appends the table as ovs-appctl fdb/show prints it (a header line, then
 * " port  VLAN  MAC                Age" rows, ports as numbers, LOCAL as
 * "LOCAL"). */
struct ds;
void mac_learning_format(struct mac_learning *, long long now, struct ds *);

#endif /* VSWITCHD_MAC_LEARNING_H */
