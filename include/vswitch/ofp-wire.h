/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OFP_WIRE_H
#define VSWITCH_OFP_WIRE_H 1

/*
 * ofp-wire: OpenFlow wire-format facts shared by every OpenFlow module:
 * version numbers, the common header, message type numbers of OpenFlow 1.0
 * and 1.3 (and the 1.4/1.5 numbers we must recognise), multipart/stats
 * types, and the fixed structures every connection needs before anything
 * else (HELLO elements, ERROR, FEATURES, multipart headers).
 *
 * All multi-byte fields are big-endian on the wire; structures here are
 * declared with explicit padding and checked sizes so they can be overlaid
 * on received bytes only after the length has been validated (see
 * ofp-msgs.h).  Values come from the OpenFlow 1.0.0 and 1.3.x
 * specifications.
 */

#include <stdint.h>

#define OFP_TCP_PORT 6653

enum ofp_version {
    OFP10_VERSION = 0x01,
    OFP11_VERSION = 0x02,
    OFP12_VERSION = 0x03,
    OFP13_VERSION = 0x04,
    OFP14_VERSION = 0x05,
    OFP15_VERSION = 0x06,
};

/* A set of versions as a bitmap: bit N means version N. */
#define OFP_VERSION_BIT(V) (1u << (V))

struct ofp_header {
    uint8_t version; /* OFP*_VERSION. */
    uint8_t type;    /* Message type (numbering depends on version). */
    uint16_t length; /* Length including this header (big-endian). */
    uint32_t xid;    /* Transaction id (big-endian). */
};
_Static_assert(sizeof(struct ofp_header) == 8, "ofp_header");

/* Message types common to every version. */
enum {
    OFPT_HELLO = 0,
    OFPT_ERROR = 1,
    OFPT_ECHO_REQUEST = 2,
    OFPT_ECHO_REPLY = 3,
    OFPT_EXPERIMENTER = 4, /* VENDOR in OpenFlow 1.0. */
    OFPT_FEATURES_REQUEST = 5,
    OFPT_FEATURES_REPLY = 6,
    OFPT_GET_CONFIG_REQUEST = 7,
    OFPT_GET_CONFIG_REPLY = 8,
    OFPT_SET_CONFIG = 9,
    OFPT_PACKET_IN = 10,
    OFPT_FLOW_REMOVED = 11,
    OFPT_PORT_STATUS = 12,
    OFPT_PACKET_OUT = 13,
    OFPT_FLOW_MOD = 14,
};

/* OpenFlow 1.0 types from 15 on. */
enum {
    OFPT10_PORT_MOD = 15,
    OFPT10_STATS_REQUEST = 16,
    OFPT10_STATS_REPLY = 17,
    OFPT10_BARRIER_REQUEST = 18,
    OFPT10_BARRIER_REPLY = 19,
    OFPT10_QUEUE_GET_CONFIG_REQUEST = 20,
    OFPT10_QUEUE_GET_CONFIG_REPLY = 21,
};

/* OpenFlow 1.3 types from 15 on (1.4 and 1.5 extend the same numbering). */
enum {
    OFPT13_GROUP_MOD = 15,
    OFPT13_PORT_MOD = 16,
    OFPT13_TABLE_MOD = 17,
    OFPT13_MULTIPART_REQUEST = 18,
    OFPT13_MULTIPART_REPLY = 19,
    OFPT13_BARRIER_REQUEST = 20,
    OFPT13_BARRIER_REPLY = 21,
    OFPT13_QUEUE_GET_CONFIG_REQUEST = 22,
    OFPT13_QUEUE_GET_CONFIG_REPLY = 23,
    OFPT13_ROLE_REQUEST = 24,
    OFPT13_ROLE_REPLY = 25,
    OFPT13_GET_ASYNC_REQUEST = 26,
    OFPT13_GET_ASYNC_REPLY = 27,
    OFPT13_SET_ASYNC = 28,
    OFPT13_METER_MOD = 29,
    OFPT14_ROLE_STATUS = 30,
    OFPT14_TABLE_STATUS = 31,
    OFPT14_REQUESTFORWARD = 32,
    OFPT14_BUNDLE_CONTROL = 33,
    OFPT14_BUNDLE_ADD_MESSAGE = 34,
    OFPT15_CONTROLLER_STATUS = 35,
};

