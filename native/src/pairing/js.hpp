// Registers the pairing functions on the addon's exports and its `testing` object.
#pragma once
#include <node_api.h>

namespace dourada {

void register_pairing(napi_env env, napi_value exports, napi_value testing);

}  // namespace dourada
