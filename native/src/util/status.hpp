// A coded outcome instead of exceptions (the addon builds with exceptions off): an empty
// code is success; codes are stable strings the JS side maps, details never hold secrets.
#pragma once
#include <string>

namespace dourada {

struct Status {
  std::string code;
  std::string detail;
  bool ok() const { return code.empty(); }
  static Status success() { return {}; }
  static Status fail(const char* code, std::string detail) { return {code, std::move(detail)}; }
};

}  // namespace dourada
