/* SPDX-License-Identifier: Apache-2.0 */
/* match-text: the ovs-ofctl match syntax, parsed and printed.
 *
 * "tcp,in_port=1,dl_src=00:11:22:33:44:55,nw_dst=10.0.0.0/24,tp_dst=80".
 * Fields are "name=value[/mask]" separated by commas (or spaces);
 * shorthands (ip, tcp, arp, icmp6, ...) set dl_type and nw_proto.  The
 * printed form follows ovs-ofctl's field order and spellings so that the
 * output of either tool reads the same. */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/match.h"

#define F(NAME, MEMBER, KIND, MAX)                                            \
    {                                                                         \
        NAME, offsetof(struct flow, MEMBER),                                  \
            sizeof(((struct flow *) 0)->MEMBER), KIND, MAX                    \
    }
#define REG(N)                                                                \
    {                                                                         \
        "reg" #N, offsetof(struct flow, regs) + 4 * (N), 4, MF_KIND_HEX,      \
            UINT32_MAX                                                        \
    }

/* OpenFlow 1.0's LOCAL port as ovs-ofctl spells it. */
#define OFPP_LOCAL_PORT 65534

const struct match_field match_fields[] = {
    F("recirc_id", recirc_id, MF_KIND_HEX, UINT32_MAX),
    F("pkt_mark", skb_mark, MF_KIND_HEX, UINT32_MAX),
    F("dp_hash", dp_hash, MF_KIND_HEX, UINT32_MAX),
    F("skb_priority", skb_priority, MF_KIND_HEX, UINT32_MAX),
    REG(0),
    REG(1),
    REG(2),
    REG(3),
    REG(4),
    REG(5),
    REG(6),
    REG(7),
    F("tun_id", tunnel.tun_id, MF_KIND_BE_HEX, UINT64_MAX),
    F("tun_src", tunnel.ip_src, MF_KIND_IPV4, 0),
    F("tun_dst", tunnel.ip_dst, MF_KIND_IPV4, 0),
    F("tun_ipv6_src", tunnel.ipv6_src, MF_KIND_IPV6, 0),
    F("tun_ipv6_dst", tunnel.ipv6_dst, MF_KIND_IPV6, 0),
    F("tun_tos", tunnel.ip_tos, MF_KIND_DEC, UINT8_MAX),
    F("tun_ttl", tunnel.ip_ttl, MF_KIND_DEC, UINT8_MAX),
    F("tun_flags", tunnel.flags, MF_KIND_SPECIAL, 0),
    F("metadata", metadata, MF_KIND_HEX, UINT64_MAX),
    F("in_port", in_port, MF_KIND_SPECIAL, UINT32_MAX),
    F("vlan_tci", vlans[0].tci, MF_KIND_SPECIAL, 0),
    F("dl_vlan", vlans[0].tci, MF_KIND_SPECIAL, 0),
    F("dl_vlan_pcp", vlans[0].tci, MF_KIND_SPECIAL, 0),
    F("dl_src", dl_src, MF_KIND_ETH, 0),
    F("dl_dst", dl_dst, MF_KIND_ETH, 0),
    F("dl_type", dl_type, MF_KIND_BE_HEX, UINT16_MAX),
    F("ipv6_src", ipv6_src, MF_KIND_IPV6, 0),
    F("ipv6_dst", ipv6_dst, MF_KIND_IPV6, 0),
    F("ipv6_label", ipv6_label, MF_KIND_BE_HEX, 0xfffff),
    F("nw_src", nw_src, MF_KIND_IPV4, 0),
    F("nw_dst", nw_dst, MF_KIND_IPV4, 0),
    F("arp_spa", nw_src, MF_KIND_IPV4, 0),
    F("arp_tpa", nw_dst, MF_KIND_IPV4, 0),
    F("nw_proto", nw_proto, MF_KIND_DEC, UINT8_MAX),
    F("arp_op", nw_proto, MF_KIND_DEC, UINT8_MAX),
    F("nw_tos", nw_tos, MF_KIND_SPECIAL, 0),
    F("ip_dscp", nw_tos, MF_KIND_SPECIAL, 0),
    F("nw_ecn", nw_tos, MF_KIND_SPECIAL, 0),
    F("nw_ttl", nw_ttl, MF_KIND_DEC, UINT8_MAX),
    F("nw_frag", nw_frag, MF_KIND_SPECIAL, 0),
    F("arp_sha", arp_sha, MF_KIND_ETH, 0),
    F("arp_tha", arp_tha, MF_KIND_ETH, 0),
    F("tp_src", tp_src, MF_KIND_BE_DEC, UINT16_MAX),
    F("tp_dst", tp_dst, MF_KIND_BE_DEC, UINT16_MAX),
    F("icmp_type", tp_src, MF_KIND_BE_DEC, UINT8_MAX),
    F("icmp_code", tp_dst, MF_KIND_BE_DEC, UINT8_MAX),
    F("icmpv6_type", tp_src, MF_KIND_BE_DEC, UINT8_MAX),
    F("icmpv6_code", tp_dst, MF_KIND_BE_DEC, UINT8_MAX),
    F("tcp_flags", tcp_flags, MF_KIND_SPECIAL, 0),
    F("nd_target", nd_target, MF_KIND_IPV6, 0),
    F("nd_sll", arp_sha, MF_KIND_ETH, 0),
    F("nd_tll", arp_tha, MF_KIND_ETH, 0),
    {NULL, 0, 0, 0, 0},
};

