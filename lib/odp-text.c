/* SPDX-License-Identifier: Apache-2.0 */
/* odp-text: the ovs-dpctl text form of datapath keys and masks.
 *
 * Printing walks the key attributes in order and prints each with its
 * mask: fields whose mask is zero are omitted, partial masks print as
 * "value/mask", attributes whose mask is entirely zero are omitted (except
 * Ethernet, which prints as "eth()", as ovs-dpctl does).
 * Parsing builds the key and mask attributes directly from the text, so
 * text -> attributes -> text reproduces the input. */

#include <arpa/inet.h>
#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/ds.h"
#include "vswitch/odp.h"
#include "odp-private.h"

enum fkind {
    FK_DEC,  /* Unsigned decimal (1, 2 or 4 bytes; network order). */
    FK_HEX,  /* Unsigned hex. */
    FK_IPV4, /* Dotted quad. */
    FK_IPV6, /* IPv6 address. */
    FK_ETH,  /* Ethernet address. */
    FK_FRAG, /* no/first/later. */
};

struct tfield {
    const char *name; /* Text name. */
    uint8_t ofs;      /* Offset in the attribute's struct. */
    uint8_t size;     /* Bytes. */
    enum fkind kind;  /* Text kind. */
};

struct tattr {
    unsigned int type;           /* OVS_KEY_ATTR_*. */
    const char *name;            /* Text name. */
    size_t size;                 /* Struct size. */
    const struct tfield *fields; /* NULL-name terminated. */
};

static const struct tfield eth_fields[] = {
    {"src", 0, 6, FK_ETH}, {"dst", 6, 6, FK_ETH}, {NULL, 0, 0, 0}};
static const struct tfield ipv4_fields[] = {
    {"src", 0, 4, FK_IPV4}, {"dst", 4, 4, FK_IPV4}, {"proto", 8, 1, FK_DEC},
    {"tos", 9, 1, FK_HEX},  {"ttl", 10, 1, FK_DEC}, {"frag", 11, 1, FK_FRAG},
    {NULL, 0, 0, 0}};
static const struct tfield ipv6_fields[] = {
    {"src", 0, 16, FK_IPV6},   {"dst", 16, 16, FK_IPV6},
    {"label", 32, 4, FK_HEX},  {"proto", 36, 1, FK_DEC},
    {"tclass", 37, 1, FK_HEX}, {"hlimit", 38, 1, FK_DEC},
    {"frag", 39, 1, FK_FRAG},  {NULL, 0, 0, 0}};
static const struct tfield ports_fields[] = {
    {"src", 0, 2, FK_DEC}, {"dst", 2, 2, FK_DEC}, {NULL, 0, 0, 0}};
static const struct tfield icmp_fields[] = {
    {"type", 0, 1, FK_DEC}, {"code", 1, 1, FK_DEC}, {NULL, 0, 0, 0}};
static const struct tfield arp_fields[] = {
    {"sip", 0, 4, FK_IPV4}, {"tip", 4, 4, FK_IPV4}, {"op", 8, 2, FK_DEC},
    {"sha", 10, 6, FK_ETH}, {"tha", 16, 6, FK_ETH}, {NULL, 0, 0, 0}};
static const struct tfield nd_fields[] = {{"target", 0, 16, FK_IPV6},
                                          {"sll", 16, 6, FK_ETH},
                                          {"tll", 22, 6, FK_ETH},
                                          {NULL, 0, 0, 0}};
/* Single-value attributes: one unnamed field. */
static const struct tfield u32_hex[] = {{"", 0, 4, FK_HEX}, {NULL, 0, 0, 0}};
static const struct tfield u32_dec[] = {{"", 0, 4, FK_DEC}, {NULL, 0, 0, 0}};
static const struct tfield be16_type[] = {{"", 0, 2, FK_HEX}, {NULL, 0, 0, 0}};

static const struct tattr tattrs[] = {
    {OVS_KEY_ATTR_PRIORITY, "skb_priority", 4, u32_hex},
    {OVS_KEY_ATTR_SKB_MARK, "skb_mark", 4, u32_hex},
    {OVS_KEY_ATTR_RECIRC_ID, "recirc_id", 4, u32_hex},
    {OVS_KEY_ATTR_DP_HASH, "dp_hash", 4, u32_hex},
    {OVS_KEY_ATTR_IN_PORT, "in_port", 4, u32_dec},
    {OVS_KEY_ATTR_ETHERTYPE, "eth_type", 2, be16_type},
    {OVS_KEY_ATTR_ETHERNET, "eth", 12, eth_fields},
    {OVS_KEY_ATTR_IPV4, "ipv4", 12, ipv4_fields},
    {OVS_KEY_ATTR_IPV6, "ipv6", 40, ipv6_fields},
    {OVS_KEY_ATTR_TCP, "tcp", 4, ports_fields},
    {OVS_KEY_ATTR_UDP, "udp", 4, ports_fields},
    {OVS_KEY_ATTR_SCTP, "sctp", 4, ports_fields},
    {OVS_KEY_ATTR_ICMP, "icmp", 2, icmp_fields},
    {OVS_KEY_ATTR_ICMPV6, "icmpv6", 2, icmp_fields},
    {OVS_KEY_ATTR_ARP, "arp", 24, arp_fields},
    {OVS_KEY_ATTR_ND, "nd", 28, nd_fields},
};

