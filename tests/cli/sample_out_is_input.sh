#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# corpus sample --out naming its own --from is refused (it turned 3 pages into 1)
. "$CLI/common.sh"
{ page; page; page; } > in.pages
exec "$ZPB" corpus sample --from in.pages --pages 1 --seed 1 --out in.pages
