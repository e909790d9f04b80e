// Small helpers over the Node-API C interface: argument reading and coded JS errors.
#pragma once
#include <node_api.h>

#include <cstring>
#include <string>

#include "util/status.hpp"

namespace dourada {

struct View {
  const uint8_t* data = nullptr;
  size_t size = 0;
  bool ok = false;
};

// A Uint8Array (or Buffer) argument as a byte view; ok = false for anything else.
inline View typed_bytes(napi_env env, napi_value v) {
  View out;
  bool is_typed = false;
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed) return out;
  napi_typedarray_type type;
  size_t length;
  void* data;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok) return out;
  if (type != napi_uint8_array) return out;
  out.data = static_cast<const uint8_t*>(data);
  out.size = length;
  out.ok = true;
  return out;
}

inline bool is_undefined(napi_env env, napi_value v) {
  napi_valuetype t;
  return napi_typeof(env, v, &t) == napi_ok && (t == napi_undefined || t == napi_null);
}

inline napi_value throw_status(napi_env env, const Status& st) {
  napi_throw_error(env, st.code.c_str(), st.detail.c_str());
  return nullptr;
}

inline napi_value bad_argument(napi_env env, const char* what) {
  return throw_status(env, Status::fail("native-bad-argument", what));
}

inline napi_value new_bytes(napi_env env, const uint8_t* data, size_t n) {
  napi_value buffer, array;
  void* raw;
  if (napi_create_arraybuffer(env, n, &raw, &buffer) != napi_ok) return nullptr;
  if (n > 0) std::memcpy(raw, data, n); // an empty vector's data() may be null
  if (napi_create_typedarray(env, napi_uint8_array, n, buffer, 0, &array) != napi_ok) return nullptr;
  return array;
}

inline std::string read_string(napi_env env, napi_value v, bool& ok) {
  size_t len = 0;
  ok = napi_get_value_string_utf8(env, v, nullptr, 0, &len) == napi_ok && len <= 256;
  if (!ok) return {};
  std::string s(len, '\0');
  ok = napi_get_value_string_utf8(env, v, s.data(), len + 1, &len) == napi_ok;
  return s;
}

// argv[0..n) of the call; missing arguments read as undefined.
template <size_t N>
inline bool get_args(napi_env env, napi_callback_info info, napi_value (&argv)[N]) {
  size_t argc = N;
  return napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) == napi_ok;
}

inline void export_function(napi_env env, napi_value target, const char* name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f);
  napi_set_named_property(env, target, name, f);
}

}  // namespace dourada