static const struct tattr *
tattr_by_type(unsigned int type)
{
    for (size_t i = 0; i < ARRAY_SIZE(tattrs); i++) {
        if (tattrs[i].type == type) {
            return &tattrs[i];
        }
    }
    return NULL;
}

static const struct tattr *
tattr_by_name(const char *name, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(tattrs); i++) {
        if (strlen(tattrs[i].name) == len
            && !strncmp(tattrs[i].name, name, len)) {
            return &tattrs[i];
        }
    }
    return NULL;
}

static uint64_t
get_be(const uint8_t *p, size_t size)
{
    uint64_t v = 0;

    for (size_t i = 0; i < size; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static void
put_be(uint8_t *p, size_t size, uint64_t v)
{
    for (size_t i = size; i-- > 0;) {
        p[i] = v & 0xff;
        v >>= 8;
    }
}

static bool
all_bytes(const uint8_t *p, size_t n, uint8_t b)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != b) {
            return false;
        }
    }
    return true;
}

static const char *const frag_names[] = {"no", "first", "later"};

static void
format_value(struct ds *ds, const struct tfield *f, const uint8_t *p,
             bool is_mask)
{
    switch (f->kind) {
    case FK_DEC:
        ds_put_format(ds, is_mask ? "%#" PRIx64 : "%" PRIu64,
                      get_be(p, f->size));
        break;
    case FK_HEX:
        if (f->size == 2 && !f->name[0]) {
            ds_put_format(ds, "0x%04" PRIx64, get_be(p, f->size));
        } else {
            ds_put_format(ds, "%#" PRIx64, get_be(p, f->size));
        }
        break;
    case FK_IPV4: {
        vs_be32 ip;

        memcpy(&ip, p, 4);
        flow_format_ipv4(ds, ip);
        break;
    }
    case FK_IPV6: {
        /* Masks print as addresses too: ovs-dpctl rejects "/len". */
        struct in6_addr a;

        memcpy(&a, p, 16);
        flow_format_ipv6(ds, &a);
        break;
    }
    case FK_ETH:
        flow_format_eth(ds, (const struct eth_addr *) p);
        break;
    case FK_FRAG:
        if (is_mask) {
            ds_put_format(ds, "%#x", p[0]);
        } else if (p[0] < ARRAY_SIZE(frag_names)) {
            ds_put_cstr(ds, frag_names[p[0]]);
        } else {
            ds_put_format(ds, "<error: %u>", p[0]);
        }
        break;
    }
}

/* Single-value attributes print host-order u32 values. */
static bool
is_u32_attr(const struct tattr *t)
{
    return t->fields == u32_hex || t->fields == u32_dec;
}

static void
format_struct(struct ds *ds, const struct tattr *t, const uint8_t *k,
              const uint8_t *m)
{
    bool first = true;
    uint8_t kk[64], mm[64];

    if (is_u32_attr(t)) {
        /* Host order in the attribute; print as a number. */
        uint32_t v;

        memcpy(&v, k, 4);
        put_be(kk, 4, v);
        k = kk;
        if (m) {
            memcpy(&v, m, 4);
            put_be(mm, 4, v);
            m = mm;
        }
    }
    ds_put_format(ds, "%s(", t->name);
    for (const struct tfield *f = t->fields; f->name; f++) {
        const uint8_t *fk = k + f->ofs, *fm = m ? m + f->ofs : NULL;

        if (fm) {
            if (f->kind == FK_FRAG ? !(fm[0] & 3)
                                   : all_bytes(fm, f->size, 0)) {
                continue;
            }
        }
        if (!first) {
            ds_put_char(ds, ',');
        }
        first = false;
        if (f->name[0]) {
            ds_put_format(ds, "%s=", f->name);
        }
        format_value(ds, f, fk, false);
        if (fm && !all_bytes(fm, f->size, 0xff)) {
            ds_put_char(ds, '/');
            format_value(ds, f, fm, true);
        }
    }
    ds_put_char(ds, ')');
}

static const char *const tcp_flag_names[] = {
    "fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns",
};