const struct match_field *
match_field_by_name(const char *name)
{
    for (const struct match_field *f = match_fields; f->name; f++) {
        if (!strcmp(f->name, name)) {
            return f;
        }
    }
    return NULL;
}

static const char *const tcp_flag_names[] = {
    "fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns",
};

static const struct {
    const char *name; /* Shorthand. */
    uint16_t dl_type; /* Ethertype it implies. */
    int nw_proto;     /* IP protocol it implies, -1 if none. */
} shorthands[] = {
    {"ip", ETH_TYPE_IP, -1},       {"ipv6", ETH_TYPE_IPV6, -1},
    {"tcp", ETH_TYPE_IP, 6},       {"udp", ETH_TYPE_IP, 17},
    {"sctp", ETH_TYPE_IP, 132},    {"icmp", ETH_TYPE_IP, 1},
    {"tcp6", ETH_TYPE_IPV6, 6},    {"udp6", ETH_TYPE_IPV6, 17},
    {"sctp6", ETH_TYPE_IPV6, 132}, {"icmp6", ETH_TYPE_IPV6, 58},
    {"arp", ETH_TYPE_ARP, -1},     {"rarp", 0x8035, -1},
};

/* ---------------------------------------------------------------------- */
/* Integers in host order of any size up to 8 bytes. */

static uint64_t
get_uint(const void *p, size_t size, bool be)
{
    const uint8_t *b = p;
    uint64_t v = 0;

    if (be) {
        for (size_t i = 0; i < size; i++) {
            v = (v << 8) | b[i];
        }
    } else {
        memcpy(&v, p, size); /* Little-endian host. */
    }
    return v;
}

static void
put_uint(void *p, size_t size, bool be, uint64_t v)
{
    uint8_t *b = p;

    if (be) {
        for (size_t i = size; i-- > 0;) {
            b[i] = v & 0xff;
            v >>= 8;
        }
    } else {
        memcpy(p, &v, size);
    }
}

static bool
parse_u64(const char *s, uint64_t max, uint64_t *v)
{
    char *end;

    if (!*s || *s == '-' || isspace((unsigned char) *s)) {
        return false;
    }
    errno = 0;
    *v = strtoull(s, &end, 0);
    return !errno && !*end && *v <= max;
}

/* ---------------------------------------------------------------------- */
/* Parsing. */

static int
parse_error(char **errorp, const char *fmt, const char *a, const char *b)
{
    if (errorp) {
        *errorp = xasprintf(fmt, a, b);
    }
    return EINVAL;
}

static bool
parse_ipv4_masked(const char *s, vs_be32 *ip, vs_be32 *mask)
{
    char *copy = xstrdup(s), *slash = strchr(copy, '/');
    bool ok;

    *mask = 0xffffffff;
    if (slash) {
        uint64_t len;

        *slash++ = '\0';
        if (strchr(slash, '.')) {
            ok = flow_parse_ipv4(slash, mask);
        } else if ((ok = parse_u64(slash, 32, &len))) {
            *mask = len ? htonl(~0u << (32 - len)) : 0;
        }
        if (!ok) {
            goto out;
        }
    }
    ok = flow_parse_ipv4(copy, ip);
out:
    free(copy);
    return ok;
}

