/*
 * error.c - error codes and the thread-local last-error message.
 *
 * Owns the text behind lede_error_last() and lede_strerror(). Every failing
 * path of the library records its message here through lede__error_set();
 * nothing else in the library keeps error state. Calls no other module.
 */
#include "lede_int.h"

#include <stdio.h>
#include <string.h>

/* Long enough for two file paths and a Xapian message; longer messages are
 * cut, which vsnprintf does safely. */
#define ERROR_MAX 1024

static _Thread_local char last_error[ERROR_MAX];

int lede__error_setv(int code, const char *fmt, va_list ap)
{
    /* Callers wrap the last message in a new one by passing
     * lede_error_last() as an argument; vsnprintf must not read the
     * buffer it writes, so the message is made in a copy. */
    char msg[ERROR_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    memcpy(last_error, msg, sizeof msg);
    return code;
}

int lede__error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lede__error_setv(code, fmt, ap);
    va_end(ap);
    return code;
}

int lede__error_nomem(void)
{
    return lede__error_set(LEDE_ENOMEM, "out of memory");
}

void lede__error_clear(void)
{
    last_error[0] = '\0';
}

LEDE_EXTERN(const char *) lede_error_last(void)
{
    return last_error;
}

/* Indexed by -code. The assertion below fails to compile when a code is
 * added to lede_error_code without its text here (and LEDE__ECODE_LOWEST
 * moved), so no code can fall through to "unknown error". */
static const char *const messages[] = {
    [-LEDE_OK] = "success",
    [-LEDE_ERROR] = "error",
    [-LEDE_ENOMEM] = "out of memory",
    [-LEDE_EINVAL] = "invalid argument",
    [-LEDE_ENOTFOUND] = "not found",
    [-LEDE_EINDEX] = "index error",
    [-LEDE_ECORRUPT] = "corrupt data",
    [-LEDE_EUSER] = "stopped by callback",
    [-LEDE_ELOCKED] = "index locked by another writer",
    [-LEDE_EIO] = "input/output error",
    [-LEDE_ELIMIT] = "over a limit",
};
_Static_assert(sizeof messages / sizeof *messages == 1 - LEDE__ECODE_LOWEST,
               "lede_strerror: a text for every lede_error_code");

LEDE_EXTERN(const char *) lede_strerror(int code)
{
    if (code > 0 || code < LEDE__ECODE_LOWEST || messages[-code] == NULL)
        return "unknown error";
    return messages[-code];
}
