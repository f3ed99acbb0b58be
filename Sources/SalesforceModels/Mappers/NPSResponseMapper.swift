import FerryCore

/// Maps an NPS or survey response to a record of the custom object `CleverTap_NPS__c` (the seed's example).
///
/// Expected object (create it with `ferry apex --object CleverTap_NPS__c ... --metadata`, or in Setup):
///
/// | field | type | from the context |
/// |---|---|---|
/// | `Name` | Text(80) (the object's name field) | `NPS-<Profile.Identity>`, unless ``writesName`` is `false` |
/// | `User_Id__c` | Text(255) | `Profile.Identity` (required) |
/// | `NPS_Score__c` | Number(2, 0) | `Event["User Rating"]` (required, 0 to 10; numeric strings accepted) |
/// | `Comment__c` | Long Text Area | `Event["Comment"]` (optional) |
/// | `Survey__c` | Text(255) | `Event["Survey"]` (optional) |
/// | `Responded_At__c` | Date/Time | `Event["Timestamp"]` (optional; `$D_<epoch s>`, epoch, or ISO 8601) |
///
/// In a namespaced org pass the namespace: `CleverTap` gives `CleverTap__CleverTap_NPS__c`,
/// `CleverTap__User_Id__c`, and so on. The property names are settable. An object whose name field is an
/// auto-number (as `ferry apex --metadata` creates it) refuses writes to `Name`: set ``writesName`` to `false`.
public struct NPSResponseMapper: RecordMapper {
    /// The object.
    public var object: APIName
    /// The event property holding the score.
    public var scoreProperty = "User Rating"
    /// The event property holding the free-text comment.
    public var commentProperty = "Comment"
    /// The event property naming the survey.
    public var surveyProperty = "Survey"
    /// The event property holding when the response was given.
    public var timestampProperty = "Timestamp"
    /// The range of valid scores.
    public var scoreRange: ClosedRange<Int> = 0...10
    /// Whether to write `Name` (`false` for an auto-number name field).
    public var writesName = true
    private let fields: Fields

    struct Fields: Sendable, Hashable {
        let name, userID, score, comment, survey, respondedAt: APIName
    }

    /// Creates the mapper.
    /// - Parameter namespace: The org's namespace prefix for the object and its fields, or `nil`.
    /// - Throws: ``RecordMappingError/Kind/invalidConfiguration`` for an invalid namespace.
    public init(namespace: String? = nil) throws(RecordMappingError) {
        let build = MapperNames(namespace: namespace)
        object = try build.custom("CleverTap_NPS")
        fields = Fields(
            name: try build.standard("Name"), userID: try build.custom("User_Id"),
            score: try build.custom("NPS_Score"), comment: try build.custom("Comment"),
            survey: try build.custom("Survey"), respondedAt: try build.custom("Responded_At"))
    }

    /// Maps one response.
    /// - Parameter context: The render context.
    /// - Returns: `.record` of the NPS object.
    /// - Throws: ``RecordMappingError`` when the identity or score is missing, or the score is not a whole number
    ///   in ``scoreRange``.
    public func map(_ context: JSONValue) throws(RecordMappingError) -> MappedPayload {
        let reader = ContextReader(context)
        let identity = try reader.requiredString("Profile", "Identity")
        guard let score = try reader.number("Event", scoreProperty) else {
            throw RecordMappingError(.missingValue, path: "Event.\(scoreProperty)", "an NPS response needs a score")
        }
        guard let whole = score.intValue, scoreRange.contains(whole) else {
            throw RecordMappingError(
                .invalidValue, path: "Event.\(scoreProperty)",
                "an NPS score is a whole number from \(scoreRange.lowerBound) to \(scoreRange.upperBound), found \(score.text)")
        }
        var record = SObjectRecord(type: object)
        if writesName { record.set(fields.name, to: .text(String("NPS-\(identity)".prefix(80)))) }
        record.set(fields.userID, to: .text(identity))
        record.set(fields.score, to: .int(whole))
        if let comment = try reader.string("Event", commentProperty) { record.set(fields.comment, to: .text(comment)) }
        if let survey = try reader.string("Event", surveyProperty) { record.set(fields.survey, to: .text(survey)) }
        if let at = try reader.dateTime("Event", timestampProperty) { record.set(fields.respondedAt, to: .dateTime(at)) }
        return .record(record)
    }
}

/// Builds the object and field names of the ready mappers in an optional namespace.
struct MapperNames {
    let namespace: String?

    func custom(_ name: String) throws(RecordMappingError) -> APIName {
        do {
            return try APIName(name: name, suffix: .custom, namespace: namespace)
        } catch {
            throw RecordMappingError(.invalidConfiguration, path: nil, error.message)
        }
    }

    func standard(_ name: String) throws(RecordMappingError) -> APIName {
        do {
            return try APIName(name: name, suffix: nil)
        } catch {
            throw RecordMappingError(.invalidConfiguration, path: nil, error.message)
        }
    }
}
