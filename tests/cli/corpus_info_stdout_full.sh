#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a write error on stdout (corpus info JSON) is exit status 1
. "$CLI/common.sh"
page > c.pages
exec "$ZPB" corpus info c.pages --codec lz4 --format json > /dev/full
