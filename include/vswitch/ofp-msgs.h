/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OFP_MSGS_H
#define VSWITCH_OFP_MSGS_H 1

/*
 * ofp-msgs: what an OpenFlow message is, before its body is decoded.
 *
 * ofp_decode_type() checks a received message's header against its size,
 * classifies it into a version-independent 'enum ofptype' (stats and
 * multipart messages by their body type too), and checks the length rules
 * the specification gives for that message in that version (exact sizes
 * for fixed-size messages, minimums and granularity for the rest).  On
 * failure it returns the error the specification prescribes (BAD_TYPE,
 * BAD_MULTIPART, BAD_LEN, BAD_VERSION, ...) for the caller to send back with
 * ofperr_encode(): a malformed message never reaches a body decoder.
 *
 * Supported versions are OpenFlow 1.0 (0x01) and 1.3 (0x04); HELLO is
 * understood in every version, as negotiation needs.
 *
 * Version negotiation (ofp_hello_*): our HELLO carries the highest version
 * we speak in its header and, from 1.3 on, a version bitmap.  A peer's HELLO
 * with a bitmap means exactly those versions; without one, every version up
 * to its header's.  The highest common version wins; none means
 * HELLO_FAILED/INCOMPATIBLE.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/buf.h"
#include "vswitch/ofp-errors.h"

/* clang-format off */
#define OFPTYPE_LIST(X) \
    X(HELLO) \
    X(ERROR) \
    X(ECHO_REQUEST) \
    X(ECHO_REPLY) \
    X(EXPERIMENTER) \
    X(FEATURES_REQUEST) \
    X(FEATURES_REPLY) \
    X(GET_CONFIG_REQUEST) \
    X(GET_CONFIG_REPLY) \
    X(SET_CONFIG) \
    X(PACKET_IN) \
    X(FLOW_REMOVED) \
    X(PORT_STATUS) \
    X(PACKET_OUT) \
    X(FLOW_MOD) \
    X(GROUP_MOD) \
    X(PORT_MOD) \
    X(TABLE_MOD) \
    X(BARRIER_REQUEST) \
    X(BARRIER_REPLY) \
    X(QUEUE_GET_CONFIG_REQUEST) \
    X(QUEUE_GET_CONFIG_REPLY) \
    X(ROLE_REQUEST) \
    X(ROLE_REPLY) \
    X(GET_ASYNC_REQUEST) \
    X(GET_ASYNC_REPLY) \
    X(SET_ASYNC) \
    X(METER_MOD) \
    X(DESC_REQUEST) \
    X(DESC_REPLY) \
    X(FLOW_STATS_REQUEST) \
    X(FLOW_STATS_REPLY) \
    X(AGGREGATE_REQUEST) \
    X(AGGREGATE_REPLY) \
    X(TABLE_STATS_REQUEST) \
    X(TABLE_STATS_REPLY) \
    X(PORT_STATS_REQUEST) \
    X(PORT_STATS_REPLY) \
    X(QUEUE_STATS_REQUEST) \
    X(QUEUE_STATS_REPLY) \
    X(GROUP_STATS_REQUEST) \
    X(GROUP_STATS_REPLY) \
    X(GROUP_DESC_REQUEST) \
    X(GROUP_DESC_REPLY) \
    X(GROUP_FEATURES_REQUEST) \
    X(GROUP_FEATURES_REPLY) \
    X(METER_STATS_REQUEST) \
    X(METER_STATS_REPLY) \
    X(METER_CONFIG_REQUEST) \
    X(METER_CONFIG_REPLY) \
    X(METER_FEATURES_REQUEST) \
    X(METER_FEATURES_REPLY) \
    X(TABLE_FEATURES_REQUEST) \
    X(TABLE_FEATURES_REPLY) \
    X(PORT_DESC_REQUEST) \
    X(PORT_DESC_REPLY) \
    X(EXPERIMENTER_STATS_REQUEST) \
    X(EXPERIMENTER_STATS_REPLY)
/* clang-format on */

enum ofptype {
#define OFPTYPE_ENUM(NAME) OFPTYPE_##NAME,
    OFPTYPE_LIST(OFPTYPE_ENUM)
#undef OFPTYPE_ENUM
        OFPTYPE_N
};

/* The versions we speak. */
#define OFP_SUPPORTED_VERSIONS                                                \
    (OFP_VERSION_BIT(OFP10_VERSION) | OFP_VERSION_BIT(OFP13_VERSION))

const char *ofptype_name(enum ofptype);
bool ofp_version_is_supported(uint8_t version);
/* "OpenFlow13" style names, as ovs-ofctl -O takes them; NULL if unknown. */
const char *ofp_version_name(uint8_t version);
/* Parses "OpenFlow10", "OpenFlow13" (or "1.0", "1.3"); 0 if unknown. */
uint8_t ofp_version_from_name(const char *);

/* Classifies the 'size' bytes at 'msg' (one whole message).  Returns 0 and
 * sets '*type', or the error to report. */
enum ofperr ofp_decode_type(const void *msg, size_t size, enum ofptype *type);

/* Starts a message: appends a header of 'version', OFPT 'raw_type', 'xid',
 * and 'body_size' zeroed bytes; returns the header.  Call
 * ofp_finish_msg() after appending the rest to fix the length. */
void *ofp_start_msg(struct buf *, uint8_t version, uint8_t raw_type,
                    uint32_t xid, size_t body_size);
/* Sets the length of the message that starts at offset 'start' of 'b' to
 * run to the end of 'b'.  Returns EMSGSIZE if it exceeds 65535 bytes. */
int ofp_finish_msg(struct buf *b, size_t start);

/* HELLO. */
void ofp_hello_encode(struct buf *, uint32_t versions, uint32_t xid);
/* The versions a peer's HELLO offers.  Returns 0, or BAD_LEN for a
 * malformed element list. */
enum ofperr ofp_hello_decode(const void *msg, size_t size, uint32_t *versions);
/* The highest version in both sets, or 0 if none. */
uint8_t ofp_negotiate(uint32_t ours, uint32_t theirs);

/* ECHO_REPLY for an ECHO_REQUEST (same xid and payload). */
void ofp_echo_reply_encode(struct buf *, const void *request, size_t size);

#endif /* VSWITCH_OFP_MSGS_H */
