# lit configuration for asyncc's transpiler tests (STYLE §8).
#
# Substitutions:
#   %asyncc    the asyncc tool
#   %cc        the C compiler: -std=c11 -Wall -Wextra -Werror -I<include>,
#              plus the build's sanitizer flags
#   %ac_rt     link flags for a transformed program: static runtime + libuv
#   %ac_sync   link flags for the sync view: the sync-view runtime
#   %clang-format  clang-format with the project's .clang-format
#   %clang     clang with %cc's flags, in builds without sanitizers
# Features: runtime, sync-runtime (when those libraries are built),
# clang-format and clang (when they are installed), and asan, ubsan, tsan
# (in a sanitizer build).
#
# ctest runs lit on the build tree.  To run single tests from the source
# tree, `lit.py -sv test/lit/foo.c` loads build/test/lit/lit.site.cfg.py; pass
# `--param build=DIR` for another build directory.

import os
import shlex

import lit.formats


def load_site_config():
    """Loads the site config of a build; it loads this file again."""
    src_root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    build = lit_config.params.get("build", os.path.join(src_root, "build"))
    site = os.path.join(os.path.abspath(build), "test", "lit",
                        "lit.site.cfg.py")
    if not os.path.exists(site):
        lit_config.fatal("no %s: configure and build first (scripts/test), "
                         "or pass --param build=DIR" % site)
    lit_config.load_config(config, site)


def quote(args):
    return " ".join(shlex.quote(a) for a in args)


def configure():
    config.name = "asyncc"
    # lit's own shell: portable, and it prints each failing command.
    config.test_format = lit.formats.ShTest(execute_external=False)
    config.suffixes = [".c"]
    config.excludes = ["Inputs"]
    config.test_source_root = os.path.dirname(os.path.abspath(__file__))
    config.test_exec_root = os.path.join(config.asyncc_obj_root, "test",
                                         "lit")

    # FileCheck, not and count are found on PATH.
    path = config.environment.get("PATH", os.environ.get("PATH", ""))
    config.environment["PATH"] = os.pathsep.join(config.llvm_tools_dirs +
                                                 [path])

    sanitize_flags = shlex.split(config.sanitize_flags)
    cc = [config.cc, "-std=c11", "-Wall", "-Wextra", "-Werror",
          "-I" + config.include_dir] + sanitize_flags
    libuv = shlex.split(config.libuv_ldflags)
    rt = [config.runtime_lib] if config.runtime_lib else []
    sync = [config.sync_lib] if config.sync_lib else []

    config.substitutions.append(("%asyncc", shlex.quote(config.asyncc)))
    config.substitutions.append(("%cc", quote(cc)))
    config.substitutions.append(("%ac_rt", quote(rt + libuv)))
    config.substitutions.append(("%ac_sync", quote(sync)))

    if config.clang_format:
        config.available_features.add("clang-format")
        style = os.path.join(config.asyncc_src_root, ".clang-format")
        config.substitutions.append(
            ("%clang-format", quote([config.clang_format,
                                     "--style=file:" + style])))
    # Another compiler's sanitizer runtime would not mix with the
    # runtime library's: clang only in builds without sanitizers.
    if config.clang and not config.sanitize:
        config.available_features.add("clang")
        config.substitutions.append(
            ("%clang", quote([config.clang] + cc[1:])))
    if rt:
        config.available_features.add("runtime")
    if sync:
        config.available_features.add("sync-runtime")
    for name in config.sanitize.split(","):
        feature = {"address": "asan", "undefined": "ubsan",
                   "thread": "tsan"}.get(name.strip())
        if feature:
            config.available_features.add(feature)
    if config.sanitize:
        # Reports name source lines, and end the test at the first one.
        config.environment.setdefault("UBSAN_OPTIONS",
                                      "print_stacktrace=1:halt_on_error=1")


if hasattr(config, "asyncc_obj_root"):
    configure()
else:
    load_site_config()
