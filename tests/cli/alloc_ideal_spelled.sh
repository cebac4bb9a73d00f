#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 'ideal' under another spelling beside the ideal row every run adds: two rows
# of one setting; refused (hostile pass, issue 12)
. "$CLI/common.sh"
need_cmd run
page > c.pages
exec "$ZPB" run --corpus c.pages --alloc zbud,ideal:page=4096 --codec lz4 --out out
