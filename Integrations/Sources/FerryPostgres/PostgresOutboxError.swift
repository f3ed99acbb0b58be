import PostgresNIO

/// Why a ``PostgresOutbox`` operation failed, and what to do about it.
///
/// Compare ``kind`` with the static members to react to one kind (`error.kind == .schemaMissing`). The description
/// says what happened, why, and what to do; it never contains the database password or any other connection
/// secret (it is built from the table name, the operation, and the server's own message).
public struct PostgresOutboxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of a failure.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case invalidTableName, schemaMissing, schemaTooNew, unavailable, statementFailed
        }

        let code: Code

        /// The configured table or schema name is not a plain SQL identifier.
        public static let invalidTableName = Kind(code: .invalidTableName)
        /// The outbox table does not exist: the migration has not run.
        public static let schemaMissing = Kind(code: .schemaMissing)
        /// The database holds a newer schema than this version of FerryPostgres knows.
        public static let schemaTooNew = Kind(code: .schemaTooNew)
        /// No connection could be made (the server is down or unreachable, or refused the credentials), or the
        /// connection was lost.
        public static let unavailable = Kind(code: .unavailable)
        /// The server rejected or failed a statement, or its answer could not be read.
        public static let statementFailed = Kind(code: .statementFailed)

        /// A short, stable name, safe as a metrics label (`"schemaMissing"`, `"unavailable"`, ...).
        public var description: String { code.rawValue }
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// What the outbox was doing (`"lease"`, `"enqueue"`, `"migrate"`, ...).
    public let operation: String
    /// The outbox table, schema-qualified when a schema is configured.
    public let table: String
    /// The server's SQLSTATE code (`42P01`, `28P01`, ...), when the server answered.
    public let sqlState: String?
    /// More detail: the server's message, or the connection failure (never a password).
    public let detail: String?

    init(_ kind: Kind, operation: String, table: String, sqlState: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.operation = operation
        self.table = table
        self.sqlState = sqlState
        self.detail = detail
    }

    /// What happened, why, and what to do.
    public var description: String {
        let what: String
        switch kind.code {
        case .invalidTableName:
            what = "the outbox table name \(table) is not a plain SQL identifier; use letters, digits and underscores (at most 63, not starting with a digit)"
        case .schemaMissing:
            what = "\(operation) failed: the outbox table \(table) does not exist; run PostgresOutbox.migrate() (or the migration SQL in Documentation/Scaling.md) once before using the outbox"
        case .schemaTooNew:
            what = "\(operation) failed: the table \(table) has a newer schema than this version of FerryPostgres knows; upgrade FerryPostgres on every instance before the database"
        case .unavailable:
            what = "\(operation) on \(table) failed: no connection to the database could be made, or it was lost; check that PostgreSQL runs, the host and port, and the user name and password the PostgresClient was configured with (its background logger names the cause); retrying may help"
        case .statementFailed:
            what = "\(operation) on \(table) failed: the server rejected the statement or its answer could not be read; check that the user may read and write the table, and that the schema was created by this package's migration"
        }
        var parts = [what]
        if let sqlState { parts.append("SQLSTATE \(sqlState)") }
        if let detail, !detail.isEmpty { parts.append(detail) }
        return parts.count == 1 ? what : "\(what) [\(parts.dropFirst().joined(separator: ": "))]"
    }

    /// Classifies an error thrown by PostgresNIO or its connection pool.
    static func wrapping(_ error: any Error, operation: String, table: String) -> PostgresOutboxError {
        if let error = error as? PostgresOutboxError { return error }
        if let transaction = error as? PostgresTransactionError,
            let cause = transaction.closureError ?? transaction.beginError ?? transaction.commitError
        {
            return wrapping(cause, operation: operation, table: table)
        }
        guard let psql = error as? PSQLError else {
            // The pool reports connections it could not make (refused, unreachable, wrong credentials) with its own
            // error type, from a module PostgresNIO does not export.
            let text = String(describing: error)
            let kind: Kind = text.contains("ConnectionPoolError") || error is IOError || error is NIOConnectionError ? .unavailable : .statementFailed
            return PostgresOutboxError(kind, operation: operation, table: table, detail: text)
        }
        if let info = psql.serverInfo {
            let state = info[.sqlState]
            let message = info[.message]
            let kind: Kind =
                switch state {
                case "42P01": .schemaMissing
                case let state? where state.hasPrefix("08") || state.hasPrefix("57P") || state.hasPrefix("28"): .unavailable
                default: .statementFailed
                }
            return PostgresOutboxError(kind, operation: operation, table: table, sqlState: state, detail: message)
        }
        // PSQLError's own description hides its details on purpose; the code and the underlying NIO error name
        // the failure and the address, never the credentials.
        let underlying = psql.underlying.map { ": \(String(describing: $0))" } ?? ""
        let connectionLevel: Set<PSQLError.Code> = [
            .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .sslUnsupported, .failedToAddSSLHandler, .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError,
        ]
        return PostgresOutboxError(
            connectionLevel.contains(psql.code) ? .unavailable : .statementFailed, operation: operation, table: table,
            detail: "\(psql.code)\(underlying)")
    }
}
