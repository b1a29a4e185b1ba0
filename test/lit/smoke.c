// Tests that lit finds the asyncc tool and that it reports its version.
// RUN: %asyncc --version | FileCheck %s
// CHECK: asyncc
