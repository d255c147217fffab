#!/bin/sh
# kill -9, SIGTERM and SIGINT of a reindex at random moments: the short
# version of bench/reliability/kill.sh (10 kills, 2 of each signal). The
# seed is printed, so a failure can be replayed with the campaign script.
exec sh "$LEDE_SRCDIR/bench/reliability/kill.sh" 10
