#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# report: a folder that is not a results folder
. "$CLI/common.sh"
need_cmd report
mkdir r
exec "$ZPB" report r --out out
