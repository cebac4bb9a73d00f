#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# regrouping a corpus that does not say where its pages were
. "$CLI/common.sh"
need_cmd "corpus regroup"
page > c.pages
exec "$ZPB" corpus regroup --from c.pages --page 16K --out out.pages
