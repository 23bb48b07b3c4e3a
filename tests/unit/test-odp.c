/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/ds.h"
#include "vswitch/odp.h"
#include "sample-packets.h"

static uint64_t rng = 0xfeedface;

static uint32_t
rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng >> 16;
}

static void
rnd_bytes(void *p, size_t n)
{
    uint8_t *b = p;

    for (size_t i = 0; i < n; i++) {
        b[i] = rnd();
    }
}

/* A random but self-consistent flow: a sample packet's layout with random
 * values in the fields the key format carries. */
static void
random_flow(struct flow *f)
{
    uint8_t pkt[256];
    enum sample_kind k = rnd() % N_SAMPLES;
    size_t n = sample_packet(k, pkt, NULL);

    flow_extract(pkt, n, NULL, f, NULL);
    f->skb_priority = rnd();
    f->skb_mark = rnd();
    f->recirc_id = rnd();
    f->dp_hash = rnd();
    f->in_port = rnd();
    if (rnd() % 2) {
        f->tunnel.ip_dst = rnd() | 1;
        f->tunnel.ip_src = rnd() % 2 ? rnd() : 0;
        f->tunnel.ip_ttl = rnd();
        f->tunnel.ip_tos = rnd() % 2 ? rnd() : 0;
        f->tunnel.tp_dst = rnd() % 2 ? rnd() : 0;
        f->tunnel.tp_src = rnd() % 2 ? rnd() : 0;
        f->tunnel.flags = rnd() & FLOW_TNL_F_MASK;
        if (f->tunnel.flags & FLOW_TNL_F_KEY) {
            f->tunnel.tun_id = htobe64(rnd());
        }
    }
    rnd_bytes(&f->dl_src, 6);
    rnd_bytes(&f->dl_dst, 6);
    for (int i = 0; i < FLOW_MAX_VLAN; i++) {
        if (f->vlans[i].tci) {
            f->vlans[i].tci = htons((rnd() & ~VLAN_CFI) | VLAN_CFI);
        }
    }
    if (f->dl_type == htons(ETH_TYPE_IP)
        || f->dl_type == htons(ETH_TYPE_ARP)) {
        f->nw_src = rnd();
        f->nw_dst = rnd();
    }
    if (f->dl_type == htons(ETH_TYPE_IPV6)) {
        rnd_bytes(&f->ipv6_src, 16);
        rnd_bytes(&f->ipv6_dst, 16);
        f->ipv6_label = htonl(rnd() & 0xfffff);
    }
    if (f->dl_type == htons(ETH_TYPE_IP)
        || f->dl_type == htons(ETH_TYPE_IPV6)) {
        f->nw_tos = rnd();
        f->nw_ttl = rnd();
        if (f->nw_proto == 6 || f->nw_proto == 17 || f->nw_proto == 132) {
            if (!(f->nw_frag & FLOW_NW_FRAG_LATER)) {
                f->tp_src = rnd();
                f->tp_dst = rnd();
            }
        }
        if (f->nw_proto == 6 && !(f->nw_frag & FLOW_NW_FRAG_LATER)) {
            f->tcp_flags = htons(rnd() & TCP_FLAGS_MASK);
        }
    }
}

