import FerryCore
import FerryDelivery
import Foundation
import SalesforceModels

extension Retryability {
    /// How Ferry retries on Salesforce's advice. Any 5xx is retried even when its code is final elsewhere: a 500
    /// can come after the record was stored, and the item's stable idempotency key makes the retry safe.
    /// - Parameters:
    ///   - advice: The advice of the error code (or of the status, when there was no code).
    ///   - status: The HTTP status, if any.
    public init(_ advice: RetryAdvice, status: Int?) {
        switch advice {
        case .retryAfterLongerPause: self = .rateLimited
        case .retry, .refreshTokenAndReplayOnce: self = .transient
        default: self = (status ?? 0) >= 500 ? .transient : .final
        }
    }
}

extension DeliveryFailure {
    /// The failure an unsuccessful Salesforce REST reply describes: the first error of the error array (or single
    /// error object), its code's retry advice, and `Retry-After`.
    /// - Parameters:
    ///   - response: The reply.
    ///   - context: What was being done, for the message (e.g. "creating a Feedback__c record").
    /// - Returns: The failure.
    public init(response: HTTPResponse, context: String) {
        let errors = (try? SalesforceAPIError.decodeAll(from: response.body)) ?? []
        let retryAfter = DeliveryFailure.retryAfter(response.headers)
        if let first = errors.first {
            var message = DeliveryFailure.text(of: first)
            if errors.count > 1 { message += " (and \(errors.count - 1) more errors)" }
            self.init(
                status: response.status, errorCode: .salesforce(first.errorCode.rawValue),
                message: "\(context) failed: \(message)",
                retryability: Retryability(first.retryAdvice, status: response.status), retryAfter: retryAfter)
        } else {
            let excerpt = response.bodyExcerpt(limit: 160)
            self.init(
                status: response.status, errorCode: .http(response.status),
                message: "\(context) failed with HTTP \(response.status)\(excerpt.isEmpty ? "" : ": \(excerpt)")",
                retryability: Retryability(RetryAdvice.forStatus(response.status), status: response.status),
                retryAfter: retryAfter)
        }
    }

    /// A Salesforce error's message with the fields it names: `Required fields are missing: [Name] (fields: Name)`.
    static func text(of error: SalesforceAPIError) -> String {
        error.fields.isEmpty ? error.message : "\(error.message) (fields: \(error.fields.joined(separator: ", ")))"
    }

    /// The `Retry-After` header as a duration (delta-seconds form), if present and valid. Inside a pipeline an
    /// HTTP-date has already been turned into seconds on the pipeline's clock (`RetryAfterDatingTransport`).
    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        guard let text = headers["Retry-After"]?.trimmingCharacters(in: .whitespaces), let seconds = Int(text),
            seconds >= 0
        else { return nil }
        return .seconds(seconds)
    }
}

extension DeliveryAttemptResult {
    /// The result of one save result in a reply (sObject create/upsert, or one record of a collection).
    /// - Parameters:
    ///   - result: The save result.
    ///   - status: The HTTP status of the reply.
    ///   - context: What was being done, for the message.
    /// - Returns: Delivered with the id, or failed with the first error.
    static func from(_ result: SaveResult, status: Int, context: String) -> DeliveryAttemptResult {
        if result.success {
            return .delivered(DeliveryReceipt(status: status, salesforceID: result.id, created: result.created))
        }
        guard let first = result.errors.first else {
            return .failed(DeliveryFailure(
                status: status, errorCode: .unknown, message: "\(context) failed without an error description",
                retryability: .final))
        }
        let message = DeliveryFailure.text(of: first)
        // A per-record failure in a 200 reply is judged by its code alone (the status is the batch's).
        return .failed(DeliveryFailure(
            status: status, errorCode: .salesforce(first.errorCode.rawValue), message: "\(context) failed: \(message)",
            retryability: Retryability(first.retryAdvice, status: nil)))
    }
}
