/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OFP_PORT_H
#define VSWITCH_OFP_PORT_H 1

/*
 * ofp-port: OpenFlow port numbers and port descriptions in 1.0 and 1.3.
 *
 * Port numbers: inside vswitch a port number is 16 bits wide, as in
 * OpenFlow 1.0 and in Open vSwitch (LOCAL = 65534 = 0xfffe, which is what
 * Interface.ofport shows).  OpenFlow 1.3 numbers are 32 bits: physical
 * ports 1..0xffffff00 and reserved ports 0xfffffff8..0xffffffff.  The
 * reserved ports map one to one (0xfff8 <-> 0xfffffff8, ...); a 1.3 port
 * number in 0xff00..0xfffffff7 has no 16-bit form and is refused with
 * BAD_PORT (BAD_OUT_PORT in actions).
 *
 * Descriptions: 'struct ofp_port_desc' holds what either version's port
 * structure carries; the encoders write exactly 48 (1.0) or 64 (1.3)
 * bytes.
 */

#include <stdbool.h>
#include <stdint.h>
#include "vswitch/buf.h"
#include "vswitch/ofp-errors.h"

/* Reserved ports, 16-bit form. */
enum {
    OFPP_MAX = 0xff00,        /* Highest physical port + 1. */
    OFPP_IN_PORT = 0xfff8,    /* Send out of the input port. */
    OFPP_TABLE = 0xfff9,      /* Submit to the flow table (packet-out). */
    OFPP_NORMAL = 0xfffa,     /* Traditional L2 switching. */
    OFPP_FLOOD = 0xfffb,      /* All ports but input and blocked ones. */
    OFPP_ALL = 0xfffc,        /* All ports but the input port. */
    OFPP_CONTROLLER = 0xfffd, /* To the controller. */
    OFPP_LOCAL = 0xfffe,      /* The bridge's own port. */
    OFPP_NONE = 0xffff,       /* No port; ANY in 1.3 filters. */
};

#define OFPP13_OFFSET 0xffff0000u /* 1.3 reserved = 16-bit + this. */

/* Converts a 1.3 port number to the 16-bit form.  Returns 0 or
 * OFPERR_BAD_PORT. */
enum ofperr ofp_port_from_ofp13(uint32_t port13, uint16_t *port);
uint32_t ofp_port_to_ofp13(uint16_t port);
/* Formats reserved ports by name ("LOCAL", "CONTROLLER", ...) and others
 * as decimal, into 'buf' of at least 16 bytes; returns 'buf'. */
const char *ofp_port_to_string(uint16_t port, char *buf);
/* Parses a port name or number; returns false if it is neither. */
bool ofp_port_from_string(const char *s, uint16_t *port);

/* OFPPC_* config bits and OFPPS_* state bits (same values in 1.0/1.3 for
 * the ones we use). */
enum {
    OFPPC_PORT_DOWN = 1 << 0,
    OFPPC_NO_RECV = 1 << 2,
    OFPPC_NO_FWD = 1 << 5,
    OFPPC_NO_PACKET_IN = 1 << 6,
};
enum {
    OFPPS_LINK_DOWN = 1 << 0,
    OFPPS_BLOCKED = 1 << 1, /* 1.3 */
    OFPPS_LIVE = 1 << 2,    /* 1.3 */
};
/* OFPPF_* feature bits (1.3 numbering; 1.0 lacks 40G and above and puts
 * COPPER/FIBER/AUTONEG/PAUSE lower). */
enum {
    OFPPF13_10GB_FD = 1 << 6,
    OFPPF13_COPPER = 1 << 11,
};

struct ofp_port_desc {
    uint16_t port_no;    /* 16-bit form. */
    uint8_t hw_addr[6];  /* MAC. */
    char name[16];       /* NUL-padded. */
    uint32_t config;     /* OFPPC_*. */
    uint32_t state;      /* OFPPS_*. */
    uint32_t curr;       /* Current features (1.3 numbering). */
    uint32_t advertised; /* Advertised features. */
    uint32_t supported;  /* Supported features. */
    uint32_t peer;       /* Peer's advertised features. */
    uint32_t curr_speed; /* kbps (1.3 only). */
    uint32_t max_speed;  /* kbps (1.3 only). */
};

#define OFP10_PORT_SIZE 48
#define OFP13_PORT_SIZE 64

/* Appends the port structure of 'version'. */
void ofp_port_desc_encode(struct buf *, const struct ofp_port_desc *,
                          uint8_t version);
/* Decodes one port structure of 'version' from 'data' ('size' bytes must
 * be exactly the structure's size).  Returns 0 or BAD_LEN/BAD_PORT. */
enum ofperr ofp_port_desc_decode(const void *data, size_t size,
                                 uint8_t version, struct ofp_port_desc *);

/* PORT_STATS multipart. */
struct ofp_port_stats {
    uint16_t port_no;
    uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
    uint64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
    uint64_t rx_frame_err, rx_over_err, rx_crc_err, collisions;
    uint32_t duration_sec, duration_nsec; /* 1.3 only. */
};

struct ofp_mp_reply;
/* The port a PORT_STATS request asks about (OFPP_NONE: every port).
 * Returns 0, BAD_LEN or BAD_PORT. */
enum ofperr ofp_port_stats_request_decode(const void *msg, size_t size,
                                          uint16_t *port_no);
void ofp_port_stats_request_encode(uint8_t version, uint16_t port_no,
                                   uint32_t xid, struct buf *);
/* Appends one entry (104 bytes in 1.0, 112 in 1.3). */
void ofp_port_stats_put(struct ofp_mp_reply *, const struct ofp_port_stats *);

#endif /* VSWITCH_OFP_PORT_H */