static void
test_key_roundtrip(void **state)
{
    for (int i = 0; i < 3000; i++) {
        struct buf key = BUF_EMPTY_INITIALIZER, mask = BUF_EMPTY_INITIALIZER;
        struct flow f, f2, exact, m0, m1, m2;
        char *err = NULL;

        random_flow(&f);
        odp_key_from_flow(&key, &f);
        assert_int_equal(
            odp_key_to_flow(key.data, key.size, NULL, 0, &f2, &exact, &err),
            0);
        assert_memory_equal(&f, &f2, sizeof f);

        /* A random mask within the present fields. */
        rnd_bytes(&m0, sizeof m0);
        flow_and(&m0, &m0, &exact);
        odp_mask_normalize(&f, &m0);
        odp_mask_from_flow(&mask, &f, &m0);
        assert_int_equal(odp_key_to_flow(key.data, key.size, mask.data,
                                         mask.size, &f2, &m1, &err),
                         0);
        assert_memory_equal(&f, &f2, sizeof f);
        if (memcmp(&m0, &m1, sizeof m0)) {
            const uint8_t *a = (const void *) &m0, *b = (const void *) &m1;

            for (size_t j = 0; j < sizeof m0; j++) {
                if (a[j] != b[j]) {
                    print_error("iteration %d: byte %zu: %02x != %02x\n", i, j,
                                a[j], b[j]);
                }
            }
            fail();
        }
        /* Text: key+mask -> text -> key+mask -> same text. */
        {
            struct ds s1, s2;
            struct buf k2 = BUF_EMPTY_INITIALIZER, mk2 = BUF_EMPTY_INITIALIZER;

            ds_init(&s1);
            ds_init(&s2);
            odp_key_format(key.data, key.size, mask.data, mask.size, &s1);
            if (odp_key_parse(ds_cstr(&s1), &k2, &mk2, &err)) {
                print_error("%s\n%s\n", ds_cstr(&s1), err);
                fail();
            }
            odp_key_format(k2.data, k2.size, mk2.data, mk2.size, &s2);
            assert_string_equal(ds_cstr(&s1), ds_cstr(&s2));
            if (odp_key_to_flow(k2.data, k2.size, mk2.data, mk2.size, &f2, &m2,
                                &err)) {
                print_error("%s: %s\n", ds_cstr(&s1), err);
                fail();
            }
            /* Same packets: the masked keys agree. */
            flow_and(&f2, &f2, &m2);
            flow_and(&f, &f, &m1);
            assert_memory_equal(&m1, &m2, sizeof m1);
            assert_memory_equal(&f, &f2, sizeof f);
            ds_destroy(&s1);
            ds_destroy(&s2);
            buf_uninit(&k2);
            buf_uninit(&mk2);
        }
        buf_uninit(&key);
        buf_uninit(&mask);
    }
}

/* Text in ovs-dpctl's form: parse, print, compare byte for byte. */
static const char *const key_texts[] = {
    "in_port(1),eth(src=00:11:22:33:44:55,dst=66:77:88:99:aa:bb),"
    "eth_type(0x0800),ipv4(src=10.0.0.0/255.255.255.0,dst=10.0.0.2,proto=6,"
    "tos=0,ttl=64,frag=no),tcp(src=1,dst=80)",
    "recirc_id(0),in_port(4),eth(src=00:00:00:00:00:01,"
    "dst=00:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)",
    "skb_priority(0x1/0xff),skb_mark(0x5),recirc_id(0x1),dp_hash(0x5/0xf),"
    "in_port(2)",
    "tunnel(tun_id=0x5,src=192.0.2.1,dst=192.0.2.2,ttl=64,tp_dst=4789,"
    "flags(df|key)),in_port(3),eth(dst=ff:ff:ff:ff:ff:ff)",
    "eth_type(0x8100),vlan(vid=10,pcp=3),encap(eth_type(0x86dd),"
    "ipv6(src=2001:db8::1,dst=2001:db8::/ffff:ffff::,label=0x12345,proto=58,"
    "tclass=0,hlimit=255,frag=no),icmpv6(type=135,code=0),"
    "nd(target=fe80::1,sll=00:00:00:00:00:01,tll=00:00:00:00:00:00))",
    "eth_type(0x88a8),vlan(vid=100,pcp=0),encap(eth_type(0x8100),"
    "vlan(vid=10/0xff0),encap(eth_type(0x0806),arp(sip=10.0.0.1,"
    "tip=10.0.0.2,op=1,sha=00:00:00:00:00:01,tha=00:00:00:00:00:00)))",
    "eth_type(0x0800),ipv4(proto=17,frag=first/0xfd),udp(dst=53/0xff00)",
    "eth_type(0x0800),ipv4(proto=6),tcp(dst=443),tcp_flags(syn|ack)",
    "eth_type(0x0800),ipv4(proto=6),tcp_flags(+syn-ack)",
    "eth_type(0x0800),ipv4(proto=1,frag=no),icmp(type=8,code=0)",
    "eth_type(0x86dd),ipv6(proto=132),sctp(src=2905)",
    "in_port(1/0xff),eth(src=00:00:00:00:00:00/01:00:00:00:00:00)",
    "tunnel(dst=1.1.1.1,ttl=64,flags(-df+csum)),in_port(1)",
    /* What ovs-dpctl dump-flows prints for a wildcarded Ethernet layer. */
    "in_port(1),eth(),eth_type(0x0800)",
    "in_port(1),eth(),eth_type(0x0806)",
};

