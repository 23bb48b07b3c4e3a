/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OFTABLE_H
#define VSWITCH_OFTABLE_H 1

/*
 * oftable: a switch's OpenFlow flow tables, with OpenFlow's semantics and
 * no sockets, so the agent drives it with decoded messages and tests drive
 * it with a clock of their own.
 *
 * 254 tables, each a classifier (classifier.h).  of_tables_flow_mod()
 * applies one decoded FLOW_MOD:
 *   ADD            replaces a rule with the same match and priority
 *                  (counters kept unless reset_counts; no FLOW_REMOVED);
 *                  with check_overlap, refuses (FLOW_MOD_OVERLAP) if a rule
 *                  of the same priority shares a packet with the new one;
 *                  TABLE_FULL beyond 'max_rules' per table.
 *   MODIFY         rules whose match is within the given one (every table
 *                  for table 255), MODIFY_STRICT: same match and priority;
 *                  both filtered by cookie/cookie_mask; new actions,
 *                  counters reset with reset_counts, cookie set if
 *                  'new_cookie' says so; in 1.0 a modify that selects
 *                  nothing adds.
 *   DELETE(_STRICT) the same selection, further filtered by out_port and
 *                  out_group; a FLOW_REMOVED (reason DELETE) for each
 *                  deleted rule flagged send_flow_rem.
 * of_tables_expire() removes rules whose idle or hard timeout has passed
 * at 'now' (milliseconds of the caller's clock) and reports them the same
 * way.  Every change is one new version: readers looking up
 * of_tables_version() see all of a FLOW_MOD or none of it.
 *
 * Table miss: in 1.0 a packet no rule matches goes to the controller; in
 * 1.3 it is dropped unless a table-miss rule (priority 0, matching
 * everything) says otherwise (of_tables_miss()).
 *
 * Groups (1.3): all, select, indirect, fast failover; of_tables_group_mod()
 * validates types, bucket counts, weights and watch ports, refuses chains
 * that would loop (GROUP_LOOP) and references to missing groups
 * (CHAINED_GROUP... see oftable.c), and a flow referring to a missing group
 * (BAD_OUT_GROUP).  Deleting a group deletes the flows that use it.
 *
 * Concurrency: one writer; lookups from any RCU-registered thread inside
 * vrcu_read_lock(), rule counters updated atomically.  Removed rules are
 * freed by of_tables_gc() (the writer calls it when convenient; it waits
 * for a grace period).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/classifier.h"
#include "vswitch/hmap.h"
#include "vswitch/list.h"
#include "vswitch/ofp-actions.h"
#include "vswitch/ofp-errors.h"
#include "vswitch/ofp-flow.h"

struct ofp_table_stats;

/* One per flow: its size is most of a flow table's memory, so the small
 * members are packed at the end.  A rule's match and priority are found
 * again through the classifier (cls_find_exactly()). */
struct of_rule {
    struct cls_rule cr;      /* Match and priority. */
    struct vs_list node;     /* In of_table.rules (writer). */
    uint64_t cookie;         /* Cookie. */
    long long created_ms;    /* Added (or replaced). */
    long long modified_ms;   /* Added, replaced or modified (writer). */
    long long used_ms;       /* Last hit (atomic). */
    uint64_t packet_count;   /* Atomic. */
    uint64_t byte_count;     /* Atomic. */
    struct ofpacts *actions; /* RCU; one allocation with its array. */
    uint16_t idle_timeout;   /* Seconds, 0 for none. */
    uint16_t hard_timeout;   /* Seconds, 0 for none. */
    uint16_t flags;          /* OFPFF_*. */
    uint8_t table_id;        /* Table it is in. */
};

struct of_table {
    struct classifier cls;
    struct vs_list rules; /* All rules, oldest first (writer). */
    size_t n_rules;
    size_t n_timed;         /* Rules with an idle or hard timeout (writer). */
    uint64_t lookup_count;  /* Atomic. */
    uint64_t matched_count; /* Atomic. */
};

enum of_group_type {
    OFPGT_ALL = 0,
    OFPGT_SELECT = 1,
    OFPGT_INDIRECT = 2,
    OFPGT_FF = 3,
};

struct of_bucket {
    uint64_t packet_count, byte_count; /* Atomic. */
    uint16_t weight;
    uint16_t watch_port;  /* OFPP_NONE: none. */
    uint32_t watch_group; /* OFPG_ANY: none. */
    struct ofpacts actions;
};

