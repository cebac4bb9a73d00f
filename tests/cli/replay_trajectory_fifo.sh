#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a FIFO as --trajectory is refused and left a FIFO (issue 12: /dev/null was replaced)
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
mkfifo traj.fifo
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory traj.fifo
