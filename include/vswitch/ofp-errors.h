/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OFP_ERRORS_H
#define VSWITCH_OFP_ERRORS_H 1

/*
 * ofp-errors: OpenFlow errors, independent of the version that reports
 * them.
 *
 * Decoders and the switch return an 'enum ofperr' (0 means no error).  These
 * values are not errno values: they start at OFPERR_BASE so the two can
 * never be confused.  ofperr_encode() turns one into an OFPT_ERROR message
 * for a given version, with the type and code that version's specification
 * assigns and at least the first 64 bytes of the offending request.  Where a
 * version has no code for an error (OpenFlow 1.0 has no BAD_MATCH type, for
 * instance), the table gives the nearest one it has; ofperr_has_code()
 * tells whether the mapping is exact.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/buf.h"

#define OFPERR_BASE 0x10000

/* A Nicira vendor error in OpenFlow 1.0: on the wire OFPT_ERROR type
 * NXET_VENDOR (0xb0c2), code 0, then the vendor NX_VENDOR_ID and this
 * 16-bit type and the code (what Open vSwitch sends for the errors 1.0
 * lacks, e.g. the OXM/NXM match errors). */
#define NX10(TYPE) (0x1000 | (TYPE))
#define NXET_VENDOR 0xb0c2

/* clang-format off */
#define OFPERR_LIST(X)                                                        \
    /* name                         1.0 type,code  1.3 type,code */           \
    X(HELLO_INCOMPATIBLE,            0,  0,          0,  0)                   \
    X(HELLO_EPERM,                   0,  1,          0,  1)                   \
    X(BAD_VERSION,                   1,  0,          1,  0)                   \
    X(BAD_TYPE,                      1,  1,          1,  1)                   \
    X(BAD_MULTIPART,                 1,  2,          1,  2)                   \
    X(BAD_EXPERIMENTER,              1,  3,          1,  3)                   \
    X(BAD_EXP_TYPE,                  1,  4,          1,  4)                   \
    X(BAD_REQUEST_EPERM,             1,  5,          1,  5)                   \
    X(BAD_LEN,                       1,  6,          1,  6)                   \
    X(BUFFER_EMPTY,                  1,  7,          1,  7)                   \
    X(BUFFER_UNKNOWN,                1,  8,          1,  8)                   \
    X(BAD_TABLE_ID,                 -1, -1,          1,  9)                   \
    X(IS_SLAVE,                      1,  5,          1, 10)                   \
    X(BAD_PORT,                      2,  4,          1, 11)                   \
    X(BAD_PACKET,                    1,  6,          1, 12)                   \
    X(MULTIPART_BUFFER_OVERFLOW,    -1, -1,          1, 13)                   \
    X(BAD_ACTION_TYPE,               2,  0,          2,  0)                   \
    X(BAD_ACTION_LEN,                2,  1,          2,  1)                   \
    X(BAD_ACTION_EXPERIMENTER,       2,  2,          2,  2)                   \
    X(BAD_ACTION_EXP_TYPE,           2,  3,          2,  3)                   \
    X(BAD_OUT_PORT,                  2,  4,          2,  4)                   \
    X(BAD_ACTION_ARGUMENT,           2,  5,          2,  5)                   \
    X(BAD_ACTION_EPERM,              2,  6,          2,  6)                   \
    X(TOO_MANY_ACTIONS,              2,  7,          2,  7)                   \
    X(BAD_QUEUE,                     2,  8,          2,  8)                   \
    X(BAD_OUT_GROUP,                -1, -1,          2,  9)                   \
    X(MATCH_INCONSISTENT,            2,  5,          2, 10)                   \
    X(UNSUPPORTED_ORDER,            -1, -1,          2, 11)                   \
    X(BAD_TAG,                      -1, -1,          2, 12)                   \
    X(BAD_SET_TYPE,                  2,  0,          2, 13)                   \
    X(BAD_SET_LEN,                   2,  1,          2, 14)                   \
    X(BAD_SET_ARGUMENT,              2,  5,          2, 15)                   \
    X(UNKNOWN_INST,                 -1, -1,          3,  0)                   \
    X(UNSUP_INST,                   -1, -1,          3,  1)                   \
    X(BAD_INST_TABLE_ID,            -1, -1,          3,  2)                   \
    X(UNSUP_METADATA,               -1, -1,          3,  3)                   \
    X(UNSUP_METADATA_MASK,          -1, -1,          3,  4)                   \
    X(BAD_INST_EXPERIMENTER,        -1, -1,          3,  5)                   \
    X(BAD_INST_EXP_TYPE,            -1, -1,          3,  6)                   \
    X(BAD_INST_LEN,                 -1, -1,          3,  7)                   \
    X(BAD_INST_EPERM,               -1, -1,          3,  8)                   \
    X(BAD_MATCH_TYPE,               -1, -1,          4,  0)                   \
    X(BAD_MATCH_LEN,           NX10(1),0x209,        4,  1)                   \
    X(BAD_MATCH_TAG,                -1, -1,          4,  2)                   \
    X(BAD_DL_ADDR_MASK,             -1, -1,          4,  3)                   \
    X(BAD_NW_ADDR_MASK,             -1, -1,          4,  4)                   \
    X(BAD_WILDCARDS,           NX10(1),0x106,        4,  5)                   \
    X(BAD_FIELD,               NX10(0),0x107,        4,  6)                   \
    X(BAD_VALUE,               NX10(1),0x102,        4,  7)                   \
    X(BAD_MASK,                NX10(1),0x103,        4,  8)                   \
    X(BAD_PREREQ,              NX10(1),0x104,        4,  9)                   \
    X(DUP_FIELD,               NX10(1),0x105,        4, 10)                   \
    X(BAD_MATCH_EPERM,              -1, -1,          4, 11)                   \
    X(FLOW_MOD_UNKNOWN,              3,  5,          5,  0)                   \
    X(TABLE_FULL,                    3,  0,          5,  1)                   \
    X(FLOW_MOD_BAD_TABLE_ID,        -1, -1,          5,  2)                   \
    X(FLOW_MOD_OVERLAP,              3,  1,          5,  3)                   \
    X(FLOW_MOD_EPERM,                3,  2,          5,  4)                   \
    X(BAD_TIMEOUT,                   3,  3,          5,  5)                   \
    X(BAD_COMMAND,                   3,  4,          5,  6)                   \
    X(BAD_FLAGS,                     3,  5,          5,  7)                   \
    X(GROUP_EXISTS,                 -1, -1,          6,  0)                   \
    X(INVALID_GROUP,                -1, -1,          6,  1)                   \
    X(WEIGHT_UNSUPPORTED,           -1, -1,          6,  2)                   \
    X(OUT_OF_GROUPS,                -1, -1,          6,  3)                   \
    X(OUT_OF_BUCKETS,               -1, -1,          6,  4)                   \
    X(CHAINING_UNSUPPORTED,         -1, -1,          6,  5)                   \
    X(WATCH_UNSUPPORTED,            -1, -1,          6,  6)                   \
    X(GROUP_LOOP,                   -1, -1,          6,  7)                   \
    X(UNKNOWN_GROUP,                -1, -1,          6,  8)                   \
    X(CHAINED_GROUP,                -1, -1,          6,  9)                   \
    X(BAD_GROUP_TYPE,               -1, -1,          6, 10)                   \
    X(BAD_GROUP_COMMAND,            -1, -1,          6, 11)                   \
    X(BAD_BUCKET,                   -1, -1,          6, 12)                   \
    X(BAD_WATCH,                    -1, -1,          6, 13)                   \
    X(GROUP_MOD_EPERM,              -1, -1,          6, 14)                   \
    X(PORT_MOD_BAD_PORT,             4,  0,          7,  0)                   \
    X(PORT_MOD_BAD_HW_ADDR,          4,  1,          7,  1)                   \
    X(PORT_MOD_BAD_CONFIG,          -1, -1,          7,  2)                   \
    X(PORT_MOD_BAD_ADVERTISE,       -1, -1,          7,  3)                   \
    X(PORT_MOD_EPERM,               -1, -1,          7,  4)                   \
    X(TABLE_MOD_BAD_TABLE,          -1, -1,          8,  0)                   \
    X(TABLE_MOD_BAD_CONFIG,         -1, -1,          8,  1)                   \
    X(TABLE_MOD_EPERM,              -1, -1,          8,  2)                   \
    X(QUEUE_OP_BAD_PORT,             5,  0,          9,  0)                   \
    X(QUEUE_OP_BAD_QUEUE,            5,  1,          9,  1)                   \
    X(QUEUE_OP_EPERM,                5,  2,          9,  2)                   \
    X(SWITCH_CONFIG_BAD_FLAGS,      -1, -1,         10,  0)                   \
    X(SWITCH_CONFIG_BAD_LEN,        -1, -1,         10,  1)                   \
    X(SWITCH_CONFIG_EPERM,          -1, -1,         10,  2)                   \
    X(ROLE_STALE,                   -1, -1,         11,  0)                   \
    X(ROLE_UNSUP,                   -1, -1,         11,  1)                   \
    X(BAD_ROLE,                     -1, -1,         11,  2)                   \
    X(TABLE_FEATURES_BAD_TABLE,     -1, -1,         13,  0)                   \
    X(TABLE_FEATURES_BAD_METADATA,  -1, -1,         13,  1)                   \
    X(TABLE_FEATURES_BAD_TYPE,      -1, -1,         13,  2)                   \
    X(TABLE_FEATURES_BAD_LEN,       -1, -1,         13,  3)                   \
    X(TABLE_FEATURES_BAD_ARGUMENT,  -1, -1,         13,  4)                   \
    X(TABLE_FEATURES_EPERM,         -1, -1,         13,  5)                   \
    X(NXM_INVALID,               NX10(1),0x100,        4,  1)
