// Unit-test hooks exposed as `addon.testing`: field, Fq2, curve, MSM and NTT operations on
// plain little-endian bytes, so tests can compare each layer against BigInt references.
#pragma once
#include <node_api.h>

namespace dourada {

void register_testing(napi_env env, napi_value target);

}  // namespace dourada
