/*
 * alloc.c - the library's allocator.
 *
 * Every allocation in liblede's C code goes through these functions, so
 * that memory returned to callers is always released by lede_free() with
 * the matching allocator, and so that tests can make the Nth allocation
 * fail (lede__alloc_fail_after) to prove every out-of-memory path. Calls
 * nothing else in the library.
 */
#include "lede_int.h"

#include <stdlib.h>
#include <string.h>

/* Allocations left before the hook makes one fail; negative: never. Per
 * thread, so a test's countdown is not spent by other threads. */
static _Thread_local long fail_countdown = -1;
/* Allocations attempted on this thread, for tests that try each one. */
static _Thread_local long attempts;

void lede__alloc_fail_after(long n)
{
    fail_countdown = n;
}

long lede__alloc_attempts(void)
{
    return attempts;
}

static int hooked_failure(void)
{
    attempts++;
    if (fail_countdown < 0)
        return 0;
    if (fail_countdown == 0)
        return 1;
    fail_countdown--;
    return 0;
}

void *lede__malloc(size_t n)
{
    return hooked_failure() ? NULL : malloc(n ? n : 1);
}

void *lede__calloc(size_t count, size_t n)
{
    return hooked_failure() ? NULL : calloc(count ? count : 1, n ? n : 1);
}

void *lede__realloc(void *p, size_t n)
{
    return hooked_failure() ? NULL : realloc(p, n ? n : 1);
}

void lede__free(void *p)
{
    free(p);
}

void *lede__grow(void *v, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return v;
    size_t c = *cap ? *cap * 2 : 16;
    if (c <= n)
        c = n + 1;
    if (c > SIZE_MAX / elem)
        return NULL;
    void *p = lede__realloc(v, c * elem);
    if (p != NULL)
        *cap = c;
    return p;
}

char *lede__strndup(const char *s, size_t n)
{
    char *copy = lede__malloc(n + 1);
    if (copy == NULL)
        return NULL;
    if (n > 0)
        memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

LEDE_EXTERN(void) lede_free(void *ptr)
{
    lede__free(ptr);
}
