/* SPDX-License-Identifier: Apache-2.0 */
/*
 * idl-txn: drives the IDL's write side against a server and prints one
 * line per step, for tests/interop/ovsdb-idl-txn.sh.
 *
 * usage: idl-txn DB
 *
 * Steps: insert a row graph with named-uuids; increment next_cfg twice;
 * mutate a map; a verification that fails because another client changed
 * the column (TRY_AGAIN) and succeeds on retry; a constraint error; a
 * delete; a dry run; and lock ownership (the second client's transaction
 * is NOT_LOCKED).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ovsdb-idl-txn.h"
#include "vswitch/ovsdb-idl.h"
#include "vswitch/ovsdb-schema.h"
#include "vswitch/util.h"

static struct ovsdb_idl *
connect_idl(const char *db)
{
    struct ovsdb_idl *idl = ovsdb_idl_create(db, "Open_vSwitch");

    if (!idl) {
        fprintf(stderr, "bad remote %s\n", db);
        exit(1);
    }
    ovsdb_idl_monitor_all(idl);
    return idl;
}

static void
sync_idl(struct ovsdb_idl *idl)
{
    long long deadline = vs_time_msec() + 10000;

    ovsdb_idl_run(idl);
    while (!ovsdb_idl_is_synced(idl) && vs_time_msec() < deadline) {
        ovsdb_idl_run_block(idl, 100);
    }
    /* Let pending updates in. */
    for (int i = 0; i < 5; i++) {
        ovsdb_idl_run_block(idl, 20);
    }
}

static const struct ovsdb_type *
col_type(struct ovsdb_idl *idl, const char *table, const char *col)
{
    const struct ovsdb_table_schema *ts =
        ovsdb_schema_find_table(ovsdb_idl_get_schema(idl), table);

    return &ovsdb_table_schema_find_column(ts, col)->type;
}

static void
write_str(struct ovsdb_idl_txn *txn, struct ovsdb_idl *idl, const char *table,
          const struct ovsdb_uuid *u, const char *col, const char *s)
{
    union ovsdb_atom a = {.string = (char *) s};
    struct ovsdb_datum d = {1, &a, NULL};

    ovsdb_idl_txn_write(txn, table, u, col, &d, col_type(idl, table, col));
}

static void
write_uuid(struct ovsdb_idl_txn *txn, struct ovsdb_idl *idl, const char *table,
           const struct ovsdb_uuid *u, const char *col,
           const struct ovsdb_uuid *ref)
{
    union ovsdb_atom a = {.uuid = *ref};
    struct ovsdb_datum d = {1, &a, NULL};

    ovsdb_idl_txn_write(txn, table, u, col, &d, col_type(idl, table, col));
}

static void
report(const char *step, struct ovsdb_idl_txn *txn,
       enum ovsdb_idl_txn_status s)
{
    printf("%s: %s", step, ovsdb_idl_txn_status_to_string(s));
    if (s == OVSDB_IDL_TXN_ERROR && ovsdb_idl_txn_get_error(txn)) {
        printf(" (%s)", ovsdb_idl_txn_get_error(txn));
    }
    putchar('\n');
    fflush(stdout);
}

static int64_t
ovs_int(struct ovsdb_idl *idl, const char *col)
{
    const struct ovsdb_idl_row *r = ovsdb_idl_first_row(idl, "Open_vSwitch");
    const struct ovsdb_datum *d = r ? ovsdb_idl_row_get(r, col, NULL) : NULL;

    return d && d->n ? d->keys[0].integer : -1;
}

