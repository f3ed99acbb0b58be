import FerryCore

/// Builds the transport a destination sends through on top of the pipeline's transport: authorisation, for
/// instance. The engine knows no credentials; a layer adds them and reports what it saw through `observer`.
///
/// The Salesforce module's `BearerTokenAuthorization` is one: it puts a bearer token on every request and
/// replays once after an expired session.
public protocol ConnectionLayer: Sendable {
    /// The transport to send through.
    /// - Parameters:
    ///   - transport: The pipeline's transport (it already turns a `Retry-After` date into delta-seconds).
    ///   - observer: Takes every answer, new token and expired session, for the report and the events.
    /// - Returns: The layered transport; it must report every answer it receives to `observer`.
    func transport(
        over transport: any HTTPTransport, observer: @escaping @Sendable (ConnectionObservation) -> Void
    ) -> any HTTPTransport
}
