import FerryCore
import FerryTemplating
import FerryDelivery
import SalesforceModels

/// Turns one render context (`{"Profile": {...}, "Event": {...}}`) into the payload of one item: the seam
/// between what a host sends and what a destination delivers.
///
/// Ferry renders with a Liquid ``/FerryTemplating/PayloadTemplate`` (``TemplatePayloadRenderer``) or a Swift
/// ``/SalesforceModels/RecordMapper`` (``MapperPayloadRenderer``); a host can supply its own.
public protocol PayloadRenderer: Sendable {
    /// Renders one context.
    /// - Parameter context: The render context.
    /// - Returns: The payload, or why there is none (aborted by the template, or a failure to report).
    func render(_ context: JSONValue) -> RenderedPayload
}

/// What rendering one context produced.
public enum RenderedPayload: Sendable, Hashable {
    /// The payload to deliver, as checked JSON bytes (a mapper's value written once; wrap one with
    /// ``/FerryCore/RawJSON/init(_:)``).
    case payload(RawJSON)
    /// The template (`{% abort %}`) or mapper chose to send nothing, with its reason.
    case aborted(reason: String?)
    /// The context could not be rendered; reported as a failed item with this reason, never sent.
    case failed(DeliveryFailure)
}

/// Renders with a JSON ``/FerryTemplating/PayloadTemplate``: the output is valid JSON or the item fails with the
/// template position at fault.
public struct TemplatePayloadRenderer: PayloadRenderer {
    /// The template.
    public let template: PayloadTemplate

    /// Creates the renderer.
    /// - Parameter template: A parsed JSON payload template.
    public init(_ template: PayloadTemplate) {
        self.template = template
    }

    /// Renders `context` with the template.
    /// - Parameter context: The render context.
    /// - Returns: The payload's bytes, `aborted` for `{% abort %}`, or a `TEMPLATE_ERROR` failure with line and column.
    public func render(_ context: JSONValue) -> RenderedPayload {
        do {
            // One render gives the payload's checked bytes (validated, never parsed into a tree) or the reason.
            switch try template.renderPayload(context) {
            case .payload(let payload): return .payload(payload)
            case .aborted(let reason): return .aborted(reason: reason)
            }
        } catch {
            return .failed(DeliveryFailure(
                status: nil, errorCode: .templateError, message: error.summary, retryability: .final))
        }
    }
}

/// Renders with a Swift ``/SalesforceModels/RecordMapper``: JSON bodies as they are, records as their fields (with the
/// external ID field for upserts), `skipped` as aborted.
public struct MapperPayloadRenderer: PayloadRenderer {
    /// The mapper.
    public let mapper: any RecordMapper

    /// Creates the renderer.
    /// - Parameter mapper: The mapper.
    public init(_ mapper: any RecordMapper) {
        self.mapper = mapper
    }

    /// Maps `context`.
    /// - Parameter context: The render context.
    /// - Returns: The payload, `aborted` for a skipped context, or a `MAPPING_ERROR` failure.
    public func render(_ context: JSONValue) -> RenderedPayload {
        do {
            switch try mapper.map(context) {
            case .json(let value): return .payload(RawJSON(value))
            case .record(let record): return .payload(RawJSON(record.jsonValue(includingAttributes: false)))
            case .upsert(let upsert): return .payload(RawJSON(upsert.recordWithKey.jsonValue(includingAttributes: false)))
            case .skipped(let reason): return .aborted(reason: reason)
            }
        } catch {
            return .failed(DeliveryFailure(
                status: nil, errorCode: .mappingError, message: "\(error)", retryability: .final))
        }
    }
}
