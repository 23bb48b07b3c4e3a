/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OFP_TABLE_H
#define VSWITCH_OFP_TABLE_H 1

/*
 * ofp-table: per-table multipart replies — TABLE stats (1.0 and 1.3) and
 * TABLE_FEATURES (1.3).
 *
 * ovs-ofctl fetches table names before add-flow/mod-flows/del-flows and
 * treats a bad reply as fatal; in 1.3 every table-features entry must carry
 * the eight required properties (instructions, next tables, write and apply
 * actions, match, wildcards, write and apply set-field).  The encoders here
 * always emit all eight, from one 'struct ofp_table_caps' describing what
 * the switch supports.
 */

#include <stddef.h>
#include <stdint.h>
#include "vswitch/ofp-switch.h"

struct ofp_table_stats {
    uint8_t table_id;       /* Table number. */
    char name[32];          /* NUL-padded. */
    uint32_t max_entries;   /* Capacity (1.0 only). */
    uint32_t active_count;  /* Rules in the table. */
    uint64_t lookup_count;  /* Packets looked up. */
    uint64_t matched_count; /* Packets that hit a rule. */
};

/* Appends one table's stats entry (64 bytes in 1.0, 24 in 1.3). */
void ofp_table_stats_put(struct ofp_mp_reply *,
                         const struct ofp_table_stats *);

struct ofp_table_caps {
    const uint16_t *instructions; /* OFPIT_*. */
    size_t n_instructions;
    const uint16_t *actions; /* OFPAT13_* (write and apply). */
    size_t n_actions;
    const uint32_t *match; /* OXM headers matchable. */
    size_t n_match;
    const uint32_t *wildcards; /* OXM headers that may be wildcarded. */
    size_t n_wildcards;
    const uint32_t *setfield; /* OXM headers set_field can write. */
    size_t n_setfield;
    uint8_t n_tables;        /* Tables 0 .. n_tables-1 exist. */
    uint64_t metadata_match; /* Metadata bits matchable. */
    uint64_t metadata_write; /* Metadata bits writable. */
};

/* Appends the TABLE_FEATURES entry for 'table_id'. */
void ofp_table_features_put(struct ofp_mp_reply *, uint8_t table_id,
                            const char *name, uint32_t max_entries,
                            const struct ofp_table_caps *);

/* What vswitch's tables support (every field of struct flow that OpenFlow
 * 1.3 can name). */
extern const struct ofp_table_caps ofp_vswitch_table_caps;

#endif /* VSWITCH_OFP_TABLE_H */
