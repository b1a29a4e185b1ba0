/* test-list.h -- every runtime test, one X(name) line each.  runner.c
 * builds its table from this list and CMakeLists.txt registers one ctest
 * test, runtime.<name>, per line, so adding a test is adding one line. */
#define TEST_LIST(X)                                                           \
  X(arena_recursion_deep)                                                      \
  X(arena_oom_every_allocation)                                                \
  X(arena_drop_unwinds_chain)                                                  \
  X(arena_nested_frame)                                                        \
  X(arena_blocks_aligned_lifo)                                                 \
  X(arena_steady_state_no_malloc)                                              \
  X(arena_large_block)                                                         \
  X(arena_bad_arguments)                                                       \
  X(arena_frame_oom_fails_block_on)                                            \
  X(error_codes_mirror_libuv)                                                  \
  X(error_strerror)                                                            \
  X(executor_block_on_ready)                                                   \
  X(executor_block_on_returns_through_frame)                                   \
  X(executor_wake_queued_task_is_noop)                                         \
  X(executor_invalid_arguments)                                                \
  X(executor_stalled_future_fails)                                             \
  X(executor_nested_block_on_refused)                                          \
  X(executor_block_on_repeatedly)                                              \
  X(executor_yield_loop_does_not_starve_timers)                                \
  X(executor_block_on_or_exit_returns)                                         \
  X(executor_block_on_or_exit_exits)                                           \
  X(leaf_tick_completes)                                                       \
  X(leaf_tick_dropped_while_pending)                                           \
  X(loop_opened_lazily_closed_by_block_on)                                     \
  X(loop_same_inside_and_outside_poll)                                         \
  X(loop_kept_open_by_user_handle)                                             \
  X(sleep_completes)                                                           \
  X(sleep_zero_suspends_once)                                                  \
  X(sleep_twice)                                                               \
  X(sleep_reuses_timer_records)                                                \
  X(sleep_concurrent_in_timer_order)                                           \
  X(sleep_equal_timeouts_in_start_order)                                       \
  X(sleep_many_concurrent)                                                     \
  X(sleep_drop_pending_stops_timer)                                            \
  X(sleep_drop_unpolled_is_noop)                                               \
  X(sleep_oom_fails_block_on)                                                  \
  X(sleep_oom_every_allocation)                                                \
  X(sync_view_runs)                                                            \
  X(yield_suspends_once)                                                       \
  X(yield_in_loop)                                                             \
  X(yield_joined_interleave)                                                   \
  X(yield_test_suspend_repolls)                                                \
  X(yield_drop_is_noop)                                                        \
  /* end of list */
