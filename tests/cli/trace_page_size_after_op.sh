#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# the page size must be declared before the first operation
. "$CLI/common.sh"
mktrace t.trace 'a 1 100' '# page_size 16384' 'a 2 9000'
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory out.traj
