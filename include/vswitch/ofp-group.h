/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OFP_GROUP_H
#define VSWITCH_OFP_GROUP_H 1

/*
 * ofp-group: OpenFlow 1.3's group messages — GROUP_MOD, and the GROUP,
 * GROUP_DESC and GROUP_FEATURES multipart replies — plus the other
 * controller-to-switch configuration messages: PORT_MOD (1.0 and 1.3),
 * TABLE_MOD, ROLE_REQUEST/REPLY and GET_ASYNC_REPLY/SET_ASYNC (1.3).
 *
 * Decoders take one whole message classified by ofp_decode_type() and
 * return the specification's error: GROUP_MOD: BAD_GROUP_COMMAND,
 * BAD_GROUP_TYPE, INVALID_GROUP (id beyond MAX for add/modify), BAD_BUCKET
 * (bucket lengths), BAD_WATCH (watch port), and any action error from the
 * buckets; PORT_MOD: PORT_MOD_BAD_PORT, PORT_MOD_BAD_CONFIG; TABLE_MOD:
 * TABLE_MOD_BAD_TABLE, TABLE_MOD_BAD_CONFIG; ROLE: BAD_ROLE.
 * Semantic checks that need the switch's state (unknown group, loops)
 * belong to oftable.
 */

#include <stddef.h>
#include <stdint.h>
#include "vswitch/buf.h"
#include "vswitch/ofp-errors.h"
#include "vswitch/oftable.h"

struct ofp_mp_reply;

/* GROUP_MOD.  'gm->buckets' is malloc'd; free with
 * ofp_group_mod_uninit(). */
enum ofperr ofp_group_mod_decode(const void *msg, size_t size,
                                 struct ofp_group_mod_req *);
void ofp_group_mod_encode(const struct ofp_group_mod_req *, uint32_t xid,
                          struct buf *);
void ofp_group_mod_uninit(struct ofp_group_mod_req *);

/* Text, as ovs-ofctl add-group takes it ("group_id=1,type=select,
 * bucket=weight:5,output:1,bucket=watch_port:2,actions=output:2"; types
 * all, select, indirect, ff or fast_failover; a bucket's actions follow its
 * weight/watch_port/watch_group, optionally after "actions=").  Returns 0
 * or EINVAL with a malloc'd '*errorp'. */
int ofp_group_mod_parse(struct ofp_group_mod_req *, const char *text,
                        int command, char **errorp);
/* As ovs-ofctl dump-groups prints a group ("group_id=1,type=all,
 * bucket=actions=output:1,..."). */
struct ds;
void ofp_group_format(uint32_t id, uint8_t type,
                      const struct of_bucket *buckets, size_t n, struct ds *);

/* Group stats: the request's group id (OFPG_ALL for every group). */
enum ofperr ofp_group_stats_request_decode(const void *msg, size_t size,
                                           uint32_t *group_id);
void ofp_group_stats_request_encode(uint8_t mp_type, uint32_t group_id,
                                    uint32_t xid, struct buf *);
struct ofp_group_stats {
    uint32_t group_id;
    uint32_t ref_count;
    uint64_t packet_count;
    uint64_t byte_count;
    uint32_t duration_sec;
    uint32_t duration_nsec;
    size_t n_buckets;
    const uint64_t *bucket_packets; /* n_buckets each. */
    const uint64_t *bucket_bytes;
};
void ofp_group_stats_put(struct ofp_mp_reply *,
                         const struct ofp_group_stats *);
/* Appends the GROUP_DESC entry of 'g'. */
void ofp_group_desc_put(struct ofp_mp_reply *, const struct of_group *);
/* Decodes one GROUP_DESC entry at '*p' into 'gm' (command ADD) and
 * advances. */
enum ofperr ofp_group_desc_pull(const uint8_t **p, size_t *size,
                                struct ofp_group_mod_req *);

struct ofp_group_features {
    uint32_t types;        /* Bitmap of 1 << OFPGT_*. */
    uint32_t capabilities; /* OFPGFC_*. */
    uint32_t max_groups[4];
    uint32_t actions[4]; /* Bitmaps of 1 << OFPAT13_*. */
};
enum {
    OFPGFC_SELECT_WEIGHT = 1 << 0,
    OFPGFC_SELECT_LIVENESS = 1 << 1,
    OFPGFC_CHAINING = 1 << 2,
    OFPGFC_CHAINING_CHECKS = 1 << 3,
};
void ofp_group_features_put(struct ofp_mp_reply *,
                            const struct ofp_group_features *);
/* What vswitch's groups support. */
extern const struct ofp_group_features ofp_vswitch_group_features;

/* PORT_MOD. */
struct ofp_port_mod {
    uint16_t port_no;
    uint8_t hw_addr[6];
    uint32_t config;
    uint32_t mask;
    uint32_t advertise;
};
enum ofperr ofp_port_mod_decode(const void *msg, size_t size,
                                struct ofp_port_mod *);
void ofp_port_mod_encode(const struct ofp_port_mod *, uint8_t version,
                         uint32_t xid, struct buf *);

/* TABLE_MOD (1.3): only OFPTC_DEPRECATED_MASK bits are defined. */
#define OFPTC13_DEPRECATED_MASK 3
enum ofperr ofp_table_mod_decode(const void *msg, size_t size,
                                 uint8_t *table_id, uint32_t *config);
void ofp_table_mod_encode(uint8_t table_id, uint32_t config, uint32_t xid,
                          struct buf *);

/* ROLE_REQUEST / ROLE_REPLY. */
enum {
    OFPCR_ROLE_NOCHANGE = 0,
    OFPCR_ROLE_EQUAL = 1,
    OFPCR_ROLE_MASTER = 2,
    OFPCR_ROLE_SLAVE = 3,
};
enum ofperr ofp_role_decode(const void *msg, size_t size, uint32_t *role,
                            uint64_t *generation_id);
/* 'raw_type' is OFPT13_ROLE_REQUEST or OFPT13_ROLE_REPLY. */
void ofp_role_encode(uint8_t raw_type, uint32_t role, uint64_t generation_id,
                     uint32_t xid, struct buf *);

/* GET_ASYNC_REPLY / SET_ASYNC: [0] for master/equal, [1] for slave. */
struct ofp_async_config {
    uint32_t packet_in_mask[2];    /* 1 << OFPR_*. */
    uint32_t port_status_mask[2];  /* 1 << OFPPR_*. */
    uint32_t flow_removed_mask[2]; /* 1 << OFPRR_*. */
};
enum ofperr ofp_async_decode(const void *msg, size_t size,
                             struct ofp_async_config *);
/* 'raw_type' is OFPT13_GET_ASYNC_REPLY or OFPT13_SET_ASYNC. */
void ofp_async_encode(uint8_t raw_type, const struct ofp_async_config *,
                      uint32_t xid, struct buf *);
/* The 1.3 defaults (specification 6.1.1). */
extern const struct ofp_async_config ofp_async_default;

#endif /* VSWITCH_OFP_GROUP_H */
