/*
 * indexer.h - what the files of lede-index share: the program's name and
 * signal flag (main.c), the state of the progress line (report.c) and the
 * options read from the command line (options.c). One section per file,
 * in the order of the build. Only lede.h is used of the library.
 */
#ifndef LEDE_INDEXER_H
#define LEDE_INDEXER_H

#include "lede.h"

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

/* main.c */

/* "lede-index", the name every message starts with. */
extern const char *prog;
/* The signal (SIGINT, SIGTERM) that asked the run to stop, or 0. */
extern volatile sig_atomic_t got_signal;

/* The two structs the files pass around: the output's state, kept by
 * report.c (options.c sets --quiet and --verbose in it), and the command
 * line, read by options.c. */

/* The warnings' kinds that ui counts apart: LEDE_WARN_NONE (standing
 * for kinds newer than this program) to LEDE_WARN_FIELD (the problems'
 * kinds between them are counted apart, never as warnings). */
#define UI_WARNING_KINDS (LEDE_WARN_FIELD + 1)

/* The state of what is shown on the terminal. */
typedef struct {
    int tty;          /* stderr is a terminal: progress line */
    int verbose;      /* name ignored files too */
    int quiet;        /* no progress line */
    double start;     /* when the run began */
    double last_draw; /* when the progress line was last drawn */
    int drawn;        /* a progress line is on the screen */
    double waited;    /* seconds spent waiting for another writer */
    uint64_t warned[UI_WARNING_KINDS]; /* warnings of each kind, by
                                          lede_warning (kinds after the
                                          known ones counted at 0) */
    uint64_t elsewhere;                /* problems: ids other files hold */
    uint64_t remembered; /* problems: files unchanged since their own */
} ui;

/* What the command line asks for. */
typedef struct {
    lede_index_options io;    /* how to open (or make) the index */
    lede_sync_options so;     /* how to read and sync the corpus */
    const char **deletes;     /* --delete ids */
    size_t ndeletes;          /* their count */
    const char **includes;    /* --include patterns */
    size_t nincludes;         /* their count */
    const char **excludes;    /* --exclude patterns */
    size_t nexcludes;         /* their count */
    char *fields;             /* --field names, comma-separated */
    char *json_fields;        /* --json-FIELD renames, "FIELD=KEY,..." */
    int filters;              /* patterns given (or --no-filters) */
    int rebuild;              /* --rebuild */
    int check;                /* --check */
    int list;                 /* --list */
    const char *list_dir;     /* --list=DIR: under this folder only */
    int compact;              /* --compact */
    int stats;                /* --stats */
    unsigned shards;          /* --shards, or 0 */
    const char *index_dir;    /* INDEX_DIR */
    const char *const *roots; /* CORPUS... */
    size_t nroots;            /* their count */
} options;

/* report.c */

/* Seconds on the monotonic clock. */
double report_now(void);
/* Take the progress line off the screen, if it is there. */
void report_clear(ui *u);
/* The sync's callback (payload: the ui): messages and the progress line.
 * Non-zero, to stop after committing, once a signal came. */
int report_event(const lede_sync_event *ev, void *payload);
/* One line for each kind of warning of which some were not shown. */
void report_warnings_unshown(ui *u);
void report_stats(const lede_sync_stats *st, int status, const ui *u);
void report_summary(const options *o, const ui *u, const lede_sync_stats *st,
                    lede_index *idx, int set, int rc);

/* options.c */

void options_free(options *o);
int options_read(options *o, ui *u, int argc, char **argv);

/* usage.c */

/* Print --help on f. */
void usage_print(FILE *f);

#endif
