import Ferry
import Foundation

/// One webhook body, checked before anything is accepted: a JSON object with a string `id` (the record's
/// identity, sent as the external ID so a resend updates instead of duplicating) and a string `userId`; any other
/// fields go to the template as they are.
struct IncomingEvent {
    var id: String
    var context: JSONValue

    /// Why a body was refused; the text goes back in the 400 reply.
    struct Malformed: Error {
        var reason: String
    }

    static let maximumIDLength = 255

    init(body: Data) throws(Malformed) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body)
        } catch {
            throw Malformed(reason: "the body is not JSON: \(error)")
        }
        guard let object = value.objectValue else {
            throw Malformed(reason: "the body must be a JSON object like {\"id\": \"evt-1\", \"userId\": \"u1\"}")
        }
        guard let id = object["id"]?.stringValue, !id.isEmpty else {
            throw Malformed(reason: "\"id\" is missing or not a non-empty string: every event needs a stable id")
        }
        guard id.count <= Self.maximumIDLength else {
            throw Malformed(reason: "\"id\" is longer than \(Self.maximumIDLength) characters")
        }
        guard let userID = object["userId"]?.stringValue, !userID.isEmpty else {
            throw Malformed(reason: "\"userId\" is missing or not a non-empty string")
        }
        self.id = id
        context = value
    }
}
