/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_VLOG_H
#define VSWITCH_VLOG_H 1

/*
 * vlog: per-module logging with run-time levels and rate limiting.
 *
 * Each source file that logs declares its module once:
 *
 *     VLOG_DEFINE_THIS_MODULE(bridge);
 *
 * and logs with VLOG_ERR(...), VLOG_WARN(...), VLOG_INFO(...), VLOG_DBG(...)
 * (printf-style).  Each module has one level per destination (console =
 * stderr, syslog, file); a message goes to each destination whose level is at
 * least as verbose as the message.  A disabled message costs one comparison.
 *
 * Levels, most to least severe: emer, err, warn, info, dbg; "off" disables a
 * destination.  Defaults: console info, syslog off, file info.
 *
 * Settings are written as SPEC strings, the syntax of `vlog/set` and of the
 * `-v`/`--verbose` option: words separated by ':' (or spaces), each a module
 * name or "any", a destination (console, syslog, file) or "any", and a
 * level.  Words left out mean "any"; a missing level means dbg.  Examples:
 * "dbg", "unixctl:file:dbg", "console:warn".  "PATTERN:DEST:FORMAT" is not
 * supported.
 *
 * Rate limiting: a static struct vlog_rate_limit per call site,
 *
 *     static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
 *     VLOG_WARN_RL(&rl, "bad packet on %s", name);
 *
 * allows a burst of 20 messages and then 5 per minute; suppressed messages
 * are counted and reported with the next one that passes.
 *
 * Thread-safety: every function may be called from any thread.  Output to
 * each destination is serialized by one internal mutex; level checks read
 * atomically without a lock.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <pthread.h>
#include "vswitch/list.h"
#include "vswitch/util.h"

enum vlog_level {
    VLL_OFF,  /* Nothing. */
    VLL_EMER, /* The process is about to die. */
    VLL_ERR,  /* Something failed that should not have. */
    VLL_WARN, /* Unusual, maybe a problem. */
    VLL_INFO, /* Normal but significant. */
    VLL_DBG,  /* Debugging detail. */
    VLL_N_LEVELS
};

enum vlog_destination {
    VLF_CONSOLE, /* stderr */
    VLF_SYSLOG,  /* syslog(3) */
    VLF_FILE,    /* --log-file */
    VLF_N_DESTINATIONS,
    VLF_ANY_DESTINATION = -1
};

struct vlog_module {
    struct vs_list node;            /* In the list of all modules. */
    const char *name;               /* Module name. */
    int levels[VLF_N_DESTINATIONS]; /* Level per destination. */
    int min_level;                  /* Most verbose of 'levels'. */
};

struct vlog_rate_limit {
    unsigned int rate;         /* Messages allowed per minute. */
    unsigned int burst;        /* Most messages allowed at once. */
    unsigned long long tokens; /* In units of 1/rate minutes (msec-ish). */
    long long last_fill;       /* When 'tokens' was last refilled, msec. */
    unsigned int n_dropped;    /* Messages suppressed since the last pass. */
    long long first_dropped;   /* When the first of them was suppressed. */
    pthread_mutex_t mutex;     /* Protects the members above. */
};

#define VLOG_RATE_LIMIT_INIT(RATE, BURST)                                     \
    {                                                                         \
        (RATE), (BURST), 0, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER                \
    }

void vlog_register_module__(struct vlog_module *);

#define VLOG_DEFINE_THIS_MODULE(MODULE)                                       \
    static struct vlog_module this_module = {                                 \
        .name = #MODULE,                                                      \
        .levels = {VLL_INFO, VLL_OFF, VLL_INFO},                              \
        .min_level = VLL_INFO,                                                \
    };                                                                        \
    static void __attribute__((constructor)) vlog_init_##MODULE(void)         \
    {                                                                         \
        vlog_register_module__(&this_module);                                 \
    }                                                                         \
    struct vlog_dummy_##MODULE

const char *vlog_level_to_string(enum vlog_level);
int vlog_level_from_string(const char *); /* -1 if unknown. */
const char *vlog_destination_to_string(enum vlog_destination);
int vlog_destination_from_string(const char *); /* -1 if unknown. */

/* Whether 'module' would log at 'level' anywhere. */
static inline bool
vlog_is_enabled(const struct vlog_module *module, enum vlog_level level)
{
    return (int) level
           <= __atomic_load_n(&module->min_level, __ATOMIC_RELAXED);
}

