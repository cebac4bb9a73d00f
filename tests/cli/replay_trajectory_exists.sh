#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# an existing --trajectory is replaced only with --force
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
echo keep > t.traj
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory t.traj
