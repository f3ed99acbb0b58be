import Ferry
import FerryPostgres
import Foundation
import Logging
import PostgresNIO

// The Swift samples of Documentation/Scaling.md, compiled here (ScalingDocumentationTests checks that every sample
// appears in this file line for line). The functions are compiled, not run.
enum ScalingSnippets {
    static func setUp(
        databasePassword: String, apex: ApexRESTDestination, tokens: ClientCredentialsTokenProvider, org: SalesforceOrg
    ) async throws -> (DeliveryPipeline, Task<Void, Never>) {
        // FerryPostgres
        let client = PostgresClient(configuration: .init(
            host: "db.internal", port: 5432, username: "app", password: databasePassword, database: "app",
            tls: .require(.makeClientConfiguration())))
        let runner = Task { await client.run() }          // or add the client to your ServiceGroup

        let outbox = try PostgresOutbox(client: client)   // table ferry_outbox, the database's clock
        try await outbox.migrate()                        // idempotent: every instance may run it at start-up

        var configuration = DeliveryPipeline.Configuration(concurrency: 5)   // this instance's share of the org's budget
        configuration.idlePollInterval = .seconds(1)      // notice items that the host and other instances enqueued
        let pipeline = DeliveryPipeline(
            destination: apex, transport: URLSessionTransport(), tokenProvider: tokens, origin: org.baseURL,
            outbox: outbox, configuration: configuration)
        try pipeline.start()
        return (pipeline, runner)
    }

    static func hostTransaction(
        client: PostgresClient, outbox: PostgresOutbox, renderer: any PayloadRenderer, logger: Logger,
        responseID: String, userID: String, score: Int
    ) async throws {
        // FerryPostgres
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                "INSERT INTO survey_responses (id, user_id, score) VALUES (\(responseID), \(userID), \(score))",
                logger: logger)
            let context: JSONValue = ["Profile": ["Identity": .string(userID)], "Event": ["User Rating": .int(score)]]
            guard case .payload(let payload) = renderer.render(context) else { return }   // aborted or not renderable
            try await outbox.enqueue([DeliveryItem(id: "nps-\(responseID)", payload: payload)], on: connection)
        }
    }

    static func monitor(outbox: PostgresOutbox, logger: Logger) async throws -> Int {
        // FerryPostgres
        let counts = try await outbox.counts()
        logger.info("ferry outbox", metadata: ["pending": "\(counts.pending)", "leased": "\(counts.leased)", "dead": "\(counts.dead)"])
        for letter in try await outbox.deadLetters(limit: 20) {
            logger.warning("ferry dead letter", metadata: ["id": "\(letter.item.id)", "failure": "\(letter.failure)"])
        }
        let replayed = try await outbox.replayDeadLetters(nil)   // after the cause was fixed
        return replayed
    }
}
