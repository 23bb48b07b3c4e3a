/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OFP_SWITCH_H
#define VSWITCH_OFP_SWITCH_H 1

/*
 * ofp-switch: the switch-wide messages of OpenFlow 1.0 and 1.3 —
 * FEATURES_REPLY, GET_CONFIG_REPLY/SET_CONFIG, PORT_STATUS — and the
 * multipart (stats) reply builder that splits long replies into several
 * messages flagged "more", as the 64 KiB message limit requires.
 */

#include <stddef.h>
#include <stdint.h>
#include "vswitch/buf.h"
#include "vswitch/list.h"
#include "vswitch/ofp-errors.h"
#include "vswitch/ofp-port.h"

/* OFPC_* capabilities. */
enum {
    OFPC_FLOW_STATS = 1 << 0,
    OFPC_TABLE_STATS = 1 << 1,
    OFPC_PORT_STATS = 1 << 2,
    OFPC13_GROUP_STATS = 1 << 3,
    OFPC_IP_REASM = 1 << 5,
    OFPC_QUEUE_STATS = 1 << 6,
    OFPC10_ARP_MATCH_IP = 1 << 7,
    OFPC13_PORT_BLOCKED = 1 << 8,
};

struct ofp_switch_features {
    uint64_t datapath_id;  /* Host order. */
    uint32_t n_buffers;    /* 0: we never buffer packets. */
    uint8_t n_tables;      /* Flow tables. */
    uint32_t capabilities; /* OFPC_* valid for the version encoded. */
    uint32_t actions10;    /* OpenFlow 1.0 action bitmap. */
};

/* Appends a FEATURES_REPLY; OpenFlow 1.0 carries the ports inline (1.3
 * lists them in a PORT_DESC multipart reply instead). */
void ofp_features_reply_encode(struct buf *, uint8_t version, uint32_t xid,
                               const struct ofp_switch_features *,
                               const struct ofp_port_desc *ports,
                               size_t n_ports);

enum { OFPPR_ADD = 0, OFPPR_DELETE = 1, OFPPR_MODIFY = 2 };
void ofp_port_status_encode(struct buf *, uint8_t version, uint8_t reason,
                            const struct ofp_port_desc *);

/* OFPC_FRAG_* in 'flags'. */
enum { OFPC_FRAG_NORMAL = 0, OFPC_FRAG_DROP = 1, OFPC_FRAG_REASM = 2 };
#define OFPC_FRAG_MASK 3

struct ofp_switch_config {
    uint16_t flags;         /* OFPC_FRAG_*. */
    uint16_t miss_send_len; /* Bytes of a table-miss packet to send. */
};

void ofp_get_config_reply_encode(struct buf *, uint8_t version, uint32_t xid,
                                 const struct ofp_switch_config *);
/* Decodes a SET_CONFIG (or GET_CONFIG_REPLY) already classified by
 * ofp_decode_type().  Returns 0 or SWITCH_CONFIG_BAD_FLAGS. */
enum ofperr ofp_switch_config_decode(const void *msg, size_t size,
                                     struct ofp_switch_config *);

/* Multipart replies.  Usage:
 *
 *     struct ofp_mp_reply r;
 *     ofp_mp_reply_init(&r, request);
 *     for (...) { void *p = ofp_mp_reply_put(&r, size); fill p; }
 *     ofp_mp_reply_finish(&r);  then send each buf popped from r.msgs
 */
struct ofp_mp_reply {
    struct vs_list msgs; /* 'struct ofp_mp_part's, in order. */
    uint8_t version;     /* Of the request. */
    uint16_t mp_type;    /* OFPMP_*. */
    uint32_t xid;        /* Of the request (network order). */
    size_t max_size;     /* Largest message (65535; tests lower it). */
    uint32_t vendor;     /* 1.0 vendor stats: vendor id of the request. */
    uint32_t subtype;    /* 1.0 vendor stats: its subtype. */
};

struct ofp_mp_part {
    struct vs_list node; /* In ofp_mp_reply.msgs. */
    struct buf buf;      /* One whole message. */
};

/* 'request' is the (validated) multipart request being answered. */
void ofp_mp_reply_init(struct ofp_mp_reply *, const void *request);
/* Room for 'size' more body bytes; a body element never straddles two
 * messages. */
void *ofp_mp_reply_put(struct ofp_mp_reply *, size_t size);
/* Sets the lengths and the "more" flag on every message but the last. */
void ofp_mp_reply_finish(struct ofp_mp_reply *);
/* Pops the next message, which the caller owns and frees with
 * buf_delete(); NULL when none is left. */
struct buf *ofp_mp_reply_pop(struct ofp_mp_reply *);
void ofp_mp_reply_destroy(struct ofp_mp_reply *);

/* DESC multipart reply: five NUL-padded strings (1056 bytes in both
 * versions). */
struct ofp_desc {
    const char *mfr_desc;   /* Up to 255 characters. */
    const char *hw_desc;    /* Up to 255. */
    const char *sw_desc;    /* Up to 255. */
    const char *serial_num; /* Up to 31. */
    const char *dp_desc;    /* Up to 255. */
};
void ofp_desc_reply_put(struct ofp_mp_reply *, const struct ofp_desc *);

#endif /* VSWITCH_OFP_SWITCH_H */
