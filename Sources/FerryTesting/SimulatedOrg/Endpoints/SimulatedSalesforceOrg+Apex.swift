import FerryCore
import Foundation

extension SimulatedSalesforceOrg {
    /// `/services/apexrest/...`: the registered class whose mapping matches, or 404 NOT_FOUND.
    func handleApex(_ request: HTTPRequest, lockFault: Bool, racingInsert: Bool = false) async -> HTTPResponse {
        let uri = String(request.url.path.dropFirst("/services/apexrest".count))
        let segments = uri.split(separator: "/").map(String.init)
        let routes = state.withLock { $0.apexRoutes }.filter { SimulatedSalesforceOrg.matches($0.segments, segments) }
        guard !routes.isEmpty else {
            return Replies.error(404, .notFound, "Could not find a match for URL \(uri.isEmpty ? "/" : uri)")
        }
        guard let route = routes.last(where: { $0.method == request.method }) else {
            let allowed = Set(routes.map(\.method.rawValue)).sorted().joined(separator: ", ")
            return Replies.error(405, .methodNotAllowed, "HTTP Method '\(request.method)' not allowed. Allowed are \(allowed)")
        }
        var redacted = request
        if request.headers["Authorization"] != nil { redacted.headers["Authorization"] = "Bearer <redacted>" }
        var call = ApexRESTCall(request: redacted, requestURI: uri, org: self, lockFault: lockFault)
        call.racingInsert = racingInsert
        do {
            return try await route.apexClass.handler(call)
        } catch {
            let type = error is SimulatedDMLError ? "System.DmlException" : "System.\(String(describing: Swift.type(of: error)))"
            let message = (error as? SimulatedDMLError)?.insertFailedMessage ?? String(describing: error)
            return Replies.error(
                500, .apexError,
                "\(type): \(message)\n\nClass.\(route.apexClass.name).do\(request.method.rawValue.capitalized): line 1, column 1")
        }
    }

    static func matches(_ pattern: [String], _ segments: [String]) -> Bool {
        for (index, part) in pattern.enumerated() {
            if part == "*" && index == pattern.count - 1 { return segments.count >= pattern.count }
            guard index < segments.count, part == "*" || part == segments[index] else { return false }
        }
        return segments.count == pattern.count
    }
}
