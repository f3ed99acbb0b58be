import AsyncHTTPClient
import FerryCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension AsyncHTTPClientTransport {
    /// The ``/FerryCore/TransportError`` for an error from AsyncHTTPClient or swift-nio: the same kinds `URLSessionTransport`
    /// reports for the same failures, so that retry decisions do not depend on the transport.
    /// - Parameters:
    ///   - error: What AsyncHTTPClient threw.
    ///   - url: The request's URL, redacted.
    ///   - cancelled: Whether the calling task was cancelled: then any error is the cancellation's consequence (a
    ///     request cancelled while waiting for a connection fails with the pool's last connection error).
    static func map(_ error: any Error, url: String, cancelled: Bool) -> TransportError {
        if cancelled || error is CancellationError { return TransportError(.cancelled, url: url) }
        let detail = String(describing: error)
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout:
                return TransportError(.timeout, url: url, detail: detail)
            case .remoteConnectionClosed, .bodyLengthMismatch:
                return TransportError(.connectionLost, url: url, detail: detail)
            case .cancelled:
                return TransportError(.cancelled, url: url, detail: detail)
            case .invalidURL, .emptyHost, .emptyScheme:
                return TransportError(.invalidURL, url: url, detail: detail)
            default:
                return TransportError(.other, url: url, detail: detail)
            }
        }
        if error is NIOTooManyBytesError { return TransportError(.bodyTooLarge, url: url) }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return TransportError(.dnsFailure, url: url, detail: detail)
            }
            if let first = error.connectionErrors.first { return map(first.error, url: url, cancelled: false) }
            return TransportError(.connectionRefused, url: url, detail: detail)
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return TransportError(.connectionRefused, url: url, detail: detail)
            case ECONNRESET, EPIPE, ECONNABORTED: return TransportError(.connectionLost, url: url, detail: detail)
            case ETIMEDOUT: return TransportError(.timeout, url: url, detail: detail)
            default: return TransportError(.other, url: url, detail: detail)
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return TransportError(.timeout, url: url, detail: detail)
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return TransportError(.connectionLost, url: url, detail: detail)
            default: return TransportError(.other, url: url, detail: detail)
            }
        }
        if error is HTTPParserError {
            // A response cut off mid-body (chunked) or malformed: the connection did not deliver a whole reply.
            return TransportError(.connectionLost, url: url, detail: detail)
        }
        if error is NIOSSLError || error is NIOSSLExtraError { return TransportError(.tls, url: url, detail: detail) }
        if error is SocketAddressError { return TransportError(.dnsFailure, url: url, detail: detail) }
        return TransportError(.other, url: url, detail: detail)
    }
}
