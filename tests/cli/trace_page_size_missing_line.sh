#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a trace without '# page_size' is 4 KiB, and a spec for 16 KiB pages is refused
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" replay --trace t.trace --alloc zblock:page=16384 --trajectory out.traj
