// The addon's test-only inputs and read-backs (pinned blinding, secure-region contents) are
// refused unless the process was started with DOURADA_NATIVE_TEST_MODE=1.
#pragma once
#include <cstdlib>
#include <cstring>

namespace dourada {

inline bool test_mode() {
  const char* v = std::getenv("DOURADA_NATIVE_TEST_MODE");
  return v && std::strcmp(v, "1") == 0;
}

}  // namespace dourada
