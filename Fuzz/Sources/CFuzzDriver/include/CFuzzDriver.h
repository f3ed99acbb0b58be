// libFuzzer's driver, linked by -sanitize=fuzzer (https://llvm.org/docs/LibFuzzer.html#using-libfuzzer-as-a-library).
// SwiftPM names an executable's entry point <module>_main and links `main` to it, so each fuzz target defines
// that entry point and hands control to this driver, which parses libFuzzer's flags and runs the target.
#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif
