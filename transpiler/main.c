/* main.c -- the asyncc command line and the pipeline of passes. */
#include "transpiler.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_directory(const char *path) {
  struct stat st;
  return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char usage[] =
    "usage: asyncc [options] input.c -o output.c\n"
    "       asyncc [options] input.c... -o directory/\n"
    "\n"
    "Rewrites the async functions of C files into state machines.\n"
    "\n"
    "options:\n"
    "  -o FILE          write the output to FILE ('-' for standard output);\n"
    "                   with several inputs, a directory for outputs of the\n"
    "                   same base names\n"
    "  -p DIR           take each input's flags from DIR/compile_commands.json\n"
    "  -MF FILE         write a make-style dependency file (for DEPFILE)\n"
    "  -I DIR, -D NAME[=VALUE], -U NAME, -std=STD, -include FILE\n"
    "                   passed to the C parser, as for a C compiler\n"
    "  --emit=c         the transformed C file (the default)\n"
    "  --emit=dot       each async function's state graph, for Graphviz\n"
    "  --emit=layout    each frame's fields, offsets and sizes\n"
    "  --emit=svg       the state graphs as a picture\n"
    "  --emit=html      a page with the source and the generated C side by\n"
    "                   side, linked line by line, the state graphs and the\n"
    "                   frame layouts\n"
    "  --no-line        omit #line directives\n"
    "  --for-reading    output for people to read: no #line directives\n"
    "  --test-suspend   make every await suspend once (for testing)\n"
    "  --no-color       no colour in diagnostics\n"
    "  --help           show this help\n"
    "  --version        show the version\n";

/* Exit statuses: 1 for errors in the input, 2 for usage errors. */
enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

static _Noreturn void usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "asyncc: error: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n(run 'asyncc --help' for usage)\n");
  exit(EXIT_USAGE);
}

/* Clang flags that take a separate argument. */
static bool takes_value(const char *a) {
  static const char *const flags[] = {"-I", "-D", "-U", "-include",
                                      "-isystem", "-iquote", "-idirafter"};
  for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
    if (strcmp(a, flags[i]) == 0)
      return true;
  return false;
}

static void parse_args(int argc, char **argv, Options *opt) {
  opt->line_directives = true;
  opt->color = isatty(2);
  opt->clang_args = calloc((size_t)argc + 1, sizeof(char *));
  opt->inputs = calloc((size_t)argc + 1, sizeof(char *));
  if (!opt->clang_args || !opt->inputs)
    usage_error("%s", "out of memory");
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage, stdout);
      exit(0);
    } else if (strcmp(a, "--version") == 0) {
      printf("asyncc %s\n", ASYNCC_VERSION);
      exit(0);
    } else if (strcmp(a, "-o") == 0) {
      if (++i == argc)
        usage_error("%s", "'-o' needs a file name");
      opt->output = argv[i];
    } else if (strcmp(a, "-p") == 0) {
      if (++i == argc)
        usage_error("%s", "'-p' needs a build directory");
      opt->build_dir = argv[i];
    } else if (strcmp(a, "-MF") == 0) {
      if (++i == argc)
        usage_error("%s", "'-MF' needs a file name");
      opt->depfile = argv[i];
    } else if (strcmp(a, "-MD") == 0 || strcmp(a, "-MMD") == 0) {
      /* Dependencies are written when -MF names a file. */
    } else if (strncmp(a, "--emit=", 7) == 0) {
      if (strcmp(a + 7, "c") == 0)
        opt->emit = EMIT_C;
      else if (strcmp(a + 7, "dot") == 0)
        opt->emit = EMIT_DOT;
      else if (strcmp(a + 7, "layout") == 0)
        opt->emit = EMIT_LAYOUT;
      else if (strcmp(a + 7, "svg") == 0)
        opt->emit = EMIT_SVG;
      else if (strcmp(a + 7, "html") == 0)
        opt->emit = EMIT_HTML;
      else
        usage_error("unknown '%s': use --emit=c, dot, layout, svg or html", a);
    } else if (strcmp(a, "--no-line") == 0) {
      opt->line_directives = false;
    } else if (strcmp(a, "--for-reading") == 0) {
      opt->line_directives = false;
      opt->for_reading = true;
    } else if (strcmp(a, "--test-suspend") == 0) {
      opt->test_suspend = true;
    } else if (strcmp(a, "--no-color") == 0 ||
               strcmp(a, "-fno-color-diagnostics") == 0) {
      opt->color = false;
    } else if (takes_value(a)) {
      if (i + 1 == argc)
        usage_error("'%s' needs a value", a);
      opt->clang_args[opt->nclang_args++] = a;
      opt->clang_args[opt->nclang_args++] = argv[++i];
    } else if (a[0] == '-' && a[1]) {
      opt->clang_args[opt->nclang_args++] = a;
    } else {
      opt->inputs[opt->ninputs++] = a;
    }
  }
  if (!opt->ninputs)
    usage_error("%s", "no input file");
  if (!opt->output)
    usage_error("%s", "no output file: use '-o FILE' or '-o -'");
  if (opt->ninputs > 1 && !is_directory(opt->output))
    usage_error("with several inputs, '-o' must name a directory ('%s' is "
                "not one)", opt->output);
  if (opt->ninputs > 1 && opt->depfile)
    usage_error("%s", "'-MF' takes a single input");
}