static bool
parse_ipv6_masked(const char *s, struct in6_addr *ip, struct in6_addr *mask)
{
    char *copy = xstrdup(s), *slash = strchr(copy, '/');
    bool ok;

    memset(mask, 0xff, sizeof *mask);
    if (slash) {
        uint64_t len;

        *slash++ = '\0';
        if (strchr(slash, ':')) {
            ok = flow_parse_ipv6(slash, mask);
        } else if ((ok = parse_u64(slash, 128, &len))) {
            memset(mask, 0, sizeof *mask);
            for (unsigned int i = 0; i < len; i++) {
                mask->s6_addr[i / 8] |= 0x80 >> (i % 8);
            }
        }
        if (!ok) {
            goto out;
        }
    }
    ok = flow_parse_ipv6(copy, ip);
out:
    free(copy);
    return ok;
}

static bool
parse_eth_masked(const char *s, struct eth_addr *ea, struct eth_addr *mask)
{
    char *copy = xstrdup(s), *slash = strchr(copy, '/');
    bool ok = true;

    memset(mask, 0xff, sizeof *mask);
    if (slash) {
        *slash++ = '\0';
        ok = flow_parse_eth(slash, mask);
    }
    ok = ok && flow_parse_eth(copy, ea);
    free(copy);
    return ok;
}

static bool
parse_int_masked(const char *s, uint64_t max, uint64_t *v, uint64_t *m)
{
    char *copy = xstrdup(s), *slash = strchr(copy, '/');
    bool ok = true;

    *m = max;
    if (slash) {
        *slash++ = '\0';
        ok = parse_u64(slash, max, m);
    }
    ok = ok && parse_u64(copy, max, v);
    free(copy);
    return ok;
}

static bool
parse_tcp_flags(const char *s, uint16_t *v, uint16_t *m)
{
    *v = *m = 0;
    if (*s == '+' || *s == '-') {
        while (*s) {
            bool set = *s++ == '+';
            size_t n = strcspn(s, "+-");
            size_t i;

            for (i = 0; i < ARRAY_SIZE(tcp_flag_names); i++) {
                if (strlen(tcp_flag_names[i]) == n
                    && !strncmp(s, tcp_flag_names[i], n)) {
                    break;
                }
            }
            if (i == ARRAY_SIZE(tcp_flag_names) || (*m & (1u << i))) {
                return false;
            }
            *m |= 1u << i;
            *v |= set ? 1u << i : 0;
            s += n;
        }
        return true;
    }
    if (isdigit((unsigned char) *s)) {
        uint64_t vv, mm;

        if (!parse_int_masked(s, TCP_FLAGS_MASK, &vv, &mm)) {
            return false;
        }
        *v = vv & mm;
        *m = mm;
        return true;
    }
    /* syn|ack: exact. */
    *m = TCP_FLAGS_MASK;
    while (*s) {
        size_t n = strcspn(s, "|");
        size_t i;

        for (i = 0; i < ARRAY_SIZE(tcp_flag_names); i++) {
            if (strlen(tcp_flag_names[i]) == n
                && !strncmp(s, tcp_flag_names[i], n)) {
                break;
            }
        }
        if (i == ARRAY_SIZE(tcp_flag_names)) {
            return false;
        }
        *v |= 1u << i;
        s += n + (s[n] == '|');
    }
    return true;
}

static const char *const tnl_flag_names[] = {"df", "csum", "key", "oam"};

static bool
parse_tnl_flags(const char *s, uint16_t *v, uint16_t *m)
{
    *v = *m = 0;
    while (*s) {
        bool set = *s != '-';
        size_t n, i;

        s += *s == '+' || *s == '-';
        n = strcspn(s, "+-|");
        for (i = 0; i < ARRAY_SIZE(tnl_flag_names); i++) {
            if (strlen(tnl_flag_names[i]) == n
                && !strncmp(s, tnl_flag_names[i], n)) {
                break;
            }
        }
        if (i == ARRAY_SIZE(tnl_flag_names)) {
            return false;
        }
        *m |= 1u << i;
        *v |= set ? 1u << i : 0;
        s += n + (s[n] == '|');
    }
    return true;
}

