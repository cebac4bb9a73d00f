#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a manifest that is a symlink to /dev/zero: refused at once (issue 12)
. "$CLI/common.sh"
need_cmd "corpus info"
page > c.pages
ln -s /dev/zero c.json
exec "$ZPB" corpus info c.pages