/* Writes to a temporary file renamed over the output, so that a failure
 * never leaves a partial or truncated output behind. */
static int write_output(const char *path, Buf *text) {
  if (strcmp(path, "-") == 0) {
    if (text->len)
      fwrite(text->s, 1, text->len, stdout);
    return fflush(stdout) == 0 ? 0 : -1;
  }
  size_t n = strlen(path) + 16;
  char *tmp = malloc(n);
  if (!tmp)
    return -1;
  snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  int rc = -1;
  if (f) {
    /* An empty output has no buffer at all, which fwrite must not get. */
    bool ok = !text->len || fwrite(text->s, 1, text->len, f) == text->len;
    ok &= fclose(f) == 0;
    if (ok && rename(tmp, path) == 0)
      rc = 0;
    else
      remove(tmp);
  }
  if (rc)
    perror(path);
  free(tmp);
  return rc;
}

static void print_layouts(Tu *tu, Buf *out) {
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    if (fn->is_definition)
      layout_print(fn, out);
  }
}

/* The explorer page, printed from the three textual outputs.  The C is
 * made for reading, with the #line directives the page maps lines by. */
static void produce_html(Tu *tu, const Options *opt, Buf *out) {
  Options reading = *opt;
  reading.for_reading = true;
  reading.line_directives = true;
  Buf c = {0}, dot = {0}, layout = {0};
  emit_file(tu, &reading, &c);
  dot_print(tu, &dot);
  print_layouts(tu, &layout);
  HtmlInput in = {.arena = tu->arena,
                  .path = tu->path,
                  .source = tu->src,
                  .source_len = tu->src_len,
                  .generated = c.s ? c.s : "",
                  .dot = dot.s ? dot.s : "",
                  .layout = layout.s ? layout.s : "",
                  .source_toks = tok_range(tu, (Range){0, (unsigned)tu->src_len}),
                  .generated_toks = tok_text(tu, "generated.c", c.s ? c.s : "",
                                             c.len)};
  html_page(&in, out);
  buf_free(&c);
  buf_free(&dot);
  buf_free(&layout);
}

static void produce(Tu *tu, const Options *opt, Buf *out) {
  switch (opt->emit) {
  case EMIT_C:
    emit_file(tu, opt, out);
    return;
  case EMIT_DOT:
    dot_print(tu, out);
    return;
  case EMIT_LAYOUT:
    print_layouts(tu, out);
    return;
  case EMIT_SVG: {
    Buf dot = {0};
    dot_print(tu, &dot);
    html_svg(tu->arena, dot.s ? dot.s : "", out);
    buf_free(&dot);
    return;
  }
  case EMIT_HTML:
    produce_html(tu, opt, out);
    return;
  }
}

