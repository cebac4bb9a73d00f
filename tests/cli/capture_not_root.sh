#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# the BPF capture run by an unprivileged user
. "$CLI/common.sh"
need_cmd capture
[ -x "$(dirname "$ZPB")/zpb-capture" ] || skip "needs the BPF tracer zpb-capture, which is not built"
as_nobody "$ZPB" capture --device zram0 --trace out.trace --duration 1
