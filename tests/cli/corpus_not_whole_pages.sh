#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a corpus whose size is not a multiple of 4096
. "$CLI/common.sh"
need_cmd "corpus info"
{ page; page; printf x; } > c.pages
exec "$ZPB" corpus info c.pages
