#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# an unknown operation in a trace
. "$CLI/common.sh"
mktrace t.trace 'a 1 100' 's 1 100'
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory out.traj
