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
                status: nil, errorCode: "TRANSPORT_\(DeliveryFailure.screamingSnake(transport.kind.description))",
                message: transport.description, retryability: transport.isRetryable ? .transient : .final)
        case is CancellationError:
            self.init(
                status: nil, errorCode: "CANCELLED", message: "the attempt was cancelled before a reply arrived",
                retryability: .transient)
        default:
            self.init(
                status: nil, errorCode: "UNEXPECTED_ERROR", message: String(describing: error), retryability: .final)
        }
    }

    /// `connectionRefused` → `CONNECTION_REFUSED`, `invalidURL` → `INVALID_URL`, `URLError` → `URL_ERROR`: an
    /// acronym stays one word.
    package static func screamingSnake(_ camel: String) -> String {
        let characters = Array(camel)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                // A word starts at an upper-case letter after a lower-case one or a digit, or at the last capital
                // of an acronym followed by a lower-case letter.
                if !previous.isUppercase || (next?.isLowercase ?? false) { result.append("_") }
            }
            result.append(contentsOf: character.uppercased())
        }
        return result
    }
}
