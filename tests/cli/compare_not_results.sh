#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# compare: a folder that is not a results folder
. "$CLI/common.sh"
need_cmd compare
mkdir base new
exec "$ZPB" compare base new
