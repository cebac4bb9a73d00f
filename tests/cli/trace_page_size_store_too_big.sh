#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a store larger than the declared 16 KiB page
. "$CLI/common.sh"
mktrace t.trace '# page_size 16384' 'a 1 16384' 'a 2 16385'
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory out.traj
