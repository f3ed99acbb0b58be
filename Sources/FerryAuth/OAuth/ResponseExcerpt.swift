import Foundation
import FerryCore

/// A short, one-line start of a response body for error messages, with anything that may be a credential
/// removed: values of credential-bearing JSON fields, Salesforce-style tokens (`00D...!...`), and any text the
/// caller knows is secret.
enum ResponseExcerpt {
    static let sensitiveKeys: Set<String> = [
        "access_token", "refresh_token", "id_token", "signature", "client_secret", "subject_token", "actor_token",
        "token", "assertion", "password",
    ]

    static func make(_ response: HTTPResponse, secrets: [String], limit: Int = 160) -> String {
        var text: String
        if let value = try? JSONValue(parsing: response.body) {
            text = redacted(value).jsonString()
        } else {
            text = response.bodyText
        }
        for secret in secrets where secret.count >= 4 {
            text = text.replacingOccurrences(of: secret, with: Secret.redactedText)
        }
        text = scrubTokenLikeText(text)
        text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    /// Removes `secrets` from text a server sent (an error description that echoes input), and shortens it to
    /// `limit` characters: a hostile server's megabytes of `error_description` must not flow into every log line.
    /// Secrets are removed from a prefix longer than `limit` by the longest secret, so a secret that starts
    /// before the cut is removed whole, never left half-visible.
    static func scrub(_ text: String, secrets: [String], limit: Int = 500) -> String {
        let margin = secrets.map(\.count).max() ?? 0
        var text = text.count > limit + margin + 64 ? String(text.prefix(limit + margin + 64)) : text
        for secret in secrets where secret.count >= 4 {
            text = text.replacingOccurrences(of: secret, with: Secret.redactedText)
        }
        text = scrubTokenLikeText(text)
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    private static func redacted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var result = JSONObject()
            for (key, member) in object {
                result[key] = sensitiveKeys.contains(key.lowercased()) ? .string(Secret.redactedText) : redacted(member)
            }
            return .object(result)
        case .array(let items):
            return .array(items.map(redacted))
        default:
            return value
        }
    }

    /// Hides `"access_token": "..."`-style pairs in text that is not valid JSON (a truncated body), and
    /// Salesforce session ids (an org id, `!`, then the rest).
    private static func scrubTokenLikeText(_ text: String) -> String {
        var text = text
        let keys = sensitiveKeys.sorted().joined(separator: "|")
        let patterns = [
            "(\"(?:\(keys))\"\\s*:\\s*\")[^\"]*(\"?)",
            "((?:\(keys))=)[^&\\s]*()",
            "()[A-Za-z0-9]{12,18}![A-Za-z0-9._\\-]+()",
        ]
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { continue }
            let range = NSRange(text.startIndex..., in: text)
            text = regex.stringByReplacingMatches(in: text, range: range, withTemplate: "$1\(Secret.redactedText)$2")
        }
        return text
    }
}
