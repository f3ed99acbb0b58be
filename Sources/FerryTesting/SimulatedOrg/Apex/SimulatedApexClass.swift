import FerryCore
import Foundation

/// An Apex REST class for a ``SimulatedSalesforceOrg``: a Swift closure answering the calls to its URL mapping.
///
/// ```swift
/// org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
/// org.register(SimulatedApexClass(name: "Echo") { call in
///     HTTPResponse(status: 200, json: .string(call.bodyText))
/// }, mapping: "/Echo")
/// ```
///
/// An error the closure throws becomes what an unhandled Apex exception gives: HTTP 500
/// `[{"errorCode":"APEX_ERROR","message":"<Type>: <message>\n\nClass.<Name>.doPost: line 1, column 1"}]`.
public struct SimulatedApexClass: Sendable {
    /// Answers one call.
    public typealias Handler = @Sendable (ApexRESTCall) async throws -> HTTPResponse

    /// The class name (used in stack lines).
    public let name: String
    /// The objects the class writes to; registering the class registers those the org does not have yet.
    public let objects: [SimulatedObject]
    let handler: Handler

    /// Creates a class from a closure.
    /// - Parameters:
    ///   - name: The class name.
    ///   - objects: The objects it writes to, registered with it when the org lacks them.
    ///   - handler: Answers each call.
    public init(name: String, objects: [SimulatedObject] = [], handler: @escaping Handler) {
        self.name = name
        self.objects = objects
        self.handler = handler
    }

    /// The reply of a method that returns a `String`: HTTP 200 with the string serialised as JSON (`"Success"`,
    /// quotes included).
    /// - Parameter text: The returned string.
    /// - Returns: The reply.
    public static func stringReply(_ text: String) -> HTTPResponse {
        HTTPResponse(status: 200, json: .string(text))
    }
}
