// The `testing` hooks (see testing.hpp). Inputs are plain values; every value is converted
// to Montgomery form on the way in and back on the way out.
#include "testing.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "groth16/prover.hpp"
#include "msm/fixed_base.hpp"
#include "msm/straus.hpp"
#include "napi_util.hpp"
#include "ntt/ntt.hpp"
#include "util/large_pages.hpp"
#include "util/test_mode.hpp"

namespace dourada {
namespace {

template <class F>
bool read_plain(const uint8_t* p, F& out) {
  u64 limbs[4];
  std::memcpy(limbs, p, 32);
  if (!F::limbs_below_p(limbs)) return false;
  out = F::raw(limbs).to_mont();
  return true;
}
bool read_plain(const uint8_t* p, Fq2& out) { return read_plain(p, out.c0) && read_plain(p + 32, out.c1); }

template <class F>
void write_plain(const F& x, uint8_t* out) { x.from_mont().to_bytes(out); }
void write_plain(const Fq2& x, uint8_t* out) { write_plain(x.c0, out); write_plain(x.c1, out + 32); }

template <class F>
bool read_points(View v, std::vector<Affine<F>>& out) {
  constexpr size_t w = sizeof(F) * 2;
  if (v.size % w != 0) return false;
  for (size_t i = 0; i < v.size / w; i++) {
    const uint8_t* p = v.data + i * w;
    bool zero = true;
    for (size_t j = 0; j < w; j++) zero = zero && p[j] == 0;
    Affine<F> a{F::zero(), F::zero(), zero};
    if (!zero && !(read_plain(p, a.x) && read_plain(p + w / 2, a.y))) return false;
    out.push_back(a);
  }
  return true;
}

template <class F>
napi_value write_point(napi_env env, const Xyzz<F>& p) {
  constexpr size_t w = sizeof(F) * 2;
  uint8_t out[w] = {0};
  Affine<F> a = to_affine(p);
  if (!a.inf) { write_plain(a.x, out); write_plain(a.y, out + w / 2); }
  return new_bytes(env, out, w);
}

// The same point with coordinates scaled by lambda (lambda^2 X, lambda^3 Y, ...), so the
// general addition formula runs with ZZ != 1.
template <class F>
Xyzz<F> scaled(const Affine<F>& a, u64 lambda) {
  if (a.inf) return Xyzz<F>::infinity();
  Fq l = Fq::from_u64(lambda), l2 = l.sqr(), l3 = l2 * l;
  F L2, L3;
  if constexpr (sizeof(F) == sizeof(Fq)) { L2 = l2; L3 = l3; }
  else { L2 = F{l2, Fq::zero()}; L3 = F{l3, Fq::zero()}; }
  return {a.x * L2, a.y * L3, L2, L3};
}

// The process-wide speed knobs below change how every later proof is computed (never what it
// computes), so a production process cannot reach them: test mode only, like pinned blinding.
napi_value refuse_knob(napi_env env) {
  return throw_status(env, Status::fail("native-test-mode-off", "the addon's speed knobs are refused outside test mode"));
}

napi_value set_cpu_path_js(napi_env env, napi_callback_info cb) {
  if (!test_mode()) return refuse_knob(env);
  napi_value argv[1];
  bool ok;
  if (!get_args(env, cb, argv)) return nullptr;
  std::string name = read_string(env, argv[0], ok);
  if (!ok || (name != "adx" && name != "portable")) return bad_argument(env, "cpu path is adx or portable");
  napi_value out;
  napi_get_boolean(env, set_cpu_path(name == "adx" ? CpuPath::adx : CpuPath::portable), &out);
  return out;
}

template <class F>
napi_value field_op(napi_env env, const std::string& op, View a, View b) {
  F x, y = F::zero();
  if (!read_plain(a.data, x)) return bad_argument(env, "a is not below the modulus");
  if (b.ok && !read_plain(b.data, y)) return bad_argument(env, "b is not below the modulus");
  F z;
  if (op == "add") z = x + y;
  else if (op == "sub") z = x - y;
  else if (op == "mul") z = x * y;
  else if (op == "sqr") z = x.sqr();
  else if (op == "neg") z = -x;
  else if (op == "inv") z = x.inverse();
  else if (op == "inv-vartime") z = x.inverse_vartime();
  else return bad_argument(env, "unknown field op");
  uint8_t out[32];
  write_plain(z, out);
  return new_bytes(env, out, 32);
}

// fieldOp(field: "q"|"r", op, a: 32 bytes, b?: 32 bytes) -> 32 bytes
napi_value field_op_js(napi_env env, napi_callback_info cb) {
  napi_value argv[4];
  bool ok;
  if (!get_args(env, cb, argv)) return nullptr;
  std::string field = read_string(env, argv[0], ok), op = read_string(env, argv[1], ok);
  View a = typed_bytes(env, argv[2]), b = typed_bytes(env, argv[3]);
  if (!a.ok || a.size != 32 || (b.ok && b.size != 32)) return bad_argument(env, "operands are 32 bytes");
  if (field == "q") return field_op<Fq>(env, op, a, b);
  if (field == "r") return field_op<Fr>(env, op, a, b);
  return bad_argument(env, "field is q or r");
}

// fq2Op(op: "mul"|"sqr"|"inv", a: 64 bytes, b?: 64 bytes) -> 64 bytes
napi_value fq2_op_js(napi_env env, napi_callback_info cb) {
  napi_value argv[3];
  bool ok;
  if (!get_args(env, cb, argv)) return nullptr;
  std::string op = read_string(env, argv[0], ok);
  View a = typed_bytes(env, argv[1]), b = typed_bytes(env, argv[2]);
  Fq2 x, y = Fq2::zero();
  if (!a.ok || a.size != 64 || !read_plain(a.data, x)) return bad_argument(env, "a is a 64-byte Fq2");
  if (b.ok && (b.size != 64 || !read_plain(b.data, y))) return bad_argument(env, "b is a 64-byte Fq2");
  Fq2 z;
  if (op == "mul") z = x * y;
  else if (op == "sqr") z = x.sqr();
  else if (op == "inv") z = x.inverse();
  else if (op == "inv-vartime") z = x.inverse_vartime();
  else return bad_argument(env, "unknown fq2 op");
  uint8_t out[64];
  write_plain(z, out);
  return new_bytes(env, out, 64);
}

template <class F>
napi_value curve_op(napi_env env, const std::string& op, View pts, View scalar) {
  std::vector<Affine<F>> points;
  if (!read_points(pts, points)) return bad_argument(env, "points are plain affine coordinates below q");
  Xyzz<F> acc = Xyzz<F>::infinity();
  if (op == "bucket") {  // mixed additions into one bucket, as Pippenger does
    for (auto& p : points) if (!p.inf) add_affine_in_place(acc, p.x, p.y);
  } else if (op == "sum") {  // general XYZZ additions with ZZ != 1
    u64 lambda = 2;
    for (auto& p : points) add_in_place(acc, scaled(p, lambda++));
  } else if (op == "dbl" && points.size() == 1) {
    acc = scaled(points[0], 7);
    dbl_in_place(acc);
  } else if (op == "mul" && points.size() == 1 && scalar.ok && scalar.size == 32) {
    u64 k[4];
    std::memcpy(k, scalar.data, 32);
    acc = scalar_mul(scaled(points[0], 5), k);
  } else {
    return bad_argument(env, "unknown curve op");
  }
  return write_point(env, acc);
}

// curveOp(group: 1|2, op: "bucket"|"sum"|"dbl"|"mul", points, scalar?) -> affine bytes
napi_value curve_op_js(napi_env env, napi_callback_info cb) {
  napi_value argv[4];
  bool ok;
  uint32_t group = 0;
  if (!get_args(env, cb, argv) || napi_get_value_uint32(env, argv[0], &group) != napi_ok) return bad_argument(env, "group is 1 or 2");
  std::string op = read_string(env, argv[1], ok);
  View pts = typed_bytes(env, argv[2]), k = typed_bytes(env, argv[3]);
  if (!pts.ok) return bad_argument(env, "points are a Uint8Array");
  if (group == 1) return curve_op<Fq>(env, op, pts, k);
  if (group == 2) return curve_op<Fq2>(env, op, pts, k);
  return bad_argument(env, "group is 1 or 2");
}

template <class F>
napi_value msm_op(napi_env env, View bases_v, View scalars_v, const std::string& method) {
  std::vector<Affine<F>> points;
  if (!read_points(bases_v, points)) return bad_argument(env, "bases are plain affine coordinates below q");
  if (scalars_v.size != points.size() * 32) return bad_argument(env, "one 32-byte scalar per base");
  std::vector<std::array<u64, 4>> scalars(points.size());
  if (!points.empty()) std::memcpy(scalars.data(), scalars_v.data, scalars_v.size);
  // Drop infinity bases as the zkey loader does, keeping each base's scalar index.
  std::vector<Affine<F>> finite;
  std::vector<uint32_t> index;
  for (size_t i = 0; i < points.size(); i++) {
    if (!Fr::limbs_below_p(scalars[i].data())) return bad_argument(env, "scalars are below r");
    if (points[i].inf) continue;
    finite.push_back(points[i]);
    index.push_back((uint32_t)i);
  }
  const Scalar* k = reinterpret_cast<const Scalar*>(scalars.data());
  if (method == "straus") return write_point(env, straus(points.data(), k, points.size()));
  if (method == "pippenger") return write_point(env, msm(finite.data(), index.data(), k, finite.size()));
  auto table = build_fixed_base(finite, fixed_base_window<F>(finite.size()));
  return write_point(env, msm_fixed(table, index.data(), k, finite.size()));
}

// msm(group: 1|2, bases, scalars, method: "pippenger"|"fixed-base"|"straus") -> affine bytes
napi_value msm_js(napi_env env, napi_callback_info cb) {
  napi_value argv[4];
  bool ok;
  uint32_t group = 0;
  if (!get_args(env, cb, argv) || napi_get_value_uint32(env, argv[0], &group) != napi_ok) return bad_argument(env, "group is 1 or 2");
  View b = typed_bytes(env, argv[1]), s = typed_bytes(env, argv[2]);
  if (!b.ok || !s.ok) return bad_argument(env, "bases and scalars are Uint8Arrays");
  std::string method = read_string(env, argv[3], ok);
  if (method != "pippenger" && method != "fixed-base" && method != "straus") return bad_argument(env, "method is pippenger, fixed-base or straus");
  if (group == 1) return msm_op<Fq>(env, b, s, method);
  if (group == 2) return msm_op<Fq2>(env, b, s, method);
  return bad_argument(env, "group is 1 or 2");
}

// endomorphism(group: 1|2, point) -> affine bytes: phi on G1, psi on G2.
napi_value endomorphism_js(napi_env env, napi_callback_info cb) {
  napi_value argv[2];
  uint32_t group = 0;
  if (!get_args(env, cb, argv) || napi_get_value_uint32(env, argv[0], &group) != napi_ok) return bad_argument(env, "group is 1 or 2");
  View v = typed_bytes(env, argv[1]);
  if (!v.ok) return bad_argument(env, "point is a Uint8Array");
  auto one = [&](auto* field) -> napi_value {
    using F = std::remove_pointer_t<decltype(field)>;
    std::vector<Affine<F>> pts;
    if (!read_points(v, pts) || pts.size() != 1) return bad_argument(env, "one point in plain affine coordinates");
    return write_point(env, from_affine(endomorphism(pts[0])));
  };
  if (group == 1) return one(static_cast<Fq*>(nullptr));
  if (group == 2) return one(static_cast<Fq2*>(nullptr));
  return bad_argument(env, "group is 1 or 2");
}

// splitScalar(group: 1|2, k: 32 bytes < r) -> 66 bytes: |k1| (32), k1 < 0 (1), |k2| (32), k2 < 0 (1).
napi_value split_scalar_js(napi_env env, napi_callback_info cb) {
  napi_value argv[2];
  uint32_t group = 0;
  if (!get_args(env, cb, argv) || napi_get_value_uint32(env, argv[0], &group) != napi_ok || (group != 1 && group != 2)) return bad_argument(env, "group is 1 or 2");
  View v = typed_bytes(env, argv[1]);
  u64 k[4];
  if (!v.ok || v.size != 32) return bad_argument(env, "k is 32 bytes");
  std::memcpy(k, v.data, 32);
  if (!Fr::limbs_below_p(k)) return bad_argument(env, "k is below r");
  HalfScalar k1, k2;
  if (group == 1) split_g1(k, k1, k2);
  else split_g2(k, k1, k2);
  uint8_t out[66];
  std::memcpy(out, k1.mag, 32);
  out[32] = k1.neg;
  std::memcpy(out + 33, k2.mag, 32);
  out[65] = k2.neg;
  return new_bytes(env, out, sizeof out);
}

// setMsmEndomorphism(on) -> previous setting: Pippenger with or without the GLV/GLS split.
napi_value set_msm_endo_js(napi_env env, napi_callback_info cb) {
  if (!test_mode()) return refuse_knob(env);
  napi_value argv[1], out;
  bool on = true;
  if (!get_args(env, cb, argv) || napi_get_value_bool(env, argv[0], &on) != napi_ok) return bad_argument(env, "on is a boolean");
  napi_get_boolean(env, msm_use_endomorphism().exchange(on), &out);
  return out;
}

// lastProofTimings() -> { witness, hNtt, msmA, msmB1, msmC, msmH, msmB2, blinding } in ms, of
// this thread's last proof (test mode only: stage times follow the witness's weight).
napi_value last_proof_timings_js(napi_env env, napi_callback_info) {
  if (!test_mode()) return throw_status(env, Status::fail("native-test-mode-off", "proof timings are refused outside test mode"));
  const ProofTimings& t = last_proof_timings;
  const std::pair<const char*, double> fields[] = {{"witness", t.witness}, {"hNtt", t.h_ntt}, {"msmA", t.msm_a}, {"msmB1", t.msm_b1},
                                                   {"msmC", t.msm_c}, {"msmH", t.msm_h}, {"msmB2", t.msm_b2}, {"blinding", t.blinding}};
  napi_value obj, v;
  napi_create_object(env, &obj);
  for (auto& [name, value] : fields) {
    napi_create_double(env, value, &v);
    napi_set_named_property(env, obj, name, v);
  }
  return obj;
}

// setBatchAffineMinBuckets(group: 1|2|3, n) -> previous: bucket sets of at least n buckets use
// batched affine additions (n = 2^32 - 1: never); 1 is G1 Pippenger, 3 G1 table MSMs, 2 G2 (both).
napi_value set_batch_affine_min_js(napi_env env, napi_callback_info cb) {
  if (!test_mode()) return refuse_knob(env);
  napi_value argv[2], out;
  uint32_t group = 0, n = 0;
  if (!get_args(env, cb, argv) || napi_get_value_uint32(env, argv[0], &group) != napi_ok || group < 1 || group > 3) return bad_argument(env, "group is 1, 2 or 3");
  if (napi_get_value_uint32(env, argv[1], &n) != napi_ok) return bad_argument(env, "n is an unsigned integer");
  auto& all = batch_affine_min_buckets();
  auto& min = group == 1 ? all.g1 : group == 2 ? all.g2 : all.g1_fixed;
  napi_create_uint32(env, min.exchange(n), &out);
  return out;
}

// ntt(values: n * 32 bytes plain, mode: "forward"|"inverse"|"odd-coset") -> n * 32 bytes
napi_value ntt_js(napi_env env, napi_callback_info cb) {
  napi_value argv[2];
  bool ok;
  if (!get_args(env, cb, argv)) return nullptr;
  View v = typed_bytes(env, argv[0]);
  std::string mode = read_string(env, argv[1], ok);
  if (!v.ok || v.size < 64 || v.size % 32 != 0) return bad_argument(env, "values are n >= 2 field elements");
  size_t n = v.size / 32;
  int k = 0;
  while (((size_t)1 << k) < n) k++;
  if (((size_t)1 << k) != n || k > 20) return bad_argument(env, "n is a power of two up to 2^20");
  std::vector<Fr> a(n);
  for (size_t i = 0; i < n; i++) if (!read_plain(v.data + 32 * i, a[i])) return bad_argument(env, "values are below r");
  NttDomain domain(k);
  if (mode == "forward") domain.dft(a.data(), false);
  else if (mode == "inverse") domain.dft(a.data(), true);
  else if (mode == "odd-coset") domain.to_odd_coset(a.data());
  else return bad_argument(env, "unknown ntt mode");
  std::vector<uint8_t> out(v.size);
  for (size_t i = 0; i < n; i++) write_plain(a[i], out.data() + 32 * i);
  return new_bytes(env, out.data(), out.size());
}

// rootOfUnity(k) -> 32 bytes plain
napi_value root_js(napi_env env, napi_callback_info cb) {
  napi_value argv[1];
  uint32_t k = 0;
  if (!get_args(env, cb, argv) || napi_get_value_uint32(env, argv[0], &k) != napi_ok || k > 28) return bad_argument(env, "k <= 28");
  uint8_t out[32];
  write_plain(root_of_unity((int)k), out);
  return new_bytes(env, out, 32);
}

// The kernel's "THPeligible" flag of the mapping that holds `address` (/proc/self/smaps), or -1.
int thp_eligible(uintptr_t address) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long from = 0, to = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &from, &to) == 2) {  // a mapping's header line
      inside = address >= from && address < to;
    } else if (inside && line.rfind("THPeligible:", 0) == 0) {
      return std::atoi(line.c_str() + 12);
    }
  }
  return -1;
}

