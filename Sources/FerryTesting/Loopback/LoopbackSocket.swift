import Foundation
import FerryCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Socket-level helpers of ``LoopbackHTTPServer``: reading requests and writing responses.
enum LoopbackSocket {
    #if canImport(Glibc) || canImport(Musl)
    static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
    static let streamType = SOCK_STREAM
    #endif

    /// Reads HTTP/1.1 requests from one connection, keeping bytes that arrive early for the next request.
    struct Reader {
        let fd: Int32
        var buffer: [UInt8] = []

        init(fd: Int32) { self.fd = fd }

        /// Reads more bytes; `false` at end of stream or on error.
        mutating func fill() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }

        mutating func readRequest(port: Int) -> HTTPRequest? {
            var headerEnd: Int?
            while headerEnd == nil {
                headerEnd = Reader.find([13, 10, 13, 10], in: buffer)
                if headerEnd == nil, !fill() { return nil }
            }
            guard let end = headerEnd else { return nil }
            let head = String(decoding: buffer[0..<end], as: UTF8.self)
            buffer.removeFirst(end + 4)
            var lines = head.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst().split(separator: " ")
            guard requestLine.count >= 2 else { return nil }
            var headers: HTTPHeaders = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = String(line[..<colon])
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headers.add(name: name, value: value)
            }
            var body = Data()
            if let lengthText = headers["Content-Length"], let length = Int(lengthText), length > 0 {
                while buffer.count < length { if !fill() { return nil } }
                body = Data(buffer[0..<length])
                buffer.removeFirst(length)
            } else if headers["Transfer-Encoding"]?.lowercased() == "chunked" {
                guard let decoded = readChunked() else { return nil }
                body = decoded
            }
            let target = String(requestLine[1])
            guard let url = URL(string: "http://127.0.0.1:\(port)\(target)") else { return nil }
            return HTTPRequest(
                method: HTTPMethod(rawValue: String(requestLine[0])), url: url, headers: headers,
                body: body.isEmpty ? nil : body)
        }

        mutating func readChunked() -> Data? {
            var body = Data()
            while true {
                var lineEnd = Reader.find([13, 10], in: buffer)
                while lineEnd == nil {
                    if !fill() { return nil }
                    lineEnd = Reader.find([13, 10], in: buffer)
                }
                guard let end = lineEnd else { return nil }
                let sizeText = String(decoding: buffer[0..<end], as: UTF8.self).split(separator: ";").first ?? ""
                buffer.removeFirst(end + 2)
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
                while buffer.count < size + 2 { if !fill() { return nil } }
                body.append(contentsOf: buffer[0..<size])
                buffer.removeFirst(size + 2)
                if size == 0 { return body }
            }
        }

        static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
            guard haystack.count >= needle.count else { return nil }
            for start in 0...(haystack.count - needle.count)
            where haystack[start] == needle[0] && Array(haystack[start..<start + needle.count]) == needle {
                return start
            }
            return nil
        }
    }

    static func encode(_ response: HTTPResponse) -> Data {
        var headers = response.headers
        if !headers.contains("Content-Length") { headers.add(name: "Content-Length", value: String(response.body.count)) }
        var data = head(status: response.status, headers: headers)
        data.append(response.body)
        return data
    }

    /// The status line and header fields, up to and including the blank line that ends them.
    private static func head(status: Int, headers: HTTPHeaders) -> Data {
        var head = "HTTP/1.1 \(status) \(reasonPhrase(status))\r\n"
        for field in headers { head += "\(field.name): \(field.value)\r\n" }
        head += "\r\n"
        return Data(head.utf8)
    }

    /// `response` with `Transfer-Encoding: chunked` (any `Content-Length` removed), the body in chunks of at most
    /// 1 MiB; with `truncatedAfter`, only that many body bytes are sent and the final chunk is left out.
    static func encodeChunked(_ response: HTTPResponse, truncatedAfter limit: Int? = nil) -> Data {
        var headers: HTTPHeaders = [:]
        for field in response.headers where field.name.lowercased() != "content-length" {
            headers.add(name: field.name, value: field.value)
        }
        headers.add(name: "Transfer-Encoding", value: "chunked")
        var data = head(status: response.status, headers: headers)
        let body = limit.map { response.body.prefix($0) } ?? response.body
        var offset = body.startIndex
        while offset < body.endIndex {
            let end = min(offset + 1 << 20, body.endIndex)
            data.append(Data((String(end - offset, radix: 16) + "\r\n").utf8))
            data.append(body[offset..<end])
            data.append(Data("\r\n".utf8))
            offset = end
        }
        if limit == nil { data.append(Data("0\r\n\r\n".utf8)) }
        return data
    }

    /// `response` announcing its full `Content-Length` but carrying only half its body (at least one byte short).
    static func encodeTruncated(_ response: HTTPResponse) -> Data {
        var full = encode(response)
        let cut = max(1, (response.body.count + 1) / 2)
        full.removeLast(min(cut, full.count))
        return full
    }

    static func write(_ data: Data, to fd: Int32) -> Bool {
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return true }
            var offset = 0
            while offset < raw.count {
                #if canImport(Glibc) || canImport(Musl)
                let sent = send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #else
                let sent = send(fd, base + offset, raw.count - offset, 0)
                #endif
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 300: "Multiple Choices"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 409: "Conflict"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
