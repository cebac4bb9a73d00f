#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a flag given a value
. "$CLI/common.sh"
page > c.pages
exec "$ZPB" corpus pack --out p.pages --force=yes