static int opened(const Options *opt) {
  FILE *probe = fopen(opt->input, "r");
  if (!probe) {
    fprintf(stderr, "asyncc: error: cannot open '%s': %s\n", opt->input,
            strerror(errno));
    return EXIT_INPUT;
  }
  fclose(probe);
  if (is_directory(opt->input)) {
    fprintf(stderr, "asyncc: error: '%s' is a directory\n", opt->input);
    return EXIT_INPUT;
  }
  return 0;
}

/* The checks that need only the tree. */
static void check_file(Tu *tu) {
  for (int i = 0; i < tu->fns.len; i++) {
    check_function(tu->fns.items[i]);
    check_warnings(tu->fns.items[i]);
    check_lifetimes(tu->fns.items[i]);
  }
  check_async_refs(tu);
  check_generated_names(tu);
  for (int i = 0; i < tu->block_ons.len; i++)
    check_block_on(tu, tu->block_ons.items[i]);
  for (int i = 0; i < tu->spawns.len; i++)
    check_spawn(tu, tu->spawns.items[i]);
}

/* Each async function defined here, through the passes that turn it into
 * a state machine. */
static void transform(Tu *tu) {
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    if (!fn->is_definition)
      continue;
    name_function(fn);
    lower_function(fn);
    live_compute(fn);
    frame_decide(fn);
    hoist_types(fn);
    check_frame(fn);
  }
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    if (fn->is_definition)
      check_forward_callees(fn);
  }
}

/* The pipeline: each pass's contract is stated at its declaration. */
static int transpile(const Options *opt) {
  int rc = opened(opt);
  if (rc)
    return rc;
  Arena *a = arena_new();
  Tu *tu = tu_open(a, opt);
  if (!tu) {
    arena_free(a);
    return EXIT_INPUT;
  }
  rc = EXIT_INPUT;
  find_async(tu);
  check_file(tu);
  if (!diag_error_count(tu))
    transform(tu);
  Buf out = {0};
  if (!diag_error_count(tu))
    produce(tu, opt, &out);
  /* Printing may refuse too, an expansion it cannot spell; its output is
   * then incomplete, and is not written. */
  if (!diag_error_count(tu)) {
    rc = write_output(opt->output, &out) == 0 ? 0 : EXIT_INPUT;
    if (rc == 0 && opt->depfile &&
        tu_write_depfile(tu, opt->output, opt->depfile) != 0)
      rc = EXIT_INPUT;
  }
  buf_free(&out);
  tu_close(tu);
  arena_free(a);
  return rc;
}

/* The output path for one input: the -o path itself, or a file of the
 * input's base name in the -o directory. */
static char *output_for(const Options *opt, const char *input) {
  bool single = opt->ninputs == 1 && !is_directory(opt->output);
  const char *base = strrchr(input, '/');
  base = base ? base + 1 : input;
  size_t n = strlen(opt->output) + strlen(base) + 2;
  char *path = malloc(n);
  if (path && single)
    snprintf(path, n, "%s", opt->output);
  else if (path)
    snprintf(path, n, "%s/%s", opt->output, base);
  return path;
}

/* True if both paths name one existing file. */
static bool same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

int main(int argc, char **argv) {
  Options opt = {0};
  parse_args(argc, argv, &opt);
  const char *dir_output = opt.output;
  int rc = 0;
  /* Writing the output over its input would lose the source: refused
   * before anything is written. */
  for (int i = 0; i < opt.ninputs && strcmp(opt.output, "-") != 0; i++) {
    char *out = output_for(&opt, opt.inputs[i]);
    if (!out)
      usage_error("%s", "out of memory");
    bool same = same_file(out, opt.inputs[i]);
    free(out);
    if (same)
      usage_error("the output for '%s' would overwrite it", opt.inputs[i]);
  }
  for (int i = 0; i < opt.ninputs; i++) {
    char *out = output_for(&opt, opt.inputs[i]);
    if (!out)
      usage_error("%s", "out of memory");
    opt.input = opt.inputs[i];
    opt.output = out;
    if (transpile(&opt) != 0)
      rc = EXIT_INPUT;
    opt.output = dir_output;
    free(out);
  }
  free(opt.clang_args);
  free(opt.inputs);
  return rc;
}
