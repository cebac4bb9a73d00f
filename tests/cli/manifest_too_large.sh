#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a manifest larger than 1 MiB: refused before it is read (issue 12)
. "$CLI/common.sh"
need_cmd "corpus info"
page > c.pages
truncate -s 2G c.json
exec "$ZPB" corpus info c.pages
