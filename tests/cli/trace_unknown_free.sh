#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a free of an ID never stored
. "$CLI/common.sh"
mktrace t.trace 'a 1 100' 'f 2'
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory out.traj
