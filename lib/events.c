/*
 * events.c - what the reader and the shards of one sync share, and the
 * events that reach the caller's callback.
 *
 * Owns the sync's shared state (its options, the stop that a callback or
 * a failure sets, each party's counts) and the callback: events come one
 * at a time, whatever the thread, each with the counts of the reader and
 * every shard summed as one sync's. Knows nothing of files or indexes.
 * Calls no other module.
 */
#include "lede_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

static void add_stats(lede_sync_stats *sum, const lede_sync_stats *s)
{
    sum->added += s->added;
    sum->updated += s->updated;
    sum->deleted += s->deleted;
    sum->unchanged += s->unchanged;
    sum->skipped += s->skipped;
    sum->errors += s->errors;
    sum->files_total += s->files_total;
    sum->files_done += s->files_done;
    sum->bytes_total += s->bytes_total;
    sum->bytes_done += s->bytes_done;
    sum->commits += s->commits;
}

/* The counts of the reader and every shard, summed as one sync's. */
void lede__events_sum(const lede__events *h, lede_sync_stats *sum)
{
    memset(sum, 0, sizeof *sum);
    for (unsigned i = 0; i <= h->n; i++)
        add_stats(sum, &h->pub[i]);
}

int lede__events_stopped(const lede__events *h)
{
    return atomic_load(&h->stop);
}

/* Make mine the counts that the next event sums, without an event. */
void lede__events_publish(lede__events *h, lede_sync_stats *slot,
                          const lede_sync_stats *mine)
{
    pthread_mutex_lock(&h->lock);
    *slot = *mine;
    pthread_mutex_unlock(&h->lock);
}

/* Report an event with mine, the counts of the one reporting it (slot
 * its place in pub), and a warning's kind. Events come one at a time,
 * whatever the thread. */
int lede__events_emit(lede__events *h, lede_sync_stats *slot,
                      const lede_sync_stats *mine, lede_sync_event_kind kind,
                      lede_warning warning, const char *path, uint64_t line,
                      const char *message)
{
    lede_sync_stats sum;
    if (h->opt.cb == NULL)
        return 0;
    pthread_mutex_lock(&h->lock);
    *slot = *mine;
    lede__events_sum(h, &sum);
    lede_sync_event ev = {kind, path, line, message, &sum, warning};
    if (h->opt.cb(&ev, h->opt.payload) != 0)
        atomic_store(&h->stop, 1);
    pthread_mutex_unlock(&h->lock);
    return 0;
}