static int
parse_special(struct match *match, const struct match_field *f,
              const char *value, char **errorp)
{
    struct flow *fl = &match->flow, *wc = &match->wc;
    uint64_t v, m;

    if (!strcmp(f->name, "in_port")) {
        if (!strcmp(value, "LOCAL")) {
            v = OFPP_LOCAL_PORT;
        } else if (!parse_u64(value, UINT32_MAX, &v)) {
            goto bad;
        }
        fl->in_port = v;
        wc->in_port = UINT32_MAX;
    } else if (!strcmp(f->name, "vlan_tci")) {
        if (!parse_int_masked(value, UINT16_MAX, &v, &m)) {
            goto bad;
        }
        wc->vlans[0].tci = htons(m);
        fl->vlans[0].tci = htons(v & m);
    } else if (!strcmp(f->name, "dl_vlan")) {
        if (!parse_u64(value, UINT16_MAX, &v)
            || (v > VLAN_VID_MASK && v != 0xffff)) {
            goto bad;
        }
        if (v == 0xffff) {
            /* No VLAN header. */
            wc->vlans[0].tci = 0xffff;
            fl->vlans[0].tci = 0;
        } else {
            uint16_t tci = ntohs(fl->vlans[0].tci) & ~VLAN_VID_MASK;

            wc->vlans[0].tci |= htons(VLAN_VID_MASK | VLAN_CFI);
            fl->vlans[0].tci = htons(tci | v | VLAN_CFI);
        }
    } else if (!strcmp(f->name, "dl_vlan_pcp")) {
        uint16_t tci = ntohs(fl->vlans[0].tci) & ~VLAN_PCP_MASK;

        if (!parse_u64(value, 7, &v)) {
            goto bad;
        }
        wc->vlans[0].tci |= htons(VLAN_PCP_MASK | VLAN_CFI);
        fl->vlans[0].tci = htons(tci | (v << VLAN_PCP_SHIFT) | VLAN_CFI);
    } else if (!strcmp(f->name, "nw_tos")) {
        if (!parse_u64(value, 255, &v)) {
            goto bad;
        }
        wc->nw_tos |= IP_DSCP_MASK;
        fl->nw_tos = (fl->nw_tos & ~IP_DSCP_MASK) | (v & IP_DSCP_MASK);
    } else if (!strcmp(f->name, "ip_dscp")) {
        if (!parse_u64(value, 63, &v)) {
            goto bad;
        }
        wc->nw_tos |= IP_DSCP_MASK;
        fl->nw_tos = (fl->nw_tos & ~IP_DSCP_MASK) | (v << 2);
    } else if (!strcmp(f->name, "nw_ecn")) {
        if (!parse_u64(value, 3, &v)) {
            goto bad;
        }
        wc->nw_tos |= IP_ECN_MASK;
        fl->nw_tos = (fl->nw_tos & ~IP_ECN_MASK) | v;
    } else if (!strcmp(f->name, "nw_frag")) {
        static const struct {
            const char *name;
            uint8_t v, m;
        } frags[] = {
            {"no", 0, FLOW_NW_FRAG_ANY},
            {"yes", FLOW_NW_FRAG_ANY, FLOW_NW_FRAG_ANY},
            {"first", FLOW_NW_FRAG_ANY, FLOW_NW_FRAG_MASK},
            {"later", FLOW_NW_FRAG_MASK, FLOW_NW_FRAG_MASK},
            {"not_later", 0, FLOW_NW_FRAG_LATER},
        };
        size_t i;

        for (i = 0; i < ARRAY_SIZE(frags); i++) {
            if (!strcmp(value, frags[i].name)) {
                fl->nw_frag = frags[i].v;
                wc->nw_frag = frags[i].m;
                break;
            }
        }
        if (i == ARRAY_SIZE(frags)) {
            goto bad;
        }
    } else if (!strcmp(f->name, "tcp_flags")) {
        uint16_t fv, fm;

        if (!parse_tcp_flags(value, &fv, &fm)) {
            goto bad;
        }
        fl->tcp_flags = htons(fv & fm);
        wc->tcp_flags = htons(fm);
    } else if (!strcmp(f->name, "tun_flags")) {
        uint16_t fv, fm;

        if (!parse_tnl_flags(value, &fv, &fm)) {
            goto bad;
        }
        fl->tunnel.flags = fv & fm;
        wc->tunnel.flags = fm;
    }
    return 0;

bad:
    return parse_error(errorp, "%s: bad value for %s", value, f->name);
}