// largeBlock(bytes) -> { alignedTo2MiB, thpEligible }: where a LargeVector of that many bytes
// lands (thpEligible -1: the kernel does not report it).
napi_value large_block_js(napi_env env, napi_callback_info cb) {
  napi_value argv[1], obj, v;
  uint32_t bytes = 0;
  if (!get_args(env, cb, argv) || napi_get_value_uint32(env, argv[0], &bytes) != napi_ok || bytes == 0) return bad_argument(env, "bytes is a positive integer");
  LargeVector<uint8_t> block(bytes, 1);
  const uintptr_t address = reinterpret_cast<uintptr_t>(block.data());
  napi_create_object(env, &obj);
  napi_get_boolean(env, address % kLargePage == 0, &v);
  napi_set_named_property(env, obj, "alignedTo2MiB", v);
  napi_create_int32(env, thp_eligible(address), &v);
  napi_set_named_property(env, obj, "thpEligible", v);
  return obj;
}

}  // namespace

void register_testing(napi_env env, napi_value target) {
  export_function(env, target, "setCpuPath", set_cpu_path_js);
  export_function(env, target, "fieldOp", field_op_js);
  export_function(env, target, "fq2Op", fq2_op_js);
  export_function(env, target, "curveOp", curve_op_js);
  export_function(env, target, "msm", msm_js);
  export_function(env, target, "ntt", ntt_js);
  export_function(env, target, "endomorphism", endomorphism_js);
  export_function(env, target, "lastProofTimings", last_proof_timings_js);
  export_function(env, target, "splitScalar", split_scalar_js);
  export_function(env, target, "setMsmEndomorphism", set_msm_endo_js);
  export_function(env, target, "setBatchAffineMinBuckets", set_batch_affine_min_js);
  export_function(env, target, "rootOfUnity", root_js);
  export_function(env, target, "largeBlock", large_block_js);
}

}  // namespace dourada
