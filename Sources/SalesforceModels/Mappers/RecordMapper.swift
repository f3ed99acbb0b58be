import FerryCore

/// Turns one render context (the profile, event and campaign data of one delivery, as `JSONValue`) into what
/// is sent to Salesforce: a JSON body, an ``SObjectRecord`` to create, or one to upsert.
///
/// A mapper is the Swift alternative to a Liquid payload template. Ferry ships mappers for the seed's four use
/// cases (``NPSResponseMapper``, ``CampaignLeadMapper``, ``EventFeedbackMapper``,
/// ``BehaviouralEnrichmentMapper``) and ``RenderedPayloadMapper``, which checks what a payload template renders;
/// the template engine itself is plugged in by FerryDelivery, since this module may not depend on it. A mapper
/// is a pure function of its context: no I/O, no clock.
///
/// ```swift
/// struct MyMapper: RecordMapper {
///     func map(_ context: JSONValue) throws(RecordMappingError) -> MappedPayload {
///         let reader = ContextReader(context)
///         var record = SObjectRecord(type: try APIName.mapping("Visit__c"))
///         record.set(try APIName.mapping("Page__c"), to: .text(try reader.requiredString("Event", "Page")))
///         return .record(record)
///     }
/// }
/// ```
public protocol RecordMapper: Sendable {
    /// Maps one render context.
    /// - Parameter context: The context, e.g. `{"Profile": {...}, "Event": {...}, "Campaign": {...}}`.
    /// - Returns: What to send, or ``MappedPayload/skipped(reason:)`` to send nothing for this context.
    /// - Throws: ``RecordMappingError`` when the context lacks a required value or holds an unusable one.
    func map(_ context: JSONValue) throws(RecordMappingError) -> MappedPayload
}

/// An ``RecordMapper`` made from a closure.
public struct ClosureRecordMapper: RecordMapper {
    private let body: @Sendable (JSONValue) throws(RecordMappingError) -> MappedPayload

    /// Wraps a closure.
    /// - Parameter body: Maps a context.
    public init(_ body: @escaping @Sendable (JSONValue) throws(RecordMappingError) -> MappedPayload) {
        self.body = body
    }

    /// Calls the closure.
    /// - Parameter context: The render context.
    /// - Returns: The closure's payload.
    /// - Throws: The closure's ``RecordMappingError``.
    public func map(_ context: JSONValue) throws(RecordMappingError) -> MappedPayload {
        try body(context)
    }
}

extension APIName {
    /// Turns an ``APINameError`` into a ``RecordMappingError`` for use inside mappers.
    /// - Parameter name: A full API name.
    /// - Returns: The checked name.
    /// - Throws: ``RecordMappingError`` of kind ``RecordMappingError/Kind/invalidConfiguration``.
    public static func mapping(_ name: String) throws(RecordMappingError) -> APIName {
        do {
            return try APIName(name)
        } catch {
            throw RecordMappingError(.invalidConfiguration, path: nil, error.message)
        }
    }
}