int
main(int argc, char *argv[])
{
    struct ovsdb_idl *a, *b;
    struct ovsdb_idl_txn *txn, *other;
    struct ovsdb_uuid ovs = {{0}}, br = {{0}}, port = {{0}}, iface = {{0}};
    struct ovsdb_uuid real;
    const struct ovsdb_idl_row *ovs_row, *r;
    enum ovsdb_idl_txn_status s;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DB\n", argv[0]);
        return 1;
    }
    a = connect_idl(argv[1]);
    b = connect_idl(argv[1]);
    sync_idl(a);
    sync_idl(b);

    /* 1. A row graph with named-uuids. */
    txn = ovsdb_idl_txn_create(a);
    ovsdb_idl_txn_insert(txn, "Open_vSwitch", &ovs);
    ovsdb_idl_txn_insert(txn, "Interface", &iface);
    write_str(txn, a, "Interface", &iface, "name", "br0");
    ovsdb_idl_txn_insert(txn, "Port", &port);
    write_str(txn, a, "Port", &port, "name", "br0");
    write_uuid(txn, a, "Port", &port, "interfaces", &iface);
    ovsdb_idl_txn_insert(txn, "Bridge", &br);
    write_str(txn, a, "Bridge", &br, "name", "br0");
    write_uuid(txn, a, "Bridge", &br, "ports", &port);
    write_uuid(txn, a, "Open_vSwitch", &ovs, "bridges", &br);
    ovsdb_idl_txn_add_comment(txn, "idl-txn: insert");
    s = ovsdb_idl_txn_commit_block(txn, 5000);
    report("insert", txn, s);
    printf("insert uuid mapped: %s\n",
           ovsdb_idl_txn_get_insert_uuid(txn, &br, &real)
                   && !ovsdb_uuid_equals(&real, &br)
               ? "yes"
               : "no");
    ovsdb_idl_txn_destroy(txn);
    sync_idl(a);
    r = ovsdb_idl_get_row(a, "Bridge", &real);
    printf("bridge in replica: %s\n", r ? "yes" : "no");

    /* 2. Increment. */
    for (int i = 0; i < 2; i++) {
        ovs_row = ovsdb_idl_first_row(a, "Open_vSwitch");
        txn = ovsdb_idl_txn_create(a);
        ovsdb_idl_txn_increment(txn, ovs_row, "next_cfg");
        s = ovsdb_idl_txn_commit_block(txn, 5000);
        report("increment", txn, s);
        printf("next_cfg now %lld\n",
               (long long) ovsdb_idl_txn_get_increment_new_value(txn));
        ovsdb_idl_txn_destroy(txn);
        sync_idl(a);
    }

    /* 3. Mutate a map. */
    {
        union ovsdb_atom k = {.string = "k"}, v = {.string = "v"};
        struct ovsdb_datum d = {1, &k, &v};

        ovs_row = ovsdb_idl_first_row(a, "Open_vSwitch");
        txn = ovsdb_idl_txn_create(a);
        ovsdb_idl_txn_mutate(txn, "Open_vSwitch", &ovs_row->uuid,
                             "external_ids", "insert", &d,
                             col_type(a, "Open_vSwitch", "external_ids"));
        report("mutate", txn, ovsdb_idl_txn_commit_block(txn, 5000));
        ovsdb_idl_txn_destroy(txn);
        sync_idl(a);
        r = ovsdb_idl_first_row(a, "Open_vSwitch");
        printf("external_ids has k: %s\n",
               ovsdb_idl_row_get(r, "external_ids", NULL)->n == 1 ? "yes"
                                                                  : "no");
    }

    /* 4. Optimistic verification: A reads datapath_type, B changes it. */
    r = ovsdb_idl_get_row(a, "Bridge", &real);
    txn = ovsdb_idl_txn_create(a);
    ovsdb_idl_txn_verify(txn, r, "datapath_type");
    write_str(txn, a, "Bridge", &real, "fail_mode", "secure");
    sync_idl(b);
    other = ovsdb_idl_txn_create(b);
    write_str(other, b, "Bridge", &real, "datapath_type", "netdev");
    report("other client", other, ovsdb_idl_txn_commit_block(other, 5000));
    ovsdb_idl_txn_destroy(other);
    report("stale verify", txn, ovsdb_idl_txn_commit_block(txn, 5000));
    ovsdb_idl_txn_destroy(txn);
    sync_idl(a);
    r = ovsdb_idl_get_row(a, "Bridge", &real);
    txn = ovsdb_idl_txn_create(a);
    ovsdb_idl_txn_verify(txn, r, "datapath_type");
    write_str(txn, a, "Bridge", &real, "fail_mode", "secure");
    report("retry", txn, ovsdb_idl_txn_commit_block(txn, 5000));
    ovsdb_idl_txn_destroy(txn);

    /* 5. A constraint error. */
    txn = ovsdb_idl_txn_create(a);
    write_str(txn, a, "Bridge", &real, "fail_mode", "bogus");
    report("bad value", txn, ovsdb_idl_txn_commit_block(txn, 5000));
    ovsdb_idl_txn_destroy(txn);

    /* 6. Insert and delete a root row; a dry run changes nothing. */
    {
        struct ovsdb_uuid q = {{0}}, qreal;

        txn = ovsdb_idl_txn_create(a);
        ovsdb_idl_txn_insert(txn, "QoS", &q);
        write_str(txn, a, "QoS", &q, "type", "linux-htb");
        report("insert qos", txn, ovsdb_idl_txn_commit_block(txn, 5000));
        ovsdb_idl_txn_get_insert_uuid(txn, &q, &qreal);
        ovsdb_idl_txn_destroy(txn);
        sync_idl(a);
        txn = ovsdb_idl_txn_create(a);
        ovsdb_idl_txn_delete(txn, "QoS", &qreal);
        ovsdb_idl_txn_set_dry_run(txn);
        report("dry-run delete", txn, ovsdb_idl_txn_commit_block(txn, 5000));
        ovsdb_idl_txn_destroy(txn);
        sync_idl(a);
        printf("qos after dry run: %s\n",
               ovsdb_idl_get_row(a, "QoS", &qreal) ? "present" : "gone");
        txn = ovsdb_idl_txn_create(a);
        ovsdb_idl_txn_delete(txn, "QoS", &qreal);
        report("delete qos", txn, ovsdb_idl_txn_commit_block(txn, 5000));
        ovsdb_idl_txn_destroy(txn);
        sync_idl(a);
        printf("qos after delete: %s\n",
               ovsdb_idl_get_row(a, "QoS", &qreal) ? "present" : "gone");
    }

    /* 7. Locks. */
    ovsdb_idl_set_lock(a, "idl_txn_test");
    sync_idl(a);
    ovsdb_idl_set_lock(b, "idl_txn_test");
    sync_idl(b);
    printf("a has lock: %s, b has lock: %s\n",
           ovsdb_idl_has_lock(a) ? "yes" : "no",
           ovsdb_idl_has_lock(b) ? "yes" : "no");
    txn = ovsdb_idl_txn_create(b);
    write_str(txn, b, "Bridge", &real, "datapath_type", "system");
    report("b without lock", txn, ovsdb_idl_txn_commit_block(txn, 5000));
    ovsdb_idl_txn_destroy(txn);
    txn = ovsdb_idl_txn_create(a);
    write_str(txn, a, "Bridge", &real, "datapath_type", "system");
    report("a with lock", txn, ovsdb_idl_txn_commit_block(txn, 5000));
    ovsdb_idl_txn_destroy(txn);
    printf("cur_cfg %lld next_cfg %lld\n", (long long) ovs_int(a, "cur_cfg"),
           (long long) ovs_int(a, "next_cfg"));

    ovsdb_idl_destroy(a);
    ovsdb_idl_destroy(b);
    return 0;
}
