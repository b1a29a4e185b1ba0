/* Declares names that asyncc would generate for an async 'fetch'. */
struct fetch_frame {
  int unrelated;
};
