#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# --reps is --repeat (same checks, same name in the message)
. "$CLI/common.sh"
exec "$ZPB" bench --trace none.trace --reps 0
