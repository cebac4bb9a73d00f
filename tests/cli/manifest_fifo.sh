#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a FIFO at the manifest path: refused at once, never blocks (issue 12)
. "$CLI/common.sh"
need_cmd "corpus info"
page > c.pages
mkfifo c.json
exec "$ZPB" corpus info c.pages
