#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# an unknown allocator (the list of valid ones grows as allocators land)
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" replay --trace t.trace --alloc zbuddy --trajectory out.traj
