#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run's replay workload given a FIFO as its trace: refused at once, as replay
# refuses it (it blocked forever in the trace's sha256; hostile pass, issue 12)
. "$CLI/common.sh"
need_cmd run
page > c.pages
mkfifo t.trace
exec timeout 20 "$ZPB" run --corpus c.pages --alloc zbud --workload replay --trace t.trace --out out
