// The pairing's JS surface: prepareVerificationKey, groth16Verify (and its async twin), pairingCheck and
// pairingSelfTest on the addon, and tower/pairing hooks under `testing` (public data only).
#include "js.hpp"

#include <cstring>
#include <string>

#include "../napi_util.hpp"
#include "groth16_verify.hpp"

namespace dourada {
namespace {

constexpr size_t kFq12Bytes = 12 * 32;

void fq_out(const Fq& a, uint8_t* out) { a.from_mont().to_bytes(out); }
void fq2_out(const Fq2& a, uint8_t* out) { fq_out(a.c0, out); fq_out(a.c1, out + 32); }
void fq6_out(const Fq6& a, uint8_t* out) { fq2_out(a.c0, out); fq2_out(a.c1, out + 64); fq2_out(a.c2, out + 128); }

napi_value fq12_value(napi_env env, const Fq12& a) {
  uint8_t out[kFq12Bytes];
  fq6_out(a.c0, out);
  fq6_out(a.c1, out + 192);
  return new_bytes(env, out, sizeof out);
}

bool fq12_in(napi_env env, napi_value v, Fq12& out) {
  View b = typed_bytes(env, v);
  if (!b.ok || b.size != kFq12Bytes) return false;
  Fq* parts[12] = {&out.c0.c0.c0, &out.c0.c0.c1, &out.c0.c1.c0, &out.c0.c1.c1, &out.c0.c2.c0, &out.c0.c2.c1,
                   &out.c1.c0.c0, &out.c1.c0.c1, &out.c1.c1.c0, &out.c1.c1.c1, &out.c1.c2.c0, &out.c1.c2.c1};
  for (int i = 0; i < 12; i++) {
    if (!read_fq(b.data + 32 * i, *parts[i])) return false;
  }
  return true;
}

G1Affine generator_g1() { return {Fq::from_u64(1), Fq::from_u64(2), false}; }

// (G1 | G2) pairs of plain affine points, each on its curve (G2 also in the subgroup when
// asked), with the G2 points prepared; false for any other input.
struct Pairs {
  std::vector<G1Affine> ps;
  std::vector<PreparedG2> prepared;
  std::vector<const PreparedG2*> qs;
};
bool pairs_in(View bytes, bool subgroup, Pairs& out) {
  if (!bytes.ok || bytes.size == 0 || bytes.size % 192 != 0) return false;
  size_t n = bytes.size / 192;
  out.ps.resize(n);
  out.prepared.resize(n);
  for (size_t i = 0; i < n; i++) {
    const uint8_t* at = bytes.data + 192 * i;
    G2Affine q;
    if (!read_g1(at, out.ps[i]) || !on_curve(out.ps[i]) || !read_g2(at + 64, q) || !on_curve(q)) return false;
    if (subgroup && !g2_in_subgroup(q)) return false;
    out.prepared[i] = prepare_g2(q);
  }
  for (auto& p : out.prepared) out.qs.push_back(&p);
  return true;
}

Fq12 pairing(const G1Affine& p, const G2Affine& q) {
  PreparedG2 prepared = prepare_g2(q);
  const PreparedG2* qs = &prepared;
  return final_exponentiation(miller_loop(&p, &qs, 1));
}

// prepareVerificationKey(fingerprint: string, vk: Uint8Array) -> handle (shared process-wide)
napi_value prepare_key_js(napi_env env, napi_callback_info cb) {
  napi_value argv[2];
  if (!get_args(env, cb, argv)) return nullptr;
  bool ok;
  std::string fingerprint = read_string(env, argv[0], ok);
  if (!ok || fingerprint.empty()) return bad_argument(env, "prepareVerificationKey needs the key's fingerprint");
  View vk = typed_bytes(env, argv[1]);
  if (!vk.ok) return bad_argument(env, "prepareVerificationKey needs the key as a Uint8Array");
  std::shared_ptr<const PreparedKey> key;
  Status st = prepare_key(vk.data, vk.size, key);
  if (!st.ok()) return throw_status(env, st);
  napi_value out;
  napi_create_uint32(env, key_registry_put(fingerprint, std::move(key)), &out);
  return out;
}

// The arguments of groth16Verify and its async twin: a prepared key's handle, a 256-byte proof,
// 32-byte signals. False once a coded error has been thrown.
struct VerifyArgs {
  std::shared_ptr<const PreparedKey> key;
  View proof, signals;
};
bool verify_args(napi_env env, napi_callback_info cb, VerifyArgs& out) {
  napi_value argv[3];
  uint32_t handle;
  if (!get_args(env, cb, argv) || napi_get_value_uint32(env, argv[0], &handle) != napi_ok) return bad_argument(env, "groth16Verify needs a key handle"), false;
  out.key = key_registry_find(handle);
  if (!out.key) return throw_status(env, Status::fail("native-unknown-key", "no prepared verification key with this handle")), false;
  out.proof = typed_bytes(env, argv[1]);
  out.signals = typed_bytes(env, argv[2]);
  if (!out.proof.ok || out.proof.size != 256) return bad_argument(env, "the proof must be 256 bytes"), false;
  if (!out.signals.ok || out.signals.size % 32 != 0) return bad_argument(env, "the signals must be 32 bytes each"), false;
  return true;
}

// groth16Verify(handle, proof: Uint8Array(256), signals: Uint8Array(32 n)) -> outcome code
napi_value groth16_verify_js(napi_env env, napi_callback_info cb) {
  VerifyArgs args;
  if (!verify_args(env, cb, args)) return nullptr;
  napi_value out;
  napi_create_int32(env, (int32_t)groth16_verify(*args.key, args.proof.data, args.signals.data, args.signals.size / 32), &out);
  return out;
}

// groth16VerifyAsync(handle, proof, signals) -> Promise<outcome code>: the same check on a
// libuv pool thread, so the caller's event loop stays free. The inputs are copied and the key
// is held by its shared_ptr, so neither can change or go away while the pairing runs.
struct VerifyJob {
  std::shared_ptr<const PreparedKey> key;
  std::vector<uint8_t> proof, signals;
  VerifyOutcome outcome = VerifyOutcome::pairing_failed;
  napi_deferred deferred = nullptr;
  napi_async_work work = nullptr;
};

void verify_execute(napi_env, void* data) {
  auto* job = static_cast<VerifyJob*>(data);
  job->outcome = groth16_verify(*job->key, job->proof.data(), job->signals.data(), job->signals.size() / 32);
}

void verify_complete(napi_env env, napi_status status, void* data) {
  auto* job = static_cast<VerifyJob*>(data);
  napi_value out;
  if (status == napi_ok) {
    napi_create_int32(env, (int32_t)job->outcome, &out);
    napi_resolve_deferred(env, job->deferred, out);
  } else {
    napi_value code, message;
    napi_create_string_utf8(env, "native-verify-cancelled", NAPI_AUTO_LENGTH, &code);
    napi_create_string_utf8(env, "the verification did not run", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, code, message, &out);
    napi_reject_deferred(env, job->deferred, out);
  }
  napi_delete_async_work(env, job->work);
  delete job;
}

napi_value groth16_verify_async_js(napi_env env, napi_callback_info cb) {
  VerifyArgs args;
  if (!verify_args(env, cb, args)) return nullptr;
  const View &proof = args.proof, &signals = args.signals;
  auto key = std::move(args.key);
  auto* job = new VerifyJob{std::move(key), std::vector<uint8_t>(proof.data, proof.data + proof.size), std::vector<uint8_t>(signals.data, signals.data + signals.size)};
  napi_value promise, name;
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "dourada.groth16Verify", NAPI_AUTO_LENGTH, &name);
  if (napi_create_async_work(env, nullptr, name, verify_execute, verify_complete, job, &job->work) != napi_ok || napi_queue_async_work(env, job->work) != napi_ok) {
    // Not queued: settle here (verify_complete never runs for this job).
    napi_value out;
    napi_create_int32(env, (int32_t)groth16_verify(*job->key, job->proof.data(), job->signals.data(), job->signals.size() / 32), &out);
    napi_resolve_deferred(env, job->deferred, out);
    if (job->work) napi_delete_async_work(env, job->work);
    delete job;
  }
  return promise;
}

// pairingCheck(pairs: Uint8Array(192 n)) -> prod e(P_i, Q_i) == 1; G2 points must be in the subgroup.
napi_value pairing_check_js(napi_env env, napi_callback_info cb) {
  napi_value argv[1];
  if (!get_args(env, cb, argv)) return nullptr;
  Pairs pairs;
  if (!pairs_in(typed_bytes(env, argv[0]), true, pairs)) return bad_argument(env, "pairingCheck needs (G1 | G2) pairs, each point on its curve and G2 in the order-r subgroup");
  napi_value out;
  napi_get_boolean(env, final_exponentiation(miller_loop(pairs.ps.data(), pairs.qs.data(), pairs.ps.size())).is_one(), &out);
  return out;
}

// e(G1 generator, G2 generator), for the loader's known-answer test.
napi_value self_test_js(napi_env env, napi_callback_info) {
  static const uint64_t x0[4] = {0x46debd5cd992f6edULL, 0x674322d4f75edaddULL, 0x426a00665e5c4479ULL, 0x1800deef121f1e76ULL};
  static const uint64_t x1[4] = {0x97e485b7aef312c2ULL, 0xf1aa493335a9e712ULL, 0x7260bfb731fb5d25ULL, 0x198e9393920d483aULL};
  static const uint64_t y0[4] = {0x4ce6cc0166fa7daaULL, 0xe3d1e7690c43d37bULL, 0x4aab71808dcb408fULL, 0x12c85ea5db8c6debULL};
  static const uint64_t y1[4] = {0x55acdadcd122975bULL, 0xbc4b313370b38ef3ULL, 0xec9e99ad690c3395ULL, 0x090689d0585ff075ULL};
  G2Affine g2{{Fq::raw(x0).to_mont(), Fq::raw(x1).to_mont()}, {Fq::raw(y0).to_mont(), Fq::raw(y1).to_mont()}, false};
  return fq12_value(env, pairing(generator_g1(), g2));
}

// testing.fq12Op(op, a, b?) for op in mul, sqr, cyclotomicSqr, mulByXi (raw Montgomery limbs out), lineProduct, mul01234, inverse, conjugate, frobenius1..3, finalExp, mul034.
napi_value fq12_op_js(napi_env env, napi_callback_info cb) {
  napi_value argv[3];
  if (!get_args(env, cb, argv)) return nullptr;
  bool ok;
  std::string op = read_string(env, argv[0], ok);
  Fq12 a, b;
  if (!ok || !fq12_in(env, argv[1], a)) return bad_argument(env, "fq12Op needs an op and 384 bytes below q per coefficient");
  if (op == "mul") {
    if (!fq12_in(env, argv[2], b)) return bad_argument(env, "mul needs two elements");
    return fq12_value(env, a * b);
  }
  if (op == "sqr") return fq12_value(env, a.sqr());
  if (op == "inverse") return fq12_value(env, a.inverse());
  if (op == "conjugate") return fq12_value(env, a.conjugate());
  if (op == "frobenius1") return fq12_value(env, a.frobenius(1));
  if (op == "frobenius2") return fq12_value(env, a.frobenius(2));
  if (op == "frobenius3") return fq12_value(env, a.frobenius(3));
  if (op == "finalExp") return fq12_value(env, final_exponentiation(a));
  if (op == "cyclotomicSqr") return fq12_value(env, a.cyclotomic_sqr());
  if (op == "mulByXi") {  // each of the six Fq2 coefficients times xi = 9 + u, as raw Montgomery limbs
    for (Fq6* h : {&a.c0, &a.c1}) *h = {mul_by_xi(h->c0), mul_by_xi(h->c1), mul_by_xi(h->c2)};
    uint8_t out[kFq12Bytes];
    const Fq* parts[12] = {&a.c0.c0.c0, &a.c0.c0.c1, &a.c0.c1.c0, &a.c0.c1.c1, &a.c0.c2.c0, &a.c0.c2.c1,
                           &a.c1.c0.c0, &a.c1.c0.c1, &a.c1.c1.c0, &a.c1.c1.c1, &a.c1.c2.c0, &a.c1.c2.c1};
    for (int i = 0; i < 12; i++) parts[i]->to_bytes(out + 32 * i);  // a value in [q, 2q) would show here
    return new_bytes(env, out, sizeof out);
  }
  if (op == "mul034") {  // a * (b.c0.c0 + (b.c1.c0 + b.c1.c1 v) w)
    if (!fq12_in(env, argv[2], b)) return bad_argument(env, "mul034 needs two elements");
    a.mul_by_034(b.c0.c0, b.c1.c0, b.c1.c1);
    return fq12_value(env, a);
  }
  if (op == "lineProduct") {  // (a.c0.c0 + (a.c1.c0 + a.c1.c1 v) w) (b.c0.c0 + (b.c1.c0 + b.c1.c1 v) w)
    if (!fq12_in(env, argv[2], b)) return bad_argument(env, "lineProduct needs two elements");
    Fq12 out;
    Fq12::line_product(a.c0.c0, a.c1.c0, a.c1.c1, b.c0.c0, b.c1.c0, b.c1.c1, out.c0, out.c1.c0, out.c1.c1);
    out.c1.c2 = Fq2::zero();
    return fq12_value(env, out);
  }
  if (op == "mul01234") {  // a * b with b's w^5 coefficient taken as zero
    if (!fq12_in(env, argv[2], b)) return bad_argument(env, "mul01234 needs two elements");
    a.mul_by_01234(b.c0, b.c1.c0, b.c1.c1);
    return fq12_value(env, a);
  }
  return bad_argument(env, "unknown fq12 op");
}

// testing.pairing(pairs: Uint8Array(192 n), mode: "pairing" | "miller") -> Fq12 (no subgroup test)
napi_value pairing_js(napi_env env, napi_callback_info cb) {
  napi_value argv[2];
  if (!get_args(env, cb, argv)) return nullptr;
  bool ok;
  std::string mode = read_string(env, argv[1], ok);
  Pairs pairs;
  if (!ok || !pairs_in(typed_bytes(env, argv[0]), false, pairs)) return bad_argument(env, "pairing needs (G1 | G2) pairs on their curves and a mode");
  Fq12 f = miller_loop(pairs.ps.data(), pairs.qs.data(), pairs.ps.size());
  return fq12_value(env, mode == "miller" ? f : final_exponentiation(f));
}

// testing.g2InSubgroup(point: Uint8Array(128)) -> boolean (the point must be on the twist)
napi_value g2_in_subgroup_js(napi_env env, napi_callback_info cb) {
  napi_value argv[1];
  if (!get_args(env, cb, argv)) return nullptr;
  View b = typed_bytes(env, argv[0]);
  G2Affine q;
  if (!b.ok || b.size != 128 || !read_g2(b.data, q) || !on_curve(q)) return bad_argument(env, "g2InSubgroup needs a point of the twist");
  napi_value out;
  napi_get_boolean(env, g2_in_subgroup(q), &out);
  return out;
}

}  // namespace

void register_pairing(napi_env env, napi_value exports, napi_value testing) {
  export_function(env, exports, "prepareVerificationKey", prepare_key_js);
  export_function(env, exports, "groth16Verify", groth16_verify_js);
  export_function(env, exports, "groth16VerifyAsync", groth16_verify_async_js);
  export_function(env, exports, "pairingCheck", pairing_check_js);
  export_function(env, exports, "pairingSelfTest", self_test_js);
  export_function(env, testing, "fq12Op", fq12_op_js);
  export_function(env, testing, "pairing", pairing_js);
  export_function(env, testing, "g2InSubgroup", g2_in_subgroup_js);
}

}  // namespace dourada
