import Foundation

/// An HTTP response as an ``HTTPTransport`` returns it.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code, e.g. `200`.
    public var status: Int
    /// The header fields.
    public var headers: HTTPHeaders
    /// The body (empty when there was none).
    public var body: Data

    /// Creates a response.
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: The header fields.
    ///   - body: The body.
    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Creates a response with a UTF-8 text body.
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: The header fields.
    ///   - text: The body text.
    public init(status: Int, headers: HTTPHeaders = [:], text: String) {
        self.init(status: status, headers: headers, body: Data(text.utf8))
    }

    /// Creates a response with a JSON body and `Content-Type: application/json`.
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: Extra header fields.
    ///   - json: The body value.
    public init(status: Int, headers: HTTPHeaders = [:], json: JSONValue) {
        var headers = headers
        if !headers.contains("Content-Type") { headers.add(name: "Content-Type", value: "application/json") }
        self.init(status: status, headers: headers, body: json.jsonData())
    }

    /// Whether the status is in the 2xx range.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body decoded as UTF-8 (invalid bytes replaced), for messages and diagnostics.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The first `limit` characters of the body, on one line, for error messages.
    /// - Parameter limit: The number of characters to keep (default 200).
    /// - Returns: The excerpt, with `…` when the body was longer.
    public func bodyExcerpt(limit: Int = 200) -> String {
        let text = bodyText.replacingOccurrences(of: "\n", with: " ")
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}

extension HTTPResponse: CustomStringConvertible {
    /// `HTTP <status>` and the body size; headers and body are not included, since they may hold secrets.
    public var description: String { "HTTP \(status) (\(body.count) bytes)" }
}
