/*
 * What lede-index tells while and after it runs: the progress line on a
 * terminal, the skipped files, problems and warnings the sync reports as
 * they happen (of each kind of warning the first few, and at the end how
 * many more, unless --verbose), the summary line on stderr and the
 * --stats line on stdout.
 * Text from the corpus is shown with its control characters visible.
 * Calls liblede (lede.h: the index and shard-set statistics) and
 * cli/visible.c.
 */
#include "../cli/visible.h"
#include "indexer.h"

#include <stdio.h>
#include <time.h>

/* Warnings of one kind shown, at most: a corpus with the same oddity in
 * thousands of articles (a date no reader understands) would flood the
 * terminal and the cron mail with one line each. The rest are counted,
 * a line a kind at the end; --verbose shows every one. */
#define WARNINGS_SHOWN 5

/* What each kind of warning is about, for the line of those not shown. */
static const char *const warning_about[UI_WARNING_KINDS] = {
    [LEDE_WARN_NONE] = "other kinds",
    [LEDE_WARN_DATE] = "dates not understood",
    [LEDE_WARN_ENCODING] = "text not in the encoding expected",
    [LEDE_WARN_DUPLICATE_ID] = "ids given twice in a file",
    [LEDE_WARN_FIELDS] = "fields not indexed",
    [LEDE_WARN_ID_OWNER] = "ids taken back by the files they name",
    [LEDE_WARN_FIELD] = "field values left out",
};

/* "s" unless n is 1: "1 error", "2 errors". */
static const char *plural(unsigned long long n)
{
    return n == 1 ? "" : "s";
}

double report_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void report_clear(ui *u)
{
    if (u->drawn) {
        fputs("\r\033[K", stderr);
        u->drawn = 0;
    }
}

static void draw(ui *u, const lede_sync_stats *s)
{
    double t = report_now(), dt = t - u->start;
    if (t - u->last_draw < 0.1)
        return;
    u->last_draw = t;
    double rate = dt > 0 ? (double)s->bytes_done / dt : 0;
    char eta[32] = "ETA --:--";
    if (s->bytes_total > 0 && s->bytes_done >= s->bytes_total) {
        /* Everything is read; the threads may still be indexing what the
         * reader handed them, for longer than "ETA 0:00" would say. */
        snprintf(eta, sizeof eta, "finishing");
    } else if (rate > 0 && s->bytes_total >= s->bytes_done) {
        long left = (long)((double)(s->bytes_total - s->bytes_done) / rate);
        snprintf(eta, sizeof eta, "ETA %ld:%02ld", left / 60, left % 60);
    }
    fprintf(stderr,
            "\r\033[K%s: files %llu/%llu  articles +%llu ~%llu -%llu  "
            "%.1f MB/s  %s",
            prog, (unsigned long long)s->files_done,
            (unsigned long long)s->files_total, (unsigned long long)s->added,
            (unsigned long long)s->updated, (unsigned long long)s->deleted,
            rate / 1e6, eta);
    u->drawn = 1;
}

int report_event(const lede_sync_event *ev, void *payload)
{
    ui *u = payload;
    switch (ev->kind) {
    case LEDE_SYNC_SKIPPED:
        report_clear(u);
        fprintf(stderr, "%s: %s: skipped: %s\n", prog, vis(ev->path),
                vis(ev->message));
        break;
    case LEDE_SYNC_PROBLEM:
        /* A corpus moved to another path gives one for every article,
         * and each later run one for every file: shown as a kind of
         * warning is. */
        if (ev->warning == LEDE_WARN_ID_ELSEWHERE &&
            ++u->elsewhere > WARNINGS_SHOWN && !u->verbose)
            break;
        if (ev->warning == LEDE_WARN_REMEMBERED &&
            ++u->remembered > WARNINGS_SHOWN && !u->verbose)
            break;
        report_clear(u);
        if (ev->line)
            fprintf(stderr, "%s: %s:%llu: %s\n", prog, vis(ev->path),
                    (unsigned long long)ev->line, vis(ev->message));
        else
            fprintf(stderr, "%s: %s: %s\n", prog, vis(ev->path),
                    vis(ev->message));
        break;
    case LEDE_SYNC_WARNING: {
        unsigned k = (unsigned)ev->warning < UI_WARNING_KINDS
                         ? (unsigned)ev->warning
                         : LEDE_WARN_NONE;
        if (++u->warned[k] > WARNINGS_SHOWN && !u->verbose)
            break;
        report_clear(u);
        if (ev->line)
            fprintf(stderr, "%s: warning: %s:%llu: %s\n", prog, vis(ev->path),
                    (unsigned long long)ev->line, vis(ev->message));
        else
            fprintf(stderr, "%s: warning: %s: %s\n", prog, vis(ev->path),
                    vis(ev->message));
        break;
    }
    case LEDE_SYNC_IGNORED:
        if (u->verbose) {
            report_clear(u);
            fprintf(stderr, "%s: %s: ignored: %s\n", prog, vis(ev->path),
                    vis(ev->message));
        }
        break;
    case LEDE_SYNC_PROGRESS:
    case LEDE_SYNC_COMMITTED:
        if (u->tty && !u->quiet)
            draw(u, ev->stats);
        break;
    }
    return got_signal != 0; /* stop, after committing, on a signal */
}

