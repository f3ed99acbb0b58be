import Logging
import PostgresNIO

extension PostgresOutbox {
    /// The schema version this version of FerryPostgres creates and expects.
    public static let schemaVersion = 2

    /// The statements of each schema version, in order; version `n` is at index `n - 1`.
    static func migrations(_ names: TableNames) -> [[String]] {
        [
            [
                """
                CREATE TABLE IF NOT EXISTS \(names.items) (
                    id               text PRIMARY KEY,
                    position         bigint GENERATED ALWAYS AS IDENTITY,
                    state            smallint NOT NULL DEFAULT 0,  -- 0 pending, 1 leased, 2 dead, 3 delivered (remembered)
                    payload          json NOT NULL,
                    route            text,
                    sequence         bigint,
                    accepted_at      timestamptz,
                    attempts         integer NOT NULL DEFAULT 0,
                    first_attempt_at timestamptz,
                    available_at     timestamptz NOT NULL,         -- pending: when due; leased: when the lease expires
                    lease_owner      uuid,                         -- the PostgresOutbox.instanceID holding the lease
                    failure          json,                         -- dead: the DeliveryFailure
                    finished_at      timestamptz                   -- dead: when it died; delivered: when acknowledged
                )
                """,
                "CREATE INDEX IF NOT EXISTS \"\(names.table)_available\" ON \(names.items) (available_at, position) WHERE state < 2",
                "CREATE INDEX IF NOT EXISTS \"\(names.table)_finished\" ON \(names.items) (state, finished_at, position) WHERE state >= 2",
            ],
            // 2: per-record order. Rows with the same ordering key leave one at a time, oldest position first: the
            // lease skips a row while an older row with its key is pending or leased. Rows of version 1 get none.
            [
                "ALTER TABLE \(names.items) ADD COLUMN IF NOT EXISTS ordering_key text",
                "CREATE INDEX IF NOT EXISTS \"\(names.table)_ordering\" ON \(names.items) (ordering_key, position) WHERE state < 2 AND ordering_key IS NOT NULL",
            ],
        ]
    }

    /// The statement that creates the version table.
    static func versionTableStatement(_ names: TableNames) -> String {
        "CREATE TABLE IF NOT EXISTS \(names.version) (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
    }

    /// The SQL that ``migrate()`` runs on an empty database, for hosts that apply migrations with their own tool
    /// (Flyway, Liquibase, a Fluent migration). It is idempotent, like `migrate()`.
    /// - Parameters:
    ///   - table: The table name (default `ferry_outbox`).
    ///   - schema: The schema, or `nil` for the `search_path`.
    /// - Returns: The statements, each ending in `;`, inside one transaction.
    /// - Throws: ``PostgresOutboxError/Kind/invalidTableName`` for a name that is not a plain identifier.
    public static func migrationSQL(table: String = "ferry_outbox", schema: String? = nil) throws(PostgresOutboxError) -> String {
        let names = try TableNames(table: table, schema: schema)
        var statements = ["BEGIN", versionTableStatement(names)]
        for (index, migration) in migrations(names).enumerated() {
            statements.append(contentsOf: migration)
            statements.append("INSERT INTO \(names.version) (version) VALUES (\(index + 1)) ON CONFLICT DO NOTHING")
        }
        statements.append("COMMIT")
        return statements.map { $0 + ";" }.joined(separator: "\n")
    }

    /// Creates or upgrades the outbox's tables to ``schemaVersion``, in one transaction under an advisory lock, so
    /// every instance may call it at start-up: the first applies it, the others find it done.
    /// - Returns: The schema version the database had before (0 for none).
    /// - Throws: ``PostgresOutboxError/Kind/schemaTooNew`` when the database is at a later version than this
    ///   package knows; other ``PostgresOutboxError``s when the statements fail (nothing is changed then).
    @discardableResult
    public func migrate() async throws -> Int {
        let names = self.names
        let lockKey = "ferry_outbox:\(names.display)"
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lockKey)))", logger: self.logger)
                try await connection.query(PostgresQuery(unsafeSQL: Self.versionTableStatement(names)), logger: self.logger)
                let found = try await Self.version(on: connection, names: names, logger: self.logger)
                guard found <= Self.schemaVersion else {
                    throw PostgresOutboxError(.schemaTooNew, operation: "migrate", table: names.display,
                                              detail: "the database is at version \(found), this package at \(Self.schemaVersion)")
                }
                for (index, migration) in Self.migrations(names).enumerated() where index + 1 > found {
                    for statement in migration {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                    }
                    try await connection.query(
                        "INSERT INTO \(unescaped: names.version) (version) VALUES (\(index + 1))", logger: self.logger)
                }
                return found
            }
        } catch {
            throw failure(error, "migrate")
        }
    }

    /// The schema version the database is at.
    /// - Returns: The version, or 0 when the outbox's tables were never created.
    /// - Throws: ``PostgresOutboxError`` when the database cannot be read.
    public func installedSchemaVersion() async throws -> Int {
        do {
            return try await client.withConnection { connection in
                try await Self.version(on: connection, names: self.names, logger: self.logger)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
            return 0
        } catch {
            throw failure(error, "installedSchemaVersion")
        }
    }

    private static func version(on connection: PostgresConnection, names: TableNames, logger: Logger) async throws -> Int {
        let rows = try await connection.query("SELECT coalesce(max(version), 0) FROM \(unescaped: names.version)", logger: logger)
        for try await version in rows.decode(Int.self) { return version }
        return 0
    }
}