/* Stats (1.0) / multipart (1.3) body types. */
enum {
    OFPMP_DESC = 0,
    OFPMP_FLOW = 1,
    OFPMP_AGGREGATE = 2,
    OFPMP_TABLE = 3,
    OFPMP_PORT_STATS = 4,
    OFPMP_QUEUE = 5,
    OFPMP_GROUP = 6,             /* 1.1+ */
    OFPMP_GROUP_DESC = 7,        /* 1.1+ */
    OFPMP_GROUP_FEATURES = 8,    /* 1.2+ */
    OFPMP_METER = 9,             /* 1.3+ */
    OFPMP_METER_CONFIG = 10,     /* 1.3+ */
    OFPMP_METER_FEATURES = 11,   /* 1.3+ */
    OFPMP_TABLE_FEATURES = 12,   /* 1.3+ */
    OFPMP_PORT_DESC = 13,        /* 1.3+ (an Open vSwitch extension in 1.0) */
    OFPMP_EXPERIMENTER = 0xffff, /* VENDOR in 1.0. */
};

/* HELLO elements (1.3.1+). */
enum { OFPHET_VERSIONBITMAP = 1 };

struct ofp_hello_elem_header {
    uint16_t type;   /* OFPHET_*. */
    uint16_t length; /* Length of the element, excluding padding. */
};
_Static_assert(sizeof(struct ofp_hello_elem_header) == 4, "hello elem");

struct ofp_error_msg {
    struct ofp_header header; /* type OFPT_ERROR. */
    uint16_t type;            /* Error type (depends on version). */
    uint16_t code;            /* Error code (depends on type). */
    /* Followed by at least the first 64 bytes of the failed request. */
};
_Static_assert(sizeof(struct ofp_error_msg) == 12, "ofp_error_msg");

/* FEATURES_REPLY bodies. */
struct ofp10_switch_features {
    struct ofp_header header;
    uint64_t datapath_id;  /* Datapath unique id (big-endian). */
    uint32_t n_buffers;    /* Packets buffered at once. */
    uint8_t n_tables;      /* Tables supported. */
    uint8_t pad[3];        /* Zero. */
    uint32_t capabilities; /* OFPC_*. */
    uint32_t actions;      /* Bitmap of OFPAT10_* supported. */
    /* Followed by struct ofp10_phy_port[]. */
};
_Static_assert(sizeof(struct ofp10_switch_features) == 32, "features 1.0");

struct ofp13_switch_features {
    struct ofp_header header;
    uint64_t datapath_id;  /* Datapath unique id (big-endian). */
    uint32_t n_buffers;    /* Packets buffered at once. */
    uint8_t n_tables;      /* Tables supported. */
    uint8_t auxiliary_id;  /* 0 for the main connection. */
    uint8_t pad[2];        /* Zero. */
    uint32_t capabilities; /* OFPC_*. */
    uint32_t reserved;     /* Zero. */
};
_Static_assert(sizeof(struct ofp13_switch_features) == 32, "features 1.3");

/* Stats/multipart headers. */
struct ofp10_stats_msg {
    struct ofp_header header;
    uint16_t type;  /* OFPMP_*. */
    uint16_t flags; /* OFPSF_REPLY_MORE in replies. */
};
_Static_assert(sizeof(struct ofp10_stats_msg) == 12, "stats 1.0");

struct ofp13_multipart_msg {
    struct ofp_header header;
    uint16_t type;  /* OFPMP_*. */
    uint16_t flags; /* OFPMPF_REQ_MORE / OFPMPF_REPLY_MORE. */
    uint8_t pad[4]; /* Zero. */
};
_Static_assert(sizeof(struct ofp13_multipart_msg) == 16, "multipart 1.3");

#define OFPMPF_MORE 0x0001 /* More parts follow (request or reply). */

/* Experimenter/vendor ids we meet. */
#define NX_VENDOR_ID 0x00002320  /* Nicira (Open vSwitch extensions). */
#define ONF_VENDOR_ID 0x4f4e4600 /* Open Networking Foundation. */

#endif /* VSWITCH_OFP_WIRE_H */
