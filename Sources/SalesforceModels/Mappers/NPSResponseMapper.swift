import FerryCore

/// Maps an NPS or survey response to a record of the seed's custom object, `CleverTap_NPS__c` with `userId__c`,
/// `npsScore__c` and `timestamp__c` (`CleverTap__CleverTap_NPS__c`, `CleverTap__userId__c`, ... in the
/// `CleverTap` namespace, as the seed's org has them).
///
/// Expected object (create it with `ferry apex --object CleverTap_NPS__c ... --metadata`, or in Setup):
///
/// | field (default name) | type | from the context |
/// |---|---|---|
/// | `Name` | Text(80) (the object's name field) | `NPS-<Profile.Identity>` as the seed's class, unless ``writesName`` is `false` |
/// | `userId__c` | Text(255) | `Profile.Identity` (required) |
/// | `npsScore__c` | Number | `Event["User Rating"]` (required, 0 to 10; numeric strings accepted) |
/// | `timestamp__c` | Date/Time | `Event["Timestamp"]` (optional; `$D_<epoch s>`, epoch, or ISO 8601) |
/// | a comment field, when configured | Long Text Area | `Event["Comment"]` (optional) |
/// | a survey field, when configured | Text(255) | `Event["Survey"]` (optional) |
///
/// Every name is configurable, short (`userId__c`) or full with the namespace prefix (`CleverTap__userId__c`),
/// as the object's details page shows it. An object whose name field is an auto-number (`ferry apex
/// --record-name auto`) refuses writes to `Name`: set ``writesName`` to `false`.
public struct NPSResponseMapper: RecordMapper {
    /// The object, e.g. `CleverTap__CleverTap_NPS__c`.
    public let object: APIName
    /// The field holding the user's identity (default `userId__c`).
    public let userIDField: APIName
    /// The field holding the score (default `npsScore__c`).
    public let scoreField: APIName
    /// The field holding when the response was given (default `timestamp__c`).
    public let timestampField: APIName
    /// The field holding the free-text comment, or `nil` to not write it (the seed's object has none).
    public let commentField: APIName?
    /// The field naming the survey, or `nil` to not write it (the seed's object has none).
    public let surveyField: APIName?
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
    private let name: APIName

    /// Creates the mapper; the defaults are the seed's names.
    /// - Parameters:
    ///   - namespace: The org's namespace prefix, put on the object and every field, or `nil`.
    ///   - object: The object (default `CleverTap_NPS__c`).
    ///   - userIDField: The identity field (default `userId__c`).
    ///   - scoreField: The score field (default `npsScore__c`).
    ///   - timestampField: The response time field (default `timestamp__c`).
    ///   - commentField: A comment field, or `nil` (default).
    ///   - surveyField: A survey field, or `nil` (default).
    /// - Throws: ``RecordMappingError/Kind/invalidConfiguration`` for an invalid name or namespace, or a prefix that
    ///   is not `namespace`.
    public init(
        namespace: String? = nil, object: String = "CleverTap_NPS__c", userIDField: String = "userId__c",
        scoreField: String = "npsScore__c", timestampField: String = "timestamp__c", commentField: String? = nil,
        surveyField: String? = nil
    ) throws(RecordMappingError) {
        let build = MapperNames(namespace: namespace)
        self.object = try build.configured(object)
        self.userIDField = try build.configured(userIDField)
        self.scoreField = try build.configured(scoreField)
        self.timestampField = try build.configured(timestampField)
        self.commentField = try commentField.map { text throws(RecordMappingError) in try build.configured(text) }
        self.surveyField = try surveyField.map { text throws(RecordMappingError) in try build.configured(text) }
        self.name = try build.standard("Name")
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
        if writesName { record.set(name, to: .text(String("NPS-\(identity)".prefix(80)))) }
        record.set(userIDField, to: .text(identity))
        record.set(scoreField, to: .int(whole))
        if let commentField, let comment = try reader.string("Event", commentProperty) {
            record.set(commentField, to: .text(comment))
        }
        if let surveyField, let survey = try reader.string("Event", surveyProperty) { record.set(surveyField, to: .text(survey)) }
        if let at = try reader.dateTime("Event", timestampProperty) { record.set(timestampField, to: .dateTime(at)) }
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

    /// A configured custom name, short (`userId__c`, `userId`) or full (`CleverTap__userId__c`), in the namespace:
    /// a prefix must be the namespace's (compared without case), and a short name gets it.
    func configured(_ text: String) throws(RecordMappingError) -> APIName {
        let parsed: APIName
        do {
            parsed = try APIName(text.hasSuffix("__c") ? text : text + "__c")
        } catch {
            throw RecordMappingError(.invalidConfiguration, path: nil, error.message)
        }
        if let prefix = parsed.namespace, prefix.lowercased() != (namespace ?? "").lowercased() {
            throw RecordMappingError(
                .invalidConfiguration, path: nil,
                "'\(text)' carries the namespace prefix '\(prefix)', but the mapper's namespace is \(namespace.map { "'\($0)'" } ?? "not set"): pass namespace: \"\(prefix)\" or the short name \(parsed.name)__c")
        }
        return try custom(parsed.name)
    }

    func standard(_ name: String) throws(RecordMappingError) -> APIName {
        do {
            return try APIName(name: name, suffix: nil)
        } catch {
            throw RecordMappingError(.invalidConfiguration, path: nil, error.message)
        }
    }
}
