#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a value a key does not accept
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" replay --trace t.trace --alloc zbud:lru=2 --trajectory out.traj
