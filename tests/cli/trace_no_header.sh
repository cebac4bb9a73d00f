#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a trace without its header line
. "$CLI/common.sh"
printf 'a 1 100\nf 1\n' > t.trace
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory out.traj
