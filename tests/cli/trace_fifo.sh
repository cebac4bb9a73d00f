#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a FIFO as a trace: refused at once, never blocks (issue 12)
. "$CLI/common.sh"
mkfifo t.trace
exec "$ZPB" replay --trace t.trace --alloc zbud