static void
test_key_text(void **state)
{
    for (size_t i = 0; i < ARRAY_SIZE(key_texts); i++) {
        struct buf key = BUF_EMPTY_INITIALIZER, mask = BUF_EMPTY_INITIALIZER;
        struct ds ds;
        char *err = NULL;
        struct flow f, m;

        if (odp_key_parse(key_texts[i], &key, &mask, &err)) {
            print_error("parse '%s': %s\n", key_texts[i], err);
            fail();
        }
        ds_init(&ds);
        odp_key_format(key.data, key.size, mask.data, mask.size, &ds);
        if (strcmp(ds_cstr(&ds), key_texts[i])) {
            print_error("want: %s\ngot:  %s\n", key_texts[i], ds_cstr(&ds));
            fail();
        }
        if (odp_key_to_flow(key.data, key.size, mask.data, mask.size, &f, &m,
                            &err)) {
            print_error("decode '%s': %s\n", key_texts[i], err);
            fail();
        }
        ds_destroy(&ds);
        buf_uninit(&key);
        buf_uninit(&mask);
    }
}

static const char *const action_texts[] = {
    "drop",
    "2",
    ("2,push_vlan(vid=10,pcp=0),set(tunnel(tun_id=0x5,dst=192.0.2.2,ttl=64,"
     "tp_dst=4789,flags(df|key))),3"),
    "pop_vlan,push_vlan(tpid=0x88a8,vid=100,pcp=5),1",
    "set(eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02)),recirc(0x1)",
    "set(ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0,ttl=63,frag=no))",
    "set(ipv4(src=10.0.0.1/255.255.255.0)),4",
    "set(tcp(src=1,dst=2)),hash(l4(0)),recirc(0x5)",
    "userspace(pid=4294967295,userdata(0102030405)),trunc(100),ct_clear",
    "sample(sample=50.0%,actions(1,userspace(pid=7)))",
    "set(skb_mark(0x7))",
};

static void
test_action_text(void **state)
{
    for (size_t i = 0; i < ARRAY_SIZE(action_texts); i++) {
        struct buf acts = BUF_EMPTY_INITIALIZER;
        struct ds ds;
        char *err = NULL;

        if (odp_actions_parse(action_texts[i], &acts, &err)) {
            print_error("parse '%s': %s\n", action_texts[i], err);
            fail();
        }
        if (odp_actions_validate(acts.data, acts.size, &err)) {
            print_error("validate '%s': %s\n", action_texts[i], err);
            fail();
        }
        ds_init(&ds);
        odp_actions_format(acts.data, acts.size, &ds);
        if (strcmp(ds_cstr(&ds), action_texts[i])) {
            print_error("want: %s\ngot:  %s\n", action_texts[i], ds_cstr(&ds));
            fail();
        }
        ds_destroy(&ds);
        buf_uninit(&acts);
    }
}

/* Appends a raw attribute. */
static void
put_attr(struct buf *b, uint16_t type, const void *data, size_t len)
{
    struct nlattr a = {.nla_len = MNL_ATTR_HDRLEN + len, .nla_type = type};

    buf_put(b, &a, sizeof a);
    buf_put(b, data, len);
    buf_put_zeros(b, MNL_ALIGN(len) - len);
}

static void
expect_error(const struct buf *key, const struct buf *mask, const char *needle)
{
    struct flow f, m;
    char *err = NULL;

    assert_int_equal(odp_key_to_flow(key->data, key->size,
                                     mask ? mask->data : NULL,
                                     mask ? mask->size : 0, &f, &m, &err),
                     EINVAL);
    assert_non_null(err);
    if (!strstr(err, needle)) {
        print_error("error '%s' lacks '%s'\n", err, needle);
        fail();
    }
    free(err);
}

