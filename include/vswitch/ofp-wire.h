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

#include <stddef.h>
#include <stdint.h>

/* The 'n'-byte big-endian number at 'p' (n <= 8). */
static inline uint64_t
ofp_get_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;

    for (size_t i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* Writes the low 'n' bytes of 'v' big-endian at 'p' (n <= 8). */
static inline void
ofp_put_be(uint8_t *p, size_t n, uint64_t v)
{
    for (size_t i = n; i-- > 0;) {
        p[i] = v;
        v >>= 8;
    }
}

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

/* OpenFlow 1.3 instruction types. */
enum {
    OFPIT_GOTO_TABLE = 1,
    OFPIT_WRITE_METADATA = 2,
    OFPIT_WRITE_ACTIONS = 3,
    OFPIT_APPLY_ACTIONS = 4,
    OFPIT_CLEAR_ACTIONS = 5,
    OFPIT_METER = 6,
};

/* OpenFlow 1.3 action types. */
enum {
    OFPAT13_OUTPUT = 0,
    OFPAT13_COPY_TTL_OUT = 11,
    OFPAT13_COPY_TTL_IN = 12,
    OFPAT13_SET_MPLS_TTL = 15,
    OFPAT13_DEC_MPLS_TTL = 16,
    OFPAT13_PUSH_VLAN = 17,
    OFPAT13_POP_VLAN = 18,
    OFPAT13_PUSH_MPLS = 19,
    OFPAT13_POP_MPLS = 20,
    OFPAT13_SET_QUEUE = 21,
    OFPAT13_GROUP = 22,
    OFPAT13_SET_NW_TTL = 23,
    OFPAT13_DEC_NW_TTL = 24,
    OFPAT13_SET_FIELD = 25,
    OFPAT13_EXPERIMENTER = 0xffff,
};

/* OXM: class OFPXMC_OPENFLOW_BASIC fields (header = class << 16 |
 * field << 9 | hasmask << 8 | length). */
#define OFPXMC_OPENFLOW_BASIC 0x8000
enum oxm_ofb_field {
    OFPXMT_IN_PORT = 0,
    OFPXMT_IN_PHY_PORT = 1,
    OFPXMT_METADATA = 2,
    OFPXMT_ETH_DST = 3,
    OFPXMT_ETH_SRC = 4,
    OFPXMT_ETH_TYPE = 5,
    OFPXMT_VLAN_VID = 6,
    OFPXMT_VLAN_PCP = 7,
    OFPXMT_IP_DSCP = 8,
    OFPXMT_IP_ECN = 9,
    OFPXMT_IP_PROTO = 10,
    OFPXMT_IPV4_SRC = 11,
    OFPXMT_IPV4_DST = 12,
    OFPXMT_TCP_SRC = 13,
    OFPXMT_TCP_DST = 14,
    OFPXMT_UDP_SRC = 15,
    OFPXMT_UDP_DST = 16,
    OFPXMT_SCTP_SRC = 17,
    OFPXMT_SCTP_DST = 18,
    OFPXMT_ICMPV4_TYPE = 19,
    OFPXMT_ICMPV4_CODE = 20,
    OFPXMT_ARP_OP = 21,
    OFPXMT_ARP_SPA = 22,
    OFPXMT_ARP_TPA = 23,
    OFPXMT_ARP_SHA = 24,
    OFPXMT_ARP_THA = 25,
    OFPXMT_IPV6_SRC = 26,
    OFPXMT_IPV6_DST = 27,
    OFPXMT_IPV6_FLABEL = 28,
    OFPXMT_ICMPV6_TYPE = 29,
    OFPXMT_ICMPV6_CODE = 30,
    OFPXMT_IPV6_ND_TARGET = 31,
    OFPXMT_IPV6_ND_SLL = 32,
    OFPXMT_IPV6_ND_TLL = 33,
    OFPXMT_MPLS_LABEL = 34,
    OFPXMT_MPLS_TC = 35,
    OFPXMT_MPLS_BOS = 36,
    OFPXMT_PBB_ISID = 37,
    OFPXMT_TUNNEL_ID = 38,
    OFPXMT_IPV6_EXTHDR = 39,
};

#define OXM_HEADER(FIELD, LEN)                                                \
    (((uint32_t) OFPXMC_OPENFLOW_BASIC << 16) | ((uint32_t) (FIELD) << 9)     \
     | (LEN))

/* Nicira's NXM class 1 (Open vSwitch's extension fields).  Open vSwitch
 * speaks them inside OpenFlow 1.3 OXM with this class too, and inside the
 * NXM matches and reg_load actions of its 1.0 extensions. */
#define OFPXMC_NXM_1 0x0001
enum {
    NXM_NX_TUN_ID = 16,        /* 64-bit tunnel key, maskable. */
    NXM_NX_TUN_IPV4_SRC = 31,  /* Outer IPv4 source, maskable. */
    NXM_NX_TUN_IPV4_DST = 32,  /* Outer IPv4 destination, maskable. */
    NXM_NX_TUN_IPV6_SRC = 109, /* Outer IPv6 source, maskable. */
    NXM_NX_TUN_IPV6_DST = 110, /* Outer IPv6 destination, maskable. */
};
#define OXM_HEADER_CLASS(CLASS, FIELD, LEN)                                   \
    (((uint32_t) (CLASS) << 16) | ((uint32_t) (FIELD) << 9) | (LEN))

/* Nicira vendor (1.0) / experimenter (1.3) actions: type 0xffff, length,
 * vendor NX_VENDOR_ID, 16-bit subtype. */
enum {
    NXAST_SET_TUNNEL = 2,   /* 16 bytes: subtype, 2 pad, 32-bit tun_id. */
    NXAST_REG_LOAD = 7,     /* 24 bytes: subtype, ofs_nbits, dst, value. */
    NXAST_SET_TUNNEL64 = 9, /* 24 bytes: subtype, 6 pad, 64-bit tun_id. */
};

/* Nicira vendor messages of OpenFlow 1.0 (OFPT_VENDOR: header, vendor
 * NX_VENDOR_ID, 32-bit subtype) and vendor stats (OFPST_VENDOR: stats
 * header, vendor, 32-bit subtype, 4 pad). */
enum {
    NXT_SET_FLOW_FORMAT = 12,   /* 20 bytes: 32-bit NXFF_*. */
    NXT_FLOW_MOD = 13,          /* 48 bytes + NXM match + actions. */
    NXT_FLOW_REMOVED = 14,      /* 56 bytes + NXM match. */
    NXT_FLOW_MOD_TABLE_ID = 15, /* 24 bytes: 8-bit enable, 7 pad. */
};
enum {
    NXST_FLOW = 0,      /* 32 bytes + NXM match. */
    NXST_AGGREGATE = 1, /* Same request; 48-byte reply. */
};
#define NX_HEADER_SIZE 16       /* ofp_header, vendor, subtype. */
#define NX_STATS_HEADER_SIZE 24 /* ofp10_stats_msg, vendor, subtype, pad. */
/* Flow formats (NXT_SET_FLOW_FORMAT). */
enum { NXFF_OPENFLOW10 = 0, NXFF_NXM = 2 };

/* OpenFlow 1.3 table-features property types. */
enum {
    OFPTFPT_INSTRUCTIONS = 0,
    OFPTFPT_INSTRUCTIONS_MISS = 1,
    OFPTFPT_NEXT_TABLES = 2,
    OFPTFPT_NEXT_TABLES_MISS = 3,
    OFPTFPT_WRITE_ACTIONS = 4,
    OFPTFPT_WRITE_ACTIONS_MISS = 5,
    OFPTFPT_APPLY_ACTIONS = 6,
    OFPTFPT_APPLY_ACTIONS_MISS = 7,
    OFPTFPT_MATCH = 8,
    OFPTFPT_WILDCARDS = 10,
    OFPTFPT_WRITE_SETFIELD = 12,
    OFPTFPT_WRITE_SETFIELD_MISS = 13,
    OFPTFPT_APPLY_SETFIELD = 14,
    OFPTFPT_APPLY_SETFIELD_MISS = 15,
};

#endif /* VSWITCH_OFP_WIRE_H */
