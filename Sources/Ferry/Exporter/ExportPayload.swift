import FerryCore
import FerryDelivery
import FerryTemplating
import SalesforceModels

/// How a ``SalesforceExporter`` turns a context into a payload.
public struct ExportPayload: Sendable {
    let make: @Sendable () throws -> any PayloadRenderer

    /// A JSON payload template in Liquid (CleverTap's dialect): values are escaped for their JSON context, and
    /// output that is not valid JSON never reaches the network.
    /// - Parameters:
    ///   - source: The template, e.g. `{"userId": "{{ Profile.Identity }}", "npsScore": {{ Event["User Rating"] }}}`.
    ///   - environment: Filters, mode, clock and time zone (default: lax, UTC).
    /// - Returns: The payload description; the template is parsed when the exporter is created.
    public static func json(_ source: String, environment: TemplateEnvironment = TemplateEnvironment()) -> ExportPayload {
        ExportPayload { TemplatePayloadRenderer(try PayloadTemplate(source, environment: environment)) }
    }

    /// A template parsed already.
    /// - Parameter template: The template.
    /// - Returns: The payload description.
    public static func template(_ template: PayloadTemplate) -> ExportPayload {
        ExportPayload { TemplatePayloadRenderer(template) }
    }

    /// A Swift record mapper, for hosts that would rather write Swift than Liquid.
    /// - Parameter mapper: The mapper (e.g. one of SalesforceModels' ready mappers).
    /// - Returns: The payload description.
    public static func mapper(_ mapper: any RecordMapper) -> ExportPayload {
        ExportPayload { MapperPayloadRenderer(mapper) }
    }

    /// A renderer of the host's own.
    /// - Parameter renderer: The renderer.
    /// - Returns: The payload description.
    public static func renderer(_ renderer: any PayloadRenderer) -> ExportPayload {
        ExportPayload { renderer }
    }
}
