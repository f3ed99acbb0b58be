import FerryCore

/// Maps feedback on an event, webinar or product launch to a record of `CleverTap_Event_Feedback__c`, which
/// flows and triggers can react to (update lifecycle stages, open cases).
///
/// Expected object:
///
/// | field | type | from the context |
/// |---|---|---|
/// | `User_Id__c` | Text(255) | `Profile.Identity` (required) |
/// | `Event_Name__c` | Text(255) | `Event["Event Name"]`, else `Event.Name` (required) |
/// | `Rating__c` | Number(3, 1) | `Event["Rating"]` (optional; numeric strings accepted) |
/// | `Feedback__c` | Long Text Area | `Event["Feedback"]` (optional) |
/// | `Occurred_At__c` | Date/Time | `Event["Timestamp"]` (optional) |
///
/// A context with neither a rating nor feedback text is skipped.
public struct EventFeedbackMapper: RecordMapper {
    /// The object.
    public let object: APIName
    /// The event property holding the rating.
    public var ratingProperty = "Rating"
    /// The event property holding the feedback text.
    public var feedbackProperty = "Feedback"
    /// The event property holding when it happened.
    public var timestampProperty = "Timestamp"
    private let userID, eventName, rating, feedback, occurredAt: APIName

    /// Creates the mapper.
    /// - Parameter namespace: The namespace prefix, or `nil`.
    /// - Throws: ``RecordMappingError/Kind/invalidConfiguration`` for an invalid namespace.
    public init(namespace: String? = nil) throws(RecordMappingError) {
        let build = MapperNames(namespace: namespace)
        object = try build.custom("CleverTap_Event_Feedback")
        userID = try build.custom("User_Id")
        eventName = try build.custom("Event_Name")
        rating = try build.custom("Rating")
        feedback = try build.custom("Feedback")
        occurredAt = try build.custom("Occurred_At")
    }

    /// Maps one piece of feedback.
    /// - Parameter context: The render context.
    /// - Returns: `.record`, or `.skipped` when there is no rating and no text.
    /// - Throws: ``RecordMappingError`` when the identity or event name is missing or a value has the wrong type.
    public func map(_ context: JSONValue) throws(RecordMappingError) -> MappedPayload {
        let reader = ContextReader(context)
        let identity = try reader.requiredString("Profile", "Identity")
        let fallbackName = try reader.string("Event", "Name")
        guard let name = try reader.string("Event", "Event Name") ?? fallbackName else {
            throw RecordMappingError(
                .missingValue, path: "Event.Event Name", "event feedback needs the event's name (Event[\"Event Name\"] or Event.Name)")
        }
        let score = try reader.number("Event", ratingProperty)
        let text = try reader.string("Event", feedbackProperty)
        guard score != nil || text != nil else {
            return .skipped(reason: "no \(ratingProperty) and no \(feedbackProperty) in the event: nothing to record")
        }
        var record = SObjectRecord(type: object)
        record.set(userID, to: .text(identity))
        record.set(eventName, to: .text(name))
        if let score { record.set(rating, to: .number(score)) }
        if let text { record.set(feedback, to: .text(text)) }
        if let at = try reader.dateTime("Event", timestampProperty) { record.set(occurredAt, to: .dateTime(at)) }
        return .record(record)
    }
}
