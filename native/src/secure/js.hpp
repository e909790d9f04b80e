// Registers `secureMemory` (allocate, wipe, regionOf, pageSize) on the addon's exports and its
// test-mode read-backs (secureRegions, secureReleased) on `testing`.
#pragma once
#include <node_api.h>

namespace dourada {

void register_secure_memory(napi_env env, napi_value exports, napi_value testing);

}  // namespace dourada