static void
format_tcp_flags(struct ds *ds, uint16_t v, const uint16_t *m)
{
    ds_put_cstr(ds, "tcp_flags(");
    if (!m || *m == TCP_FLAGS_MASK) {
        bool first = true;

        for (size_t i = 0; i < ARRAY_SIZE(tcp_flag_names); i++) {
            if (v & (1u << i)) {
                ds_put_format(ds, "%s%s", first ? "" : "|", tcp_flag_names[i]);
                first = false;
            }
        }
        if (first) {
            ds_put_format(ds, "%#x", v);
        }
    } else if (*m & ~0x1ff) {
        ds_put_format(ds, "%#x/%#x", v, *m);
    } else {
        for (size_t i = 0; i < ARRAY_SIZE(tcp_flag_names); i++) {
            if (*m & (1u << i)) {
                ds_put_format(ds, "%c%s", v & (1u << i) ? '+' : '-',
                              tcp_flag_names[i]);
            }
        }
    }
    ds_put_char(ds, ')');
}

static void
format_vlan(struct ds *ds, uint16_t tci, const uint16_t *mp)
{
    uint16_t m = mp ? *mp : 0xffff;
    unsigned int vid_m = m & VLAN_VID_MASK, pcp_m = m >> VLAN_PCP_SHIFT;
    bool first = true;

    ds_put_cstr(ds, "vlan(");
    if (vid_m) {
        ds_put_format(ds, "vid=%u", tci & VLAN_VID_MASK);
        if (vid_m != VLAN_VID_MASK) {
            ds_put_format(ds, "/%#x", vid_m);
        }
        first = false;
    }
    if (pcp_m) {
        ds_put_format(ds, "%spcp=%u", first ? "" : ",", tci >> VLAN_PCP_SHIFT);
        if (pcp_m != 7) {
            ds_put_format(ds, "/%#x", pcp_m);
        }
        first = false;
    }
    if (!(tci & VLAN_CFI) || !(m & VLAN_CFI)) {
        ds_put_format(ds, "%scfi=%d", first ? "" : ",", !!(tci & VLAN_CFI));
        if (!(m & VLAN_CFI)) {
            ds_put_cstr(ds, "/0");
        }
    }
    ds_put_char(ds, ')');
}

/* Tunnel: decoded to a flow_tnl plus which sub-attributes were present. */
static uint32_t
tunnel_presence(const void *data, size_t size)
{
    const struct nlattr *attr;
    uint32_t bits = 0;

    mnl_attr_for_each_payload(data, size)
    {
        if (mnl_attr_get_type(attr) < 32) {
            bits |= 1u << mnl_attr_get_type(attr);
        }
    }
    return bits;
}

static const char *const tnl_flag_names[] = {"df", "csum", "key", "oam"};

void
odp_format_tunnel(const void *data, size_t size, const void *mdata,
                  size_t msize, struct ds *ds)
{
    struct flow_tnl k, m;
    uint32_t kp = tunnel_presence(data, size);
    bool has_mask = mdata != NULL;
    char *err = NULL;
    bool first = true;

    if (odp_parse_tunnel(data, size, &k, false, &err)
        || (has_mask && odp_parse_tunnel(mdata, msize, &m, true, &err))) {
        ds_put_format(ds, "tunnel(<error: %s>)", err);
        free(err);
        return;
    }
    ds_put_cstr(ds, "tunnel(");
#define TNL_FIELD(ATTR, NAME, FIELD, FMT_FN)                                  \
    do {                                                                      \
        bool show = has_mask ? !all_bytes((const uint8_t *) &m.FIELD,         \
                                          sizeof m.FIELD, 0)                  \
                             : (kp & (1u << (ATTR))) != 0;                    \
        if (show) {                                                           \
            ds_put_format(ds, "%s%s=", first ? "" : ",", NAME);               \
            FMT_FN(k.FIELD);                                                  \
            if (has_mask                                                      \
                && !all_bytes((const uint8_t *) &m.FIELD, sizeof m.FIELD,     \
                              0xff)) {                                        \
                ds_put_char(ds, '/');                                         \
                FMT_FN(m.FIELD);                                              \
            }                                                                 \
            first = false;                                                    \
        }                                                                     \
    } while (0)
#define FMT_ID(V) ds_put_format(ds, "%#" PRIx64, (uint64_t) be64toh(V))
#define FMT_IP4(V) flow_format_ipv4(ds, V)
#define FMT_IP6(V) flow_format_ipv6(ds, &(V))
#define FMT_U8X(V) ds_put_format(ds, "%#x", V)
#define FMT_U8(V) ds_put_format(ds, "%u", V)
#define FMT_PORT(V) ds_put_format(ds, "%u", ntohs(V))
    TNL_FIELD(OVS_TUNNEL_KEY_ATTR_ID, "tun_id", tun_id, FMT_ID);
    TNL_FIELD(OVS_TUNNEL_KEY_ATTR_IPV4_SRC, "src", ip_src, FMT_IP4);
    TNL_FIELD(OVS_TUNNEL_KEY_ATTR_IPV4_DST, "dst", ip_dst, FMT_IP4);
    TNL_FIELD(OVS_TUNNEL_KEY_ATTR_IPV6_SRC, "ipv6_src", ipv6_src, FMT_IP6);
    TNL_FIELD(OVS_TUNNEL_KEY_ATTR_IPV6_DST, "ipv6_dst", ipv6_dst, FMT_IP6);
    TNL_FIELD(OVS_TUNNEL_KEY_ATTR_TOS, "tos", ip_tos, FMT_U8X);
    TNL_FIELD(OVS_TUNNEL_KEY_ATTR_TTL, "ttl", ip_ttl, FMT_U8);
    TNL_FIELD(OVS_TUNNEL_KEY_ATTR_TP_SRC, "tp_src", tp_src, FMT_PORT);
    TNL_FIELD(OVS_TUNNEL_KEY_ATTR_TP_DST, "tp_dst", tp_dst, FMT_PORT);
    {
        uint16_t fm = has_mask ? m.flags : FLOW_TNL_F_MASK;

        if (fm == FLOW_TNL_F_MASK && (k.flags || has_mask)) {
            bool f1 = true;

            ds_put_format(ds, "%sflags(", first ? "" : ",");
            for (size_t i = 0; i < ARRAY_SIZE(tnl_flag_names); i++) {
                if (k.flags & (1u << i)) {
                    ds_put_format(ds, "%s%s", f1 ? "" : "|",
                                  tnl_flag_names[i]);
                    f1 = false;
                }
            }
            ds_put_char(ds, ')');
        } else if (fm && fm != FLOW_TNL_F_MASK) {
            ds_put_format(ds, "%sflags(", first ? "" : ",");
            for (size_t i = 0; i < ARRAY_SIZE(tnl_flag_names); i++) {
                if (fm & (1u << i)) {
                    ds_put_format(ds, "%c%s", k.flags & (1u << i) ? '+' : '-',
                                  tnl_flag_names[i]);
                }
            }
            ds_put_char(ds, ')');
        }
    }
    ds_put_char(ds, ')');
}

