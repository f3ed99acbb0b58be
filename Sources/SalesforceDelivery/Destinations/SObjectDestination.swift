import FerryCore
import FerryDelivery
import Foundation
import SalesforceModels

/// Writes one record per request through the sObject REST API: create, or upsert by an external ID.
///
/// Each item's payload is a JSON object of field API names to values (`{"Name": "NPS-42", "Score__c": 9}`).
/// For upserts, the payload must hold the external ID field; it goes into the URL (percent-escaped) and is left
/// out of the body.
public struct SObjectDestination: Destination {
    /// The org's endpoints.
    public let endpoints: SalesforceEndpoints
    /// The object, e.g. `Feedback__c`.
    public let object: APIName
    /// Create or upsert.
    public let mode: SObjectWriteMode

    /// Creates the destination.
    /// - Parameters:
    ///   - endpoints: The org's endpoints.
    ///   - object: The object to write.
    ///   - mode: Create or upsert by external ID.
    public init(endpoints: SalesforceEndpoints, object: APIName, mode: SObjectWriteMode = .create) {
        self.endpoints = endpoints
        self.object = object
        self.mode = mode
    }

    /// One record per request.
    public var maximumBatchSize: Int { 1 }

    /// For upserts, the record the item writes (object, external ID field and value): two updates of one record
    /// are delivered one at a time, in the order they were accepted. `nil` for creates.
    /// - Parameter item: The item.
    /// - Returns: The key, or `nil`.
    public func orderingKey(for item: DeliveryItem) -> String? {
        mode.orderingKey(for: item.payload.value, object: object)
    }

    /// Writes each item's record.
    /// - Parameters:
    ///   - batch: The items.
    ///   - transport: The authorising transport.
    /// - Returns: One result per item.
    public func deliver(_ batch: [DeliveryItem], using transport: any HTTPTransport) async -> [DeliveryAttemptResult] {
        var results: [DeliveryAttemptResult] = []
        results.reserveCapacity(batch.count)
        for item in batch { results.append(await deliver(item, using: transport)) }
        return results
    }

    private func deliver(_ item: DeliveryItem, using transport: any HTTPTransport) async -> DeliveryAttemptResult {
        let context = "\(mode.externalIDField == nil ? "creating" : "upserting") a \(object.fullName) record"
        var fields: JSONObject
        switch item.recordFields("\(context): ", "an sObject record needs", advice: "; check the template or mapper") {
        case .success(let object): fields = object
        case .failure(let failure): return .failed(failure)
        }
        fields["attributes"] = nil
        let request: HTTPRequest
        switch mode.code {
        case .create:
            request = HTTPRequest(
                method: .post, url: endpoints.sObjectCreate(object),
                headers: ["Content-Type": "application/json", "Accept": "application/json", "Idempotency-Key": item.id],
                body: JSONValue.object(fields).jsonData())
        case .upsert(let field):
            let key = fields.keys.first { $0.lowercased() == field.fullName.lowercased() }
            guard let key, let value = fields[key], let text = SObjectDestination.externalIDText(value) else {
                return .failed(DeliveryFailure(
                    status: nil, errorCode: .externalIDMissing,
                    message: "\(context): the payload has no value for the external ID field \(field.fullName); add it to the template or mapper so the record can be matched",
                    retryability: .final))
            }
            fields[key] = nil
            let url: URL
            do {
                url = try endpoints.sObjectUpsert(object, externalIDField: field, value: text)
            } catch {
                return .failed(DeliveryFailure(
                    status: nil, errorCode: .externalIDInvalid, message: "\(context): \(error)", retryability: .final))
            }
            request = HTTPRequest(
                method: .patch, url: url,
                headers: ["Content-Type": "application/json", "Accept": "application/json", "Idempotency-Key": item.id],
                body: JSONValue.object(fields).jsonData())
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            return .failed(DeliveryFailure(error: error))
        }
        switch response.status {
        case 200, 201, 204:
            do {
                let result = try mode.externalIDField == nil
                    ? SaveResult.decode(from: response.body)
                    : SaveResult.decodeUpsert(status: response.status, body: response.body)
                return .from(result, status: response.status, context: context)
            } catch {
                // The record was written (2xx) but the reply cannot be read: report success without an id.
                return .delivered(DeliveryReceipt(status: response.status, salesforceID: nil, created: nil))
            }
        case 300:
            return .failed(DeliveryFailure(
                status: 300, errorCode: .multipleChoices,
                message: "\(context): several records share the external ID value, so nothing was written; make \(mode.externalIDField?.fullName ?? "the field") unique",
                retryability: .final))
        default:
            return .failed(DeliveryFailure(response: response, context: context))
        }
    }

    /// The text of an external ID value (strings as they are, numbers as their JSON text).
    static func externalIDText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text.isEmpty ? nil : text
        case .number(let number): number.text
        default: nil
        }
    }
}