static void
test_malformed(void **state)
{
    uint32_t port = 1;
    uint16_t type = htons(0x0800);
    struct buf k = BUF_EMPTY_INITIALIZER, m = BUF_EMPTY_INITIALIZER;
    uint8_t junk[40] = {0};

    /* Bad length. */
    put_attr(&k, OVS_KEY_ATTR_IN_PORT, junk, 3);
    expect_error(&k, NULL, "in_port");
    buf_clear(&k);
    /* Unknown type. */
    put_attr(&k, 200, junk, 4);
    expect_error(&k, NULL, "200");
    buf_clear(&k);
    /* Known but unsupported: conntrack state other than "untracked". */
    junk[0] = 0x21;
    put_attr(&k, OVS_KEY_ATTR_CT_STATE, junk, 4);
    expect_error(&k, NULL, "nonzero ct_state");
    buf_clear(&k);
    junk[0] = 0;
    put_attr(&k, OVS_KEY_ATTR_CT_LABELS, junk, 4);
    expect_error(&k, NULL, "ct_label has length 4");
    buf_clear(&k);
    /* Duplicate. */
    put_attr(&k, OVS_KEY_ATTR_IN_PORT, &port, 4);
    put_attr(&k, OVS_KEY_ATTR_IN_PORT, &port, 4);
    expect_error(&k, NULL, "duplicate attribute in_port");
    buf_clear(&k);
    /* Mask without key. */
    put_attr(&k, OVS_KEY_ATTR_IN_PORT, &port, 4);
    put_attr(&m, OVS_KEY_ATTR_SKB_MARK, &port, 4);
    expect_error(&k, &m, "mask attribute skb_mark without key");
    buf_clear(&k);
    buf_clear(&m);
    /* Truncated attribute header. */
    put_attr(&k, OVS_KEY_ATTR_IN_PORT, &port, 4);
    buf_put(&k, "\x08\x00", 2);
    expect_error(&k, NULL, "bytes after");
    buf_clear(&k);
    /* nla_len larger than the buffer. */
    put_attr(&k, OVS_KEY_ATTR_ETHERTYPE, &type, 2);
    ((struct nlattr *) (void *) k.data)->nla_len = 200;
    expect_error(&k, NULL, "bytes after");
    buf_clear(&k);
    /* IPv4 attribute with an IPv6 ethertype. */
    type = htons(0x86dd);
    put_attr(&k, OVS_KEY_ATTR_ETHERTYPE, &type, 2);
    put_attr(&k, OVS_KEY_ATTR_IPV4, junk, sizeof(struct ovs_key_ipv4));
    expect_error(&k, NULL, "eth_type");
    buf_clear(&k);
    /* TCP without IP. */
    put_attr(&k, OVS_KEY_ATTR_TCP, junk, 4);
    expect_error(&k, NULL, "tcp");
    buf_clear(&k);
    /* VLAN without encap. */
    type = htons(0x8100);
    put_attr(&k, OVS_KEY_ATTR_ETHERTYPE, &type, 2);
    type = htons(0x1000 | 5);
    put_attr(&k, OVS_KEY_ATTR_VLAN, &type, 2);
    expect_error(&k, NULL, "encap");
    buf_clear(&k);
    /* Tunnel with a bad sub-attribute. */
    {
        struct buf t = BUF_EMPTY_INITIALIZER;

        put_attr(&t, OVS_TUNNEL_KEY_ATTR_TTL, junk, 2);
        put_attr(&k, OVS_KEY_ATTR_TUNNEL, t.data, t.size);
        expect_error(&k, NULL, "tunnel");
        buf_uninit(&t);
    }
    buf_uninit(&k);
    buf_uninit(&m);

    /* Text errors. */
    {
        static const char *const bad[] = {
            "in_port(",        "bogus(1)",
            "ipv4(src=1.2.3)", "eth(src=zz)",
            "vlan(vid=5000)",  "tcp_flags(+bogus)",
            "in_port(1),",     "ipv4(frag=sometimes)",
            "tunnel(ttl=300)", "encap(",
        };
        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
            struct buf kk = BUF_EMPTY_INITIALIZER, mm = BUF_EMPTY_INITIALIZER;
            char *err = NULL;

            assert_int_equal(odp_key_parse(bad[i], &kk, &mm, &err), EINVAL);
            assert_non_null(err);
            free(err);
            buf_uninit(&kk);
            buf_uninit(&mm);
        }
    }
    {
        static const char *const bad[] = {
            "push_vlan(vid=99999)",
            "set(in_port(1))",
            "foo",
            "2,",
            "recirc(x)",
            "set(eth(src=00:00:00:00:00:01),eth())",
        };
        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
            struct buf a = BUF_EMPTY_INITIALIZER;
            char *err = NULL;
            int error = odp_actions_parse(bad[i], &a, &err);

            if (!error) {
                error = odp_actions_validate(a.data, a.size, &err);
            }
            if (error != EINVAL) {
                print_error("accepted '%s'\n", bad[i]);
                fail();
            }
            free(err);
            buf_uninit(&a);
        }
    }
}

