#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a trace of 16 KiB pages against a spec that asks for 4 KiB pages
. "$CLI/common.sh"
mktrace t.trace '# page_size 16384' 'a 1 16000'
exec "$ZPB" replay --trace t.trace --alloc zsmalloc:page=4096 --trajectory out.traj
