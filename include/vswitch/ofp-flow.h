/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OFP_FLOW_H
#define VSWITCH_OFP_FLOW_H 1

/*
 * ofp-flow: the flow messages of OpenFlow 1.0 and 1.3 — FLOW_MOD,
 * FLOW_REMOVED, PACKET_IN, PACKET_OUT, FLOW and AGGREGATE stats — as
 * version-independent structures, plus the ovs-ofctl text of a flow
 * ("table=1,priority=100,tcp,tp_dst=80,actions=goto_table:2") and of a
 * dump-flows line.
 *
 * Decoders take one whole message already classified by ofp_decode_type()
 * (so its length rules hold) and return 0 or the error the specification
 * prescribes for the switch to send back.  Ports are in the 16-bit form
 * (ofp-port.h); OFPP_NONE stands for 1.3's OFPP_ANY in filters.
 *
 * Cookies: 'cookie'/'cookie_mask' select flows (1.3 modify and delete,
 * stats); 'new_cookie' is what an add gives a flow, or what a 1.0 modify
 * sets (UINT64_MAX: leave the cookie alone, as 1.3 modify does).
 * A 1.0 FLOW_MOD without wildcards gets priority 65535, as the 1.0
 * specification says exact-match flows are the highest.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/buf.h"
#include "vswitch/match.h"
#include "vswitch/ofp-actions.h"
#include "vswitch/ofp-errors.h"

struct ds;
struct ofp_mp_reply;

#define OFP_N_TABLES 254
#define OFPTT_ALL 0xff
#define OFP_DEFAULT_PRIORITY 0x8000
#define OFP_NO_BUFFER 0xffffffffu

enum ofp_flow_mod_command {
    OFPFC_ADD = 0,
    OFPFC_MODIFY = 1,
    OFPFC_MODIFY_STRICT = 2,
    OFPFC_DELETE = 3,
    OFPFC_DELETE_STRICT = 4,
};

/* Flags, in 1.3 numbering (1.0 shares the first two; its EMERG is
 * refused). */
enum {
    OFPFF_SEND_FLOW_REM = 1 << 0,
    OFPFF_CHECK_OVERLAP = 1 << 1,
    OFPFF_RESET_COUNTS = 1 << 2,
    OFPFF_NO_PKT_COUNTS = 1 << 3,
    OFPFF_NO_BYT_COUNTS = 1 << 4,
};

struct ofp_flow_mod {
    struct match match;
    uint16_t priority;
    uint8_t table_id; /* OFPTT_ALL for delete in every table. */
    uint8_t command;  /* OFPFC_*. */
    uint64_t cookie;
    uint64_t cookie_mask;
    uint64_t new_cookie; /* UINT64_MAX: unchanged. */
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint32_t buffer_id;
    uint16_t out_port;   /* OFPP_NONE: any. */
    uint32_t out_group;  /* OFPG_ANY: any. */
    uint16_t flags;      /* OFPFF_*. */
    bool modify_may_add; /* 1.0: a modify that matches nothing adds. */
    struct ofpacts ofpacts;
};

void ofp_flow_mod_init(struct ofp_flow_mod *);
void ofp_flow_mod_uninit(struct ofp_flow_mod *);
enum ofperr ofp_flow_mod_decode(const void *msg, size_t size,
                                struct ofp_flow_mod *);
/* Also decodes Nicira's NXT_FLOW_MOD (1.0, NXM match; NXM_NX_COOKIE gives
 * 'cookie'/'cookie_mask', and is NXM_INVALID in an add).  'table_ext'
 * says the connection enabled NXT_FLOW_MOD_TABLE_ID: the high byte of a
 * 1.0 or NXT_FLOW_MOD command is then the table (0xff: none given). */
enum ofperr ofp_flow_mod_decode_ext(const void *msg, size_t size,
                                    bool table_ext, struct ofp_flow_mod *);
/* Appends a FLOW_MOD of 'version'.  Returns 0 or the error for what the
 * version cannot say (then 'b' holds a partial message): in 1.0 a match on
 * tunnel fields is BAD_FIELD (nothing is appended). */
enum ofperr ofp_flow_mod_encode(const struct ofp_flow_mod *, uint8_t version,
                                uint32_t xid, struct buf *);

/* Parses an ovs-ofctl flow ("[table=N,][priority=N,][cookie=V[/M],]
 * [idle_timeout=N,][hard_timeout=N,][out_port=P,][send_flow_rem,]
 * [check_overlap,][reset_counts,]MATCH[,actions=ACTIONS]") for 'command'.
 * Returns 0 or EINVAL with a malloc'd '*errorp'. */
int ofp_flow_mod_parse(struct ofp_flow_mod *, const char *text, int command,
                       char **errorp);

enum {
    OFPRR_IDLE_TIMEOUT = 0,
    OFPRR_HARD_TIMEOUT = 1,
    OFPRR_DELETE = 2,
    OFPRR_GROUP_DELETE = 3,
};

struct ofp_flow_removed {
    struct match match;
    uint64_t cookie;
    uint16_t priority;
    uint8_t reason; /* OFPRR_*. */
    uint8_t table_id;
    uint32_t duration_sec;
    uint32_t duration_nsec;
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint64_t packet_count;
    uint64_t byte_count;
};