/* The mask side of tunnel metadata: a mask that reads tunnel fields of a
 * packet without a tunnel has no tunnel attribute (the key has none
 * either); one that reads tun_id of a tunnel packet carries the key flag,
 * so that a keyless tunnel packet's megaflow does not match keyed ones. */
static void
test_tunnel_mask(void **state)
{
    struct flow f, m, f2, m2;
    struct buf key = BUF_EMPTY_INITIALIZER, mask = BUF_EMPTY_INITIALIZER;
    struct ds s = DS_EMPTY_INITIALIZER;
    char *err = NULL;

    (void) state;
    memset(&f, 0, sizeof f);
    f.in_port = 1;
    f.dl_type = htons(0x1234);
    memset(&m, 0, sizeof m);
    m.in_port = UINT32_MAX;
    m.tunnel.tun_id = htobe64(UINT64_MAX);
    m.tunnel.ip_dst = htonl(UINT32_MAX);

    /* No tunnel. */
    odp_key_from_flow(&key, &f);
    odp_mask_from_flow(&mask, &f, &m);
    assert_int_equal(odp_key_to_flow(key.data, key.size, mask.data, mask.size,
                                     &f2, &m2, &err),
                     0);
    assert_int_equal(m2.tunnel.tun_id, 0);
    assert_int_equal(m2.tunnel.ip_dst, 0);
    odp_key_format(key.data, key.size, mask.data, mask.size, &s);
    assert_null(strstr(ds_cstr(&s), "tunnel"));

    /* A tunnel without a key. */
    f.tunnel.ip_dst = htonl(0xc0000201);
    buf_clear(&key);
    buf_clear(&mask);
    odp_key_from_flow(&key, &f);
    odp_mask_from_flow(&mask, &f, &m);
    assert_int_equal(odp_key_to_flow(key.data, key.size, mask.data, mask.size,
                                     &f2, &m2, &err),
                     0);
    assert_int_equal(f2.tunnel.tun_id, 0);
    assert_false(f2.tunnel.flags & FLOW_TNL_F_KEY);
    assert_true(m2.tunnel.tun_id == htobe64(UINT64_MAX));
    assert_true(m2.tunnel.flags & FLOW_TNL_F_KEY);
    assert_true(m2.tunnel.ip_dst == htonl(UINT32_MAX));

    /* A keyed tunnel. */
    f.tunnel.tun_id = htobe64(5000);
    f.tunnel.flags = FLOW_TNL_F_KEY;
    buf_clear(&key);
    buf_clear(&mask);
    odp_key_from_flow(&key, &f);
    odp_mask_from_flow(&mask, &f, &m);
    assert_int_equal(odp_key_to_flow(key.data, key.size, mask.data, mask.size,
                                     &f2, &m2, &err),
                     0);
    assert_true(f2.tunnel.tun_id == htobe64(5000));
    assert_true(m2.tunnel.tun_id == htobe64(UINT64_MAX));
    assert_true(m2.tunnel.flags & FLOW_TNL_F_KEY);

    ds_destroy(&s);
    buf_uninit(&key);
    buf_uninit(&mask);
}

/* The key openvswitch.ko puts in the upcall of an ARP request that came in
 * on a VXLAN vport: tunnel metadata with DF, CSUM and both UDP ports, and
 * the zero conntrack attributes it reports for every packet.  It decodes,
 * tunnel included (an upcall key refused loses the tunnel metadata, and
 * the tunnel port with it). */