static int
parse_field(struct match *match, const struct match_field *f,
            const char *value, char **errorp)
{
    uint8_t v[16], m[16];
    uint64_t iv, im;

    switch (f->kind) {
    case MF_KIND_DEC:
    case MF_KIND_HEX:
    case MF_KIND_BE_DEC:
    case MF_KIND_BE_HEX: {
        bool be = f->kind == MF_KIND_BE_DEC || f->kind == MF_KIND_BE_HEX;

        if (!parse_int_masked(value, f->max, &iv, &im)) {
            return parse_error(errorp, "%s: bad value for %s", value, f->name);
        }
        if (!strchr(value, '/') && f->max != 0xfffff) {
            /* Exact: the whole storage (icmp_type lives in 16 bits). */
            im =
                f->size == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * f->size)) - 1;
        }
        put_uint(v, f->size, be, iv);
        put_uint(m, f->size, be, im);
        break;
    }
    case MF_KIND_ETH:
        if (!parse_eth_masked(value, (struct eth_addr *) v,
                              (struct eth_addr *) m)) {
            return parse_error(errorp, "%s: bad Ethernet address for %s",
                               value, f->name);
        }
        break;
    case MF_KIND_IPV4:
        if (!parse_ipv4_masked(value, (vs_be32 *) v, (vs_be32 *) m)) {
            return parse_error(errorp, "%s: bad IPv4 address for %s", value,
                               f->name);
        }
        break;
    case MF_KIND_IPV6:
        if (!parse_ipv6_masked(value, (struct in6_addr *) v,
                               (struct in6_addr *) m)) {
            return parse_error(errorp, "%s: bad IPv6 address for %s", value,
                               f->name);
        }
        break;
    case MF_KIND_SPECIAL:
    default:
        return parse_special(match, f, value, errorp);
    }
    match_set_field(match, f->ofs, f->size, v, m);
    return 0;
}

int
match_parse(struct match *match, const char *text, char **errorp)
{
    char *copy = xstrdup(text), *save = NULL, *tok;
    int error = 0;

    if (errorp) {
        *errorp = NULL;
    }
    match_init_catchall(match);
    for (tok = strtok_r(copy, ", \t", &save); tok;
         tok = strtok_r(NULL, ", \t", &save)) {
        char *eq = strchr(tok, '=');
        const struct match_field *f;
        size_t i;

        if (!eq) {
            for (i = 0; i < ARRAY_SIZE(shorthands); i++) {
                if (!strcmp(tok, shorthands[i].name)) {
                    match->flow.dl_type = htons(shorthands[i].dl_type);
                    match->wc.dl_type = 0xffff;
                    if (shorthands[i].nw_proto >= 0) {
                        match->flow.nw_proto = shorthands[i].nw_proto;
                        match->wc.nw_proto = 0xff;
                    }
                    break;
                }
            }
            if (i == ARRAY_SIZE(shorthands)) {
                error = parse_error(errorp, "%s: unknown keyword%s", tok, "");
                goto out;
            }
            continue;
        }
        *eq = '\0';
        f = match_field_by_name(tok);
        if (!f) {
            error = parse_error(errorp, "%s: unknown field%s", tok, "");
            goto out;
        }
        error = parse_field(match, f, eq + 1, errorp);
        if (error) {
            goto out;
        }
    }
out:
    free(copy);
    return error;
}

/* ---------------------------------------------------------------------- */
/* Formatting. */

static bool
bytes_all(const uint8_t *p, size_t n, uint8_t b)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != b) {
            return false;
        }
    }
    return true;
}

