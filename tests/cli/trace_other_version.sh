#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a trace of a format version this build cannot read
. "$CLI/common.sh"
printf '# zpoolbench-trace v2\na 1 100\n' > t.trace
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory out.traj