static void
test_stock_upcall_key(void **state)
{
    struct buf k = BUF_EMPTY_INITIALIZER, t = BUF_EMPTY_INITIALIZER;
    uint64_t id = htobe64(100);
    uint32_t src = htonl(0xc0a84d01), dst = htonl(0xc0a84d02);
    uint32_t zero32 = 0, port = 3;
    uint16_t tp_src = htons(51234), tp_dst = htons(4789), zero16 = 0;
    uint16_t arp_type = htons(0x0806);
    uint8_t ttl = 64, labels[16] = {0}, eth[12];
    struct ovs_key_arp arp;
    struct flow f, m;
    char *err = NULL;

    (void) state;
    put_attr(&t, OVS_TUNNEL_KEY_ATTR_ID, &id, 8);
    put_attr(&t, OVS_TUNNEL_KEY_ATTR_IPV4_SRC, &src, 4);
    put_attr(&t, OVS_TUNNEL_KEY_ATTR_IPV4_DST, &dst, 4);
    put_attr(&t, OVS_TUNNEL_KEY_ATTR_TTL, &ttl, 1);
    put_attr(&t, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT, NULL, 0);
    put_attr(&t, OVS_TUNNEL_KEY_ATTR_CSUM, NULL, 0);
    put_attr(&t, OVS_TUNNEL_KEY_ATTR_TP_SRC, &tp_src, 2);
    put_attr(&t, OVS_TUNNEL_KEY_ATTR_TP_DST, &tp_dst, 2);

    put_attr(&k, OVS_KEY_ATTR_RECIRC_ID, &zero32, 4);
    put_attr(&k, OVS_KEY_ATTR_DP_HASH, &zero32, 4);
    put_attr(&k, OVS_KEY_ATTR_PRIORITY, &zero32, 4);
    put_attr(&k, OVS_KEY_ATTR_TUNNEL, t.data, t.size);
    put_attr(&k, OVS_KEY_ATTR_IN_PORT, &port, 4);
    put_attr(&k, OVS_KEY_ATTR_SKB_MARK, &zero32, 4);
    put_attr(&k, OVS_KEY_ATTR_CT_STATE, &zero32, 4);
    put_attr(&k, OVS_KEY_ATTR_CT_ZONE, &zero16, 2);
    put_attr(&k, OVS_KEY_ATTR_CT_MARK, &zero32, 4);
    put_attr(&k, OVS_KEY_ATTR_CT_LABELS, labels, 16);
    memset(eth, 0, sizeof eth);
    memset(eth + 6, 0xff, 6);
    eth[0] = 0x02;
    eth[5] = 0x01;
    put_attr(&k, OVS_KEY_ATTR_ETHERNET, eth, sizeof eth);
    put_attr(&k, OVS_KEY_ATTR_ETHERTYPE, &arp_type, 2);
    memset(&arp, 0, sizeof arp);
    arp.arp_sip = htonl(0x0a0a0001);
    arp.arp_tip = htonl(0x0a0a0002);
    arp.arp_op = htons(1);
    put_attr(&k, OVS_KEY_ATTR_ARP, &arp, sizeof arp);

    if (odp_key_to_flow(k.data, k.size, NULL, 0, &f, &m, &err)) {
        print_error("stock upcall key refused: %s\n", err ? err : "?");
        fail();
    }
    assert_int_equal(f.in_port, 3);
    assert_true(f.tunnel.tun_id == id);
    assert_int_equal(f.tunnel.ip_src, src);
    assert_int_equal(f.tunnel.ip_dst, dst);
    assert_int_equal(f.tunnel.ip_ttl, 64);
    assert_int_equal(f.tunnel.tp_dst, tp_dst);
    assert_int_equal(f.tunnel.flags, FLOW_TNL_F_KEY | FLOW_TNL_F_DONT_FRAGMENT
                                         | FLOW_TNL_F_CSUM);
    assert_int_equal(ntohs(f.dl_type), 0x0806);
    assert_int_equal(f.nw_dst, arp.arp_tip);
    buf_uninit(&k);
    buf_uninit(&t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_roundtrip),
        cmocka_unit_test(test_key_text),
        cmocka_unit_test(test_action_text),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_tunnel_mask),
        cmocka_unit_test(test_stock_upcall_key),
    };
    return cmocka_run_group_tests_name("odp", tests, NULL, NULL);
}