static void
format_ipv4_masked(struct ds *ds, vs_be32 v, vs_be32 m)
{
    flow_format_ipv4(ds, v);
    if (m != 0xffffffff) {
        uint32_t hm = ntohl(m);

        /* CIDR when the inverted mask is 2^k - 1. */
        if (hm && !((~hm) & ((~hm) + 1))) {
            ds_put_format(ds, "/%d", 32 - __builtin_ctz(hm));
        } else {
            ds_put_char(ds, '/');
            flow_format_ipv4(ds, m);
        }
    }
}

static int
ipv6_cidr_len(const struct in6_addr *m)
{
    int len = 0, i;

    for (i = 0; i < 16 && m->s6_addr[i] == 0xff; i++) {
        len += 8;
    }
    if (i < 16) {
        uint8_t b = m->s6_addr[i];
        int ones = 0;

        while (b & 0x80) {
            ones++;
            b <<= 1;
        }
        if (b) {
            return -1;
        }
        len += ones;
        for (i++; i < 16; i++) {
            if (m->s6_addr[i]) {
                return -1;
            }
        }
    }
    return len;
}

static void
format_field(struct ds *ds, const struct match *match,
             const struct match_field *f, const char *name)
{
    const uint8_t *v = (const uint8_t *) &match->flow + f->ofs;
    const uint8_t *m = (const uint8_t *) &match->wc + f->ofs;

    if (bytes_all(m, f->size, 0)) {
        return;
    }
    ds_put_format(ds, "%s=", name ? name : f->name);
    switch (f->kind) {
    case MF_KIND_DEC:
    case MF_KIND_HEX:
    case MF_KIND_BE_DEC:
    case MF_KIND_BE_HEX: {
        bool be = f->kind == MF_KIND_BE_DEC || f->kind == MF_KIND_BE_HEX;
        bool hex = f->kind == MF_KIND_HEX || f->kind == MF_KIND_BE_HEX;
        uint64_t iv = get_uint(v, f->size, be), im = get_uint(m, f->size, be);
        uint64_t full =
            f->size == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * f->size)) - 1;

        if (im == full) {
            if (!strcmp(f->name, "dl_type")) {
                ds_put_format(ds, "0x%04" PRIx64, iv);
            } else if (!strcmp(f->name, "ipv6_label")) {
                ds_put_format(ds, "0x%05" PRIx64, iv);
            } else {
                ds_put_format(ds, hex ? "%#" PRIx64 : "%" PRIu64, iv);
            }
        } else if (!strcmp(f->name, "ipv6_label") && im == 0xfffff) {
            ds_put_format(ds, "0x%05" PRIx64, iv);
        } else {
            ds_put_format(ds, "%#" PRIx64 "/%#" PRIx64, iv, im);
        }
        break;
    }
    case MF_KIND_ETH:
        flow_format_eth(ds, (const struct eth_addr *) v);
        if (!bytes_all(m, 6, 0xff)) {
            ds_put_char(ds, '/');
            flow_format_eth(ds, (const struct eth_addr *) m);
        }
        break;
    case MF_KIND_IPV4: {
        vs_be32 iv, im;

        memcpy(&iv, v, 4);
        memcpy(&im, m, 4);
        format_ipv4_masked(ds, iv, im);
        break;
    }
    case MF_KIND_IPV6: {
        struct in6_addr iv, im;
        int len;

        memcpy(&iv, v, 16);
        memcpy(&im, m, 16);
        flow_format_ipv6(ds, &iv);
        len = ipv6_cidr_len(&im);
        if (len >= 0 && len < 128) {
            ds_put_format(ds, "/%d", len);
        } else if (len < 0) {
            ds_put_char(ds, '/');
            flow_format_ipv6(ds, &im);
        }
        break;
    }
    case MF_KIND_SPECIAL:
    default:
        break;
    }
    ds_put_char(ds, ',');
}

