/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-lite: an RFC 7047 database server with a crash-safe journal.
 *
 *   ovsdb-lite [--remote=punix:PATH|ptcp:PORT[:IP]]... [DAEMON OPTIONS]
 *              [--max-message-size=BYTES] [--compact-min=BYTES]
 *              [--probe-interval=MS] DBFILE...
 *
 * The default remote is punix:$VSWITCH_RUNDIR/db.sock.  See
 * docs/ovsdb-lite.md.
 */
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include "server.h"
#include "vswitch/daemon.h"
#include "vswitch/evloop.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_lite);

enum {
    OPT_REMOTE = 2000,
    OPT_MAX_MSG,
    OPT_COMPACT_MIN,
    OPT_PROBE,
};

static void
usage(void)
{
    printf("%s: RFC 7047 configuration database server\n"
           "usage: %s [OPTIONS] DBFILE...\n"
           "  --remote=punix:PATH|ptcp:PORT[:IP]  listen here (repeatable;\n"
           "                            default punix:RUNDIR/db.sock)\n"
           "  --max-message-size=BYTES  largest request accepted "
           "(default 64 MiB)\n"
           "  --compact-min=BYTES       journal size below which it is never\n"
           "                            compacted (default 10 MiB)\n"
           "  --probe-interval=MS       idle TCP probe (default 5000, 0 "
           "off)\n",
           vs_program_name(), vs_program_name());
    daemon_usage();
}

static long long
parse_size(const char *s, const char *what)
{
    long long v;

    if (!vs_str_to_llong(s, 0, 1LL << 40, &v)) {
        vs_fatal(2, "%s: bad value \"%s\"", what, s);
    }
    return v;
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        DAEMON_LONG_OPTIONS,
        {"remote", required_argument, NULL, OPT_REMOTE},
        {"max-message-size", required_argument, NULL, OPT_MAX_MSG},
        {"compact-min", required_argument, NULL, OPT_COMPACT_MIN},
        {"probe-interval", required_argument, NULL, OPT_PROBE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct server_options opts = {
        .max_msg_size = 64 << 20,
        .max_backlog = 16 << 20,
        .probe_ms = 5000,
        .compact_min = 10 << 20,
        .compact_ratio = 4,
    };
    char **remotes = NULL;
    size_t n_remotes = 0;
    struct unixctl_server *unixctl;
    struct server *srv;
    struct evloop *loop;
    int c, error;

    vs_set_program_name(argv[0]);
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hv::", long_options, NULL)) != -1) {
        switch (c) {
            DAEMON_OPTION_HANDLERS
        case OPT_REMOTE:
            remotes = xrealloc(remotes, (n_remotes + 1) * sizeof *remotes);
            remotes[n_remotes++] = optarg;
            break;
        case OPT_MAX_MSG:
            opts.max_msg_size = parse_size(optarg, "--max-message-size");
            if (opts.max_msg_size < 1024) {
                vs_fatal(2, "--max-message-size must be at least 1024");
            }
            break;
        case OPT_COMPACT_MIN:
            opts.compact_min = parse_size(optarg, "--compact-min");
            break;
        case OPT_PROBE:
            opts.probe_ms = parse_size(optarg, "--probe-interval");
            break;
        case 'h':
            usage();
            return 0;
        default:
            vs_fatal(2,
                     "unknown option or missing argument '%s' (use --help "
                     "for help)",
                     argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        vs_fatal(2, "at least one DBFILE is required (use --help for help)");
    }

    /* The pidfile, control socket and default remote live in the run
     * directory: make sure it exists (failure shows up when they are
     * created). */
    if (mkdir(vs_rundir(), 0755) < 0 && errno != EEXIST) {
        VLOG_DBG("%s: cannot create: %s", vs_rundir(), vs_strerror(errno));
    }
    daemon_start();
    signal(SIGPIPE, SIG_IGN);
    loop = evloop_create();
    srv = server_create(loop, &opts);
    for (int i = optind; i < argc; i++) {
        if (server_add_db(srv, argv[i])) {
            vs_fatal(1, "%s: cannot open database", argv[i]);
        }
    }
    if (!n_remotes) {
        char *def = xasprintf("punix:%s/db.sock", vs_rundir());

        error = server_add_remote(srv, def);
        free(def);
        if (error) {
            vs_fatal(1, "cannot listen on the default remote");
        }
    }
    for (size_t i = 0; i < n_remotes; i++) {
        if (server_add_remote(srv, remotes[i])) {
            vs_fatal(1, "%s: cannot listen", remotes[i]);
        }
    }
    error = unixctl_server_create(loop, daemon_unixctl_path(), &unixctl);
    if (error) {
        vs_fatal(1, "cannot create control socket: %s", vs_strerror(error));
    }
    server_register_commands(srv);
    daemon_install_signals(loop);
    daemon_ready();

    evloop_run(loop);

    VLOG_INFO("exiting");
    server_destroy(srv);
    unixctl_server_destroy(unixctl);
    evloop_destroy(loop);
    daemon_cleanup();
    free(remotes);
    return 0;
}
