/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cfg-bumper: stands in for vswitchd's side of the next_cfg/cur_cfg
 * handshake (until vswitchd writes it), and exercises the IDL's write side.
 *
 * usage: cfg-bumper DB
 *
 * Whenever Open_vSwitch.next_cfg is ahead of cur_cfg, one transaction
 * (verifying next_cfg) sets cur_cfg = next_cfg and gives every Interface
 * without an ofport one: -1 with error "could not open network device
 * NAME (No such device)" if its name starts with "bad", else the next free
 * number.  Runs until killed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ovsdb-idl-txn.h"
#include "vswitch/ovsdb-idl.h"
#include "vswitch/ovsdb-schema.h"
#include "vswitch/util.h"

static int64_t
get_int(const struct ovsdb_idl_row *row, const char *col,
        const struct ovsdb_type **typep)
{
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, col, typep);

    return d && d->n ? d->keys[0].integer : -2;
}

int
main(int argc, char *argv[])
{
    static const char *const ovs_cols[] = {"next_cfg", "cur_cfg", NULL};
    static const char *const if_cols[] = {"name", "ofport", "error", NULL};
    struct ovsdb_idl *idl;
    int64_t next_port = 1;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DB\n", argv[0]);
        return 1;
    }
    idl = ovsdb_idl_create(argv[1], "Open_vSwitch");
    if (!idl) {
        fprintf(stderr, "%s: bad database name\n", argv[1]);
        return 1;
    }
    ovsdb_idl_monitor(idl, "Open_vSwitch", ovs_cols);
    ovsdb_idl_monitor(idl, "Interface", if_cols);
    for (;;) {
        const struct ovsdb_idl_row *ovs, *r;
        const struct ovsdb_type *type;
        struct ovsdb_idl_txn *txn;
        int64_t next;

        ovsdb_idl_run_block(idl, 1000);
        ovs = ovsdb_idl_is_synced(idl)
                  ? ovsdb_idl_first_row(idl, "Open_vSwitch")
                  : NULL;
        if (!ovs) {
            continue;
        }
        next = get_int(ovs, "next_cfg", &type);
        if (next <= get_int(ovs, "cur_cfg", NULL)) {
            continue;
        }
        txn = ovsdb_idl_txn_create(idl);
        ovsdb_idl_txn_verify(txn, ovs, "next_cfg");
        {
            union ovsdb_atom a = {.integer = next};
            struct ovsdb_datum d = {1, &a, NULL};

            ovsdb_idl_txn_write(txn, "Open_vSwitch", &ovs->uuid, "cur_cfg", &d,
                                type);
        }
        for (r = ovsdb_idl_first_row(idl, "Interface"); r;
             r = ovsdb_idl_next_row(r)) {
            const struct ovsdb_datum *name =
                ovsdb_idl_row_get(r, "name", NULL);
            const struct ovsdb_type *pt, *et;
            union ovsdb_atom a;
            struct ovsdb_datum d = {1, &a, NULL};

            if (get_int(r, "ofport", &pt) != -2 || !name || !name->n) {
                continue;
            }
            ovsdb_idl_row_get(r, "error", &et);
            if (!strncmp(name->keys[0].string, "bad", 3)) {
                char *msg = xasprintf("could not open network device %s "
                                      "(No such device)",
                                      name->keys[0].string);

                a.integer = -1;
                ovsdb_idl_txn_write(txn, "Interface", &r->uuid, "ofport", &d,
                                    pt);
                a.string = msg;
                ovsdb_idl_txn_write(txn, "Interface", &r->uuid, "error", &d,
                                    et);
                free(msg);
            } else {
                a.integer = next_port++;
                ovsdb_idl_txn_write(txn, "Interface", &r->uuid, "ofport", &d,
                                    pt);
            }
        }
        ovsdb_idl_txn_add_comment(txn, "cfg-bumper");
        switch (ovsdb_idl_txn_commit_block(txn, 5000)) {
        case OVSDB_IDL_TXN_SUCCESS:
        case OVSDB_IDL_TXN_UNCHANGED:
        case OVSDB_IDL_TXN_TRY_AGAIN:
            break;
        case OVSDB_IDL_TXN_ERROR:
        case OVSDB_IDL_TXN_NOT_LOCKED:
        case OVSDB_IDL_TXN_UNCOMMITTED:
        default:
            fprintf(stderr, "cfg-bumper: %s\n",
                    ovsdb_idl_txn_get_error(txn) ? ovsdb_idl_txn_get_error(txn)
                                                 : "commit failed");
            break;
        }
        ovsdb_idl_txn_destroy(txn);
    }
}
