import FerryCore
import FerryDelivery
import Foundation

extension DeliveryPipeline {
    /// What became of a context handed to `send(context:renderer:id:route:sequence:)`.
    public enum SendResult: Sendable, Hashable {
        /// Rendered and accepted: it will be delivered (or fail with a reason).
        case accepted
        /// The template or mapper chose not to send it; recorded as aborted.
        case aborted(reason: String?)
        /// It could not be rendered; recorded as failed with this reason, never sent.
        case notRendered(DeliveryFailure)
    }

    /// Renders `context` with `renderer` and accepts the payload as an item. Aborted and unrenderable contexts
    /// are recorded (in the report and the outcome handler) and not sent.
    ///
    /// Rendering lives here, above the engine, so the engine (FerryDelivery) builds without the Liquid engine.
    /// - Parameters:
    ///   - context: The render context, e.g. `["Profile": profile, "Event": event]`.
    ///   - renderer: Turns the context into the payload: a ``TemplatePayloadRenderer`` or a
    ///     ``MapperPayloadRenderer``.
    ///   - id: The item's stable id, sent as `Idempotency-Key`: derive it from the source (an event id, a line
    ///     number and hash) so a resend after a crash is recognised; default a random UUID.
    ///   - route: A routing key for a ``/FerryDelivery/RoutingDestination``.
    ///   - sequence: The position in the source, for reports.
    /// - Returns: Whether the context was accepted, aborted or not rendered.
    /// - Throws: As ``/FerryDelivery/DeliveryPipeline/send(_:)``.
    @discardableResult
    public func send(
        context: JSONValue, renderer: any PayloadRenderer, id: String = UUID().uuidString, route: String? = nil,
        sequence: Int? = nil
    ) async throws -> SendResult {
        switch renderer.render(context) {
        case .payload(let payload):
            try await send(DeliveryItem(id: id, payload: payload, route: route, sequence: sequence))
            return .accepted
        case .aborted(let reason):
            record(.aborted(itemID: id, sequence: sequence, reason: reason))
            return .aborted(reason: reason)
        case .failed(let failure):
            var item = DeliveryItem(id: id, payload: .null, route: route, sequence: sequence)
            item.acceptedAt = nil
            record(.failed(item, failure, gaveUp: false))
            return .notRendered(failure)
        }
    }
}
