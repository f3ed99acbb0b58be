import FerryCore

/// Decides whether an Apex REST reply means the data was stored.
///
/// Ferry uses ``StandardApexReplyInterpreter`` (the seed's pattern plus the classes `ferry apex` generates).
/// A host whose own Apex class answers differently conforms a type of its own, or wraps a closure:
///
/// ```swift
/// let interpreter = ClosureApexReplyInterpreter { response, request in
///     response.status == 200 && response.bodyText.contains("OK")
///         ? .success(ApexSuccess(status: 200))
///         : StandardApexReplyInterpreter().interpret(response, for: request)
/// }
/// ```
public protocol ApexReplyInterpreter: Sendable {
    /// Interprets one reply.
    /// - Parameters:
    ///   - response: The HTTP response.
    ///   - request: The request it answers (its URL helps explain a 404).
    /// - Returns: Success, or a failure saying why and whether a retry can help.
    func interpret(_ response: HTTPResponse, for request: HTTPRequest) -> ApexReply

    /// Whether a 2xx reply whose whole body is `Success` (quoted or not) is a success with no record id, so a
    /// destination may skip calling ``interpret(_:for:)`` for it (the common reply, on the hot path). `false`
    /// by default: a custom interpreter sees every reply.
    var acceptsPlainSuccess: Bool { get }
}

/// An ``ApexReplyInterpreter`` made from a closure.
public struct ClosureApexReplyInterpreter: ApexReplyInterpreter {
    private let body: @Sendable (HTTPResponse, HTTPRequest) -> ApexReply

    /// Wraps a closure.
    /// - Parameter body: Interprets a response to a request.
    public init(_ body: @escaping @Sendable (HTTPResponse, HTTPRequest) -> ApexReply) {
        self.body = body
    }

    /// Calls the closure.
    /// - Parameters:
    ///   - response: The HTTP response.
    ///   - request: The request.
    /// - Returns: The closure's answer.
    public func interpret(_ response: HTTPResponse, for request: HTTPRequest) -> ApexReply {
        body(response, request)
    }
}

extension ApexReplyInterpreter where Self == StandardApexReplyInterpreter {
    /// The interpreter Ferry uses by default.
    public static var standard: StandardApexReplyInterpreter { StandardApexReplyInterpreter() }
}

extension ApexReplyInterpreter {
    /// `false`: the interpreter sees every reply.
    public var acceptsPlainSuccess: Bool { false }
}
