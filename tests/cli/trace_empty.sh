#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# an empty trace file
. "$CLI/common.sh"
: > empty.trace
exec "$ZPB" replay --trace empty.trace --alloc zbud --trajectory out.traj
