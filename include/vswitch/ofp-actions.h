/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OFP_ACTIONS_H
#define VSWITCH_OFP_ACTIONS_H 1

/*
 * ofp-actions: OpenFlow actions and instructions of 1.0 and 1.3 as one
 * internal list ('struct ofpacts'), decoded from and encoded to either
 * version, parsed from and printed in the ovs-ofctl syntax.
 *
 * One list holds a flow's whole behaviour, in the order OpenFlow 1.3
 * executes it: the apply-actions first, then the instructions
 * clear_actions, write_actions (an OFPACT_WRITE_ACTIONS entry followed by
 * the 'n_nested' actions it writes), write_metadata, goto_table.  An
 * OpenFlow 1.0 action list is an apply-actions list alone.
 *
 * 1.0's field-rewriting actions (set_dl_src, set_nw_dst, set_tp_src,
 * set_vlan_vid, ...) become OFPACT_SET_FIELD with the matching OXM field,
 * as 1.3 would say them; strip_vlan becomes pop_vlan.  Encoding to 1.0 goes
 * back the other way; a set_field 1.0 cannot express is BAD_SET_TYPE.
 * set_tp_src/dst are set_field tcp_, udp_ or sctp_src/dst as the flow's
 * match says (tcp if it does not).
 *
 * Tunnel metadata (tun_id, tun_src, tun_dst) is set with set_field too,
 * whatever the spelling: the Nicira actions NXAST_SET_TUNNEL (set_tunnel:N,
 * 32 bits), NXAST_SET_TUNNEL64 (set_tunnel64:N) and NXAST_REG_LOAD of a
 * whole tunnel field (load:N->NXM_NX_TUN_ID[], NXM_NX_TUN_IPV4_SRC[],
 * NXM_NX_TUN_IPV4_DST[]) become OFPACT_SET_FIELD with 'raw' saying which
 * it was, so that encoding and printing give back what came in, in either
 * version, as Open vSwitch does, except that 1.3 sends set_tunnel and
 * set_tunnel64 as set_field (as Open vSwitch does from 1.2 on; a 1.3
 * peer's NXAST_SET_TUNNEL therefore reads as a plain set_field).  1.0 has
 * no set_field: a plain set_field of a tunnel field goes out as
 * NXAST_REG_LOAD there (and reads back as load:).  1.3 sends
 * tun_src/tun_dst as OXM of Nicira's class 1.  Other Nicira actions are BAD_ACTION_EXP_TYPE (1.0: BAD_VENDOR_TYPE); a
 * reg_load of any other field is BAD_SET_TYPE, of part of a tunnel field
 * BAD_ACTION_ARGUMENT (not supported).
 *
 * Errors on decode: lengths (BAD_ACTION_LEN, BAD_SET_LEN, BAD_INST_LEN),
 * unknown types (BAD_ACTION_TYPE, UNKNOWN_INST, BAD_SET_TYPE), vendor and
 * experimenter actions (BAD_ACTION_EXPERIMENTER, BAD_INST_EXPERIMENTER),
 * instructions we lack (meter: UNSUP_INST), a repeated instruction
 * (UNSUP_INST), bad output ports (BAD_OUT_PORT), bad arguments
 * (BAD_ACTION_ARGUMENT, BAD_SET_ARGUMENT), a masked or read-only
 * set_field (BAD_SET_ARGUMENT).  ofpacts_check() then checks the list
 * against the flow's match: set_field prerequisites (MATCH_INCONSISTENT;
 * push_vlan satisfies vlan_vid/vlan_pcp for what follows) and goto_table
 * forward only (BAD_INST_TABLE_ID).  The 1.0 rewrites (and their mod_*
 * spellings) are not checked, as 1.0 defines them as no-ops on packets
 * without the header; encoding a 1.0 set_vlan_vid/pcp to 1.3 for a flow
 * without a tag emits push_vlan first, as 1.0 defines.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/buf.h"
#include "vswitch/match.h"
#include "vswitch/ofp-errors.h"
#include "vswitch/ofp-match.h"

struct ds;

enum ofpact_type {
    OFPACT_OUTPUT,         /* port, max_len. */
    OFPACT_ENQUEUE,        /* port, id = queue (1.0). */
    OFPACT_SET_QUEUE,      /* id = queue (1.3). */
    OFPACT_GROUP,          /* id = group. */
    OFPACT_SET_FIELD,      /* field, value. */
    OFPACT_PUSH_VLAN,      /* id = ethertype. */
    OFPACT_POP_VLAN,       /* strip_vlan in 1.0. */
    OFPACT_DEC_NW_TTL,     /* -. */
    OFPACT_SET_NW_TTL,     /* id = ttl. */
    OFPACT_CLEAR_ACTIONS,  /* Instruction. */
    OFPACT_WRITE_ACTIONS,  /* Instruction; n_nested actions follow. */
    OFPACT_WRITE_METADATA, /* Instruction; metadata, metadata_mask. */
    OFPACT_GOTO_TABLE,     /* Instruction; table. */
};