static const struct nlattr *
find_attr(const void *data, size_t size, unsigned int type)
{
    const struct nlattr *attr;

    if (!data) {
        return NULL;
    }
    mnl_attr_for_each_payload(data, size)
    {
        if (mnl_attr_get_type(attr) == type) {
            return attr;
        }
    }
    return NULL;
}

static void format_list(const void *key, size_t key_size, const void *mask,
                        size_t mask_size, bool has_mask, struct ds *ds);

/* Formats key attribute 'a' with mask attribute 'ma' ('has_mask': a mask
 * list exists, so a missing 'ma' means fully wildcarded).  Returns false
 * if nothing was printed. */
static bool
format_attr(const struct nlattr *a, const struct nlattr *ma, bool has_mask,
            struct ds *ds)
{
    unsigned int type = mnl_attr_get_type(a);
    size_t len = mnl_attr_get_payload_len(a);
    const uint8_t *k = mnl_attr_get_payload(a);
    const uint8_t *m = ma ? mnl_attr_get_payload(ma) : NULL;
    size_t mlen = ma ? mnl_attr_get_payload_len(ma) : 0;
    const struct tattr *t = tattr_by_type(type);
    int want = odp_key_attr_len(type);

    if (has_mask && !ma) {
        return false;
    }
    if (ma && want >= 0 && mlen != len) {
        m = NULL;
    }
    if (want >= 0 && len != (size_t) want) {
        ds_put_format(ds, "%s(<error: bad length %zu>)",
                      odp_key_attr_name(type) ? odp_key_attr_name(type) : "?",
                      len);
        return true;
    }
    if (m && (want >= 0 || mlen == len) && all_bytes(m, mlen, 0)) {
        /* ovs-dpctl prints a wildcarded Ethernet attribute as "eth()": its
         * presence says the flow is an Ethernet flow, which the datapath
         * requires.  Other wildcarded attributes are left out, even those
         * we cannot decode (openvswitch.ko returns its conntrack fields,
         * all wildcarded, with every flow). */
        if (type == OVS_KEY_ATTR_ETHERNET) {
            ds_put_cstr(ds, "eth()");
            return true;
        }
        return false;
    }
    if (t) {
        format_struct(ds, t, k, m);
        return true;
    }
    switch (type) {
    case OVS_KEY_ATTR_VLAN: {
        uint16_t tci = (uint16_t) (k[0] << 8 | k[1]);
        uint16_t mv = 0;

        if (m) {
            mv = (uint16_t) (m[0] << 8 | m[1]);
        }
        format_vlan(ds, tci, m ? &mv : NULL);
        return true;
    }
    case OVS_KEY_ATTR_TCP_FLAGS: {
        uint16_t v = (uint16_t) (k[0] << 8 | k[1]), mv = 0;

        if (m) {
            mv = (uint16_t) (m[0] << 8 | m[1]);
        }
        format_tcp_flags(ds, v, m ? &mv : NULL);
        return true;
    }
    case OVS_KEY_ATTR_TUNNEL:
        odp_format_tunnel(k, len, m, mlen, ds);
        return true;
    case OVS_KEY_ATTR_ENCAP:
        ds_put_cstr(ds, "encap(");
        format_list(k, len, m, mlen, has_mask, ds);
        ds_put_char(ds, ')');
        return true;
    default:
        ds_put_format(ds, "key%u(", type);
        ds_put_hex(ds, k, len);
        ds_put_char(ds, ')');
        return true;
    }
}

