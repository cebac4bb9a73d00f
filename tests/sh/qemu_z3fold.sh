#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# qemu_z3fold.sh - the real Linux 6.1 z3fold (booted under qemu) replays a fixed
# 26,001-operation churn trace and must give the recorded trajectory; the
# port (z3fold:kernel=6.1) must give the same pool size after every operation.
# Skips (77) when qemu cannot run or the port is not in this build.
. bench/kernel/oracle/testlib.sh
qt_check_alloc z3fold z3fold:kernel=6.1