void ofp_flow_removed_encode(const struct ofp_flow_removed *, uint8_t version,
                             struct buf *);
/* Nicira's NXT_FLOW_REMOVED (1.0, NXM match), for connections that chose
 * the NXM flow format.  ofp_flow_removed_decode() reads it too. */
void ofp_nx_flow_removed_encode(const struct ofp_flow_removed *, struct buf *);
enum ofperr ofp_flow_removed_decode(const void *msg, size_t size,
                                    struct ofp_flow_removed *);

enum { OFPR_NO_MATCH = 0, OFPR_ACTION = 1, OFPR_INVALID_TTL = 2 };

struct ofp_packet_in {
    const void *packet; /* Frame (possibly truncated to max_len). */
    size_t packet_len;
    uint16_t total_len; /* Length of the whole frame. */
    uint32_t buffer_id; /* OFP_NO_BUFFER: we never buffer. */
    uint16_t in_port;
    uint8_t reason; /* OFPR_*. */
    uint8_t table_id;
    uint64_t cookie;
    uint64_t metadata; /* 1.3: sent in the match when nonzero. */
    uint64_t tun_id;   /* 1.3: sent in the match when nonzero. */
    vs_be32 tun_src;   /* 1.3: outer IPv4 source (tun_src), when nonzero. */
    vs_be32 tun_dst;   /* 1.3: outer IPv4 destination (tun_dst), nonzero
                        * for a packet that came through a tunnel. */
};

void ofp_packet_in_encode(const struct ofp_packet_in *, uint8_t version,
                          uint32_t xid, struct buf *);
/* 'pin->packet' points into 'msg'. */
enum ofperr ofp_packet_in_decode(const void *msg, size_t size,
                                 struct ofp_packet_in *);

struct ofp_packet_out {
    uint32_t buffer_id;
    uint16_t in_port; /* OFPP_CONTROLLER or OFPP_NONE when none. */
    struct ofpacts ofpacts;
    const void *packet; /* Points into the decoded message. */
    size_t packet_len;
};

/* 'po->ofpacts' must have been initialized (ofpacts_init). */
enum ofperr ofp_packet_out_decode(const void *msg, size_t size,
                                  struct ofp_packet_out *);
enum ofperr ofp_packet_out_encode(const struct ofp_packet_out *,
                                  uint8_t version, uint32_t xid, struct buf *);

/* FLOW and AGGREGATE stats requests (same body). */
struct ofp_flow_stats_request {
    bool nx; /* 1.0 Nicira NXST_FLOW / NXST_AGGREGATE (NXM match). */
    bool aggregate;
    struct match match;
    uint8_t table_id; /* OFPTT_ALL: every table. */
    uint16_t out_port;
    uint32_t out_group;
    uint64_t cookie;
    uint64_t cookie_mask;
};

enum ofperr ofp_flow_stats_request_decode(const void *msg, size_t size,
                                          struct ofp_flow_stats_request *);
void ofp_flow_stats_request_encode(const struct ofp_flow_stats_request *,
                                   uint8_t version, uint32_t xid,
                                   struct buf *);

struct ofp_flow_stats {
    struct match match;
    uint8_t table_id;
    uint32_t duration_sec;
    uint32_t duration_nsec;
    uint16_t priority;
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint16_t flags; /* OFPFF_* (1.3). */
    uint64_t cookie;
    uint64_t packet_count;
    uint64_t byte_count;
    uint32_t idle_age; /* Seconds since last hit (NXST_FLOW). */
    uint32_t hard_age; /* Seconds since added or modified (NXST_FLOW). */
    struct ofpacts ofpacts;
};

/* Appends one entry to a FLOW stats reply (NXST_FLOW's layout, with an
 * NXM match and the ages, if the reply is 1.0 vendor stats).  In 1.0 the
 * actions are those 1.0 can say, up to the first it cannot (instructions,
 * groups). */
enum ofperr ofp_flow_stats_put(struct ofp_mp_reply *,
                               const struct ofp_flow_stats *);
/* Decodes the next entry of a FLOW stats reply body at '*p' ('*size'
 * bytes left) and advances past it.  'fs->ofpacts' must be initialized;
 * it is cleared first. */
enum ofperr ofp_flow_stats_pull(const uint8_t **p, size_t *size,
                                uint8_t version, struct ofp_flow_stats *);
/* The dump-flows line of 'fs', as ovs-ofctl prints an OFPST_FLOW reply
 * entry (without the leading space). */
void ofp_flow_stats_format(const struct ofp_flow_stats *, uint8_t version,
                           struct ds *);

struct ofp_aggregate_stats {
    uint64_t packet_count;
    uint64_t byte_count;
    uint32_t flow_count;
};

void ofp_aggregate_reply_put(struct ofp_mp_reply *,
                             const struct ofp_aggregate_stats *);
enum ofperr ofp_aggregate_reply_decode(const void *msg, size_t size,
                                       struct ofp_aggregate_stats *);

#endif /* VSWITCH_OFP_FLOW_H */
