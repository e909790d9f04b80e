// The addon's JS surface: info, loadCircuit/release (process-wide registry), proveSync,
// selfTest, secureMemory (locked regions for the keeper's secrets), and `testing` (unit
// hooks; secure-region read-backs only in test mode). Context-aware: one instance per
// worker thread, one shared registry per process.
#include <dlfcn.h>

#include "field/cpu.hpp"
#include "groth16/prover.hpp"
#include "msm/pippenger.hpp"
#include "napi_util.hpp"
#include "pairing/js.hpp"
#include "registry.hpp"
#include "secure/js.hpp"
#include "testing.hpp"
#include "util/test_mode.hpp"

namespace dourada {
namespace {

constexpr int kAbi = 1;

napi_value info(napi_env env, napi_callback_info) {
  napi_value obj, abi, path, adx, circuits;
  napi_create_object(env, &obj);
  napi_create_int32(env, kAbi, &abi);
  napi_create_string_utf8(env, cpu_path() == CpuPath::adx ? "adx" : "portable", NAPI_AUTO_LENGTH, &path);
  napi_get_boolean(env, cpu_has_adx(), &adx);
  napi_create_uint32(env, (uint32_t)registry_size(), &circuits);
  napi_set_named_property(env, obj, "abi", abi);
  napi_set_named_property(env, obj, "cpuPath", path);
  napi_set_named_property(env, obj, "adxAvailable", adx);
  napi_set_named_property(env, obj, "circuits", circuits);
  return obj;
}

// loadCircuit(key: string, zkey: Uint8Array) -> handle
napi_value load_circuit_js(napi_env env, napi_callback_info cb) {
  napi_value argv[2];
  if (!get_args(env, cb, argv)) return nullptr;
  bool ok;
  std::string key = read_string(env, argv[0], ok);
  if (!ok || key.empty()) return bad_argument(env, "loadCircuit needs a key string");
  View zkey = typed_bytes(env, argv[1]);
  if (!zkey.ok) return bad_argument(env, "loadCircuit needs the zkey as a Uint8Array");
  uint32_t handle = 0;
  Status st = registry_acquire(key, Bytes{zkey.data, zkey.size}, env, handle);
  if (!st.ok()) return throw_status(env, st);
  napi_value out;
  napi_create_uint32(env, handle, &out);
  return out;
}

bool read_handle(napi_env env, napi_value v, uint32_t& handle) {
  return napi_get_value_uint32(env, v, &handle) == napi_ok;
}

// The circuit a handle argument names; null once a coded error has been thrown.
std::shared_ptr<const Circuit> circuit_arg(napi_env env, napi_value v) {
  uint32_t handle;
  if (!read_handle(env, v, handle)) {
    bad_argument(env, "the first argument is a circuit handle");
    return nullptr;
  }
  auto c = registry_find(handle);
  if (!c) throw_status(env, Status::fail("native-unknown-circuit", "no circuit with this handle"));
  return c;
}

// buildTables(handle): the fixed-base tables now, on this thread (benchmarks, tests).
napi_value build_tables_js(napi_env env, napi_callback_info cb) {
  napi_value argv[1];
  if (!get_args(env, cb, argv)) return nullptr;
  if (auto c = circuit_arg(env, argv[0])) build_tables_now(c);
  return nullptr;
}

napi_value release_js(napi_env env, napi_callback_info cb) {
  napi_value argv[1];
  uint32_t handle;
  if (!get_args(env, cb, argv) || !read_handle(env, argv[0], handle)) return bad_argument(env, "release needs a handle");
  napi_value out;
  napi_get_boolean(env, registry_release(handle, env), &out);
  return out;
}

// circuitInfo(handle) -> { nVars, nPublic, domainSize, tableBytes } (tableBytes 0 until built)
napi_value circuit_info_js(napi_env env, napi_callback_info cb) {
  napi_value argv[1];
  if (!get_args(env, cb, argv)) return nullptr;
  auto c = circuit_arg(env, argv[0]);
  if (!c) return nullptr;
  napi_value obj, v;
  napi_create_object(env, &obj);
  const std::pair<const char*, double> fields[] = {
      {"nVars", c->n_vars}, {"nPublic", c->n_public}, {"domainSize", c->domain_size}, {"tableBytes", (double)(tables_of(*c) ? tables_of(*c)->bytes : 0)}};
  for (auto& [name, value] : fields) {
    napi_create_double(env, value, &v);
    napi_set_named_property(env, obj, name, v);
  }
  return obj;
}

// proveSync(handle, wtns: Uint8Array, rs?: Uint8Array(64)) -> proof (256 bytes) | public signals
napi_value prove_sync_js(napi_env env, napi_callback_info cb) {
  napi_value argv[3];
  if (!get_args(env, cb, argv)) return nullptr;
  auto circuit = circuit_arg(env, argv[0]);
  if (!circuit) return nullptr;
  View wtns = typed_bytes(env, argv[1]);
  if (!wtns.ok) return bad_argument(env, "proveSync needs the witness as a Uint8Array");
  const uint8_t* pinned = nullptr;
  if (!is_undefined(env, argv[2])) {
    if (!test_mode()) return throw_status(env, Status::fail("native-test-mode-off", "pinned blinding is refused outside test mode"));
    View rs = typed_bytes(env, argv[2]);
    if (!rs.ok || rs.size != 64) return bad_argument(env, "rs must be 64 bytes");
    pinned = rs.data;
  }
  std::vector<uint8_t> out;
  Status st = prove(*circuit, Bytes{wtns.data, wtns.size}, pinned, out);
  if (!st.ok()) return throw_status(env, st);
  note_proof(circuit);
  return new_bytes(env, out.data(), out.size());
}

// Known answer for the loader: sum_i k_i * [i + 1]G over 16 points with scalars that mix
// 0, 1, small and full-size values, as affine plain bytes (x | y).
napi_value self_test_js(napi_env env, napi_callback_info) {
  G1Affine g{Fq::from_u64(1), Fq::from_u64(2), false};
  std::vector<G1Affine> bases;
  G1 acc = G1::infinity();
  for (int i = 0; i < 16; i++) {
    add_affine_in_place(acc, g.x, g.y);
    bases.push_back(to_affine(acc));
  }
  std::vector<std::array<u64, 4>> scalars(16);
  for (int i = 0; i < 16; i++) {
    u64 seed = 0x9e3779b97f4a7c15ULL * (u64)(i + 1);
    scalars[i] = {seed, seed ^ 0x5555555555555555ULL, seed >> 3, (seed >> 7) & 0x0fffffffffffffffULL};
  }
  scalars[0] = {0, 0, 0, 0};
  scalars[1] = {1, 0, 0, 0};
  scalars[2] = {12345, 0, 0, 0};
  G1Affine out = to_affine(msm(bases.data(), nullptr, reinterpret_cast<const Scalar*>(scalars.data()), bases.size()));
  uint8_t bytes[64];
  out.x.from_mont().to_bytes(bytes);
  out.y.from_mont().to_bytes(bytes + 32);
  return new_bytes(env, bytes, sizeof bytes);
}

// Node dlcloses an addon when the last worker thread that loaded it exits; the registry
// must outlive the pool's workers (and a background table build must never run unmapped
// code), so the library pins itself for the life of the process.
void pin_library() {
  static bool pinned = [] {
    Dl_info self;
    if (dladdr(reinterpret_cast<void*>(&pin_library), &self) == 0 || !self.dli_fname) return false;
    return dlopen(self.dli_fname, RTLD_NOW | RTLD_NODELETE) != nullptr;
  }();
  (void)pinned;
}

}  // namespace
}  // namespace dourada

NAPI_MODULE_INIT() {
  using namespace dourada;
  pin_library();
  export_function(env, exports, "info", info);
  export_function(env, exports, "loadCircuit", load_circuit_js);
  export_function(env, exports, "release", release_js);
  export_function(env, exports, "circuitInfo", circuit_info_js);
  export_function(env, exports, "buildTables", build_tables_js);
  export_function(env, exports, "proveSync", prove_sync_js);
  export_function(env, exports, "selfTest", self_test_js);
  napi_value testing;
  napi_create_object(env, &testing);
  register_testing(env, testing);
  register_pairing(env, exports, testing);
  register_secure_memory(env, exports, testing);
  napi_set_named_property(env, exports, "testing", testing);
  // A worker terminated mid-life (piscina's close, a timed-out or crashed job) never calls
  // release: its circuit references go with its environment, so the last one frees the circuit.
  napi_add_env_cleanup_hook(env, [](void* owner) { registry_release_owner(owner); }, env);
  return exports;
}
