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
 * a 'struct reval_cache', with what each megaflow's last translation read
 * (tables, groups), so that revalidate_changed() translates again only
 * the megaflows a change can affect.
 *
 * Thread-safety: call from one thread at a time per datapath, inside
 * vrcu_read_lock() for 'br'.  The caller serializes these passes with
 * megaflow installs that may come from older translations (upcall.c).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xlate.h"

struct dpif;
struct dpif_ufid;
struct reval_cache;

struct reval_counts {
    size_t n_kept;       /* Still right. */
    size_t n_modified;   /* Same mask, new actions. */
    size_t n_deleted;    /* Wider needs, failures, unknown ports. */
    size_t n_translated; /* Megaflows translated again. */
    size_t n_skipped;    /* Not selected: their translation read nothing
                          * that changed. */
};

/* Groups a 'struct reval_changes' names before it means "any group". */
#define REVAL_MAX_GROUPS 16

/* What changed since the megaflows were last checked. */
struct reval_changes {
    bool all;                             /* Everything (ports,
                                                * settings, overflow). */
    uint8_t tables[XLATE_TABLE_SET_SIZE]; /* Flow tables changed. */
    uint32_t groups[REVAL_MAX_GROUPS];    /* Groups changed. */
    size_t n_groups;                      /* In 'groups'. */
    bool any_group;                       /* More groups than that. */
};

/* Whether 'c' names nothing. */
bool reval_changes_empty(const struct reval_changes *c);
/* Adds 'b' to 'a'. */
void reval_changes_merge(struct reval_changes *a,
                         const struct reval_changes *b);
void reval_changes_add_group(struct reval_changes *, uint32_t group_id);

/* Translates again only the megaflows whose last translation (as recorded
 * in 'cache' by reval_cache_note() or an earlier pass) read a table or
 * used a group that 'changes' names; megaflows with no record are always
 * translated.  Records what each new translation read. */
void revalidate_changed(struct dpif *, const struct xbridge *br,
                        struct reval_cache *, long long now,
                        const struct reval_changes *changes,
                        struct reval_counts *);

void revalidate_megaflows(struct dpif *, const struct xbridge *br,
                          long long now, struct reval_counts *);
/* The same for only the megaflows whose exact destination address is one
 * of the 'n' in 'macs' (a MAC table change: only those can depend on the
 * entries that changed). */
struct mac_entry_info;
void revalidate_megaflows_to(struct dpif *, const struct xbridge *br,
                             long long now, const struct mac_entry_info *macs,
                             size_t n, struct reval_counts *);

/* The per-megaflow records (by UFID): counters pushed so far, and which
 * tables and groups the last translation read.  Thread-safe (an internal
 * mutex): handlers note what they install, the revalidator reads. */
struct reval_cache *reval_cache_create(void);
void reval_cache_destroy(struct reval_cache *);
/* Records that the megaflow 'ufid' was (re)installed from 'xout'. */
void reval_cache_note(struct reval_cache *, const struct dpif_ufid *,
                      const struct xlate_out *xout);
/* Megaflows with a record. */
size_t reval_cache_count(struct reval_cache *);
/* 'br' may be NULL (then nothing is pushed).  Returns the megaflows
 * deleted as idle. */
size_t revalidate_sweep(struct dpif *, const struct xbridge *br,
                        struct reval_cache *, long long now,
                        long long max_idle);

#endif /* VSWITCHD_REVALIDATOR_H */
