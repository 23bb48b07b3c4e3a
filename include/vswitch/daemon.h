/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_DAEMON_H
#define VSWITCH_DAEMON_H 1

/*
 * daemon: what every long-running vswitch program does the same way.
 *
 * Options (add DAEMON_LONG_OPTIONS to the getopt_long table and
 * DAEMON_OPTION_HANDLERS to its switch):
 *
 *   --detach              run in the background once initialized
 *   --pidfile[=FILE]      write (and lock) a pidfile; default
 *                         $VSWITCH_RUNDIR/PROGRAM.pid
 *   --log-file[=FILE]     log to FILE; default $VSWITCH_LOGDIR/PROGRAM.log
 *   --unixctl=SOCKET      control socket path ("none": no socket)
 *   --user=USER[:GROUP]   drop root for USER, keeping only the capabilities
 *                         the program named with daemon_keep_capabilities()
 *   --no-chdir            do not chdir("/") when detaching
 *   -v, --verbose[=SPEC]  log levels (see vlog.h)
 *
 * Sequence in main():
 *
 *     parse options (the handlers only record);
 *     daemon_start();        fork if --detach (the parent waits), drop
 *                            privileges, write the pidfile
 *     ... initialize: open sockets, create the unixctl server ...
 *     daemon_ready();        the parent exits 0; stdio goes to /dev/null
 *     daemon_install_signals(loop);  SIGTERM/SIGINT stop the loop,
 *                                    SIGHUP reopens the log file
 *     evloop_run(loop);
 *     daemon_cleanup();      remove the pidfile
 *
 * If the child fails before daemon_ready(), the waiting parent exits with
 * the child's failure status, so `--detach` reports start-up errors to the
 * shell that started the daemon.
 *
 * Thread-safety: call these from the main thread only.
 */

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

struct evloop;

enum {
    DAEMON_OPT_DETACH = 1000,
    DAEMON_OPT_PIDFILE,
    DAEMON_OPT_LOG_FILE,
    DAEMON_OPT_UNIXCTL,
    DAEMON_OPT_USER,
    DAEMON_OPT_NO_CHDIR,
    DAEMON_OPT_VERBOSE,
};

#define DAEMON_LONG_OPTIONS                                                   \
    {"detach", no_argument, NULL, DAEMON_OPT_DETACH},                         \
        {"pidfile", optional_argument, NULL, DAEMON_OPT_PIDFILE},             \
        {"log-file", optional_argument, NULL, DAEMON_OPT_LOG_FILE},           \
        {"unixctl", required_argument, NULL, DAEMON_OPT_UNIXCTL},             \
        {"user", required_argument, NULL, DAEMON_OPT_USER},                   \
        {"no-chdir", no_argument, NULL, DAEMON_OPT_NO_CHDIR},                 \
    {                                                                         \
        "verbose", optional_argument, NULL, 'v'                               \
    }

#define DAEMON_OPTION_HANDLERS                                                \
    case DAEMON_OPT_DETACH:                                                   \
    case DAEMON_OPT_PIDFILE:                                                  \
    case DAEMON_OPT_LOG_FILE:                                                 \
    case DAEMON_OPT_UNIXCTL:                                                  \
    case DAEMON_OPT_USER:                                                     \
    case DAEMON_OPT_NO_CHDIR:                                                 \
    case 'v':                                                                 \
        daemon_handle_option(c, optarg);                                      \
        break;

/* Records option 'c' with argument 'arg' (may be NULL). */
void daemon_handle_option(int c, const char *arg);

/* Capabilities (CAP_* numbers) to keep when --user drops root. */
void daemon_keep_capabilities(const int *caps, size_t n_caps);

void daemon_start(void);
void daemon_ready(void);
void daemon_install_signals(struct evloop *);
void daemon_cleanup(void);

bool daemon_is_detached(void);
/* The --unixctl value, or NULL for the default path. */
const char *daemon_unixctl_path(void);
const char *daemon_pidfile(void); /* NULL if none. */

/* Prints the daemon options for --help. */
void daemon_usage(void);

#endif /* VSWITCH_DAEMON_H */
