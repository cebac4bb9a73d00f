#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# qemu_zbud.sh - the real Linux 6.1 zbud (booted under qemu) replays a fixed
# 26,001-operation churn trace and must give the recorded trajectory; the
# port (zbud) must give the same pool size after every operation.
# Skips (77) when qemu cannot run or the port is not in this build.
. bench/kernel/oracle/testlib.sh
qt_check_alloc zbud zbud
