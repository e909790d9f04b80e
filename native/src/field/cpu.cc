// cpuid dispatch for the field kernels: no -march flags, so one build runs on any x86-64.
#include "cpu.hpp"

namespace dourada {

bool cpu_has_adx() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("adx");
#else
  return false;
#endif
}

bool g_use_adx = cpu_has_adx();

bool set_cpu_path(CpuPath path) {
  if (path == CpuPath::adx && !cpu_has_adx()) return false;
  g_use_adx = path == CpuPath::adx;
  return true;
}

}  // namespace dourada
