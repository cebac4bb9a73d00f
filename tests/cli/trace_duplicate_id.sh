#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a store under an ID that is still live
. "$CLI/common.sh"
mktrace t.trace 'a 7 100' 'a 8 200' 'a 7 300'
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory out.traj
