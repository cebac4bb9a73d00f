#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# report: the summary table needs --out
. "$CLI/common.sh"
need_cmd report
mkdir r
exec "$ZPB" report r
