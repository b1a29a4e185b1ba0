/* info.c -- the tables that let ac_dump_tasks print a task's await chain
 * like a backtrace: for each async function, its states (name, line, the
 * await's text) and, per state, where the awaited frame lives and which
 * poll function runs it.  They go at the end of the output, out of the way
 * of the code people read. */
#include "transpiler.h"

#include <string.h>

/* A C string literal of s, on one line. */
static void put_string(Buf *b, const char *s) {
  buf_puts(b, "\"");
  buf_put_line_of(b, s, "\"\\");
  buf_puts(b, "\"");
}

/* The member is `path` below `parent` ("" at the top of the frame); a NULL
 * callee is a call through a stub, whose struct ac_dyn tells the rest. */
static void put_await(Buf *b, AsyncFn *fn, const char *parent,
                      const char *path, const char *callee, bool indirect) {
  if (!callee) {
    buf_printf(b, "    {offsetof(struct %s_frame, %s%s), NULL, 2},\n",
               fn->name, parent, path);
    return;
  }
  buf_printf(b, "    {offsetof(struct %s_frame, %s%s), %s_poll, %d},\n",
             fn->name, parent, path, callee, indirect);
}

static void emit_awaits(Buf *b, AsyncFn *fn, AwaitSite *aw, int *count) {
  if (aw->kind == AW_BUDGET) {
    *count = 0;
    return;
  }
  buf_printf(b, "static const struct ac_await_info %s_%s[] = {\n",
             fn->name, aw->sub);
  *count = 1;
  if (aw->kind == AW_COMBINE) {
    Vec paths = {0}, callees = {0};
    combine_leaves(aw, &paths, &callees);
    for (int i = 0; i < paths.len; i++)
      put_await(b, fn, "", paths.items[i], callees.items[i], false);
    *count = paths.len;
  } else {
    put_await(b, fn, "sub.", aw->sub,
              aw->kind == AW_STUB ? NULL : aw->callee_name, aw->dynamic);
  }
  buf_puts(b, "};\n");
}

/* `file` is the file name as a string literal. */
static void emit_fn(Buf *b, Tu *tu, AsyncFn *fn, const char *file) {
  int *counts = arena_alloc(tu->arena, sizeof(int) * (size_t)(fn->awaits.len + 1));
  for (int i = 0; i < fn->awaits.len; i++)
    emit_awaits(b, fn, fn->awaits.items[i], &counts[i]);
  buf_printf(b, "static const struct ac_state_info %s_states[] = {\n",
             fn->name);
  buf_printf(b, "    [%s_START] = {\"%s_START\", %u, NULL, NULL, 0},\n",
             fn->upper, fn->upper, fn->line);
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    /* The await's text as a string literal, quoted by the formats. */
    buf_printf(b, "    [%s] = {\"%s\", %u, \"", aw->state, aw->state,
               aw->line);
    buf_put_line_of(b, aw->text, "\"\\");
    if (aw->kind == AW_BUDGET)
      buf_puts(b, "\", NULL, 0},\n");
    else
      buf_printf(b, "\", %s_%s, %d},\n", fn->name, aw->sub, counts[i]);
  }
  buf_printf(b, "    [%s_DONE] = {\"%s_DONE\", 0, NULL, NULL, 0},\n};\n",
             fn->upper, fn->upper);
  buf_printf(b, "static const struct ac_future_info %s_info = {\n", fn->name);
  buf_printf(b, "    %s_poll, \"%s\", %s, %s_states, %d, NULL};\n", fn->name,
             fn->name, file, fn->name, fn->awaits.len + 2);
}

void info_emit(Tu *tu, Buf *out) {
  int n = 0;
  for (int i = 0; i < tu->fns.len; i++)
    n += ((AsyncFn *)tu->fns.items[i])->is_definition;
  if (!n)
    return;
  buf_puts(out, "\n");
  Buf file = {0};
  put_string(&file, tu->path);
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    if (fn->is_definition)
      emit_fn(out, tu, fn, file.s);
  }
  buf_free(&file);
  buf_puts(out, "__attribute__((constructor)) static void "
                "ac__register_futures(void) {\n");
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    if (fn->is_definition)
      buf_printf(out, "  ac__future_info_register(&%s_info);\n", fn->name);
  }
  buf_puts(out, "}\n");
}