static void
format_tcp_flags(struct ds *ds, uint16_t v, uint16_t m)
{
    ds_put_cstr(ds, "tcp_flags=");
    if (m == TCP_FLAGS_MASK && !(v & ~0x1ff)) {
        /* Exact, and only named flags: by name (reserved bits 9-11 set
         * go as numbers below). */
        bool first = true;

        if (!v) {
            ds_put_cstr(ds, "0");
        }
        for (size_t i = 0; i < ARRAY_SIZE(tcp_flag_names); i++) {
            if (v & (1u << i)) {
                ds_put_format(ds, "%s%s", first ? "" : "|", tcp_flag_names[i]);
                first = false;
            }
        }
    } else if (m & ~0x1ff) {
        ds_put_format(ds, "%#x/%#x", v, m);
    } else {
        for (size_t i = 0; i < ARRAY_SIZE(tcp_flag_names); i++) {
            if (m & (1u << i)) {
                ds_put_format(ds, "%c%s", v & (1u << i) ? '+' : '-',
                              tcp_flag_names[i]);
            }
        }
    }
    ds_put_char(ds, ',');
}

static void
format_vlan(struct ds *ds, uint16_t tci, uint16_t mask)
{
    if (!mask) {
        return;
    }
    if (mask == 0xffff && !tci) {
        ds_put_cstr(ds, "vlan_tci=0x0000,");
    } else if ((tci & VLAN_CFI) && mask == 0xffff) {
        ds_put_format(ds, "dl_vlan=%d,dl_vlan_pcp=%d,", tci & VLAN_VID_MASK,
                      tci >> VLAN_PCP_SHIFT);
    } else if ((tci & VLAN_CFI) && mask == (VLAN_VID_MASK | VLAN_CFI)) {
        ds_put_format(ds, "dl_vlan=%d,", tci & VLAN_VID_MASK);
    } else if ((tci & VLAN_CFI) && mask == (VLAN_PCP_MASK | VLAN_CFI)) {
        ds_put_format(ds, "dl_vlan_pcp=%d,", tci >> VLAN_PCP_SHIFT);
    } else if (mask == 0xffff) {
        ds_put_format(ds, "vlan_tci=0x%04x,", tci);
    } else {
        ds_put_format(ds, "vlan_tci=0x%04x/0x%04x,", tci, mask);
    }
}

static void
format_tnl_flags(struct ds *ds, uint16_t v, uint16_t m)
{
    ds_put_cstr(ds, "tun_flags=");
    for (size_t i = 0; i < ARRAY_SIZE(tnl_flag_names); i++) {
        if (m & (1u << i)) {
            ds_put_format(ds, "%c%s", v & (1u << i) ? '+' : '-',
                          tnl_flag_names[i]);
        }
    }
    ds_put_char(ds, ',');
}

