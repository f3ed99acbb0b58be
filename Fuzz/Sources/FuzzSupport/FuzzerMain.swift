import CFuzzDriver

/// Runs libFuzzer's driver with the process arguments and a target's test function.
///
/// Every fuzz target defines its SwiftPM entry point (`fuzz_<name>_main`) as a call to this function.
/// - Parameters:
///   - argc: The argument count `main` received.
///   - argv: The arguments `main` received.
///   - test: The target's `LLVMFuzzerTestOneInput`.
/// - Returns: libFuzzer's exit status.
public func runLibFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, test)
}

/// Calls a target's test function with libFuzzer's input, giving the empty input (which libFuzzer may pass as a
/// null pointer) a valid pointer, so test functions can take a non-optional one.
/// - Parameters:
///   - data: The input bytes, or `nil` for the empty input.
///   - size: The number of bytes.
///   - test: The target's test function.
/// - Returns: What `test` returns.
public func withFuzzInput(
    _ data: UnsafePointer<UInt8>?, _ size: Int, _ test: (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt {
    if let data { return test(data, size) }
    var empty: UInt8 = 0
    return withUnsafePointer(to: &empty) { test($0, 0) }
}
