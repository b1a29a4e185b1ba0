// Tests that liveness tracks more variables than fit in one machine word:
// of seventy locals, only those read after the await are saved, on both
// sides of the word boundary (the parameter and v0..v62 fill the first).
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// CHECK-LABEL: struct many_frame {
// CHECK-NEXT:    enum many_state state;
// CHECK-NEXT:    int result;
// CHECK-NEXT:    int n;
// CHECK-NEXT:    int v1;
// CHECK-NEXT:    int v62;
// CHECK-NEXT:    int v63;
// CHECK-NEXT:    int v64;
// CHECK-NEXT:    int v69;
// CHECK-NEXT:    int sum;
// CHECK-NEXT:    union {
#include <asyncc.h>

async int many(int n) {
  int v0 = n + 0;
  int v1 = n + 1;
  int v2 = n + 2;
  int v3 = n + 3;
  int v4 = n + 4;
  int v5 = n + 5;
  int v6 = n + 6;
  int v7 = n + 7;
  int v8 = n + 8;
  int v9 = n + 9;
  int v10 = n + 10;
  int v11 = n + 11;
  int v12 = n + 12;
  int v13 = n + 13;
  int v14 = n + 14;
  int v15 = n + 15;
  int v16 = n + 16;
  int v17 = n + 17;
  int v18 = n + 18;
  int v19 = n + 19;
  int v20 = n + 20;
  int v21 = n + 21;
  int v22 = n + 22;
  int v23 = n + 23;
  int v24 = n + 24;
  int v25 = n + 25;
  int v26 = n + 26;
  int v27 = n + 27;
  int v28 = n + 28;
  int v29 = n + 29;
  int v30 = n + 30;
  int v31 = n + 31;
  int v32 = n + 32;
  int v33 = n + 33;
  int v34 = n + 34;
  int v35 = n + 35;
  int v36 = n + 36;
  int v37 = n + 37;
  int v38 = n + 38;
  int v39 = n + 39;
  int v40 = n + 40;
  int v41 = n + 41;
  int v42 = n + 42;
  int v43 = n + 43;
  int v44 = n + 44;
  int v45 = n + 45;
  int v46 = n + 46;
  int v47 = n + 47;
  int v48 = n + 48;
  int v49 = n + 49;
  int v50 = n + 50;
  int v51 = n + 51;
  int v52 = n + 52;
  int v53 = n + 53;
  int v54 = n + 54;
  int v55 = n + 55;
  int v56 = n + 56;
  int v57 = n + 57;
  int v58 = n + 58;
  int v59 = n + 59;
  int v60 = n + 60;
  int v61 = n + 61;
  int v62 = n + 62;
  int v63 = n + 63;
  int v64 = n + 64;
  int v65 = n + 65;
  int v66 = n + 66;
  int v67 = n + 67;
  int v68 = n + 68;
  int v69 = n + 69;
  int sum = 0;
  sum += v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8 + v9;
  sum += v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17 + v18 + v19;
  sum += v20 + v21 + v22 + v23 + v24 + v25 + v26 + v27 + v28 + v29;
  sum += v30 + v31 + v32 + v33 + v34 + v35 + v36 + v37 + v38 + v39;
  sum += v40 + v41 + v42 + v43 + v44 + v45 + v46 + v47 + v48 + v49;
  sum += v50 + v51 + v52 + v53 + v54 + v55 + v56 + v57 + v58 + v59;
  sum += v60 + v61 + v62 + v63 + v64 + v65 + v66 + v67 + v68 + v69;
  await(ac_yield());
  v64 += sum;
  return v1 + v62 + v63 + v64 + v69;
}