void vlog(const struct vlog_module *, enum vlog_level, const char *fmt, ...)
    VS_PRINTF_FORMAT(3, 4);
void vlog_valist(const struct vlog_module *, enum vlog_level, const char *,
                 va_list) VS_PRINTF_FORMAT(3, 0);
/* Like vlog() but subject to 'rl'. */
void vlog_rate_limit(const struct vlog_module *, enum vlog_level,
                     struct vlog_rate_limit *rl, const char *fmt, ...)
    VS_PRINTF_FORMAT(4, 5);
/* Whether a message at 'level' would be dropped by 'rl' (consumes a token
 * if not). */
bool vlog_should_drop(const struct vlog_module *, enum vlog_level,
                      struct vlog_rate_limit *);

/* Logs at EMER, then exits with status 1 (vlog_fatal) or aborts. */
void vlog_fatal(const struct vlog_module *, const char *fmt, ...)
    VS_PRINTF_FORMAT(2, 3) VS_NO_RETURN;
void vlog_abort(const struct vlog_module *, const char *fmt, ...)
    VS_PRINTF_FORMAT(2, 3) VS_NO_RETURN;

#define VLOG_FATAL(...) vlog_fatal(&this_module, __VA_ARGS__)
#define VLOG_ABORT(...) vlog_abort(&this_module, __VA_ARGS__)
#define VLOG_EMER(...) VLOG(VLL_EMER, __VA_ARGS__)
#define VLOG_ERR(...) VLOG(VLL_ERR, __VA_ARGS__)
#define VLOG_WARN(...) VLOG(VLL_WARN, __VA_ARGS__)
#define VLOG_INFO(...) VLOG(VLL_INFO, __VA_ARGS__)
#define VLOG_DBG(...) VLOG(VLL_DBG, __VA_ARGS__)
#define VLOG_ERR_RL(RL, ...) VLOG_RL(RL, VLL_ERR, __VA_ARGS__)
#define VLOG_WARN_RL(RL, ...) VLOG_RL(RL, VLL_WARN, __VA_ARGS__)
#define VLOG_INFO_RL(RL, ...) VLOG_RL(RL, VLL_INFO, __VA_ARGS__)
#define VLOG_DBG_RL(RL, ...) VLOG_RL(RL, VLL_DBG, __VA_ARGS__)
#define VLOG_IS_DBG_ENABLED() vlog_is_enabled(&this_module, VLL_DBG)
#define VLOG_IS_INFO_ENABLED() vlog_is_enabled(&this_module, VLL_INFO)

#define VLOG(LEVEL, ...)                                                      \
    do {                                                                      \
        if (vlog_is_enabled(&this_module, LEVEL)) {                           \
            vlog(&this_module, LEVEL, __VA_ARGS__);                           \
        }                                                                     \
    } while (0)
#define VLOG_RL(RL, LEVEL, ...)                                               \
    do {                                                                      \
        if (vlog_is_enabled(&this_module, LEVEL)) {                           \
            vlog_rate_limit(&this_module, LEVEL, RL, __VA_ARGS__);            \
        }                                                                     \
    } while (0)

/* Applies a SPEC (see above).  Returns NULL on success, otherwise an error
 * message that the caller must free(). */
char *vlog_set_levels_from_string(const char *spec) VS_WARN_UNUSED;
/* Sets the level of 'module' (NULL: all) at 'dest' (VLF_ANY_DESTINATION:
 * all). */
void vlog_set_levels(struct vlog_module *, enum vlog_destination,
                     enum vlog_level);
enum vlog_level vlog_get_level(const struct vlog_module *,
                               enum vlog_destination);
struct vlog_module *vlog_module_from_name(const char *);

/* Opens 'file_name' for the file destination (NULL: the default,
 * $VSWITCH_LOGDIR/PROGRAM.log).  Returns 0 or errno. */
int vlog_set_log_file(const char *file_name);
/* Closes and reopens the log file (after rotation).  Returns 0 or errno. */
int vlog_reopen_log_file(void);
/* The log file's name, or NULL; valid until vlog_set_log_file(). */
const char *vlog_get_log_file(void);
/* Starts using syslog with ident = the program name. */
void vlog_init_syslog(void);

/* The `vlog/list` table as text; the caller frees it. */
char *vlog_get_levels(void);

/* Handles "-v[SPEC]" / "--verbose[=SPEC]" for a command-line option;
 * exits with status 2 on a bad spec. */
void vlog_set_verbosity(const char *spec);

#endif /* VSWITCH_VLOG_H */