void
odp_format_key_attr(const struct nlattr *a, const struct nlattr *ma,
                    struct ds *ds)
{
    format_attr(a, ma, false, ds);
}

static void
format_list(const void *key, size_t key_size, const void *mask,
            size_t mask_size, bool has_mask, struct ds *ds)
{
    const struct nlattr *attr;
    bool first = true;

    mnl_attr_for_each_payload(key, key_size)
    {
        const struct nlattr *ma =
            find_attr(mask, mask_size, mnl_attr_get_type(attr));
        size_t mark = ds->length;

        if (!first) {
            ds_put_char(ds, ',');
        }
        if (format_attr(attr, ma, has_mask, ds)) {
            first = false;
        } else {
            ds_truncate(ds, mark);
        }
    }
}

void
odp_key_format(const void *key, size_t key_size, const void *mask,
               size_t mask_size, struct ds *ds)
{
    void *k = odp_copy(key, key_size);
    void *m = mask ? odp_copy(mask, mask_size) : NULL;

    format_list(k, key_size, m, mask_size, mask != NULL, ds);
    free(k);
    free(m);
}

/* ---------------------------------------------------------------------- */
/* Parsing. */

struct parser {
    const char *s; /* Next character. */
    char **errorp; /* Error message. */
};

static void
skip_space(struct parser *p)
{
    while (isspace((unsigned char) *p->s)) {
        p->s++;
    }
}

static bool
eat(struct parser *p, char c)
{
    skip_space(p);
    if (*p->s == c) {
        p->s++;
        return true;
    }
    return false;
}

/* Reads a token up to one of 'stops' (or end) into a malloc'd string. */
static char *
token(struct parser *p, const char *stops)
{
    size_t n;

    skip_space(p);
    n = strcspn(p->s, stops);
    while (n && isspace((unsigned char) p->s[n - 1])) {
        n--;
    }
    {
        char *t = xstrndup(p->s, n);

        p->s += n;
        return t;
    }
}

static bool
parse_value(const struct tfield *f, const char *s, uint8_t *out, bool is_mask)
{
    switch (f->kind) {
    case FK_DEC:
    case FK_HEX: {
        char *end;
        unsigned long long v;
        uint64_t max =
            f->size >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * f->size)) - 1;

        if (!*s || *s == '-') {
            return false;
        }
        errno = 0;
        v = strtoull(s, &end, 0);
        if (errno || *end || v > max) {
            return false;
        }
        put_be(out, f->size, v);
        return true;
    }
    case FK_IPV4:
        return flow_parse_ipv4(s, (vs_be32 *) (void *) out);
    case FK_IPV6:
        if (is_mask && !strchr(s, ':')) {
            char *end;
            long len = strtol(s, &end, 10);

            if (!*s || *end || len < 0 || len > 128) {
                return false;
            }
            memset(out, 0, 16);
            for (long i = 0; i < len; i++) {
                out[i / 8] |= 0x80 >> (i % 8);
            }
            return true;
        }
        return flow_parse_ipv6(s, (struct in6_addr *) (void *) out);
    case FK_ETH:
        return flow_parse_eth(s, (struct eth_addr *) out);
    case FK_FRAG:
        if (is_mask) {
            struct tfield hex = {f->name, 0, 1, FK_HEX};

            return parse_value(&hex, s, out, false);
        }
        for (size_t i = 0; i < ARRAY_SIZE(frag_names); i++) {
            if (!strcmp(s, frag_names[i])) {
                out[0] = i;
                return true;
            }
        }
        return false;
    }
    return false;
}

/* Parses "v[/m]" for field 'f' into 'k' and 'm'. */
static int
parse_field_value(struct parser *p, const struct tfield *f, const char *attr,
                  uint8_t *k, uint8_t *m)
{
    char *v = token(p, ",)");
    char *slash = strchr(v, '/');
    bool ok;

    if (slash) {
        *slash++ = '\0';
        ok = parse_value(f, slash, m, true);
    } else {
        memset(m, 0xff, f->size);
        ok = true;
    }
    ok = ok && parse_value(f, v, k, false);
    if (!ok) {
        int error =
            odp_error(p->errorp, "%s: bad value for %s%s%s", attr,
                      f->name[0] ? f->name : "", f->name[0] ? "=" : "", v);
        free(v);
        return error;
    }
    free(v);
    return 0;
}

static int
parse_struct(struct parser *p, const struct tattr *t, struct odp_nlb *kb,
             struct odp_nlb *mb)
{
    uint8_t k[64], m[64];

