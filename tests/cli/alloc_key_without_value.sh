#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a key given without '=VALUE'
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" replay --trace t.trace --alloc zbud:lru --trajectory out.traj
