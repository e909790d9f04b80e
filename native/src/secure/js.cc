// The secure allocator's JS surface. allocate(size) hands out a region as a Uint8Array over
// an external ArrayBuffer (the bytes are never on the V8 heap) whose finalizer wipes and
// unmaps it, with the region's lock and dontdump outcome (errno names when refused). The
// environment's teardown wipes whatever of its regions is still live.
#include "js.hpp"

#include <cstdio>

#include "../napi_util.hpp"
#include "../util/test_mode.hpp"
#include "secure_memory.hpp"

namespace dourada {
namespace {

void set_bool(napi_env env, napi_value obj, const char* name, bool value) {
  napi_value v;
  napi_get_boolean(env, value, &v);
  napi_set_named_property(env, obj, name, v);
}

void set_double(napi_env env, napi_value obj, const char* name, double value) {
  napi_value v;
  napi_create_double(env, value, &v);
  napi_set_named_property(env, obj, name, v);
}

// An errno as its name, or null when the call succeeded.
void set_errno(napi_env env, napi_value obj, const char* name, int e) {
  napi_value v;
  if (e == 0) napi_get_null(env, &v);
  else {
    std::string text = secure_errno_name(e);
    napi_create_string_utf8(env, text.c_str(), text.size(), &v);
  }
  napi_set_named_property(env, obj, name, v);
}

void set_flags(napi_env env, napi_value obj, const SecureRegion& r) {
  set_double(env, obj, "id", (double)r.id);
  set_double(env, obj, "size", (double)r.size);
  set_bool(env, obj, "locked", r.lock_errno == 0);
  set_errno(env, obj, "lockError", r.lock_errno);
  set_bool(env, obj, "dontDump", r.dontdump_errno == 0);
  set_errno(env, obj, "dontDumpError", r.dontdump_errno);
  set_bool(env, obj, "guarded", r.guard_errno == 0);
}

// The span is reported to V8 as external memory, so unreleased regions count towards its
// next collection (a region is unmapped only when its ArrayBuffer is collected).
void release_region(napi_env env, void*, void* hint) {
  auto* region = static_cast<SecureRegion*>(hint);
  int64_t ignored;
  napi_adjust_external_memory(env, -(int64_t)region->span, &ignored);
  secure_release(region);
}

// allocate(size) -> { bytes, id, size, locked, lockError, dontDump, dontDumpError, guarded }
napi_value allocate_js(napi_env env, napi_callback_info cb) {
  napi_value argv[1];
  if (!get_args(env, cb, argv)) return nullptr;
  double requested;
  if (napi_get_value_double(env, argv[0], &requested) != napi_ok || !(requested >= 0) || requested != (double)(size_t)requested) {
    return bad_argument(env, "allocate needs a size: an integer number of bytes >= 0");
  }
  SecureRegion* region = nullptr;
  Status st = secure_allocate((size_t)requested, env, region);
  if (!st.ok()) return throw_status(env, st);
  napi_value buffer, bytes, out;
  if (napi_create_external_arraybuffer(env, region->data, region->size, release_region, region, &buffer) != napi_ok) {
    secure_release(region);
    return throw_status(env, Status::fail("native-secure-alloc-failed", "the region could not be handed to JS as an external ArrayBuffer"));
  }
  int64_t ignored;
  napi_adjust_external_memory(env, (int64_t)region->span, &ignored);
  napi_create_typedarray(env, napi_uint8_array, region->size, buffer, 0, &bytes);
  napi_create_object(env, &out);
  napi_set_named_property(env, out, "bytes", bytes);
  set_flags(env, out, *region);
  return out;
}

// wipe(bytes): explicit_bzero over the view (any Uint8Array; the keeper's are regions).
napi_value wipe_js(napi_env env, napi_callback_info cb) {
  napi_value argv[1];
  if (!get_args(env, cb, argv)) return nullptr;
  View view = typed_bytes(env, argv[0]);
  if (!view.ok) return bad_argument(env, "wipe needs a Uint8Array");
  secure_wipe(const_cast<uint8_t*>(view.data), view.size);
  return nullptr;
}

// regionOf(bytes) -> the id of the live region the view lies in, or null (no secret: an address test).
napi_value region_of_js(napi_env env, napi_callback_info cb) {
  napi_value argv[1];
  if (!get_args(env, cb, argv)) return nullptr;
  View view = typed_bytes(env, argv[0]);
  uint64_t id = view.ok && view.data ? secure_region_of(view.data, view.size) : 0;
  napi_value out;
  if (id == 0) napi_get_null(env, &out);
  else napi_create_double(env, (double)id, &out);
  return out;
}

napi_value refuse_outside_test_mode(napi_env env) {
  return throw_status(env, Status::fail("native-test-mode-off", "reading secure regions back is refused outside test mode"));
}

// testing.secureRegions() -> [{ id, size, address, locked, ..., bytes }]: copies of every live
// region of the process (every thread), for tests that check a wipe. Test mode only.
napi_value secure_regions_js(napi_env env, napi_callback_info) {
  if (!test_mode()) return refuse_outside_test_mode(env);
  auto regions = secure_live_regions(true);
  napi_value list;
  napi_create_array_with_length(env, regions.size(), &list);
  for (size_t i = 0; i < regions.size(); i++) {
    napi_value obj, address;
    napi_create_object(env, &obj);
    set_flags(env, obj, regions[i].region);
    char hex[32];
    std::snprintf(hex, sizeof hex, "%llx", (unsigned long long)reinterpret_cast<uintptr_t>(regions[i].region.data));
    napi_create_string_utf8(env, hex, NAPI_AUTO_LENGTH, &address);
    napi_set_named_property(env, obj, "address", address);
    napi_set_named_property(env, obj, "bytes", new_bytes(env, regions[i].bytes.data(), regions[i].bytes.size()));
    napi_set_element(env, list, i, obj);
  }
  return list;
}

// testing.secureReleased() -> [{ id, zeroBeforeRelease, zeroAtUnmap }], recorded in test mode.
napi_value secure_released_js(napi_env env, napi_callback_info) {
  if (!test_mode()) return refuse_outside_test_mode(env);
  auto released = secure_released_regions();
  napi_value list;
  napi_create_array_with_length(env, released.size(), &list);
  for (size_t i = 0; i < released.size(); i++) {
    napi_value obj;
    napi_create_object(env, &obj);
    set_double(env, obj, "id", (double)released[i].id);
    set_bool(env, obj, "zeroBeforeRelease", released[i].zero_before_release);
    set_bool(env, obj, "zeroAtUnmap", released[i].zero_at_unmap);
    napi_set_element(env, list, i, obj);
  }
  return list;
}

}  // namespace

void register_secure_memory(napi_env env, napi_value exports, napi_value testing) {
  napi_value secure;
  napi_create_object(env, &secure);
  export_function(env, secure, "allocate", allocate_js);
  export_function(env, secure, "wipe", wipe_js);
  export_function(env, secure, "regionOf", region_of_js);
  set_double(env, secure, "pageSize", (double)secure_page_size());
  napi_set_named_property(env, exports, "secureMemory", secure);
  export_function(env, testing, "secureRegions", secure_regions_js);
  export_function(env, testing, "secureReleased", secure_released_js);
  // A thread that ends (or a keeper worker that dies) leaves no secret behind in its regions.
  napi_add_env_cleanup_hook(env, [](void* owner) { secure_wipe_live(owner); }, env);
}

}  // namespace dourada
