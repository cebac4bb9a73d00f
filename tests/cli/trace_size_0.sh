#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a store of 0 bytes
. "$CLI/common.sh"
mktrace t.trace 'a 1 0'
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory out.traj
