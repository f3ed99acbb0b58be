import FerryCore
import Foundation

/// A record stored in a ``SimulatedSalesforceOrg``.
public struct SimulatedRecord: Sendable, Hashable {
    /// The 18-character id the org gave it.
    public let id: String
    /// The object's API name, as registered.
    public let object: String
    /// The field values, keyed by the schema's spelling of each field name, in the order first written.
    /// Numbers are JSON numbers, checkboxes Booleans, dates `yyyy-MM-dd`, date-times
    /// `yyyy-MM-ddTHH:mm:ss.SSSZ`, everything else text.
    public internal(set) var fields: JSONObject
    /// When it was created (the org's clock).
    public let createdDate: Date
    /// When it was last written.
    public internal(set) var lastModifiedDate: Date
    /// How many times an upsert updated it after its creation.
    public internal(set) var updateCount: Int

    /// The value of a field (API names ignore case).
    /// - Parameter field: The field API name.
    /// - Returns: The value, or `nil` when it is not set.
    public subscript(field: String) -> JSONValue? {
        let lowered = field.lowercased()
        return fields.first { $0.key.lowercased() == lowered }?.value
    }
}
