#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a FIFO as the corpus: refused at once, never blocks (issue 12)
. "$CLI/common.sh"
need_cmd "corpus info"
mkfifo c.pages
exec "$ZPB" corpus info c.pages
