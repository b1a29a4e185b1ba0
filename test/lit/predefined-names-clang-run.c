// predefined-names-run.c compiled by clang, whose __PRETTY_FUNCTION__ is
// the signature: the transformed program and the sync view print alike.
// REQUIRES: clang, runtime, sync-runtime
// RUN: %asyncc %S/predefined-names-run.c -o %t.c
// RUN: %clang %t.c %ac_rt -o %t && %t > %t.out
// RUN: %clang %S/predefined-names-run.c %ac_sync -o %t.sync && %t.sync > %t.sync.out
// RUN: diff %t.sync.out %t.out
// RUN: FileCheck %S/predefined-names-run.c < %t.out
// RUN: FileCheck %S/predefined-names-run.c --check-prefix=CLANG < %t.out