/* clang-format on */

enum ofperr {
    OFPERR_NONE = 0,
#define OFPERR_ENUM(NAME, T10, C10, T13, C13) OFPERR_##NAME,
    OFPERR__FIRST = OFPERR_BASE - 1,
    OFPERR_LIST(OFPERR_ENUM)
#undef OFPERR_ENUM
        OFPERR__LAST
};

/* Whether 'e' is one of the errors above. */
bool ofperr_is_valid(int e);
/* "OFPBRC_BAD_LEN"-style name without the prefix: "BAD_LEN". */
const char *ofperr_name(enum ofperr);
/* The type and code 'version' uses for 'e' (the nearest one if the version
 * has no exact code).  Returns whether the mapping is exact.  A 1.0 Nicira
 * vendor error has NX10(its vendor type) in '*type'. */
bool ofperr_get_code(enum ofperr, uint8_t version, uint16_t *type,
                     uint16_t *code);
bool ofperr_has_code(enum ofperr, uint8_t version);
/* The error with 'type' and 'code' in 'version', or 0 if unknown. */
enum ofperr ofperr_decode(uint8_t version, uint16_t type, uint16_t code);

/* The error an OFPT_ERROR message 'msg' ('size' bytes) reports, Nicira
 * vendor errors of 1.0 included; 0 if it is not one we know. */
enum ofperr ofperr_decode_msg(const void *msg, size_t size);

/* Appends to 'out' an OFPT_ERROR in 'version' with transaction id 'xid'
 * reporting 'e', carrying min(64, 'size') bytes of 'request' (the message
 * that failed; may be NULL). */
void ofperr_encode(struct buf *out, enum ofperr e, uint8_t version,
                   uint32_t xid, const void *request, size_t size);

#endif /* VSWITCH_OFP_ERRORS_H */