struct of_group {
    struct hmap_node node; /* In of_tables.groups. */
    uint32_t id;
    uint8_t type; /* OFPGT_*. */
    struct of_bucket *buckets;
    size_t n_buckets;
    uint64_t packet_count, byte_count;
    long long created_ms;
};

struct of_flow_removed_list {
    struct ofp_flow_removed *v;
    size_t n, allocated;
};

struct of_tables {
    struct of_table tables[OFP_N_TABLES];
    uint64_t version;    /* Current version (atomic). */
    size_t max_rules;    /* Per table (TABLE_FULL beyond). */
    struct hmap groups;  /* of_group by id. */
    struct vs_list dead; /* Removed rules waiting for of_tables_gc(). */
};

void of_tables_init(struct of_tables *);
void of_tables_destroy(struct of_tables *);

/* Applies 'fm' at time 'now' (ms).  FLOW_REMOVED messages for rules it
 * deletes are appended to 'removed' (may be NULL). */
enum ofperr of_tables_flow_mod(struct of_tables *, const struct ofp_flow_mod *,
                               long long now,
                               struct of_flow_removed_list *removed);
/* Removes rules whose timeouts passed at 'now'. */
void of_tables_expire(struct of_tables *, long long now,
                      struct of_flow_removed_list *removed);
void of_flow_removed_list_destroy(struct of_flow_removed_list *);

/* Frees removed rules (waits for an RCU grace period if there are any). */
void of_tables_gc(struct of_tables *);

uint64_t of_tables_version(const struct of_tables *);
/* Reader: the rule of 'table_id' that 'flow' hits in 'version', counting
 * the lookup (and the hit).  NULL on a miss. */
const struct of_rule *of_tables_lookup(struct of_tables *, uint64_t version,
                                       uint8_t table_id,
                                       const struct flow *flow,
                                       struct flow *wc);
/* Reader: credits a hit of 'packets'/'bytes' at 'now' to 'rule'. */
void of_rule_credit(const struct of_rule *, uint64_t packets, uint64_t bytes,
                    long long now);
/* The rule's actions (reader, inside vrcu_read_lock()). */
const struct ofpacts *of_rule_actions(const struct of_rule *);

enum of_miss { OF_MISS_CONTROLLER, OF_MISS_DROP };
/* What a miss (no rule at all) in a table means for 'ofp_version'. */
enum of_miss of_tables_miss(uint8_t ofp_version);

/* Rules 'req' selects (flow and aggregate stats), as a malloc'd array of
 * '*n' pointers valid until the next change (writer). */
const struct of_rule **of_tables_select(struct of_tables *,
                                        const struct ofp_flow_stats_request *,
                                        size_t *n);
/* 'fs->ofpacts' is set to a copy the caller frees with ofpacts_uninit(). */
void of_rule_to_flow_stats(const struct of_rule *, long long now,
                           struct ofp_flow_stats *);
void of_tables_aggregate(struct of_tables *,
                         const struct ofp_flow_stats_request *,
                         struct ofp_aggregate_stats *);
void of_tables_table_stats(const struct of_tables *, uint8_t table_id,
                           struct ofp_table_stats *);

/* Groups. */
enum { OFPGC_ADD = 0, OFPGC_MODIFY = 1, OFPGC_DELETE = 2 };
struct ofp_group_mod_req {
    uint16_t command; /* OFPGC_*. */
    uint8_t type;     /* OFPGT_*. */
    uint32_t group_id;
    struct of_bucket *buckets; /* Moved into the table on success. */
    size_t n_buckets;
};
enum ofperr of_tables_group_mod(struct of_tables *, struct ofp_group_mod_req *,
                                long long now,
                                struct of_flow_removed_list *removed);
const struct of_group *of_tables_group(const struct of_tables *, uint32_t id);

/* The bucket of 'g' a packet uses (index), or -1 for none: select picks by
 * 'hash' (of the flow) in proportion to the weights among live buckets;
 * fast failover the first live bucket; indirect its bucket.  ALL uses every
 * bucket (not for this function: -1).  'port_live' says whether a port is
 * up (NULL: all are); a bucket is live when its watch port is live (or it
 * watches none) and its watch group has a live bucket. */
int of_group_pick_bucket(const struct of_tables *, const struct of_group *g,
                         uint32_t hash, bool (*port_live)(uint16_t, void *),
                         void *aux);
/* Credits a packet to group 'g' and its bucket 'bucket' (-1: none). */
void of_group_credit(struct of_group *g, int bucket, uint64_t bytes);

#endif /* VSWITCH_OFTABLE_H */
