import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Collects each data task's response and body, enforces the body limit, refuses redirects, and resumes the
/// waiting caller exactly once.
final class URLSessionTransportDelegate: NSObject, URLSessionDataDelegate, Sendable {
    struct Completed: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
    }

    private struct Pending {
        let continuation: CheckedContinuation<Completed, any Error>
        let limit: Int
        let url: String
        var status = 0
        var headers = HTTPHeaders()
        var body = Data()
        /// Why Ferry cancelled the task, when it did: the task then completes with NSURLErrorCancelled and this
        /// says what to report instead.
        var failure: TransportError.Kind?
    }

    private let pending = FerryMutex<[Int: Pending]>([:])
    /// Failures requested before the task was registered (a timeout or cancellation racing the start).
    private let early = FerryMutex<[Int: TransportError.Kind]>([:])

    func register(
        _ task: URLSessionTask, limit: Int, url: String, continuation: CheckedContinuation<Completed, any Error>
    ) {
        let earlyFailure = early.withLock { $0.removeValue(forKey: task.taskIdentifier) }
        if let earlyFailure {
            continuation.resume(throwing: TransportError(earlyFailure, url: url))
            return
        }
        pending.withLock {
            $0[task.taskIdentifier] = Pending(continuation: continuation, limit: limit, url: url)
        }
    }

    /// Cancels `task`, reporting `kind` to its caller.
    func fail(_ task: URLSessionTask, with kind: TransportError.Kind) {
        let registered = pending.withLock { pending -> Bool in
            guard pending[task.taskIdentifier] != nil else { return false }
            if pending[task.taskIdentifier]?.failure == nil { pending[task.taskIdentifier]?.failure = kind }
            return true
        }
        if !registered { early.withLock { $0[task.taskIdentifier] = kind } }
        task.cancel()
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let tooLarge = pending.withLock { pending -> Bool in
            guard var entry = pending[dataTask.taskIdentifier] else { return false }
            if let http = response as? HTTPURLResponse {
                entry.status = http.statusCode
                var headers = HTTPHeaders()
                for (name, value) in http.allHeaderFields {
                    headers.add(name: String(describing: name), value: String(describing: value))
                }
                entry.headers = headers
            }
            let tooLarge = response.expectedContentLength > Int64(entry.limit)
            if tooLarge { entry.failure = .bodyTooLarge }
            pending[dataTask.taskIdentifier] = entry
            return tooLarge
        }
        completionHandler(tooLarge ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        // Mutate the entry in place: a copy taken out of the dictionary would share the body's buffer, so every
        // append would copy the whole body received so far (quadratic in the body's size).
        let tooLarge = pending.withLock { pending -> Bool in
            guard let index = pending.index(forKey: dataTask.taskIdentifier), pending.values[index].failure == nil else {
                return false
            }
            if pending.values[index].body.count + data.count > pending.values[index].limit {
                pending.values[index].failure = .bodyTooLarge
                pending.values[index].body = Data()
                return true
            }
            pending.values[index].body.append(data)
            return false
        }
        if tooLarge { dataTask.cancel() }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        // Never follow: the 3xx itself becomes the response.
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let entry = pending.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        if let failure = entry.failure {
            entry.continuation.resume(throwing: TransportError(failure, url: entry.url))
            return
        }
        if let error {
            var failure = URLSessionTransportDelegate.map(error, url: entry.url)
            if failure.kind == .other, entry.status != 0 {
                // The status line and headers had arrived: the body was cut off (a truncated Content-Length or
                // chunked body), which FoundationNetworking reports as an unknown error.
                failure = TransportError(.connectionLost, url: entry.url, detail: failure.detail)
            }
            entry.continuation.resume(throwing: failure)
            return
        }
        if entry.status == 0, let http = task.response as? HTTPURLResponse {
            // Some platforms deliver a refused redirect's response only on the task.
            var headers = HTTPHeaders()
            for (name, value) in http.allHeaderFields {
                headers.add(name: String(describing: name), value: String(describing: value))
            }
            entry.continuation.resume(returning: Completed(status: http.statusCode, headers: headers, body: entry.body))
            return
        }
        entry.continuation.resume(returning: Completed(status: entry.status, headers: entry.headers, body: entry.body))
    }

    static func map(_ error: any Error, url: String) -> TransportError {
        guard let urlError = error as? URLError else {
            return TransportError(.other, url: url, detail: String(describing: type(of: error)))
        }
        let detail = "URLError \(urlError.code.rawValue)"
        switch urlError.code {
        case .timedOut:
            return TransportError(.timeout, url: url, detail: detail)
        case .cannotConnectToHost:
            return TransportError(.connectionRefused, url: url, detail: detail)
        case .networkConnectionLost, .notConnectedToInternet, .badServerResponse:
            return TransportError(.connectionLost, url: url, detail: detail)
        case .cannotFindHost, .dnsLookupFailed:
            return TransportError(.dnsFailure, url: url, detail: detail)
        case .secureConnectionFailed, .serverCertificateHasBadDate, .serverCertificateUntrusted,
            .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid, .clientCertificateRejected,
            .clientCertificateRequired:
            return TransportError(.tls, url: url, detail: detail)
        case .cancelled:
            return TransportError(.cancelled, url: url, detail: detail)
        case .dataLengthExceedsMaximum:
            return TransportError(.bodyTooLarge, url: url, detail: detail)
        case .unsupportedURL, .badURL:
            return TransportError(.invalidURL, url: url, detail: detail)
        default:
            return TransportError(.other, url: url, detail: detail)
        }
    }
}
