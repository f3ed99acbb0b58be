import FerryCore

extension DeliveryFailure {
    /// A record that was not sent because its request would be over a Salesforce limit: final (a retry cannot
    /// shrink it), reported with its size, the limit and what to do.
    /// - Parameters:
    ///   - bytes: The record's size as it would be sent.
    ///   - limit: The limit it is over.
    ///   - what: What is too large, e.g. "the Apex REST request body".
    ///   - fix: What to do about it.
    package static func payloadTooLarge(bytes: Int, limit: Int, what: String, fix: String) -> DeliveryFailure {
        DeliveryFailure(
            status: nil, errorCode: .payloadTooLarge,
            message: "\(what) is \(grouped(bytes)) bytes, over the limit of \(grouped(limit)) bytes, so it was "
                + "not sent. \(fix)",
            retryability: .final)
    }

    /// `6000001` → `6,000,001`, the same in every locale (messages must not depend on the host's settings).
    package static func grouped(_ number: Int) -> String {
        let digits = Array(String(number.magnitude))
        var text = number < 0 ? "-" : ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
