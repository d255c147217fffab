/*
 * queue.c - the bounded queues that carry the reader's messages to the
 * shards' threads in a parallel sync.
 *
 * Owns a queue's limits and waits: the reader waits for room, a thread
 * for a message. Also the copy a message needs to be queued: in one
 * allocation with its article's strings, which the reader's buffers do
 * not keep. Knows nothing of what a message means (apply.c does). Calls
 * alloc.c and error.c.
 */
#include "lede_int.h"

#include <pthread.h>
#include <string.h>

/* A thread's queue holds at most this many messages, and past its first
 * one at most this many bytes: the reader keeps a little ahead of the
 * shards, not a corpus ahead, and memory stays small. */
#define QUEUE_MESSAGES 256
#define QUEUE_BYTES ((size_t)16 << 20)

int lede__queue_init(lede__queue *q)
{
    memset(q, 0, sizeof *q);
    if (pthread_mutex_init(&q->lock, NULL) != 0)
        return lede__error_set(LEDE_ERROR, "cannot make a mutex");
    if (pthread_cond_init(&q->more, NULL) != 0) {
        pthread_mutex_destroy(&q->lock);
        return lede__error_set(LEDE_ERROR, "cannot make a condition");
    }
    if (pthread_cond_init(&q->room, NULL) != 0) {
        pthread_cond_destroy(&q->more);
        pthread_mutex_destroy(&q->lock);
        return lede__error_set(LEDE_ERROR, "cannot make a condition");
    }
    return 0;
}

void lede__queue_destroy(lede__queue *q)
{
    while (q->head != NULL) {
        lede__apply_msg *m = q->head;
        q->head = m->next;
        lede__free(m);
    }
    pthread_cond_destroy(&q->room);
    pthread_cond_destroy(&q->more);
    pthread_mutex_destroy(&q->lock);
}

/* Put m (the queue's from now on) at the end, waiting for room. */
void lede__queue_put(lede__queue *q, lede__apply_msg *m)
{
    pthread_mutex_lock(&q->lock);
    while (q->count >= QUEUE_MESSAGES ||
           (q->count > 0 && q->bytes + m->size > QUEUE_BYTES))
        pthread_cond_wait(&q->room, &q->lock);
    m->next = NULL;
    if (q->tail != NULL)
        q->tail->next = m;
    else
        q->head = m;
    q->tail = m;
    q->count++;
    q->bytes += m->size;
    pthread_cond_signal(&q->more);
    pthread_mutex_unlock(&q->lock);
}

/* The oldest message (the caller's from now on), waiting for one. */
lede__apply_msg *lede__queue_take(lede__queue *q)
{
    pthread_mutex_lock(&q->lock);
    while (q->head == NULL)
        pthread_cond_wait(&q->more, &q->lock);
    lede__apply_msg *m = q->head;
    q->head = m->next;
    if (q->head == NULL)
        q->tail = NULL;
    q->count--;
    q->bytes -= m->size;
    pthread_cond_signal(&q->room);
    pthread_mutex_unlock(&q->lock);
    return m;
}

/* A copy of m in one allocation, an article's strings with it. */
lede__apply_msg *lede__queue_copy(const lede__apply_msg *m)
{
    const lede_article *a = &m->a;
    size_t id_len = 0, url_len = 0, path_len = 0, size = sizeof *m;
    size_t nf = m->kind == LEDE__APPLY_ARTICLE ? a->n_fields : 0;
    if (m->kind == LEDE__APPLY_ARTICLE) {
        id_len = a->id != NULL ? strlen(a->id) + 1 : 0;
        url_len = a->url != NULL ? strlen(a->url) + 1 : 0;
        path_len = a->path != NULL ? strlen(a->path) + 1 : 0;
        size += id_len + a->title_len + a->body_len + url_len + path_len;
        /* The field array first, where the message's own alignment
         * leaves it aligned. */
        size += nf * sizeof(lede_field);
        for (size_t i = 0; i < nf; i++)
            size += strlen(a->fields[i].name) + strlen(a->fields[i].value) + 2;
    }
    lede__apply_msg *c = lede__malloc(size);
    if (c == NULL)
        return NULL;
    *c = *m;
    c->size = size;
    if (m->kind == LEDE__APPLY_ARTICLE) {
        lede_field *fv = (lede_field *)(void *)(c + 1);
        char *p = (char *)(fv + nf);
        for (size_t i = 0; i < nf; i++) {
            size_t nl = strlen(a->fields[i].name) + 1;
            size_t vl = strlen(a->fields[i].value) + 1;
            fv[i].name = memcpy(p, a->fields[i].name, nl);
            fv[i].value = memcpy(p + nl, a->fields[i].value, vl);
            p += nl + vl;
        }
        c->a.fields = nf ? fv : NULL;
        if (a->path != NULL) {
            c->a.path = memcpy(p, a->path, path_len);
            p += path_len;
        }
        if (a->id != NULL) {
            c->a.id = memcpy(p, a->id, id_len);
            p += id_len;
        }
        if (a->title_len > 0) {
            c->a.title = memcpy(p, a->title, a->title_len);
            p += a->title_len;
        }
        if (a->body_len > 0) {
            c->a.body = memcpy(p, a->body, a->body_len);
            p += a->body_len;
        }
        if (a->url != NULL)
            c->a.url = memcpy(p, a->url, url_len);
    }
    return c;
}
