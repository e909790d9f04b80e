// Which Montgomery multiplication kernel runs: chosen once from cpuid (BMI2 + ADX),
// overridable for tests so both paths can be checked against the same references.
#pragma once

namespace dourada {

enum class CpuPath { portable, adx };

// Set once at load (and only by tests afterwards); read on every multiplication.
extern bool g_use_adx;

bool cpu_has_adx();
inline CpuPath cpu_path() { return g_use_adx ? CpuPath::adx : CpuPath::portable; }
// Returns false when the adx path is asked for on a CPU without it.
bool set_cpu_path(CpuPath path);

}  // namespace dourada
