import FerryCore

extension DeliveryFailure {
    /// A failure for an attempt that got no usable response: a transport failure, a token that could not be
    /// obtained, or cancellation. Retryable when the underlying error says a retry can help.
    /// - Parameter error: What was thrown; a ``DeliveryFailureConvertible`` error gives its own failure.
    /// - Returns: The failure, with a Ferry error code (`TRANSPORT_TIMEOUT`, `AUTH_INVALID_CLIENT`, ...).
    public init(error: any Error) {
        switch error {
        case let convertible as any DeliveryFailureConvertible:
            self = convertible.deliveryFailure
        case let transport as TransportError:
            self.init(
                status: nil, errorCode: .transport(transport.kind.description),
                message: transport.description, retryability: transport.isRetryable ? .transient : .final)
        case is CancellationError:
            self.init(
                status: nil, errorCode: .cancelled, message: "the attempt was cancelled before a reply arrived",
                retryability: .transient)
        default:
            self.init(
                status: nil, errorCode: .unknown, message: String(describing: error), retryability: .final)
        }
    }
}
