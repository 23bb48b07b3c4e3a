/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vswitchd: the switch daemon.
 *
 * Bridges, ports and interfaces come from the database (bridge.c, through
 * the IDL); each bridge gets a datapath of its own, named like the bridge.
 * Datapaths can also come from the command line or from unixctl
 * (`dpctl/add-dp`, `dpctl/add-if`), and flows from `vswitch-dpctl` (the
 * dpctl commands, which reach the bridges' datapaths too).  The datapath
 * code lives in lib/ (dpif, dpif-netdev, dpctl).
 *
 * usage: vswitchd [--db=REMOTE] [--default-datapath=TYPE|auto]
 *                 [--datapath=NAME] [--add-if=IFACE[,type=T]]...
 *                 [--dp-threads=N] [DAEMON OPTIONS]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include "bridge.h"
#include "ofproto.h"
#include "vswitch/daemon.h"
#include "vswitch/dpctl.h"
#include "vswitch/ds.h"
#include "vswitch/evloop.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(vswitchd);

enum {
    OPT_DATAPATH = 2000,
    OPT_ADD_IF,
    OPT_DP_THREADS,
    OPT_DB,
    OPT_NO_DB,
    OPT_DEFAULT_DATAPATH,
};

static void
usage(void)
{
    printf("%s: vswitch daemon (userspace datapath)\n"
           "usage: %s [OPTIONS]\n"
           "  --db=REMOTE            database (default "
           "unix:$VSWITCH_RUNDIR/db.sock)\n"
           "  --no-db                no database: datapaths from options "
           "and dpctl only\n"
           "  --default-datapath=TYPE  datapath type of bridges that name "
           "none\n"
           "                         (netdev, default; auto: kernel if "
           "available)\n"
           "  --datapath=NAME        create netdev datapath NAME\n"
           "  --add-if=IFACE[,type=T]  add a port to it (repeatable)\n"
           "  --dp-threads=N         I/O threads of the datapath\n"
           "  -h, --help             this help\n"
           "  -V, --version          version\n",
           vs_program_name(), vs_program_name());
    daemon_usage();
}

static void
run_or_die(int argc, const char *argv[])
{
    struct ds out = DS_EMPTY_INITIALIZER;

    if (dpctl_run(argc, argv, &out)) {
        vs_fatal(1, "%s", ds_cstr(&out));
    }
    ds_destroy(&out);
}

static void
periodic(void *aux)
{
    dpctl_run_periodic();
}

static void
wake(int fd, uint32_t events, void *aux)
{
    /* Nothing: bridge_run() reads the connection. */
}

/* The main loop with the bridge layer: the database connection joins the
 * event loop, and bridge_run() goes between rounds. */
static void
run_with_bridge(struct evloop *loop)
{
    struct evloop_fd *handle = NULL;
    unsigned int seqno = 0;
    uint32_t cur_events = 0;
    int cur_fd = -1;

    while (!evloop_is_stopped(loop)) {
        long long timeout;
        uint32_t events;
        int fd, error;

        bridge_run();
        fd = bridge_wait(&events, &timeout);
        if (fd != cur_fd || bridge_wait_seqno() != seqno) {
            evloop_del_fd(handle);
            handle =
                fd >= 0 ? evloop_add_fd(loop, fd, events, wake, NULL) : NULL;
            cur_fd = fd;
            cur_events = events;
            seqno = bridge_wait_seqno();
        } else if (handle && events != cur_events) {
            evloop_mod_fd(handle, events);
            cur_events = events;
        }
        if (timeout < 0 || timeout > 1000) {
            timeout = 1000;
        }
        error = evloop_run_once(loop, timeout);
        if (error) {
            VLOG_ERR("epoll_wait failed: %s", vs_strerror(error));
            break;
        }
    }
    evloop_del_fd(handle);
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        DAEMON_LONG_OPTIONS,
        {"datapath", required_argument, NULL, OPT_DATAPATH},
        {"add-if", required_argument, NULL, OPT_ADD_IF},
        {"dp-threads", required_argument, NULL, OPT_DP_THREADS},
        {"db", required_argument, NULL, OPT_DB},
        {"no-db", no_argument, NULL, OPT_NO_DB},
        {"default-datapath", required_argument, NULL, OPT_DEFAULT_DATAPATH},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static const int caps[] = {CAP_NET_ADMIN, CAP_NET_RAW,
                               CAP_NET_BIND_SERVICE};
    const char *datapath = NULL, *threads = NULL, *default_dp = "netdev";
    char *db = NULL;
    bool use_db = true;
    struct unixctl_server *server;
    const char **ifaces = NULL;
    struct evloop *loop;
    int c, error, n_ifaces = 0;

    vs_set_program_name(argv[0]);
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hVv::", long_options, NULL)) != -1) {
        switch (c) {
            DAEMON_OPTION_HANDLERS
        case OPT_DATAPATH:
            datapath = optarg;
            break;
        case OPT_ADD_IF:
            ifaces = xrealloc(ifaces, (n_ifaces + 1) * sizeof *ifaces);
            ifaces[n_ifaces++] = optarg;
            break;
        case OPT_DP_THREADS:
            threads = optarg;
            break;
        case OPT_DB:
            free(db);
            db = xstrdup(optarg);
            break;
        case OPT_NO_DB:
            use_db = false;
            break;
        case OPT_DEFAULT_DATAPATH:
            default_dp = optarg;
            break;
        case 'h':
            usage();
            return 0;
        case 'V':
            printf("%s (vswitch) %s\n", vs_program_name(), VSWITCH_VERSION);
            return 0;
        default:
            vs_fatal(2,
                     "unknown option or missing argument '%s' (use --help "
                     "for help)",
                     argv[optind - 1]);
        }
    }
    if (optind < argc) {
        vs_fatal(2, "unexpected argument \"%s\"", argv[optind]);
    }
    if ((n_ifaces || threads) && !datapath) {
        vs_fatal(2, "--add-if and --dp-threads need --datapath");
    }

    if (strcmp(default_dp, "auto") && strcmp(default_dp, "netdev")
        && strcmp(default_dp, "system")) {
        vs_fatal(2, "--default-datapath: unknown type \"%s\"", default_dp);
    }
    if (use_db && !db) {
        db = xasprintf("unix:%s/db.sock", vs_rundir());
    }

    daemon_keep_capabilities(caps, ARRAY_SIZE(caps));
    daemon_start();
    loop = evloop_create();
    error = unixctl_server_create(loop, daemon_unixctl_path(), &server);
    if (error) {
        vs_fatal(1, "cannot create control socket: %s", vs_strerror(error));
    }
    dpctl_unixctl_register();
    ofproto_unixctl_register();
    if (datapath) {
        const char *add_dp[] = {"add-dp", datapath};

        run_or_die(2, add_dp);
        if (threads) {
            char *kv = xasprintf("n-threads=%s", threads);
            const char *cfg[] = {"set-config", datapath, kv};

            run_or_die(3, cfg);
            free(kv);
        }
        for (int i = 0; i < n_ifaces; i++) {
            const char *add_if[] = {"add-if", datapath, ifaces[i]};

            run_or_die(3, add_if);
        }
    }
    free(ifaces);
    evloop_add_timer(loop, 1000, 1000, periodic, NULL);
    daemon_install_signals(loop);
    daemon_ready();
    if (use_db) {
        bridge_init(db, default_dp, loop);
    }

    if (use_db) {
        run_with_bridge(loop);
    } else {
        evloop_run(loop);
    }

    VLOG_INFO("exiting");
    bridge_exit();
    free(db);
    dpctl_destroy_all();
    unixctl_server_destroy(server);
    evloop_destroy(loop);
    daemon_cleanup();
    return 0;
}
