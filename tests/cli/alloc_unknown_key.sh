#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# an unknown key in an allocator spec
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" replay --trace t.trace --alloc zbud:lur=1 --trajectory out.traj