void
match_format(const struct match *match, struct ds *ds)
{
    const struct flow *f = &match->flow, *w = &match->wc;
    size_t start = ds->length;
    bool skip_type = false, skip_proto = false;
    uint16_t dl_type = ntohs(f->dl_type);
    bool is_arp =
        w->dl_type == 0xffff && (dl_type == ETH_TYPE_ARP || dl_type == 0x8035);
    bool is_icmp = w->dl_type == 0xffff && w->nw_proto == 0xff
                   && ((dl_type == ETH_TYPE_IP && f->nw_proto == 1)
                       || (dl_type == ETH_TYPE_IPV6 && f->nw_proto == 58));

    if (w->dl_type == 0xffff) {
        for (size_t i = 0; i < ARRAY_SIZE(shorthands); i++) {
            if (shorthands[i].dl_type != dl_type) {
                continue;
            }
            if (shorthands[i].nw_proto < 0
                || (w->nw_proto == 0xff
                    && f->nw_proto == shorthands[i].nw_proto)) {
                bool with_proto = shorthands[i].nw_proto >= 0;

                /* Prefer the protocol shorthand over the plain one. */
                if (!with_proto && w->nw_proto == 0xff && !is_arp) {
                    size_t j;

                    for (j = 0; j < ARRAY_SIZE(shorthands); j++) {
                        if (shorthands[j].dl_type == dl_type
                            && shorthands[j].nw_proto == f->nw_proto) {
                            break;
                        }
                    }
                    if (j < ARRAY_SIZE(shorthands)) {
                        continue;
                    }
                }
                ds_put_format(ds, "%s,", shorthands[i].name);
                skip_type = true;
                skip_proto = with_proto;
                break;
            }
        }
    }

    for (const struct match_field *mf = match_fields; mf->name; mf++) {
        const char *n = mf->name;

        if (!strcmp(n, "in_port")) {
            if (w->in_port) {
                if (f->in_port == OFPP_LOCAL_PORT) {
                    ds_put_cstr(ds, "in_port=LOCAL,");
                } else {
                    ds_put_format(ds, "in_port=%" PRIu32 ",", f->in_port);
                }
            }
        } else if (!strcmp(n, "vlan_tci")) {
            format_vlan(ds, ntohs(f->vlans[0].tci), ntohs(w->vlans[0].tci));
        } else if (!strcmp(n, "dl_type")) {
            if (!skip_type) {
                format_field(ds, match, mf, NULL);
            }
        } else if (!strcmp(n, "nw_src") || !strcmp(n, "nw_dst")) {
            format_field(ds, match, mf,
                         !is_arp                ? NULL
                         : !strcmp(n, "nw_src") ? "arp_spa"
                                                : "arp_tpa");
        } else if (!strcmp(n, "arp_spa") || !strcmp(n, "arp_tpa")
                   || !strcmp(n, "arp_op")) {
            /* Printed under the nw_ names unless ARP. */
        } else if (!strcmp(n, "nw_proto")) {
            if (!skip_proto) {
                format_field(ds, match, mf, is_arp ? "arp_op" : NULL);
            }
        } else if (!strcmp(n, "nw_tos")) {
            if (w->nw_tos & IP_DSCP_MASK) {
                ds_put_format(ds, "nw_tos=%d,", f->nw_tos & IP_DSCP_MASK);
            }
            if (w->nw_tos & IP_ECN_MASK) {
                ds_put_format(ds, "nw_ecn=%d,", f->nw_tos & IP_ECN_MASK);
            }
        } else if (!strcmp(n, "nw_frag")) {
            static const char *const names[4][4] = {
                /* [mask][value] */
                [FLOW_NW_FRAG_ANY] = {"no", "yes", NULL, NULL},
                [FLOW_NW_FRAG_LATER] = {"not_later", NULL, "later", NULL},
                [FLOW_NW_FRAG_MASK] = {"no", "first", NULL, "later"},
            };
            const char *s =
                w->nw_frag ? names[w->nw_frag & 3][f->nw_frag & 3] : NULL;
            if (s) {
                ds_put_format(ds, "nw_frag=%s,", s);
            }
        } else if (!strcmp(n, "tp_src") || !strcmp(n, "tp_dst")) {
            if (is_icmp) {
                format_field(ds, match, mf,
                             !strcmp(n, "tp_src") ? "icmp_type" : "icmp_code");
            } else {
                format_field(ds, match, mf, NULL);
            }
        } else if (!strncmp(n, "icmp", 4) || !strcmp(n, "dl_vlan")
                   || !strcmp(n, "dl_vlan_pcp") || !strcmp(n, "ip_dscp")
                   || !strcmp(n, "nw_ecn") || !strncmp(n, "nd_s", 4)
                   || !strncmp(n, "nd_t", 4)) {
            if (!strcmp(n, "nd_target")) {
                format_field(ds, match, mf, NULL);
            }
        } else if (!strcmp(n, "arp_sha") || !strcmp(n, "arp_tha")) {
            if (!is_icmp) {
                format_field(ds, match, mf, NULL);
            }
        } else if (!strcmp(n, "tcp_flags")) {
            if (w->tcp_flags) {
                format_tcp_flags(ds, ntohs(f->tcp_flags), ntohs(w->tcp_flags));
            }
        } else if (!strcmp(n, "tun_flags")) {
            if (w->tunnel.flags) {
                format_tnl_flags(ds, f->tunnel.flags, w->tunnel.flags);
            }
        } else {
            format_field(ds, match, mf, NULL);
        }
        if (!strcmp(n, "nd_target") && is_icmp) {
            format_field(ds, match, match_field_by_name("nd_sll"), NULL);
            format_field(ds, match, match_field_by_name("nd_tll"), NULL);
        }
    }
    if (ds->length > start && ds_last(ds) == ',') {
        ds_truncate(ds, ds->length - 1);
    }
}
