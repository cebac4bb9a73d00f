#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a trajectory into a folder that does not exist
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory nofolder/out.traj
