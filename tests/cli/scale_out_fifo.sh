#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# scale --out a FIFO is refused before any work
. "$CLI/common.sh"
page > c.pages
mkfifo csv.fifo
exec "$ZPB" scale --corpus c.pages --alloc zbud --out csv.fifo
