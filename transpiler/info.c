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
static void put_await(Buf *b, Tu *tu, AsyncFn *fn, const char *parent,
                      const char *path, const char *callee, bool indirect) {
  const char *items[] = {
      arena_printf(tu->arena, "offsetof(struct %s_frame, %s%s)", fn->name,
                   parent, path),
      callee ? arena_printf(tu->arena, "%s_poll", callee) : "NULL",
      callee ? (indirect ? "1" : "0") : "2"};
  buf_wrap(b, "    {", items, 3, "},");
  buf_puts(b, "\n");
}

static void emit_awaits(Buf *b, Tu *tu, AsyncFn *fn, AwaitSite *aw,
                        int *count) {
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
      put_await(b, tu, fn, "", paths.items[i], callees.items[i], false);
    *count = paths.len;
  } else {
    put_await(b, tu, fn, "sub.", aw->sub,
              aw->kind == AW_STUB ? NULL : aw->callee_name, aw->dynamic);
  }
  buf_puts(b, "};\n");
}

/* One element of a states table; `text` is a string literal or NULL. */
static void state_entry(Buf *b, Tu *tu, const char *state, unsigned line,
                        const char *text, const char *awaits, int count) {
  const char *items[] = {arena_printf(tu->arena, "\"%s\"", state),
                         arena_printf(tu->arena, "%u", line), text, awaits,
                         arena_printf(tu->arena, "%d", count)};
  /* An item too long for the column after the '{' moves the list to a
   * line of its own, as clang-format does. */
  const char *head = arena_printf(tu->arena, "    [%s] = {", state);
  for (int i = 0; i < 5; i++)
    if (strlen(head) + strlen(items[i]) + 2 > WRAP_COLUMNS) {
      buf_printf(b, "    [%s] =\n", state);
      head = "        {";
      break;
    }
  buf_wrap(b, head, items, 5, "},");
  buf_puts(b, "\n");
}

/* `file` is the file name as a string literal. */
static void emit_fn(Buf *b, Tu *tu, AsyncFn *fn, const char *file) {
  int *counts = arena_alloc(tu->arena, sizeof(int) * (size_t)(fn->awaits.len + 1));
  for (int i = 0; i < fn->awaits.len; i++)
    emit_awaits(b, tu, fn, fn->awaits.items[i], &counts[i]);
  buf_printf(b, "static const struct ac_state_info %s_states[] = {\n",
             fn->name);
  state_entry(b, tu, arena_printf(tu->arena, "%s_START", fn->upper),
              fn->line, "NULL", "NULL", 0);
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    Buf text = {0};
    put_string(&text, aw->text);
    state_entry(b, tu, aw->state, aw->line, text.s,
                aw->kind == AW_BUDGET
                    ? "NULL"
                    : arena_printf(tu->arena, "%s_%s", fn->name, aw->sub),
                aw->kind == AW_BUDGET ? 0 : counts[i]);
    buf_free(&text);
  }
  state_entry(b, tu, arena_printf(tu->arena, "%s_DONE", fn->upper), 0,
              "NULL", "NULL", 0);
  buf_puts(b, "};\n");
  buf_printf(b, "static const struct ac_future_info %s_info = {\n", fn->name);
  buf_printf(b,
             "    .poll = %s_poll,\n    .name = \"%s\",\n    .file = %s,\n"
             "    .states = %s_states,\n    .nstates = %d,\n};\n",
             fn->name, fn->name, file, fn->name, fn->awaits.len + 2);
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
