#!/bin/sh
# Two nightly jobs started at once: the short version of
# bench/reliability/cron2.sh (8 rounds, then 4 with --wait).
exec sh "$LEDE_SRCDIR/bench/reliability/cron2.sh" 8
