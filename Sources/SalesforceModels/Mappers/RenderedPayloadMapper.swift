import Foundation
import FerryCore

/// A mapper driven by a payload template: a renderer turns the context into JSON text, which is parsed and
/// checked here, then sent as it is or turned into an ``SObjectRecord``.
///
/// SalesforceModels does not depend on the template engine (dependencies point downward only), so the renderer
/// is injected: FerryDelivery wraps its Liquid template in one line,
/// `RenderedPayloadMapper { context in try template.render(context) }`. Returning `nil` from the renderer means
/// the template aborted (Liquid's `{% abort %}`): the payload is ``MappedPayload/skipped(reason:)``.
///
/// Rendered text that is not JSON (the classic result of a profile value holding `"` or a line break pasted
/// into a template) is refused with the parser's position and an excerpt, never sent.
public struct RenderedPayloadMapper: RecordMapper {
    private let render: @Sendable (JSONValue) throws -> String?
    /// When set, the rendered JSON object becomes a record of this object; otherwise it is sent as JSON.
    public let recordType: APIName?

    /// Creates the mapper.
    /// - Parameters:
    ///   - recordType: The object to turn the rendered JSON object into, or `nil` to send the JSON as it is.
    ///   - render: Renders one context to JSON text, or returns `nil` when the template aborted.
    public init(recordType: APIName? = nil, render: @escaping @Sendable (JSONValue) throws -> String?) {
        self.recordType = recordType
        self.render = render
    }

    /// Renders, parses and checks one payload.
    /// - Parameter context: The render context.
    /// - Returns: `.json`, `.record` (with ``recordType``), or `.skipped` when the template aborted.
    /// - Throws: ``RecordMappingError/Kind/renderFailed`` when the renderer throws,
    ///   ``RecordMappingError/Kind/invalidPayload`` when the text is not JSON or cannot be a record.
    public func map(_ context: JSONValue) throws(RecordMappingError) -> MappedPayload {
        let rendered: String?
        do {
            rendered = try render(context)
        } catch {
            throw RecordMappingError(.renderFailed, path: nil, "rendering the payload failed: \(error)")
        }
        guard let rendered else { return .skipped(reason: "the payload template aborted") }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: rendered)
        } catch {
            throw RecordMappingError(
                .invalidPayload, path: nil,
                "the rendered payload is not valid JSON (\(error)); a value holding a quote or line break was probably inserted without JSON escaping. It begins: \(RenderedPayloadMapper.excerpt(rendered))")
        }
        guard let recordType else { return .json(value) }
        guard let object = value.objectValue else {
            throw RecordMappingError(
                .invalidPayload, path: nil, "a record needs a JSON object, but the payload is a \(value.kindName)")
        }
        var record = SObjectRecord(type: recordType)
        for (key, member) in object where key != "attributes" {
            let name: APIName
            do {
                name = try APIName(key)
            } catch {
                throw RecordMappingError(.invalidPayload, path: key, error.message)
            }
            let fieldValue: SObjectFieldValue
            switch member {
            case .null: fieldValue = .null
            case .bool(let flag): fieldValue = .bool(flag)
            case .number(let number): fieldValue = .number(number)
            case .string(let text): fieldValue = .text(text)
            case .array, .object:
                throw RecordMappingError(
                    .invalidPayload, path: key, "a field value must be text, a number, a Boolean or null, not a \(member.kindName)")
            }
            record.set(name, to: fieldValue)
        }
        return .record(record)
    }

    static func excerpt(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > 120 ? String(line.prefix(120)) + "…" : line
    }
}