    memset(k, 0, sizeof k);
    memset(m, 0, sizeof m);
    for (const struct tfield *f = t->fields; f->name; f++) {
        if (f->kind == FK_FRAG) {
            m[f->ofs] = 0xfc; /* Wildcarded fragment type. */
        }
    }
    if (!eat(p, ')')) {
        do {
            const struct tfield *f = NULL;
            int error;

            if (t->fields[0].name[0]) {
                char *name = token(p, "=,)");

                for (f = t->fields; f->name; f++) {
                    if (!strcmp(f->name, name)) {
                        break;
                    }
                }
                if (!f->name || !eat(p, '=')) {
                    error = odp_error(p->errorp, "%s: unknown field '%s'",
                                      t->name, name);
                    free(name);
                    return error;
                }
                free(name);
            } else {
                f = t->fields;
            }
            error = parse_field_value(p, f, t->name, k + f->ofs, m + f->ofs);
            if (error) {
                return error;
            }
        } while (eat(p, ','));
        if (!eat(p, ')')) {
            return odp_error(p->errorp, "%s: expected ')'", t->name);
        }
    }
    if (is_u32_attr(t)) {
        uint32_t v = get_be(k, 4), mv = get_be(m, 4);

        memcpy(k, &v, 4);
        memcpy(m, &mv, 4);
    }
    odp_nlb_put(kb, t->type, t->size, k);
    if (mb) {
        odp_nlb_put(mb, t->type, t->size, m);
    }
    return 0;
}

/* Parses "k=v[/m]" pairs of a small integer-valued attribute. */
static int
parse_kv_u(struct parser *p, const char *attr, char **name, uint64_t *v,
           uint64_t *m, uint64_t max)
{
    char *val, *slash, *end;

    *name = token(p, "=,)");
    if (!eat(p, '=')) {
        return odp_error(p->errorp, "%s: expected '=' after '%s'", attr,
                         *name);
    }
    val = token(p, ",)");
    slash = strchr(val, '/');
    *m = UINT64_MAX; /* No mask given. */
    errno = 0;
    if (slash) {
        *slash++ = '\0';
        *m = strtoull(slash, &end, 0);
        if (errno || *end || !*slash || *m > max) {
            goto bad;
        }
    }
    *v = strtoull(val, &end, 0);
    if (errno || *end || !*val || *v > max || val[0] == '-') {
        goto bad;
    }
    free(val);
    return 0;
bad:
    free(val);
    return odp_error(p->errorp, "%s: bad value for %s", attr, *name);
}

static int
parse_vlan(struct parser *p, struct odp_nlb *kb, struct odp_nlb *mb)
{
    uint16_t tci = VLAN_CFI, mask = VLAN_CFI;
    int error = 0;

    if (!eat(p, ')')) {
        do {
            char *name;
            uint64_t v = 0, m = 0;

            error = parse_kv_u(p, "vlan", &name, &v, &m, VLAN_VID_MASK);
            if (!error) {
                bool no_mask = m == UINT64_MAX;

                if (!strcmp(name, "vid")) {
                    m = no_mask ? VLAN_VID_MASK : m;
                    tci = (tci & ~VLAN_VID_MASK) | v;
                    mask = (mask & ~VLAN_VID_MASK) | m;
                } else if (!strcmp(name, "pcp") && v <= 7
                           && (no_mask || m <= 7)) {
                    m = no_mask ? 7 : m;
                    tci = (tci & ~VLAN_PCP_MASK) | v << VLAN_PCP_SHIFT;
                    mask = (mask & ~VLAN_PCP_MASK) | m << VLAN_PCP_SHIFT;
                } else if (!strcmp(name, "cfi") && v <= 1
                           && (no_mask || m <= 1)) {
                    m = no_mask ? 1 : m;
                    tci = (tci & ~VLAN_CFI) | (v ? VLAN_CFI : 0);
                    mask = (mask & ~VLAN_CFI) | (m ? VLAN_CFI : 0);
                } else {
                    error = odp_error(p->errorp, "vlan: bad field %s", name);
                }
            }
            free(name);
            if (error) {
                return error;
            }
        } while (eat(p, ','));
        if (!eat(p, ')')) {
            return odp_error(p->errorp, "vlan: expected ')'");
        }
    }
    tci = htons(tci);
    mask = htons(mask);
    odp_nlb_put(kb, OVS_KEY_ATTR_VLAN, 2, &tci);
    if (mb) {
        odp_nlb_put(mb, OVS_KEY_ATTR_VLAN, 2, &mask);
    }
    return 0;
}

