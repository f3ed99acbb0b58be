import FerryCore
import FerryDelivery
import Foundation
import SalesforceModels

/// Writes up to 200 records per request through sObject Collections (create, or upsert by external ID), and maps
/// each record's result back to its item: a failed record never fails its neighbours (`allOrNone: false`).
///
/// One call for 200 records costs one API request instead of 200, which keeps a busy org inside its daily
/// allocation. Collections take no per-record idempotency key: use upsert by an external ID (filled from the
/// item id, say) when replays must never duplicate.
public struct SObjectCollectionsDestination: Destination {
    /// The org's endpoints.
    public let endpoints: SalesforceEndpoints
    /// The object, e.g. `Feedback__c`.
    public let object: APIName
    /// Create or upsert.
    public let mode: SObjectWriteMode
    /// Records per request (at most 200).
    public let batchSize: Int

    /// Creates the destination.
    /// - Parameters:
    ///   - endpoints: The org's endpoints.
    ///   - object: The object to write.
    ///   - mode: Create or upsert by external ID.
    ///   - batchSize: Records per request, 1 to 200 (default 200).
    public init(endpoints: SalesforceEndpoints, object: APIName, mode: SObjectWriteMode = .create, batchSize: Int = 200) {
        self.endpoints = endpoints
        self.object = object
        self.mode = mode
        self.batchSize = min(max(batchSize, 1), SObjectCollectionRequest.maximumRecords)
    }

    /// Up to 200 records per request.
    public var maximumBatchSize: Int { batchSize }

    /// For upserts, the record the item writes (object, external ID field and value): two updates of one record
    /// are delivered one at a time, in the order they were accepted. `nil` for creates.
    /// - Parameter item: The item.
    /// - Returns: The key, or `nil`.
    public func orderingKey(for item: DeliveryItem) -> String? {
        mode.orderingKey(for: item.payload.value, object: object)
    }

    /// Sends the batch as one collections request.
    /// - Parameters:
    ///   - batch: The items.
    ///   - transport: The authorising transport.
    /// - Returns: One result per item, in order.
    public func deliver(_ batch: [DeliveryItem], using transport: any HTTPTransport) async -> [DeliveryAttemptResult] {
        let context = "\(mode.externalIDField == nil ? "creating" : "upserting") \(object.fullName) records"
        var results = [DeliveryAttemptResult?](repeating: nil, count: batch.count)
        var records: [JSONValue] = []
        var positions: [Int] = []
        for (index, item) in batch.enumerated() {
            let fields: JSONObject
            switch item.recordFields("\(context): ", "a record needs", advice: "; check the template or mapper") {
            case .success(let object): fields = object
            case .failure(let failure):
                results[index] = .failed(failure)
                continue
            }
            if let field = mode.externalIDField,
                !fields.keys.contains(where: { $0.lowercased() == field.fullName.lowercased() })
            {
                results[index] = .failed(DeliveryFailure(
                    status: nil, errorCode: .externalIDMissing,
                    message: "\(context): the payload has no value for the external ID field \(field.fullName); add it to the template or mapper",
                    retryability: .final))
                continue
            }
            // Each record names its type in `attributes`, first.
            var record: JSONObject = ["attributes": ["type": .string(object.fullName)]]
            for (key, value) in fields where key != "attributes" { record[key] = value }
            records.append(.object(record))
            positions.append(index)
        }
        if !records.isEmpty {
            let body: JSONValue = ["allOrNone": false, "records": .array(records)]
            let url = mode.externalIDField.map { endpoints.collectionsUpsert(object, externalIDField: $0) }
                ?? endpoints.collections
            let request = HTTPRequest(
                method: mode.externalIDField == nil ? .post : .patch, url: url,
                headers: ["Content-Type": "application/json", "Accept": "application/json"], body: body.jsonData())
            let outcomes = await send(request, count: records.count, using: transport, context: context)
            for (position, outcome) in zip(positions, outcomes) { results[position] = outcome }
        }
        return results.map { $0 ?? .failed(DeliveryFailure(status: nil, errorCode: .unknown, message: "Salesforce returned no result for this record", retryability: .final)) }
    }

    private func send(_ request: HTTPRequest, count: Int, using transport: any HTTPTransport, context: String) async
        -> [DeliveryAttemptResult]
    {
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            return Array(repeating: .failed(DeliveryFailure(error: error)), count: count)
        }
        guard response.status == 200 else {
            return Array(repeating: .failed(DeliveryFailure(response: response, context: context)), count: count)
        }
        do {
            let saved = try SaveResult.decodeCollection(from: response.body, expectedCount: count)
            return saved.map { .from($0, status: response.status, context: context) }
        } catch {
            // The request was accepted but its results cannot be matched to records; retrying is safe only with
            // upserts, so say exactly that.
            let failure = DeliveryFailure(
                status: response.status, errorCode: .unreadableResults,
                message: "\(context): Salesforce answered 200 but its results could not be read (\(error)); the records may or may not be stored",
                retryability: mode.externalIDField == nil ? .final : .transient)
            return Array(repeating: .failed(failure), count: count)
        }
    }
}
