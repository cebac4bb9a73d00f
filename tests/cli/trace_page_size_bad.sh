#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a page size no kernel builds with
. "$CLI/common.sh"
mktrace t.trace '# page_size 8192' 'a 1 100'
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory out.traj
