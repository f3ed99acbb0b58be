/// An exception inside a simulated Apex class; its message is what `e.getMessage()` returns.
struct ApexException: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
