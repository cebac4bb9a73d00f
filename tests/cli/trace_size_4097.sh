#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a store larger than a page
. "$CLI/common.sh"
mktrace t.trace 'a 1 4096' 'a 2 4097'
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory out.traj