static int
parse_flag_list(struct parser *p, const char *attr, const char *const *names,
                size_t n_names, uint16_t *v, uint16_t *m, uint16_t full)
{
    char *s = token(p, ")");
    const char *c = s;
    int error = 0;

    *v = *m = 0;
    if (!eat(p, ')')) {
        error = odp_error(p->errorp, "%s: expected ')'", attr);
        goto out;
    }
    if (isdigit((unsigned char) *c)) {
        char *end;
        unsigned long vv = strtoul(c, &end, 0), mm = full;

        if (*end == '/') {
            mm = strtoul(end + 1, &end, 0);
        }
        if (*end || vv > 0xffff || mm > 0xffff) {
            error = odp_error(p->errorp, "%s: bad value '%s'", attr, s);
        }
        *v = vv;
        *m = mm;
        goto out;
    }
    if (*c == '+' || *c == '-') {
        while (*c) {
            bool set = *c++ == '+';
            size_t n = strcspn(c, "+-"), i;

            for (i = 0; i < n_names; i++) {
                if (strlen(names[i]) == n && !strncmp(c, names[i], n)) {
                    break;
                }
            }
            if (i == n_names) {
                error =
                    odp_error(p->errorp, "%s: unknown flag in '%s'", attr, s);
                goto out;
            }
            *m |= 1u << i;
            *v |= set ? 1u << i : 0;
            c += n;
        }
        goto out;
    }
    *m = full;
    while (*c) {
        size_t n = strcspn(c, "|"), i;

        for (i = 0; i < n_names; i++) {
            if (strlen(names[i]) == n && !strncmp(c, names[i], n)) {
                break;
            }
        }
        if (i == n_names) {
            error = odp_error(p->errorp, "%s: unknown flag in '%s'", attr, s);
            goto out;
        }
        *v |= 1u << i;
        c += n + (c[n] == '|');
    }
out:
    free(s);
    return error;
}

static bool
parse_uint(const char *s, uint64_t max, uint64_t *v)
{
    char *end;

    if (!*s || *s == '-') {
        return false;
    }
    errno = 0;
    *v = strtoull(s, &end, 0);
    return !errno && !*end && *v <= max;
}

static bool
parse_be64(const char *s, vs_be64 *out)
{
    uint64_t v;

    if (!parse_uint(s, UINT64_MAX, &v)) {
        return false;
    }
    *out = htobe64(v);
    return true;
}

static bool
parse_u8(const char *s, uint8_t *out)
{
    uint64_t v;

    if (!parse_uint(s, UINT8_MAX, &v)) {
        return false;
    }
    *out = v;
    return true;
}

static bool
parse_port(const char *s, vs_be16 *out)
{
    uint64_t v;

    if (!parse_uint(s, UINT16_MAX, &v)) {
        return false;
    }
    *out = htons(v);
    return true;
}

static int
parse_tunnel(struct parser *p, struct odp_nlb *kb, struct odp_nlb *mb)
{
    struct flow_tnl k, m;
    struct nlattr *nest;
    bool flags_given = false;

    memset(&k, 0, sizeof k);
    memset(&m, 0, sizeof m);
    if (!eat(p, ')')) {
        do {
            char *name = token(p, "=(,)");
            char *v = NULL, *slash;
            bool ok = true;

            if (!strcmp(name, "flags")) {
                int error;

                free(name);
                if (!eat(p, '(')) {
                    return odp_error(p->errorp, "tunnel: expected flags(");
                }
                error = parse_flag_list(p, "tunnel flags", tnl_flag_names,
                                        ARRAY_SIZE(tnl_flag_names), &k.flags,
                                        &m.flags, FLOW_TNL_F_MASK);
                if (error) {
                    return error;
                }
                flags_given = true;
                continue;
            }
            if (!eat(p, '=')) {
                int error = odp_error(p->errorp,
                                      "tunnel: expected '=' after '%s'", name);
                free(name);
                return error;
            }
            v = token(p, ",)");
            slash = strchr(v, '/');
            if (slash) {
                *slash++ = '\0';
            }
#define TNL_PARSE(NAME, FIELD, PARSE)                                         \
    else if (!strcmp(name, NAME))                                             \
    {                                                                         \
        ok = PARSE(v, &k.FIELD);                                              \
        if (slash) {                                                          \
            ok = ok && PARSE(slash, &m.FIELD);                                \
        } else {                                                              \
            memset(&m.FIELD, 0xff, sizeof m.FIELD);                           \
        }                                                                     \
    }
            if (0) {
            }
            TNL_PARSE("tun_id", tun_id, parse_be64)
            TNL_PARSE("src", ip_src, flow_parse_ipv4)
            TNL_PARSE("dst", ip_dst, flow_parse_ipv4)
            TNL_PARSE("ipv6_src", ipv6_src, flow_parse_ipv6)
            TNL_PARSE("ipv6_dst", ipv6_dst, flow_parse_ipv6)
            TNL_PARSE("tos", ip_tos, parse_u8)
            TNL_PARSE("ttl", ip_ttl, parse_u8)
            TNL_PARSE("tp_src", tp_src, parse_port)
            TNL_PARSE("tp_dst", tp_dst, parse_port)
            else
            {
                ok = false;
            }
#undef TNL_PARSE
            if (!ok) {
                int error =
                    odp_error(p->errorp, "tunnel: bad field %s=%s", name, v);
                free(name);
                free(v);
                return error;
            }
            if (!strcmp(name, "tun_id")) {
                k.flags |= FLOW_TNL_F_KEY;
                m.flags |= FLOW_TNL_F_KEY;
            }
            free(name);
            free(v);
        } while (eat(p, ','));
        if (!eat(p, ')')) {
            return odp_error(p->errorp, "tunnel: expected ')'");
        }
    }
    (void) flags_given;
    nest = odp_nlb_nest_start(kb, OVS_KEY_ATTR_TUNNEL);
    odp_tunnel_to_nlb(kb, &k, &k, false);
    odp_nlb_nest_end(kb, nest);
    if (mb) {
        nest = odp_nlb_nest_start(mb, OVS_KEY_ATTR_TUNNEL);
        odp_tunnel_to_nlb(mb, &m, &k, true);
        odp_nlb_nest_end(mb, nest);
    }
    return 0;
}

