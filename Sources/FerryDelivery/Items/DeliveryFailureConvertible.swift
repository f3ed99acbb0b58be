/// An error that knows which ``DeliveryFailure`` it is, so ``DeliveryFailure/init(error:)`` turns it into one
/// without the engine knowing where it came from: the Salesforce module makes `AuthError` one, a custom
/// destination or transport can make its own errors one.
public protocol DeliveryFailureConvertible: Error {
    /// The failure of an attempt that ended with this error: a code, a message that says what to do, and whether
    /// a retry can help.
    var deliveryFailure: DeliveryFailure { get }
}
