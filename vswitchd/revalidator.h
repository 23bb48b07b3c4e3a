/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCHD_REVALIDATOR_H
#define VSWITCHD_REVALIDATOR_H 1

/*
 * revalidator: keeps a datapath's installed megaflows right after the
 * pipeline, the ports or the MAC table changed, and removes idle ones.
 *
 * revalidate_megaflows() dumps the megaflows and translates each one again
 * (its key, i.e. the flow under its mask, stands for every packet in it;
 * no MAC learning, no stats).  If the new mask needs no bit the installed
 * one lacks, every packet of the megaflow takes the new translation, so
 * the megaflow stays: as it is if the actions are the same, with the new
 * actions otherwise.  If the new translation reads more bits, or fails,
 * the megaflow is deleted and the next packet makes a new one.
 *
 * revalidate_sweep(), once a second: deletes megaflows not hit for
 * 'max_idle' ms, and pushes the packets and bytes the others took since
 * the last sweep into the OpenFlow rules they hit (a translation with
 * those counts credited; MAC learning on, which keeps the MAC entries of
 * active flows from aging out).  It remembers what it pushed per UFID in
 * a 'struct reval_cache'.
 *
 * Thread-safety: call from one thread at a time per datapath, inside
 * vrcu_read_lock() for 'br'.  The caller serializes these passes with
 * megaflow installs that may come from older translations (upcall.c).
 */

#include <stddef.h>

struct dpif;
struct xbridge;

struct reval_counts {
    size_t n_kept;     /* Still right. */
    size_t n_modified; /* Same mask, new actions. */
    size_t n_deleted;  /* Wider needs, failures, unknown ports. */
};

void revalidate_megaflows(struct dpif *, const struct xbridge *br,
                          long long now, struct reval_counts *);
/* The same for only the megaflows whose exact destination address is one
 * of the 'n' in 'macs' (a MAC table change: only those can depend on the
 * entries that changed). */
struct mac_entry_info;
void revalidate_megaflows_to(struct dpif *, const struct xbridge *br,
                             long long now, const struct mac_entry_info *macs,
                             size_t n, struct reval_counts *);

struct reval_cache *reval_cache_create(void);
void reval_cache_destroy(struct reval_cache *);
/* 'br' may be NULL (then nothing is pushed).  Returns the megaflows
 * deleted as idle. */
size_t revalidate_sweep(struct dpif *, const struct xbridge *br,
                        struct reval_cache *, long long now,
                        long long max_idle);

#endif /* VSWITCHD_REVALIDATOR_H */
