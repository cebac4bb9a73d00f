#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# corpus sample given one corpus twice under two names: it was sampled twice
# (double weight, a page possibly taken twice), exit 0; refused as run
# refuses a corpus given twice (hostile pass, issue 12)
. "$CLI/common.sh"
need_cmd "corpus sample"
page > c.pages
page >> c.pages
exec "$ZPB" corpus sample --from c.pages --from ./c.pages --pages 2 --seed 1 --out out.pages
