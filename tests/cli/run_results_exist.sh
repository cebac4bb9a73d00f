#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# an existing results folder is not overwritten without --force
. "$CLI/common.sh"
need_cmd run
page > c.pages
mkdir results
echo keep > results/mine
exec "$ZPB" run --corpus c.pages --alloc zbud --out results
