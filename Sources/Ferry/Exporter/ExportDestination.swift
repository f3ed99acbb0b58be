import FerryCore
import FerryDelivery
import Foundation
import SalesforceModels

/// Where a ``SalesforceExporter`` delivers, described by names; checked when the exporter is created.
public struct ExportDestination: Sendable {
    let make: @Sendable (SalesforceEndpoints, any FerryClock) throws -> any Destination

    /// An Apex REST class, one POST per item (the seed's integration).
    /// - Parameters:
    ///   - namespace: The org's or package's namespace prefix (`CleverTap`), or `nil` for none. A missing
    ///     namespace is the usual cause of a 404.
    ///   - mapping: The class's `urlMapping`, e.g. `/InsertNPSFeedback`.
    ///   - interpreter: Judges replies (default: `"Success"` / `"Error: ..."` and Salesforce's errors).
    /// - Returns: The destination.
    public static func apexREST(
        namespace: String?, mapping: String, interpreter: any ApexReplyInterpreter = .standard
    ) -> ExportDestination {
        ExportDestination { endpoints, _ in
            let url = endpoints.apexREST(
                mapping: try ApexURLMapping(mapping), namespace: try namespace.map { try ApexNamespace($0) })
            return ApexRESTDestination(url: url, interpreter: interpreter)
        }
    }

    /// One record per request through the sObject API: create, or upsert on an external ID field.
    /// - Parameters:
    ///   - object: The object's API name, e.g. `Feedback__c`.
    ///   - externalIDField: The external ID field to upsert on, or `nil` to create.
    /// - Returns: The destination.
    public static func sObject(_ object: String, upsertOn externalIDField: String? = nil) -> ExportDestination {
        ExportDestination { endpoints, _ in
            SObjectDestination(
                endpoints: endpoints, object: try APIName(object),
                mode: try externalIDField.map { .upsert(externalIDField: try APIName($0)) } ?? .create)
        }
    }

    /// Up to 200 records per request through sObject Collections: create, or upsert on an external ID field.
    /// - Parameters:
    ///   - object: The object's API name.
    ///   - externalIDField: The external ID field to upsert on, or `nil` to create.
    /// - Returns: The destination.
    public static func collections(_ object: String, upsertOn externalIDField: String? = nil) -> ExportDestination {
        ExportDestination { endpoints, _ in
            SObjectCollectionsDestination(
                endpoints: endpoints, object: try APIName(object),
                mode: try externalIDField.map { .upsert(externalIDField: try APIName($0)) } ?? .create)
        }
    }

    /// Bulk API 2.0 ingest jobs, for backfills of many thousands of records.
    /// - Parameters:
    ///   - object: The object's API name.
    ///   - externalIDField: The external ID field to upsert on, or `nil` to insert.
    ///   - batchSize: Records per job (default 10,000).
    /// - Returns: The destination.
    public static func bulk(_ object: String, upsertOn externalIDField: String? = nil, batchSize: Int = 10_000)
        -> ExportDestination
    {
        ExportDestination { endpoints, clock in
            BulkIngestDestination(
                endpoints: endpoints, object: try APIName(object),
                mode: try externalIDField.map { .upsert(externalIDField: try APIName($0)) } ?? .create,
                batchSize: batchSize, clock: clock)
        }
    }

    /// A destination of the host's own.
    /// - Parameter destination: The destination.
    /// - Returns: The destination.
    public static func custom(_ destination: any Destination) -> ExportDestination {
        ExportDestination { _, _ in destination }
    }
}