/* How a set_field came (from the wire or text), kept so that it goes back
 * out and is printed the same way, as Open vSwitch keeps it. */
enum ofpact_raw {
    OFPACT_RAW_DEFAULT,      /* set_field (1.3), a 1.0 rewrite or mod_*. */
    OFPACT_RAW_SET_TUNNEL,   /* NXAST_SET_TUNNEL: set_tunnel:N. */
    OFPACT_RAW_SET_TUNNEL64, /* NXAST_SET_TUNNEL64: set_tunnel64:N. */
    OFPACT_RAW_REG_LOAD,     /* NXAST_REG_LOAD: load:N->NXM_NX_TUN_ID[]. */
};

struct ofpact {
    uint8_t type;      /* OFPACT_*. */
    uint8_t raw;       /* set_field: OFPACT_RAW_*. */
    uint8_t table;     /* goto_table. */
    uint16_t port;     /* output, enqueue (16-bit port form). */
    uint16_t max_len;  /* output to CONTROLLER. */
    uint16_t n_nested; /* write_actions: entries that follow. */
    uint32_t id;       /* queue, group, ethertype, ttl. */
    uint64_t metadata; /* write_metadata value. */
    uint64_t metadata_mask;
    bool legacy;        /* set_field from a 1.0 action or mod_*: no
                         * prerequisites; vlan_vid/pcp push a tag if the
                         * packet has none. */
    bool flow_has_vlan; /* Set by ofpacts_check(): a tag is present here. */
    const struct oxm_field *field; /* set_field. */
    uint8_t value[OXM_MAX_LEN];    /* set_field value, wire order. */
};

struct ofpacts {
    struct ofpact *a;
    size_t n, allocated;
};

void ofpacts_init(struct ofpacts *);
void ofpacts_uninit(struct ofpacts *);
void ofpacts_clear(struct ofpacts *);
void ofpacts_copy(struct ofpacts *dst, const struct ofpacts *src);
bool ofpacts_equal(const struct ofpacts *, const struct ofpacts *);
/* Appends a zeroed action of 'type' and returns it. */
struct ofpact *ofpacts_put(struct ofpacts *, enum ofpact_type);
/* Whether the list outputs to 'port' (OFPP_NONE: always true) / to group
 * 'group' (OFPG_ANY: always true), as FLOW_MOD/stats filters need. */
bool ofpacts_output_to_port(const struct ofpacts *, uint16_t port);
bool ofpacts_output_to_group(const struct ofpacts *, uint32_t group);

#define OFPG_MAX 0xffffff00u
#define OFPG_ALL 0xfffffffcu
#define OFPG_ANY 0xffffffffu

/* 1.0: decodes 'size' bytes of actions.  'match' (may be NULL) says what
 * set_tp_* rewrites. */
enum ofperr ofpacts_decode10(const uint8_t *p, size_t size,
                             const struct match *, struct ofpacts *);
/* 1.3: decodes an action list (the body of apply/write_actions or a
 * PACKET_OUT's actions), appending to 'out'. */
enum ofperr ofpacts_decode13_actions(const uint8_t *p, size_t size,
                                     struct ofpacts *out);
/* 1.3: decodes an instruction list. */
enum ofperr ofpacts_decode13_instructions(const uint8_t *p, size_t size,
                                          struct ofpacts *out);

/* Appends the list as 1.0 actions.  Returns 0 or the error for what 1.0
 * cannot say (instructions, groups, set_field of other fields). */
enum ofperr ofpacts_encode10(const struct ofpacts *, struct buf *);
/* Appends the actions alone (no instructions) as 1.3 actions. */
enum ofperr ofpacts_encode13_actions(const struct ofpacts *, struct buf *);
/* Appends the list as 1.3 instructions. */
enum ofperr ofpacts_encode13_instructions(const struct ofpacts *,
                                          struct buf *);

/* Checks 'acts' against 'match' for a flow in 'table_id' (255 if none):
 * MATCH_INCONSISTENT, BAD_INST_TABLE_ID or 0. */
enum ofperr ofpacts_check(struct ofpacts *, const struct match *,
                          uint8_t table_id, uint8_t n_tables);

/* Text.  ofpacts_parse() accepts what ovs-ofctl accepts after "actions="
 * for the actions above; 'match' (may be NULL) says what mod_tp_* sets.
 * Returns 0 or EINVAL with a malloc'd message in '*errorp'. */
int ofpacts_parse(const char *s, const struct match *, struct ofpacts *,
                  char **errorp);
/* Prints as ovs-ofctl prints the flow's actions decoded from 'version'
 * ("drop" if empty). */
void ofpacts_format(const struct ofpacts *, uint8_t version, struct ds *);

/* Helpers of the text parsers (actions, groups): an unsigned number in C
 * syntax no greater than 'max'; EINVAL with xasprintf(fmt, arg) in
 * '*errorp' when 'errorp' is not NULL. */
bool ofp_parse_uint(const char *s, uint64_t max, uint64_t *v);
int ofp_text_error(char **errorp, const char *fmt, const char *arg);

#endif /* VSWITCH_OFP_ACTIONS_H */