void report_warnings_unshown(ui *u)
{
    if (u->remembered > WARNINGS_SHOWN && !u->verbose) {
        uint64_t more = u->remembered - WARNINGS_SHOWN;
        report_clear(u);
        fprintf(stderr,
                "%s: %llu more file%s unchanged since bad parts were found "
                "in them, not shown (--verbose shows all)\n",
                prog, (unsigned long long)more, plural(more));
    }
    if (u->elsewhere > 0) {
        uint64_t more = u->elsewhere - WARNINGS_SHOWN;
        report_clear(u);
        if (u->elsewhere > WARNINGS_SHOWN && !u->verbose)
            fprintf(stderr,
                    "%s: %llu more article%s whose ids other files hold, not "
                    "shown (--verbose shows all)\n",
                    prog, (unsigned long long)more, plural(more));
        fprintf(stderr,
                "%s: an article's id belongs to the file it was first read "
                "from; if the corpus moved, --rebuild indexes it from where "
                "it is\n",
                prog);
    }
    if (u->verbose)
        return;
    for (unsigned k = 0; k < UI_WARNING_KINDS; k++) {
        if (u->warned[k] <= WARNINGS_SHOWN)
            continue;
        uint64_t more = u->warned[k] - WARNINGS_SHOWN;
        report_clear(u);
        fprintf(stderr,
                "%s: warning: %llu more warning%s of %s, not shown "
                "(--verbose shows all)\n",
                prog, (unsigned long long)more, plural(more), warning_about[k]);
    }
}

/* The --stats line, for logs and monitoring: the counts of what the index
 * kept (a run that failed or was stopped counts only what it committed),
 * the exit status, the seconds spent waiting for another lede-index's lock
 * apart from those of the run's own work, and when it ended. */
void report_stats(const lede_sync_stats *st, int status, const ui *u)
{
    double end = report_now(), wait = u->waited;
    uint64_t warnings = 0;
    for (unsigned k = 0; k < UI_WARNING_KINDS; k++)
        warnings += u->warned[k];
    char when[32] = "";
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm) != NULL)
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("added=%llu updated=%llu deleted=%llu unchanged=%llu skipped=%llu "
           "errors=%llu warnings=%llu seconds=%.3f wait_seconds=%.3f "
           "status=%d time=%s\n",
           (unsigned long long)st->added, (unsigned long long)st->updated,
           (unsigned long long)st->deleted, (unsigned long long)st->unchanged,
           (unsigned long long)st->skipped, (unsigned long long)st->errors,
           (unsigned long long)warnings, end - u->start - wait, wait, status,
           when);
    fflush(stdout);
}

/* The summary line on stderr: counts, and what the index (or set) now
 * holds. idx is the run's handle, or NULL. */
void report_summary(const options *o, const ui *u, const lede_sync_stats *st,
                    lede_index *idx, int set, int rc)
{
    lede_index_info info;
    fprintf(stderr,
            "%s: %llu added, %llu updated, %llu deleted, %llu unchanged; "
            "%llu file%s skipped, %llu error%s; %.1f MB in %.2f s",
            prog, (unsigned long long)st->added,
            (unsigned long long)st->updated, (unsigned long long)st->deleted,
            (unsigned long long)st->unchanged, (unsigned long long)st->skipped,
            plural(st->skipped), (unsigned long long)st->errors,
            plural(st->errors), (double)st->bytes_done / 1e6,
            report_now() - u->start);
    lede_index *r = idx;
    uint64_t articles, passages;
    if (set && lede_shards_stat(&articles, &passages, o->index_dir) == 0)
        fprintf(stderr, "; the set holds %llu article%s in %llu passage%s",
                (unsigned long long)articles, plural(articles),
                (unsigned long long)passages, plural(passages));
    if (!set && r == NULL && rc == 0) /* rebuilt: the new index */
        lede_index_open(&r, o->index_dir, NULL);
    if (r != NULL && lede_index_stat(&info, r) == 0)
        fprintf(stderr, "; the index holds %llu article%s in %llu passage%s",
                (unsigned long long)info.articles, plural(info.articles),
                (unsigned long long)info.passages, plural(info.passages));
    if (r != idx)
        lede_index_free(r);
    fputc('\n', stderr);
}
