/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-encode: prints, as hex, OpenFlow messages built by our encoders, one
 * message per line, for a named case.  Tests feed the lines to Debian's
 * `ovs-ofctl ofp-print`, an independent decoder, and check what it reads.
 *
 * usage: ofp-encode CASE   (features10, features13, port-status13,
 *                           config10, errors, hello, port-desc13-split)
 */
#include <stdio.h>
#include <string.h>
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"

static void
print_hex(const struct buf *b)
{
    for (size_t i = 0; i < b->size; i++) {
        printf("%02x", b->data[i]);
    }
    putchar('\n');
}

static const struct ofp_port_desc ports[] = {
    {.port_no = 1,
     .hw_addr = {0x52, 0x54, 0x00, 0x01, 0x02, 0x03},
     .name = "vnet0",
     .curr = OFPPF13_10GB_FD | OFPPF13_COPPER,
     .curr_speed = 10000000,
     .max_speed = 10000000},
    {.port_no = OFPP_LOCAL,
     .hw_addr = {0xaa, 0x55, 0x00, 0x00, 0x00, 0x01},
     .name = "br0",
     .config = OFPPC_PORT_DOWN,
     .state = OFPPS_LINK_DOWN},
};

static const struct ofp_switch_features features = {
    .datapath_id = 0xabc,
    .n_tables = 254,
    .capabilities = OFPC_FLOW_STATS | OFPC_TABLE_STATS | OFPC_PORT_STATS,
};

int
main(int argc, char *argv[])
{
    const char *c = argc > 1 ? argv[1] : "";
    struct buf b;

    vs_set_program_name(argv[0]);
    buf_init(&b, 0, 256);
    if (!strcmp(c, "features10")) {
        ofp_features_reply_encode(&b, OFP10_VERSION, 5, &features, ports, 2);
        print_hex(&b);
    } else if (!strcmp(c, "features13")) {
        ofp_features_reply_encode(&b, OFP13_VERSION, 6, &features, NULL, 0);
        print_hex(&b);
    } else if (!strcmp(c, "port-status13")) {
        ofp_port_status_encode(&b, OFP13_VERSION, OFPPR_ADD, &ports[0]);
        print_hex(&b);
    } else if (!strcmp(c, "config10")) {
        struct ofp_switch_config sc = {OFPC_FRAG_DROP, 128};

        ofp_get_config_reply_encode(&b, OFP10_VERSION, 7, &sc);
        print_hex(&b);
    } else if (!strcmp(c, "errors")) {
        uint8_t req[8] = {4, OFPT_FEATURES_REQUEST, 0, 8, 0, 0, 0, 9};

        ofperr_encode(&b, OFPERR_BAD_TYPE, OFP10_VERSION, 1, req, 8);
        print_hex(&b);
        buf_clear(&b);
        ofperr_encode(&b, OFPERR_BAD_PREREQ, OFP13_VERSION, 2, req, 8);
        print_hex(&b);
        buf_clear(&b);
        ofperr_encode(&b, OFPERR_TABLE_FEATURES_BAD_LEN, OFP13_VERSION, 3, req,
                      8);
        print_hex(&b);
    } else if (!strcmp(c, "hello")) {
        ofp_hello_encode(&b, OFP_SUPPORTED_VERSIONS, 1);
        print_hex(&b);
    } else if (!strcmp(c, "port-desc13-split")) {
        uint8_t req[16] = {4, OFPT13_MULTIPART_REQUEST, 0, 16, 0, 0, 0, 8,
                           0, OFPMP_PORT_DESC};
        struct ofp_mp_reply r;
        struct buf *m;

        ofp_mp_reply_init(&r, req);
        r.max_size = 16 + 2 * OFP13_PORT_SIZE; /* Two ports per part. */
        for (int i = 0; i < 5; i++) {
            struct ofp_port_desc pd = ports[0];
            struct buf one;

            pd.port_no = i + 1;
            snprintf(pd.name, sizeof pd.name, "p%d", i + 1);
            buf_init(&one, 0, 64);
            ofp_port_desc_encode(&one, &pd, OFP13_VERSION);
            memcpy(ofp_mp_reply_put(&r, one.size), one.data, one.size);
            buf_uninit(&one);
        }
        ofp_mp_reply_finish(&r);
        while ((m = ofp_mp_reply_pop(&r))) {
            print_hex(m);
            buf_delete(m);
        }
    } else {
        vs_fatal(2, "unknown case \"%s\"", c);
    }
    buf_uninit(&b);
    return 0;
}
