#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a folder given as the trace
. "$CLI/common.sh"
mkdir traces
exec "$ZPB" replay --trace traces --alloc zbud --trajectory out.traj
