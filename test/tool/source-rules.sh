#!/usr/bin/env bash
# Tests the rules the transpiler's sources keep (docs/transpiler.md):
# libclang through its public C API only -- no reads of the fields of
# CXCursor, CXSourceLocation, CXType or CXToken, no clang C++ headers --,
# one tokenizer (tok.c alone calls clang_tokenize), one hash table (map.c),
# and no per-input state in file-scope variables: it lives in Tu.
. "$(dirname "$0")/lib.sh"

src=$AC_SOURCE/transpiler
cd "$src"
problems=$work/problems
: >"$problems"

# Private fields of libclang's structs (CXCursor.data, .xdata,
# CXSourceLocation.ptr_data, .int_data, CXType.data, CXToken.int_data,
# .ptr_data).  No struct of the transpiler's own has such a member, so any
# access is a read of libclang's.
grep -nE '(\.|->)[[:space:]]*(data|xdata|ptr_data|int_data)\b' -- *.c *.h \
  >>"$problems" || true
grep -nE '#[[:space:]]*include[[:space:]]*[<"](clang|llvm)/' -- *.c *.h \
  >>"$problems" || true

# One tokenizer.
grep -nE '\bclang_tokenize[[:space:]]*\(' -- *.c | grep -v '^tok\.c:' \
  >>"$problems" || true

# One hash table: map.c holds the hashing.
grep -nE '2166136261|16777619|2654435761' -- *.c | grep -v '^map\.c:' \
  >>"$problems" || true

# File-scope variables that are not const: per-input state belongs in Tu.
# buf.c's spare block is storage the allocator keeps, not state.
grep -nE '^(static[[:space:]]+)?[A-Za-z_][A-Za-z_0-9 \*]*[[:space:]\*][A-Za-z_][A-Za-z_0-9]*(\[[^]]*\])*[[:space:]]*(=[^=]|;)' \
  -- *.c | grep -vE '\bconst\b|^[a-z]+\.c:[0-9]+:(typedef|extern|return|enum|struct [A-Za-z_]+ \{)' |
  grep -vE '^buf\.c:[0-9]+:static (char \*spare|size_t spare_cap);' \
  >>"$problems" || true

if [ -s "$problems" ]; then
  echo "transpiler sources break the rules of docs/transpiler.md:" >&2
  cat "$problems" >&2
  exit 1
fi
