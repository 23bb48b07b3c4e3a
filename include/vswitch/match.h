/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_MATCH_H
#define VSWITCH_MATCH_H 1

/*
 * match: a flow with wildcards, i.e. a set of packets.
 *
 * 'wc' has the layout of 'struct flow' (flow.h); a 1 bit in 'wc' means the
 * packet's bit must equal the bit in 'flow', a 0 bit means "any".
 * Invariant: 'flow' is always masked (flow & ~wc == 0), so two matches that
 * select the same packets compare equal byte for byte and hash alike.
 *
 * Text: match_parse() and match_format() speak the ovs-ofctl match syntax
 * ("tcp,in_port=1,nw_dst=10.0.0.0/24,tp_dst=80"), see match-text.c; the
 * field names come from one table (match_fields[]) that gives each field's
 * offset and size in struct flow, its text kind and its prerequisites.
 *
 * Thread-safety: functions touch only their arguments.
 */

#include <stdbool.h>
#include <stdint.h>
#include "vswitch/flow.h"

struct ds;

struct match {
    struct flow flow;  /* Values, masked by 'wc'. */
    struct flow wc;    /* Mask: 1 bits are matched. */
};

/* Matches every packet. */
void match_init_catchall(struct match *);
/* Matches packets equal to 'flow' on the 1 bits of 'mask'. */
void match_init(struct match *, const struct flow *flow,
                const struct flow *mask);
/* Matches only 'flow' exactly (every field). */
void match_init_exact(struct match *, const struct flow *flow);

bool match_equal(const struct match *, const struct match *);
uint64_t match_hash(const struct match *, uint64_t basis);
/* Whether 'flow' is one of 'match''s packets. */
bool match_matches_flow(const struct match *, const struct flow *);
/* Whether every packet of 'a' is also a packet of 'b' (a is at least as
 * specific as b). */
bool match_is_subset(const struct match *a, const struct match *b);
/* Intersects 'a' and 'b' into 'dst' (may alias 'a').  Returns false if they
 * share no packet ('dst' is then unspecified). */
bool match_combine(struct match *dst, const struct match *a,
                   const struct match *b);
/* Narrows 'match' by also requiring the bits of 'mask' (flow stays
 * masked). */
void match_mask(struct match *, const struct flow *mask);

/* Sets the bytes of field at 'ofs' ('size' bytes) to 'value' & 'mask'. */
void match_set_field(struct match *, size_t ofs, size_t size,
                     const void *value, const void *mask);

/* Field descriptions for the text syntax. */
enum match_field_kind {
    MF_KIND_DEC,     /* Decimal integer (host order in the flow). */
    MF_KIND_HEX,     /* Hex integer, printed 0x... (host order). */
    MF_KIND_BE_DEC,  /* Decimal, network order in the flow. */
    MF_KIND_BE_HEX,  /* Hex, network order. */
    MF_KIND_ETH,     /* Ethernet address. */
    MF_KIND_IPV4,    /* IPv4 address, /len or /mask. */
    MF_KIND_IPV6,    /* IPv6 address, /len or /mask. */
    MF_KIND_SPECIAL, /* Handled by name (vlan, frag, flags, ...). */
};

struct match_field {
    const char *name;            /* ovs-ofctl name. */
    uint16_t ofs;                /* Byte offset in struct flow. */
    uint8_t size;                /* Bytes. */
    enum match_field_kind kind;  /* Text kind. */
    uint64_t max;                /* Largest value for integer kinds. */
};

/* The table, terminated by a NULL name. */
extern const struct match_field match_fields[];
const struct match_field *match_field_by_name(const char *name);

/* Parses 'text' in the ovs-ofctl match syntax into 'match'.  Returns 0, or
 * EINVAL with a malloc'd message in '*errorp' (the caller frees it). */
int match_parse(struct match *match, const char *text, char **errorp);
/* Appends 'match' in the ovs-ofctl syntax ("" -> nothing for catch-all;
 * callers print "priority=..." themselves). */
void match_format(const struct match *, struct ds *);

#endif /* VSWITCH_MATCH_H */
