#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a store with its size missing
. "$CLI/common.sh"
mktrace t.trace 'a 1'
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory out.traj
