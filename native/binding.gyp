# One addon target: portable x86-64 code (no -march), the mulx/adx field kernel is
# selected at run time. DOURADA_NATIVE_SANITIZE=1 adds AddressSanitizer and UBSan.
{
  "variables": { "sanitize%": "0" },
  "targets": [
    {
      "target_name": "dourada_prover",
      "sources": [
        "src/addon.cc",
        "src/testing.cc",
        "src/registry.cc",
        "src/field/cpu.cc",
        "src/io/zkey.cc",
        "src/io/wtns.cc",
        "src/groth16/prover.cc",
        "src/groth16/tables.cc",
        "src/pairing/pairing.cc",
        "src/pairing/groth16_verify.cc",
        "src/pairing/js.cc",
        "src/secure/secure_memory.cc",
        "src/secure/js.cc"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++14", "-O2", "-O3"],
      "cflags_cc": ["-std=c++17", "-O3", "-fno-exceptions", "-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [
        ["sanitize=='1'", {
          "cflags_cc": ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-fno-sanitize-recover=all"],
          "ldflags": ["-fsanitize=address,undefined"]
        }]
      ]
    }
  ]
}