static int parse_list(struct parser *p, struct odp_nlb *kb, struct odp_nlb *mb,
                      int depth);

static int
parse_attr(struct parser *p, struct odp_nlb *kb, struct odp_nlb *mb, int depth)
{
    const struct tattr *t;
    size_t n;
    const char *name;

    skip_space(p);
    name = p->s;
    n = strcspn(name, "(,) \t");
    p->s += n;
    if (!eat(p, '(')) {
        return odp_error(p->errorp, "expected '(' after '%.*s'", (int) n,
                         name);
    }
    if ((t = tattr_by_name(name, n))) {
        return parse_struct(p, t, kb, mb);
    } else if (n == 4 && !strncmp(name, "vlan", 4)) {
        return parse_vlan(p, kb, mb);
    } else if (n == 9 && !strncmp(name, "tcp_flags", 9)) {
        uint16_t v, m;
        int error = parse_flag_list(p, "tcp_flags", tcp_flag_names,
                                    ARRAY_SIZE(tcp_flag_names), &v, &m,
                                    TCP_FLAGS_MASK);
        if (error) {
            return error;
        }
        v = htons(v);
        m = htons(m);
        odp_nlb_put(kb, OVS_KEY_ATTR_TCP_FLAGS, 2, &v);
        if (mb) {
            odp_nlb_put(mb, OVS_KEY_ATTR_TCP_FLAGS, 2, &m);
        }
        return 0;
    } else if (n == 6 && !strncmp(name, "tunnel", 6)) {
        return parse_tunnel(p, kb, mb);
    } else if (n == 5 && !strncmp(name, "encap", 5)) {
        struct nlattr *kn, *mn = NULL;
        int error;

        if (depth >= 4) {
            return odp_error(p->errorp, "encap: nested too deeply");
        }
        kn = odp_nlb_nest_start(kb, OVS_KEY_ATTR_ENCAP);
        if (mb) {
            mn = odp_nlb_nest_start(mb, OVS_KEY_ATTR_ENCAP);
        }
        if (!eat(p, ')')) {
            error = parse_list(p, kb, mb, depth + 1);
            if (error) {
                return error;
            }
            if (!eat(p, ')')) {
                return odp_error(p->errorp, "encap: expected ')'");
            }
        }
        odp_nlb_nest_end(kb, kn);
        if (mb) {
            odp_nlb_nest_end(mb, mn);
        }
        return 0;
    }
    return odp_error(p->errorp, "unknown key attribute '%.*s'", (int) n, name);
}

static int
parse_list(struct parser *p, struct odp_nlb *kb, struct odp_nlb *mb, int depth)
{
    do {
        int error = parse_attr(p, kb, mb, depth);

        if (error) {
            return error;
        }
    } while (eat(p, ','));
    return 0;
}

int
odp_key_parse(const char *s, struct buf *key, struct buf *mask, char **errorp)
{
    struct parser p = {s, errorp};
    struct odp_nlb *kb = xmalloc(sizeof *kb);
    struct odp_nlb *mb = mask ? xmalloc(sizeof *mb) : NULL;
    int error = 0;

    if (errorp) {
        *errorp = NULL;
    }
    odp_nlb_init(kb);
    if (mb) {
        odp_nlb_init(mb);
    }
    skip_space(&p);
    if (*p.s) {
        error = parse_list(&p, kb, mb, 0);
    }
    skip_space(&p);
    if (!error && *p.s) {
        error = odp_error(errorp, "unexpected text '%s'", p.s);
    }
    if (!error && (kb->overflow || (mb && mb->overflow))) {
        error = odp_error(errorp, "key too long");
    }
    if (!error) {
        odp_nlb_to_buf(kb, key);
        if (mb) {
            odp_nlb_to_buf(mb, mask);
        }
    }
    free(kb);
    free(mb);
    return error;
}
